//! OpenTelemetry end to end on the local endpoint (feature `opentelemetry`): a caller's span →
//! the client span `Lambda.Invoke` → the served method's span → its own onward call → the
//! next function's span, in one trace with the right parents and the semantic conventions'
//! attributes; and the time a caller will still wait, shrinking at each hop of a chain.
//!
//! The spans are collected by a global subscriber; each test reads only its own trace.

mod setup;
#[path = "../support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use lambda_remote::local::LocalLambda;
use lambda_remote::{CallOptions, InvocationContext, InvokeError, lambda_remote};
use opentelemetry::Value;
use opentelemetry::trace::{SpanKind, TraceContextExt as _};
use serde::{Deserialize, Serialize};
use tracing::Instrument as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use setup::{Recorded, attributes, id, one, total};
use support::{Reply, Scripted};

/// What a served method saw of its caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    /// What was left of the caller's budget when the invocation arrived, in ms.
    budget_ms: Option<u64>,
    /// What the method's onward call saw, if it made one.
    onward: Option<Box<Seen>>,
}

#[lambda_remote(server)]
pub trait Chain {
    /// B: calls C, then answers what both saw.
    #[lambda(function = "otel-b")]
    async fn b(&self) -> Result<Seen, InvokeError>;

    /// C: answers what it saw.
    #[lambda(function = "otel-c")]
    async fn c(&self) -> Result<Seen, InvokeError>;

    /// An `Event`: Lambda passes it no client context.
    #[lambda(function = "otel-event", invocation = "event")]
    async fn event(&self) -> Result<(), InvokeError>;

    /// Sleeps 500 ms, then counts itself as finished.
    #[lambda(function = "otel-slow")]
    async fn slow(&self) -> Result<(), InvokeError>;

    /// A function error.
    #[lambda(function = "otel-fail")]
    async fn fail(&self) -> Result<(), InvokeError<Declined>>;
}

/// The one error of `fail`.
#[derive(Debug, Clone, PartialEq, lambda_remote::FunctionError, thiserror::Error)]
pub enum Declined {
    #[error("declined")]
    #[function_error(rename = "Declined")]
    Declined,
}

/// How many `slow` invocations ran to their end.
static SLOW_FINISHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

struct Impl {
    onward: Option<ChainClient>,
    events: Arc<Mutex<Vec<Seen>>>,
}

fn seen_here(onward: Option<Seen>) -> Seen {
    let context = InvocationContext::current().expect("served with a context");
    Seen {
        budget_ms: context.caller_deadline().map(|deadline| {
            deadline
                .duration_since(SystemTime::now())
                .unwrap_or_default()
                .as_millis() as u64
        }),
        onward: onward.map(Box::new),
    }
}

impl Chain for Impl {
    async fn b(&self) -> Result<Seen, InvokeError> {
        let before = seen_here(None);
        let onward = self.onward.as_ref().expect("B calls on").c().await?;
        Ok(Seen {
            budget_ms: before.budget_ms,
            onward: Some(Box::new(onward)),
        })
    }

    async fn c(&self) -> Result<Seen, InvokeError> {
        Ok(seen_here(None))
    }

    async fn event(&self) -> Result<(), InvokeError> {
        self.events.lock().unwrap().push(seen_here(None));
        Ok(())
    }

    async fn slow(&self) -> Result<(), InvokeError> {
        tokio::time::sleep(Duration::from_millis(500)).await;
        SLOW_FINISHED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn fail(&self) -> Result<(), InvokeError<Declined>> {
        Err(Declined::Declined.into())
    }
}

/// C on one endpoint, B (calling C) on another; a client of B's endpoint.
struct Deployed {
    _c: LocalLambda,
    b: LocalLambda,
    client: ChainClient,
    events: Arc<Mutex<Vec<Seen>>>,
}

async fn deploy() -> Deployed {
    let events = Arc::new(Mutex::new(Vec::new()));
    let c = LocalLambda::builder()
        .serve_all(
            ChainServer::new(Impl {
                onward: None,
                events: events.clone(),
            })
            .handlers(),
        )
        .start()
        .await
        .unwrap();
    let b = LocalLambda::builder()
        .serve_all(
            ChainServer::new(Impl {
                onward: Some(ChainClient::new(c.sdk_client())),
                events: events.clone(),
            })
            .handlers(),
        )
        .start()
        .await
        .unwrap();
    let client = ChainClient::new(b.sdk_client());
    Deployed {
        _c: c,
        b,
        client,
        events,
    }
}

fn recorded() -> &'static Recorded {
    static RECORDED: OnceLock<Recorded> = OnceLock::new();
    RECORDED.get_or_init(setup::install)
}

