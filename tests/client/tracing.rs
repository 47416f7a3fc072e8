//! One span per invocation with the FaaS client fields, and no secrets in it.

#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use lambda_remote::{CallOptions, InvokeError, lambda_remote};
use support::spans::{Collect, Spans};
use support::{Reply, Scripted};
use tracing_subscriber::layer::SubscriberExt;

#[lambda_remote]
pub trait Greeter {
    #[lambda(function = "greeter", qualifier = "live")]
    async fn greet(&self, name: String) -> Result<String, InvokeError>;
}

async fn traced(
    reply: Reply,
) -> (
    Result<String, InvokeError>,
    BTreeMap<String, String>,
    String,
) {
    traced_calling(reply, None).await
}

/// [`traced`], calling `function` (a name or ARN) instead of the attribute's.
async fn traced_calling(
    reply: Reply,
    function: Option<&str>,
) -> (
    Result<String, InvokeError>,
    BTreeMap<String, String>,
    String,
) {
    let spans: Spans = Arc::default();
    let subscriber = tracing_subscriber::registry().with(Collect(spans.clone()));
    let server = Scripted::start(move |_| reply.clone()).await;
    let mut builder = lambda_remote::client::ClientBuilder::<GreeterClient>::new(server.sdk());
    if let Some(function) = function {
        builder = builder.function("greet", function);
    }
    let client = builder.build().unwrap();
    let options = CallOptions::new()
        .log_tail()
        .client_context(&serde_json::json!({"secret-context": "hunter2"}));
    let dispatch = tracing::Dispatch::new(subscriber);
    let result = tracing::dispatcher::with_default(&dispatch, || {
        futures_executor_block(client.greet_with(&options, "secret-payload".into()))
    })
    .map(|invoked| invoked.output);
    let spans = spans.lock().unwrap().clone();
    let all = format!("{spans:?}");
    let fields = spans
        .into_iter()
        .find(|(name, _)| name == "Lambda.Invoke")
        .expect("a Lambda.Invoke span")
        .1;
    (result, fields, all)
}

/// Runs a future to completion on a fresh current-thread runtime inside the dispatcher scope.
fn futures_executor_block<F: std::future::Future>(future: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(future))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_call_records_the_faas_fields() {
    let log = base64::engine::general_purpose::STANDARD.encode("secret-log-line");
    let (result, fields, all) = traced(
        Reply::ok(r#""hi""#)
            .header("X-Amz-Executed-Version", "4")
            .header("x-amzn-RequestId", "req-9")
            .header("X-Amz-Log-Result", &log),
    )
    .await;
    assert_eq!(result.unwrap(), "hi");
    assert_eq!(fields["faas.invoked_name"], "greeter");
    assert_eq!(fields["faas.invoked_provider"], "aws");
    assert_eq!(fields["faas.invoked_region"], "us-east-1");
    assert_eq!(fields["lambda_remote.invocation_type"], "RequestResponse");
    assert_eq!(fields["lambda_remote.qualifier"], "live");
    assert_eq!(fields["aws.request_id"], "req-9");
    assert_eq!(fields["lambda_remote.executed_version"], "4");
    assert_eq!(fields["http.response.status_code"], "200");
    assert_eq!(fields["lambda_remote.attempts"], "1");
    assert_eq!(fields["lambda_remote.outcome"], "ok");
    for secret in ["secret-payload", "secret-log-line", "hunter2", "AKIDTEST"] {
        assert!(!all.contains(secret), "{secret} leaked into {all}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_named_by_arn_records_its_bare_name_and_the_arns_region() {
    let (result, fields, _) = traced_calling(
        Reply::ok(r#""hi""#),
        Some("arn:aws:lambda:eu-west-1:123456789012:function:greeter-eu:live"),
    )
    .await;
    assert_eq!(result.unwrap(), "hi");
    assert_eq!(fields["faas.invoked_name"], "greeter-eu");
    assert_eq!(fields["faas.invoked_region"], "eu-west-1");
    assert_eq!(fields["lambda_remote.qualifier"], "live");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_error_records_its_type() {
    let (result, fields, _) = traced(Reply::function_error(
        r#"{"errorType":"Boom","errorMessage":"x"}"#,
    ))
    .await;
    assert!(result.is_err());
    assert_eq!(fields["lambda_remote.outcome"], "function_error");
    assert_eq!(fields["error.type"], "Boom");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retried_service_errors_record_the_attempts() {
    // Throttling proves the function did not run: retried even at most once.
    let (result, fields, _) = traced(Reply::service_error(
        429,
        "TooManyRequestsException",
        "slow down",
    ))
    .await;
    assert!(result.is_err());
    assert_eq!(fields["lambda_remote.outcome"], "service_error");
    assert_eq!(fields["error.type"], "TooManyRequestsException");
    assert_eq!(fields["lambda_remote.attempts"], "3");
    assert_eq!(fields["http.response.status_code"], "429");

    // A ServiceException may follow a run: at most once, one attempt.
    let (_, fields, _) = traced(Reply::service_error(500, "ServiceException", "internal")).await;
    assert_eq!(fields["error.type"], "ServiceException");
    assert_eq!(fields["lambda_remote.attempts"], "1");
}
