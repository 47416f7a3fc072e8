//! Metrics (semantic conventions 1.42.0 where they name one, else under `lambda_remote.`), on
//! the global meter provider, with bounded attributes only: the method, the function's name,
//! the operation and the outcome's kind — never a tenant id, a key or a request id.
//!
//! The caller's, per call: `rpc.client.call.duration` (histogram, s), `lambda_remote.client.calls`
//! (by `lambda_remote.outcome`: `ok`, `function_error`, `service_error`, `timeout`,
//! `transport_error`, `serialize_error`, `deserialize_error`, `rejected`),
//! `lambda_remote.client.attempts`, `lambda_remote.client.throttles` (attempts answered
//! `TooManyRequestsException`) and `lambda_remote.client.retries_refused` (failed attempts the
//! delivery rule did not let the SDK send again). The function's: `faas.invoke_duration`
//! (histogram, s) and `faas.coldstarts`.
//!
//! The instruments are made from the global meter provider the first time they are used: set
//! it before the first call.

// The caller's instruments are unused in a served-only build (no `client` feature).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use std::convert::Infallible;
use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Histogram};
use opentelemetry_semantic_conventions::{attribute as semconv, metric};

use crate::error::InvokeError;

struct Instruments {
    call_duration: Histogram<f64>,
    calls: Counter<u64>,
    attempts: Counter<u64>,
    throttles: Counter<u64>,
    refused: Counter<u64>,
    invoke_duration: Histogram<f64>,
    coldstarts: Counter<u64>,
}

fn instruments() -> &'static Instruments {
    static INSTRUMENTS: OnceLock<Instruments> = OnceLock::new();
    INSTRUMENTS.get_or_init(|| {
        let meter = opentelemetry::global::meter_with_scope(
            opentelemetry::InstrumentationScope::builder("lambda-remote")
                .with_version(env!("CARGO_PKG_VERSION"))
                .with_schema_url(opentelemetry_semantic_conventions::SCHEMA_URL)
                .build(),
        );
        Instruments {
            call_duration: meter
                .f64_histogram(metric::RPC_CLIENT_CALL_DURATION)
                .with_unit("s")
                .with_description("The duration of a call, from the caller's side")
                .build(),
            calls: meter
                .u64_counter("lambda_remote.client.calls")
                .with_unit("{call}")
                .with_description("Calls, by outcome")
                .build(),
            attempts: meter
                .u64_counter("lambda_remote.client.attempts")
                .with_unit("{attempt}")
                .with_description("Requests the SDK sent, retries included")
                .build(),
            throttles: meter
                .u64_counter("lambda_remote.client.throttles")
                .with_unit("{attempt}")
                .with_description("Attempts Lambda answered with TooManyRequestsException")
                .build(),
            refused: meter
                .u64_counter("lambda_remote.client.retries_refused")
                .with_unit("{attempt}")
                .with_description(
                    "Failed attempts the delivery rule did not let the SDK send again",
                )
                .build(),
            invoke_duration: meter
                .f64_histogram(metric::FAAS_INVOKE_DURATION)
                .with_unit("s")
                .with_description("The duration of a served invocation")
                .build(),
            coldstarts: meter
                .u64_counter(metric::FAAS_COLDSTARTS)
                .with_unit("{coldstart}")
                .with_description("Served invocations that were a handler's first")
                .build(),
        }
    })
}

/// What one call's attempts said, counted while it runs.
#[derive(Default)]
struct Tally {
    attempts: AtomicU64,
    throttles: AtomicU64,
    refused: AtomicU64,
}

tokio::task_local! {
    static TALLY: Tally;
}

/// Counts the SDK's attempts of the current call.
pub(crate) fn attempts(attempts: u64) {
    let _ = TALLY.try_with(|tally| tally.attempts.store(attempts, Ordering::Relaxed));
}

/// Counts an attempt of the current call answered with a throttle.
pub(crate) fn throttled() {
    let _ = TALLY.try_with(|tally| tally.throttles.fetch_add(1, Ordering::Relaxed));
}

/// Counts a failed attempt of the current call the delivery rule did not let be sent again.
pub(crate) fn refused() {
    let _ = TALLY.try_with(|tally| tally.refused.fetch_add(1, Ordering::Relaxed));
}