fn text(value: Option<&Value>) -> Option<String> {
    value.map(|v| v.as_str().into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_trace_from_the_caller_through_two_functions() {
    let recorded = recorded();
    let deployed = deploy().await;
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let seen = deployed
        .client
        .b()
        .instrument(caller.clone())
        .await
        .unwrap();
    drop(caller);
    let spans = setup::trace(recorded, trace_id);
    let mut names: Vec<&str> = spans.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        ["Lambda.Invoke", "caller", "otel-b", "otel-c"],
        "one trace"
    );
    let caller = one(&spans, "caller");
    let invokes = &spans["Lambda.Invoke"];
    assert_eq!(invokes.len(), 2, "the caller's call and B's call to C");
    let to_b = invokes
        .iter()
        .find(|s| s.parent_span_id == id(caller))
        .expect("the caller's call is the caller span's child");
    let served_b = one(&spans, "otel-b");
    let to_c = invokes
        .iter()
        .find(|s| s.parent_span_id == id(served_b))
        .expect("B's call is B's served span's child");
    let served_c = one(&spans, "otel-c");
    assert_eq!(
        served_b.parent_span_id,
        id(to_b),
        "B continues the caller's call"
    );
    assert_eq!(served_c.parent_span_id, id(to_c), "C continues B's call");

    // The client spans: semantic conventions 1.42.0 for AWS SDK and FaaS client spans.
    assert_eq!(to_b.span_kind, SpanKind::Client);
    let b_request = &deployed.b.invocations("otel-b")[0].request_id;
    let client = attributes(to_b);
    for (key, value) in [
        ("rpc.system.name", "aws-api"),
        ("rpc.method", "Invoke"),
        ("cloud.region", "us-east-1"),
        ("faas.invoked_name", "otel-b"),
        ("faas.invoked_provider", "aws"),
        ("faas.invoked_region", "us-east-1"),
        ("aws.request_id", b_request.as_str()),
        ("lambda_remote.method", "b"),
        ("lambda_remote.invocation_type", "RequestResponse"),
        ("lambda_remote.outcome", "ok"),
    ] {
        assert_eq!(text(client.get(key)).as_deref(), Some(value), "{key}");
    }
    assert_eq!(
        client.get("http.response.status_code"),
        Some(&Value::I64(200))
    );
    assert_eq!(
        client.get("lambda_remote.trace_sent"),
        Some(&Value::Bool(true))
    );
    assert_eq!(client.get("lambda_remote.attempts"), Some(&Value::I64(1)));
    assert_eq!(client.get("error.type"), None);
    // What travelled in the client context: the propagator's fields that have a value (no
    // empty `tracestate`), and no budget (no timeout anywhere).
    let sent = deployed.b.invocations("otel-b")[0].client_context.clone();
    let custom = sent
        .as_ref()
        .and_then(|context| context.get("custom"))
        .and_then(serde_json::Value::as_object)
        .expect("the client context's custom map");
    let mut keys: Vec<&str> = custom.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["traceparent"]);
    assert_eq!(
        text(attributes(to_c).get("faas.invoked_name")).as_deref(),
        Some("otel-c")
    );

    // The served spans: FaaS server and AWS Lambda conventions.
    assert_eq!(served_b.span_kind, SpanKind::Server);
    let served = attributes(served_b);
    for (key, value) in [
        ("faas.trigger", "other"),
        ("faas.invocation_id", b_request.as_str()),
        (
            "cloud.resource_id",
            "arn:aws:lambda:us-east-1:123456789012:function:otel-b",
        ),
        (
            "aws.lambda.invoked_arn",
            "arn:aws:lambda:us-east-1:123456789012:function:otel-b",
        ),
        ("lambda_remote.method", "b"),
        ("lambda_remote.outcome", "ok"),
    ] {
        assert_eq!(text(served.get(key)).as_deref(), Some(value), "{key}");
    }
    assert_eq!(served.get("faas.coldstart"), Some(&Value::Bool(true)));
    // The local endpoint does not say how much memory a function has.
    assert_eq!(served.get("faas.max_memory"), None);

    // A second call is warm.
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    deployed
        .client
        .b()
        .instrument(caller.clone())
        .await
        .unwrap();
    drop(caller);
    let spans = setup::trace(recorded, trace_id);
    let served_b = attributes(one(&spans, "otel-b"));
    assert_eq!(served_b.get("faas.coldstart"), Some(&Value::Bool(false)));
    let served_c = attributes(one(&spans, "otel-c"));
    assert_eq!(served_c.get("faas.coldstart"), Some(&Value::Bool(false)));
    // No timeout anywhere: no budget travelled (the caller is outside any invocation).
    assert_eq!(seen.budget_ms, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_error_is_the_client_spans_error_type() {
    let recorded = recorded();
    let deployed = deploy().await;
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let error = deployed
        .client
        .fail()
        .instrument(caller.clone())
        .await
        .unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&Declined::Declined),
        "{error:?}"
    );
    drop(caller);
    let spans = setup::trace(recorded, trace_id);
    let client = attributes(one(&spans, "Lambda.Invoke"));
    assert_eq!(text(client.get("error.type")).as_deref(), Some("Declined"));
    assert_eq!(
        text(client.get("lambda_remote.outcome")).as_deref(),
        Some("function_error")
    );
    let served = attributes(one(&spans, "otel-fail"));
    assert_eq!(text(served.get("error.type")).as_deref(), Some("Declined"));
}

