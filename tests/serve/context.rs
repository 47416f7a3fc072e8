//! A served method reads its invocation's context, on the local endpoint and on the real
//! `lambda_runtime` (behind the mini Lambda, one binary dispatching on the function name), and
//! the caller's trace context travels in the client context's `custom` map into the function
//! and on into the calls it makes.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets, and the spans are collected by a global subscriber.

#[path = "../support/mod.rs"]
mod support;

use std::sync::Arc;

use lambda_remote::local::LocalLambda;
use lambda_remote::server::{Dispatch, DispatchError};
use lambda_remote::{
    CallOptions, InvocationContext, InvokeError, TraceContext, client::ClientBuilder, lambda_remote,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use support::runtime_api::{INVOKED_ARN, MiniLambda, XRAY_TRACE_ID};
use support::spans::{Collect, Spans, spans_named};
use tracing_subscriber::layer::SubscriberExt;

const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// What the served method saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    request_id: String,
    arn: String,
    has_deadline: bool,
    tenant: Option<String>,
    traceparent: Option<String>,
}

#[lambda_remote(server)]
pub trait Traced {
    #[lambda(function = "traced-inspect")]
    async fn inspect(&self) -> Result<Seen, InvokeError>;

    #[lambda(function = "traced-other")]
    async fn other(&self) -> Result<(), InvokeError>;
}

#[lambda_remote]
pub trait Downstream {
    #[lambda(function = "downstream")]
    async fn ping(&self) -> Result<(), InvokeError>;
}

struct Impl {
    downstream: DownstreamClient,
}

impl Traced for Impl {
    async fn inspect(&self) -> Result<Seen, InvokeError> {
        let context = InvocationContext::current().expect("served with a context");
        self.downstream.ping().await?;
        Ok(Seen {
            request_id: context.request_id().to_owned(),
            arn: context.invoked_function_arn().to_owned(),
            has_deadline: context.deadline().is_some(),
            tenant: context
                .client_context()
                .and_then(|c| c["custom"]["tenant"].as_str())
                .map(str::to_owned),
            traceparent: context.trace().traceparent().map(str::to_owned),
        })
    }

    async fn other(&self) -> Result<(), InvokeError> {
        Ok(())
    }
}