/// The kinds of outcome a call's attributes are kept for (`telemetry::outcome`'s).
const OUTCOMES: [&str; 10] = [
    "ok",
    "function_error",
    "service_error",
    "timeout",
    "transport_error",
    "serialize_error",
    "deserialize_error",
    "rejected",
    "config_error",
    "claim_check_error",
];

/// One method's metric attributes, made the first time each is needed and kept for the
/// client's life (a call then builds none): by operation (`Invoke`,
/// `InvokeWithResponseStream`), those of the attempts' counters (method, function,
/// operation) and, with `lambda_remote.outcome` added, those of each kind of outcome.
#[derive(Debug, Default)]
pub(crate) struct CallAttributes {
    sets: [[OnceLock<Box<[KeyValue]>>; OUTCOMES.len() + 1]; 2],
}

impl CallAttributes {
    /// The attributes of `method`'s calls to `function` by `operation`, with `outcome`.
    fn get(
        &self,
        method: &'static str,
        function: &str,
        operation: &'static str,
        outcome: Option<&'static str>,
    ) -> std::borrow::Cow<'_, [KeyValue]> {
        let build = || {
            let mut attributes = vec![
                KeyValue::new(semconv::RPC_SYSTEM_NAME, "aws-api"),
                KeyValue::new(semconv::RPC_METHOD, operation),
                KeyValue::new("lambda_remote.method", method),
                KeyValue::new(semconv::FAAS_INVOKED_NAME, function.to_owned()),
            ];
            if let Some(outcome) = outcome {
                attributes.push(KeyValue::new("lambda_remote.outcome", outcome));
            }
            attributes.into_boxed_slice()
        };
        let by_operation = &self.sets[usize::from(operation != "Invoke")];
        let index = match outcome {
            None => Some(0),
            Some(outcome) => OUTCOMES.iter().position(|o| *o == outcome).map(|i| i + 1),
        };
        match index {
            Some(index) => std::borrow::Cow::Borrowed(&by_operation[index].get_or_init(build)[..]),
            None => std::borrow::Cow::Owned(build().into_vec()),
        }
    }
}

/// Runs one call (`call`, of `method` to `function`, by `operation`) and records its metrics
/// with `attributes` (the method's); `outcome` names the kind of its outcome.
pub(crate) async fn measured<T>(
    attributes: &CallAttributes,
    method: &'static str,
    function: &str,
    operation: &'static str,
    outcome: fn(Result<(), &InvokeError<Infallible>>) -> &'static str,
    call: impl Future<Output = Result<T, InvokeError<Infallible>>>,
) -> Result<T, InvokeError<Infallible>> {
    let started = Instant::now();
    let (result, attempts, throttles, refused) = TALLY
        .scope(Tally::default(), async {
            let result = call.await;
            TALLY.with(|tally| {
                (
                    result,
                    tally.attempts.load(Ordering::Relaxed),
                    tally.throttles.load(Ordering::Relaxed),
                    tally.refused.load(Ordering::Relaxed),
                )
            })
        })
        .await;
    let instruments = instruments();
    if attempts > 0 || throttles > 0 || refused > 0 {
        let attributes = attributes.get(method, function, operation, None);
        if attempts > 0 {
            instruments.attempts.add(attempts, &attributes);
        }
        if throttles > 0 {
            instruments.throttles.add(throttles, &attributes);
        }
        if refused > 0 {
            instruments.refused.add(refused, &attributes);
        }
    }
    let outcome = outcome(result.as_ref().map(|_| ()));
    let attributes = attributes.get(method, function, operation, Some(outcome));
    instruments
        .call_duration
        .record(started.elapsed().as_secs_f64(), &attributes);
    instruments.calls.add(1, &attributes);
    result
}

/// Records a served invocation of `method` that took from `started` until now and ended as
/// `outcome` (`ok`, `function_error`).
pub(crate) fn served(method: &'static str, started: Instant, outcome: &'static str) {
    instruments().invoke_duration.record(
        started.elapsed().as_secs_f64(),
        &[
            KeyValue::new(semconv::FAAS_TRIGGER, "other"),
            KeyValue::new("lambda_remote.method", method),
            KeyValue::new("lambda_remote.outcome", outcome),
        ],
    );
}

/// Counts a cold start of `method`'s handler.
pub(crate) fn coldstart(method: &'static str) {
    instruments().coldstarts.add(
        1,
        &[
            KeyValue::new(semconv::FAAS_TRIGGER, "other"),
            KeyValue::new("lambda_remote.method", method),
        ],
    );
}