/// A → B → C: A's call has a 20 s timeout; B sees what is left of it, and C less than B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callers_budget_shrinks_at_each_hop() {
    let deployed = deploy().await;
    let timeout = CallOptions::new().timeout(Duration::from_secs(20));
    let seen = deployed.client.b_with(&timeout).await.unwrap().output;
    let b = seen.budget_ms.expect("B received the caller's budget");
    let c = seen
        .onward
        .as_ref()
        .and_then(|c| c.budget_ms)
        .expect("C received B's budget");
    assert!(b <= 20_000, "B: {b} ms");
    // B's onward call carries the shorter of what is left of B's invocation: its own Lambda
    // deadline (the local endpoint's default timeout, 3 s) and its caller's budget.
    assert!(c < b, "C ({c} ms) sees less than B ({b} ms)");
    assert!(c <= 3_000, "C: {c} ms, bounded by B's own 3 s timeout");

    // No timeout, outside an invocation: nothing travels.
    let seen = deployed.client.c().await.unwrap();
    assert_eq!(seen.budget_ms, None);
}

/// An `Event` carries no client context (Lambda passes it to synchronous invocations only):
/// no budget, and the served span starts a trace of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_carries_no_budget_and_no_trace() {
    let recorded = recorded();
    let deployed = deploy().await;
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let timeout = CallOptions::new().timeout(Duration::from_secs(20));
    deployed
        .client
        .event_with(&timeout)
        .instrument(caller.clone())
        .await
        .unwrap();
    drop(caller);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while deployed.events.lock().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the event ran");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *deployed.events.lock().unwrap(),
        [Seen {
            budget_ms: None,
            onward: None
        }]
    );
    let run = &deployed.b.invocations("otel-event")[0];
    assert_eq!(run.client_context, None);
    let spans = setup::trace(recorded, trace_id);
    assert!(
        !spans.contains_key("otel-event"),
        "the event's span is not in the caller's trace"
    );
    assert_eq!(
        text(attributes(one(&spans, "Lambda.Invoke")).get("lambda_remote.invocation_type"))
            .as_deref(),
        Some("Event")
    );
}

/// Dropping a call's future does not stop the function: it runs to its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_calls_future_does_not_stop_the_function() {
    let deployed = deploy().await;
    let dropped = tokio::time::timeout(Duration::from_millis(100), deployed.client.slow()).await;
    assert!(dropped.is_err(), "the call was given up after 100 ms");
    assert_eq!(SLOW_FINISHED.load(std::sync::atomic::Ordering::SeqCst), 0);
    // The function's 500 ms, and a margin of 5 s.
    let deadline = std::time::Instant::now() + Duration::from_millis(5_500);
    while SLOW_FINISHED.load(std::sync::atomic::Ordering::SeqCst) == 0
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(SLOW_FINISHED.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(deployed.b.invocations("otel-slow").len(), 1);
}

#[lambda_remote(server)]
pub trait Metered {
    #[lambda(function = "metered")]
    async fn metered(&self) -> Result<(), InvokeError>;

    #[lambda(function = "metered-throttled")]
    async fn metered_throttled(&self) -> Result<(), InvokeError>;