/// The client context the downstream function received last, without the time the served
/// method's invocation had left (`lambda-remote-remaining-ms`, checked to be there: every
/// onward call of a served method with a deadline carries it).
fn downstream_context(downstream: &LocalLambda) -> Value {
    let runs = downstream.invocations("downstream");
    let mut context = runs
        .last()
        .unwrap()
        .client_context
        .clone()
        .unwrap_or(Value::Null);
    let custom = context["custom"].as_object_mut().expect("a custom map");
    let left = custom
        .remove("lambda-remote-remaining-ms")
        .expect("the time left travels on");
    // Milliseconds (the mini Lambda's deadline is far in the future: any number).
    let _: u64 = left.as_str().unwrap().parse().unwrap();
    if custom.is_empty() {
        context.as_object_mut().unwrap().remove("custom");
    }
    if context.as_object().unwrap().is_empty() {
        Value::Null
    } else {
        context
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_methods_read_their_context_and_continue_the_callers_trace() {
    let spans: Spans = Arc::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(Collect(spans.clone())),
    )
    .unwrap();
    let downstream = LocalLambda::builder()
        .handler("downstream", |_| async {
            Ok(bytes::Bytes::from_static(b"null"))
        })
        .start()
        .await
        .unwrap();
    let server = TracedServer::new(Impl {
        downstream: DownstreamClient::new(downstream.sdk_client()),
    });
    let trace = TraceContext::new().with_traceparent(PARENT).unwrap();
    let tenant = CallOptions::new().client_context(&json!({"custom": {"tenant": "acme"}}));

    // The local endpoint.
    let local = LocalLambda::builder()
        .serve_all(server.handlers())
        .start()
        .await
        .unwrap();
    let client = TracedClient::new(local.sdk_client());
    let seen = trace
        .clone()
        .scope(client.inspect_with(&tenant))
        .await
        .unwrap()
        .output;
    let run = &local.invocations("traced-inspect")[0];
    assert_eq!(
        seen,
        Seen {
            request_id: run.request_id.clone(),
            arn: "arn:aws:lambda:us-east-1:123456789012:function:traced-inspect".into(),
            has_deadline: true,
            tenant: Some("acme".into()),
            traceparent: Some(PARENT.into()),
        }
    );
    // The caller's own client context and the trace, merged.
    assert_eq!(
        run.client_context,
        Some(json!({"custom": {"tenant": "acme", "traceparent": PARENT}}))
    );
    // The served method's own call carries the trace on.
    assert_eq!(
        downstream_context(&downstream),
        json!({"custom": {"traceparent": PARENT}})
    );
    // The SDK's own operation span has the same name (at `debug`, without the FaaS fields).
    let invoke = spans_named(&spans, "Lambda.Invoke");
    let first = invoke
        .iter()
        .find(|f| f["faas.invoked_name"] == "traced-inspect")
        .unwrap();
    assert_eq!(first["lambda_remote.trace_sent"], "true");
    assert_eq!(first["faas.invoked_region"], "us-east-1");
    assert_eq!(first["lambda_remote.outcome"], "ok");
    let serve = spans_named(&spans, "lambda.serve");
    assert_eq!(serve.len(), 1);
    assert_eq!(serve[0]["otel.kind"], "server");
    assert_eq!(serve[0]["otel.name"], "traced-inspect");
    assert_eq!(serve[0]["faas.invocation_id"], run.request_id);
    assert_eq!(serve[0]["lambda_remote.method"], "inspect");
    assert_eq!(serve[0]["lambda_remote.caller.traceparent"], PARENT);
    assert_eq!(serve[0]["lambda_remote.outcome"], "ok");

    // Opted out: only the caller's own client context goes, and nothing reaches downstream.
    let quiet: TracedClient = ClientBuilder::new(local.sdk_client())
        .propagate_trace(false)
        .build()
        .unwrap();
    let seen = trace
        .clone()
        .scope(quiet.inspect_with(&tenant))
        .await
        .unwrap()
        .output;
    assert_eq!(seen.traceparent, None);
    assert_eq!(
        local.invocations("traced-inspect")[1].client_context,
        Some(json!({"custom": {"tenant": "acme"}}))
    );
    assert_eq!(downstream_context(&downstream), Value::Null);

    // A client context that would pass the limit with the trace goes without it.
    // 3,512 bytes of base64 alone, over 3,583 with the trace.
    let filler = "x".repeat(2_600);
    let big =
        CallOptions::new().client_context(&json!({"custom": {"tenant": "acme", "f": filler}}));
    let seen = trace
        .clone()
        .scope(client.inspect_with(&big))
        .await
        .unwrap()
        .output;
    assert_eq!(seen.traceparent, None);
    assert_eq!(seen.tenant.as_deref(), Some("acme"));
    let spans_now = spans_named(&spans, "Lambda.Invoke");
    let last = spans_now
        .iter()
        .rev()
        .find(|f| f.get("faas.invoked_name").map(String::as_str) == Some("traced-inspect"))
        .unwrap();
    assert_eq!(last["lambda_remote.trace_sent"], "false");

    // lambda_runtime: a function name that no method serves stops the binary at once.
    let mini = MiniLambda::start().await;
    // SAFETY of the environment: this binary holds a single test.
    for (key, value) in [
        ("AWS_LAMBDA_RUNTIME_API", mini.runtime_api.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", "prod-nothing".to_owned()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
    ] {
        // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes the
        // environment while this sets it.
        unsafe { std::env::set_var(key, value) };
    }
    let error = Dispatch::new(server.handlers())
        .function_prefix("prod-")
        .run()
        .await
        .unwrap_err();
    let error = error.downcast::<DispatchError>().unwrap();
    assert_eq!(
        error.to_string(),
        "no method serves the Lambda function `prod-nothing`: this binary serves \
         prod-traced-inspect → inspect, prod-traced-other → other"
    );

    // One binary, the method chosen by the function's name (a stage prefix).
    // SAFETY: this test is a binary of its own (Cargo.toml), and it sets the variables before
    // anything else of its reads or writes the environment.
    unsafe { std::env::set_var("AWS_LAMBDA_FUNCTION_NAME", "prod-traced-inspect") };
    tokio::spawn(
        Dispatch::new(server.handlers())
            .function_prefix("prod-")
            .run(),
    );
    let client = TracedClient::new(support::sdk_client(&mini.invoke_url));
    let seen = trace
        .clone()
        .scope(client.inspect_with(&tenant))
        .await
        .unwrap()
        .output;
    assert_eq!(
        seen,
        Seen {
            request_id: "req-0".into(),
            arn: INVOKED_ARN.into(),
            has_deadline: true,
            tenant: Some("acme".into()),
            traceparent: Some(PARENT.into()),
        }
    );
    // On Lambda the onward call carries the caller's W3C context and this invocation's X-Ray
    // header.
    assert_eq!(
        downstream_context(&downstream),
        json!({"custom": {"traceparent": PARENT, "X-Amzn-Trace-Id": XRAY_TRACE_ID}})
    );
    let serve = spans_named(&spans, "lambda.serve");
    assert_eq!(serve.len(), 4);
    assert_eq!(serve[3]["cloud.resource_id"], INVOKED_ARN);
    assert_eq!(serve[3]["otel.name"], "served");
    assert_eq!(serve[3]["lambda_remote.caller.traceparent"], PARENT);
}
