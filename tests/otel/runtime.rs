//! OpenTelemetry end to end on the real `lambda_runtime` behind the mini Lambda (feature
//! `opentelemetry`): the caller's span → `Lambda.Invoke` (or `Lambda.InvokeWithResponseStream`)
//! → the served span, one trace, with the attributes only a runtime gives (`faas.max_memory`);
//! the caller's budget reaches the function, buffered and streamed; `otel::set_flush` runs
//! once after each invocation.
//!
//! One test in this binary: `lambda_runtime` reads the process environment, which it sets.

mod setup;
#[path = "../support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use lambda_remote::{
    CallOptions, InvocationContext, InvokeError, MethodHandler, ResponseStream, lambda_remote,
};
use opentelemetry::Value;
use opentelemetry::trace::{SpanKind, TraceContextExt as _};
use serde::{Deserialize, Serialize};
use support::runtime_api::{INVOKED_ARN, MiniLambda};
use tracing::Instrument as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use setup::{attributes, id, one};

/// What a served method saw of its caller: the time left of its budget, in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    budget_ms: Option<u64>,
}

#[lambda_remote(server)]
pub trait Probe {
    #[lambda(function = "probe-whole")]
    async fn whole(&self) -> Result<Seen, InvokeError>;

    #[lambda(function = "probe-rows", invocation = "stream")]
    async fn rows(&self) -> Result<ResponseStream<Seen>, InvokeError>;
}

fn seen() -> Seen {
    let context = InvocationContext::current().expect("served with a context");
    Seen {
        budget_ms: context.caller_deadline().map(|deadline| {
            deadline
                .duration_since(SystemTime::now())
                .unwrap_or_default()
                .as_millis() as u64
        }),
    }
}

struct Impl;

impl Probe for Impl {
    async fn whole(&self) -> Result<Seen, InvokeError> {
        Ok(seen())
    }

    async fn rows(&self) -> Result<ResponseStream<Seen>, InvokeError> {
        Ok(ResponseStream::from_stream(futures_util::stream::iter([
            Ok::<_, InvokeError>(seen()),
        ])))
    }
}

static FLUSHES: AtomicUsize = AtomicUsize::new(0);

/// Serves `handler` on `lambda_runtime` behind a fresh mini Lambda; returns a client for it.
async fn serve(handler: MethodHandler) -> (MiniLambda, ProbeClient) {
    let lambda = MiniLambda::start().await;
    for (key, value) in [
        ("AWS_LAMBDA_RUNTIME_API", lambda.runtime_api.to_string()),
        (
            "AWS_LAMBDA_FUNCTION_NAME",
            handler.spec().function.to_owned(),
        ),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
    ] {
        // SAFETY: this binary holds a single test, which sets the environment before each
        // runtime starts and reads it nowhere else.
        unsafe { std::env::set_var(key, value) };
    }
    tokio::spawn(lambda_remote::server::run(handler));
    let client = ProbeClient::new(support::sdk_client(&lambda.invoke_url));
    (lambda, client)
}

/// Waits (at most 10 s) until the flush ran `count` times, then checks it ran exactly so often.
async fn flushed(count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while FLUSHES.load(Ordering::SeqCst) < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(FLUSHES.load(Ordering::SeqCst), count, "flushes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_trace_through_lambda_runtime_flushed_after_each_invocation() {
    let recorded = setup::install();
    assert!(lambda_remote::otel::set_flush(|| {
        FLUSHES.fetch_add(1, Ordering::SeqCst);
    }));
    let server = ProbeServer::new(Impl);

    // Buffered.
    let (_whole, client) = serve(server.whole()).await;
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let timeout = CallOptions::new().timeout(Duration::from_secs(20));
    let seen = client
        .whole_with(&timeout)
        .instrument(caller.clone())
        .await
        .unwrap()
        .output;
    drop(caller);
    let budget = seen.budget_ms.expect("the caller's budget arrived");
    assert!(budget > 0 && budget <= 20_000, "{budget} ms");
    flushed(1).await;
    let spans = setup::trace(&recorded, trace_id);
    let caller = one(&spans, "caller");
    let invoke = one(&spans, "Lambda.Invoke");
    // The span's name is the function's, from the ARN the runtime gave.
    let served = one(&spans, "served");
    assert_eq!(invoke.parent_span_id, id(caller));
    assert_eq!(served.parent_span_id, id(invoke));
    assert_eq!(served.span_kind, SpanKind::Server);
    let attributes_of = attributes(served);
    let text = |key: &str| attributes_of.get(key).map(|v| v.as_str().into_owned());
    assert_eq!(text("faas.trigger").as_deref(), Some("other"));
    assert_eq!(text("faas.invocation_id").as_deref(), Some("req-0"));
    assert_eq!(text("cloud.resource_id").as_deref(), Some(INVOKED_ARN));
    assert_eq!(text("aws.lambda.invoked_arn").as_deref(), Some(INVOKED_ARN));
    assert_eq!(
        attributes_of.get("faas.max_memory"),
        Some(&Value::I64(128 * 1024 * 1024))
    );
    assert_eq!(
        attributes_of.get("faas.coldstart"),
        Some(&Value::Bool(true))
    );

    // A second invocation of the same runtime: warm, flushed once more.
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let seen = client.whole().instrument(caller.clone()).await.unwrap();
    drop(caller);
    assert_eq!(seen.budget_ms, None, "no timeout, outside an invocation");
    flushed(2).await;
    let spans = setup::trace(&recorded, trace_id);
    assert_eq!(
        attributes(one(&spans, "served")).get("faas.coldstart"),
        Some(&Value::Bool(false))
    );
    // The function's metrics: two invocations, one cold start.
    let whole = [("lambda_remote.method", "whole")];
    assert_eq!(setup::total(&recorded, "faas.invoke_duration", &whole), 2);
    assert_eq!(setup::total(&recorded, "faas.coldstarts", &whole), 1);

    // Streamed: `InvokeWithResponseStream` takes a client context too, so the trace and the
    // budget reach the function.
    let (_rows, client) = serve(server.rows()).await;
    let caller = tracing::info_span!("caller");
    let trace_id = caller.context().span().span_context().trace_id();
    let timeout = CallOptions::new().timeout(Duration::from_secs(20));
    let mut rows = client
        .rows_with(&timeout)
        .instrument(caller.clone())
        .await
        .unwrap()
        .output;
    let row = rows.next().await.unwrap().unwrap();
    assert!(rows.next().await.is_none());
    drop(rows);
    drop(caller);
    let budget = row
        .budget_ms
        .expect("the caller's budget arrived, streamed");
    assert!(budget > 0 && budget <= 20_000, "{budget} ms");
    flushed(3).await;
    let spans = setup::trace(&recorded, trace_id);
    let caller = one(&spans, "caller");
    let invoke = one(&spans, "Lambda.InvokeWithResponseStream");
    let served = one(&spans, "served");
    assert_eq!(invoke.parent_span_id, id(caller));
    assert_eq!(served.parent_span_id, id(invoke));
    assert_eq!(
        attributes(invoke)
            .get("rpc.method")
            .map(|v| v.as_str().into_owned())
            .as_deref(),
        Some("InvokeWithResponseStream")
    );
}