    #[lambda(function = "metered-broken")]
    async fn metered_broken(&self) -> Result<(), InvokeError>;
}

struct MeteredImpl;

impl Metered for MeteredImpl {
    async fn metered(&self) -> Result<(), InvokeError> {
        Ok(())
    }
    async fn metered_throttled(&self) -> Result<(), InvokeError> {
        Ok(())
    }
    async fn metered_broken(&self) -> Result<(), InvokeError> {
        Ok(())
    }
}

/// Exact counts, per method and outcome: two calls served by the local endpoint; a call
/// throttled three times (the SDK's three attempts); a call whose 500 `ServiceException` the
/// delivery rule (at most once) does not let be sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_calls_attempts_throttles_and_refused_retries() {
    let recorded = recorded();
    let local = LocalLambda::builder()
        .serve(MeteredServer::new(MeteredImpl).metered())
        .start()
        .await
        .unwrap();
    let served: MeteredClient = lambda_remote::client::ClientBuilder::new(local.sdk_client())
        .build()
        .unwrap();
    served.metered().await.unwrap();
    served.metered().await.unwrap();

    let scripted = Scripted::start(|received| {
        if received.path.contains("metered-throttled") {
            Reply::service_error(429, "TooManyRequestsException", "Rate exceeded")
        } else {
            Reply::service_error(500, "ServiceException", "internal")
        }
    })
    .await;
    let failing: MeteredClient = lambda_remote::client::ClientBuilder::new(scripted.sdk())
        .retry_config(
            aws_smithy_types::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    failing.metered_throttled().await.unwrap_err();
    failing.metered_broken().await.unwrap_err();

    let ok = [("lambda_remote.method", "metered")];
    let throttled = [("lambda_remote.method", "metered_throttled")];
    let broken = [("lambda_remote.method", "metered_broken")];
    let calls = "lambda_remote.client.calls";
    assert_eq!(
        total(recorded, calls, &[ok[0], ("lambda_remote.outcome", "ok")]),
        2
    );
    assert_eq!(total(recorded, calls, &ok), 2);
    assert_eq!(
        total(
            recorded,
            calls,
            &[throttled[0], ("lambda_remote.outcome", "service_error")]
        ),
        1
    );
    assert_eq!(
        total(
            recorded,
            calls,
            &[broken[0], ("lambda_remote.outcome", "service_error")]
        ),
        1
    );
    let duration = "rpc.client.call.duration";
    assert_eq!(
        total(
            recorded,
            duration,
            &[
                ok[0],
                ("faas.invoked_name", "metered"),
                ("rpc.method", "Invoke"),
                ("rpc.system.name", "aws-api")
            ]
        ),
        2
    );
    let attempts = "lambda_remote.client.attempts";
    assert_eq!(total(recorded, attempts, &ok), 2);
    assert_eq!(total(recorded, attempts, &throttled), 3);
    assert_eq!(total(recorded, attempts, &broken), 1);
    let throttles = "lambda_remote.client.throttles";
    assert_eq!(total(recorded, throttles, &ok), 0);
    assert_eq!(total(recorded, throttles, &throttled), 3);
    assert_eq!(total(recorded, throttles, &broken), 0);
    let refused = "lambda_remote.client.retries_refused";
    assert_eq!(total(recorded, refused, &throttled), 0);
    assert_eq!(total(recorded, refused, &broken), 1);
    // The function's side: two invocations, one cold start.
    assert_eq!(
        total(
            recorded,
            "faas.invoke_duration",
            &[
                ok[0],
                ("lambda_remote.outcome", "ok"),
                ("faas.trigger", "other")
            ]
        ),
        2
    );
    assert_eq!(total(recorded, "faas.coldstarts", &ok), 1);
    // Bounded attributes only: never a request id or a tenant.
    for name in [
        calls,
        duration,
        attempts,
        throttles,
        refused,
        "faas.invoke_duration",
    ] {
        for (_, attributes) in setup::points(recorded, name, &[]) {
            let mut keys: Vec<&str> = attributes.keys().map(String::as_str).collect();
            keys.sort();
            assert!(
                keys.iter().all(|k| [
                    "faas.invoked_name",
                    "faas.trigger",
                    "lambda_remote.method",
                    "lambda_remote.outcome",
                    "rpc.method",
                    "rpc.system.name"
                ]
                .contains(k)),
                "{name}: {keys:?}"
            );
        }
    }
}
