//! The generated client against the local endpoint: every behaviour of the endpoint seen
//! through the typed API, the cargo-lambda flavour, and a load of 10,000 invocations.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lambda_remote::ErrorObject;
use lambda_remote::aws_sdk_lambda::config::retry::RetryConfig;
use lambda_remote::local::{Flavor, Function, Handler, LocalLambda, ServiceError};
use lambda_remote::{
    CallOptions, FunctionError, InvokeError,
    client::{InvocationType, Limits},
    error::{ServiceErrorKind, ThrottleReason},
    lambda_remote,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Debug, PartialEq, FunctionError, thiserror::Error)]
pub enum OrderError {
    #[error("out of stock")]
    OutOfStock(String),
    #[error("limit {limit}")]
    OverLimit { limit: u64 },
}

#[lambda_remote]
pub trait Orders {
    #[lambda(function = "orders")]
    async fn place(&self, order: Order) -> Result<String, InvokeError<OrderError>>;

    #[lambda(function = "orders", qualifier = "live")]
    async fn place_live(&self, order: Order) -> Result<String, InvokeError<OrderError>>;

    #[lambda(function = "arn:aws:lambda:us-east-1:123456789012:function:orders:1")]
    async fn place_v1(&self, order: Order) -> Result<String, InvokeError<OrderError>>;

    #[lambda(function = "audit", invocation = "event")]
    async fn audit(&self, line: String) -> Result<(), InvokeError>;

    #[lambda(function = "audit", invocation = "dry_run")]
    async fn check_audit(&self) -> Result<(), InvokeError>;

    #[lambda(function = "slow")]
    async fn slow(&self) -> Result<(), InvokeError>;

    #[lambda(function = "missing")]
    async fn missing(&self) -> Result<(), InvokeError>;

    #[lambda(function = "echo")]
    async fn echo(&self, n: u64, tag: String) -> Result<(u64, String), InvokeError>;
}

fn place(
    invocation: &lambda_remote::local::Invocation,
    version: &str,
) -> Result<bytes::Bytes, ErrorObject> {
    let order: Order = invocation.json()?;
    invocation.log(format!("placing {} x {}", order.qty, order.sku));
    if order.sku == "GONE" {
        return Err(ErrorObject::new("OutOfStock", "GONE is gone"));
    }
    if order.qty > 10 {
        return Err(ErrorObject::new("OverLimit", "too many").with_field("limit", 10));
    }
    Ok(serde_json::to_vec(&format!("{version}:{}", order.sku))
        .unwrap()
        .into())
}

async fn endpoint(flavor: Flavor) -> (LocalLambda, OrdersClient) {
    let audits = Arc::new(AtomicUsize::new(0));
    let lambda = LocalLambda::builder()
        .flavor(flavor)
        .function(
            Function::new(
                "orders",
                Handler::new(|i| async move { place(&i, "latest") }),
            )
            .version("1", Handler::new(|i| async move { place(&i, "v1") }))
            .alias("live", "1"),
        )
        .handler("audit", move |i| {
            let audits = audits.clone();
            async move {
                let line: String = i.json()?;
                if line == "fail" {
                    return Err(ErrorObject::new("AuditFailed", "cannot write"));
                }
                audits.fetch_add(1, Ordering::SeqCst);
                Ok(bytes::Bytes::from_static(b"null"))
            }
        })
        .function(
            Function::new(
                "slow",
                Handler::new(|_| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Ok(bytes::Bytes::from_static(b"null"))
                }),
            )
            .timeout(Duration::from_millis(200)),
        )
        .json_function("echo", |input: serde_json::Value| async move {
            Ok::<_, ErrorObject>((input["n"].clone(), input["tag"].clone()))
        })
        .start()
        .await
        .expect("the endpoint starts");
    let client = OrdersClient::builder(lambda.sdk_client())
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    (lambda, client)
}

fn order(sku: &str, qty: u32) -> Order {
    Order {
        sku: sku.into(),
        qty,
    }
}

#[tokio::test]
async fn versions_aliases_and_arns_resolve_and_report_the_executed_version() {
    let (lambda, client) = endpoint(Flavor::Aws).await;
    assert_eq!(client.place(order("A", 1)).await.unwrap(), "latest:A");
    assert_eq!(client.place_live(order("A", 1)).await.unwrap(), "v1:A");
    assert_eq!(client.place_v1(order("A", 1)).await.unwrap(), "v1:A");
    let invoked = client
        .place_with(&CallOptions::new().qualifier("1"), order("B", 2))
        .await
        .unwrap();
    assert_eq!(invoked.output, "v1:B");
    assert_eq!(invoked.metadata.executed_version(), Some("1"));
    assert!(invoked.metadata.request_id().is_some());
    let recorded = lambda.invocations("orders");
    let versions: Vec<_> = recorded
        .iter()
        .map(|r| r.executed_version.as_str())
        .collect();
    assert_eq!(versions, ["$LATEST", "1", "1", "1"]);
    assert_eq!(recorded[1].qualifier.as_deref(), Some("live"));
    assert_eq!(recorded[3].payload.as_ref(), br#"{"sku":"B","qty":2}"#);
}

#[tokio::test]
async fn handler_errors_come_back_typed_with_fields() {
    let (_lambda, client) = endpoint(Flavor::Aws).await;
    let error = client.place(order("GONE", 1)).await.unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&OrderError::OutOfStock("GONE is gone".into()))
    );
    assert_eq!(error.failure().unwrap().error_header(), Some("Unhandled"));
    let error = client.place(order("A", 99)).await.unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&OrderError::OverLimit { limit: 10 })
    );
}

#[tokio::test]
async fn the_log_tail_and_client_context_cross_the_wire() {
    let (lambda, client) = endpoint(Flavor::Aws).await;
    let options = CallOptions::new()
        .log_tail()
        .client_context(&serde_json::json!({"custom": {"tenant": "acme"}}));
    let invoked = client.place_with(&options, order("A", 3)).await.unwrap();
    let tail = invoked
        .metadata
        .log_tail()
        .expect("a log tail")
        .text()
        .into_owned();
    assert!(tail.contains("placing 3 x A"), "{tail}");
    assert!(tail.contains("START RequestId:"), "{tail}");
    let recorded = lambda.invocations("orders");
    assert_eq!(
        recorded[0].client_context,
        Some(serde_json::json!({"custom": {"tenant": "acme"}}))
    );
}

#[tokio::test]
async fn a_qualifier_conflict_and_an_unknown_function_are_service_errors() {
    let (_lambda, client) = endpoint(Flavor::Aws).await;
    let error = client.missing().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(
        error.service_error().unwrap().code(),
        Some("ResourceNotFoundException")
    );
    let error = client
        .place_with(&CallOptions::new().qualifier("nope"), order("A", 1))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "unknown alias: {error:?}");
}

#[tokio::test]
async fn payloads_over_the_limit_are_refused_by_the_endpoint_as_aws_does() {
    let (lambda, _) = endpoint(Flavor::Aws).await;
    let client = OrdersClient::builder(lambda.sdk_client())
        .limits(
            Limits::default()
                .with_sync_payload(usize::MAX)
                .with_async_payload(usize::MAX),
        )
        .build()
        .unwrap();
    let error = client
        .echo(1, "x".repeat(6 * 1024 * 1024 + 1))
        .await
        .unwrap_err();
    let service = error.service_error().expect("a service error");
    assert_eq!(service.kind(), &ServiceErrorKind::RequestTooLarge);
    assert_eq!(service.code(), Some("RequestEntityTooLargeException"));
    let error = client.audit("y".repeat(1024 * 1024 + 1)).await.unwrap_err();
    assert_eq!(
        error.service_error().unwrap().kind(),
        &ServiceErrorKind::RequestTooLarge
    );
}

#[tokio::test]
async fn a_function_timeout_is_an_unmapped_sandbox_error() {
    let (_lambda, client) = endpoint(Flavor::Aws).await;
    let error = client.slow().await.unwrap_err();
    let failure = error.failure().expect("a function error");
    assert_eq!(failure.error_type(), Some("Sandbox.Timedout"));
    assert!(
        failure
            .error_message()
            .unwrap()
            .contains("Task timed out after 0.20 seconds")
    );
}

#[tokio::test]
async fn throttling_and_injected_faults_are_typed() {
    let (lambda, client) = endpoint(Flavor::Aws).await;
    for _ in 0..3 {
        lambda.fail_next_with(
            "orders",
            ServiceError::too_many_requests("ReservedFunctionConcurrentInvocationLimitExceeded"),
        );
    }
    let error = client.place(order("A", 1)).await.unwrap_err();
    assert!(error.is_throttled());
    assert!(matches!(
        error.service_error().unwrap().kind(),
        ServiceErrorKind::Throttled {
            reason: Some(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded),
            ..
        }
    ));
    lambda.fail_next_with(
        "orders",
        ServiceError::new(502, "KMSAccessDeniedException", "no key"),
    );
    let error = client.place(order("A", 1)).await.unwrap_err();
    assert_eq!(
        error.service_error().unwrap().kind(),
        &ServiceErrorKind::FunctionConfiguration
    );
    assert_eq!(client.place(order("A", 1)).await.unwrap(), "latest:A");
    assert_eq!(
        lambda.invocations("orders").len(),
        1,
        "only the last call ran"
    );
}

#[tokio::test]
async fn events_are_retried_twice_then_dead_lettered_and_dry_runs_run_nothing() {
    let (lambda, client) = endpoint(Flavor::Aws).await;
    client.audit("ok".into()).await.unwrap();
    client.audit("fail".into()).await.unwrap();
    client.check_audit().await.unwrap();
    lambda.drain_events().await;
    let runs = lambda.invocations("audit");
    assert_eq!(runs.len(), 4, "one success, three attempts of the failure");
    assert!(
        runs.iter()
            .all(|r| r.invocation_type == InvocationType::Event)
    );
    let dead = lambda.dead_letters();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 3);
    assert_eq!(dead[0].payload.as_ref(), br#""fail""#);
}

#[tokio::test]
async fn against_cargo_lambda_a_function_error_is_typed_and_runs_once() {
    let (lambda, client) = endpoint(Flavor::CargoLambda).await;
    let error = client.place(order("GONE", 1)).await.unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&OrderError::OutOfStock("GONE is gone".into()))
    );
    assert_eq!(error.failure().unwrap().error_header(), None);
    assert_eq!(lambda.invocations("orders").len(), 1, "not retried");
    let error = client.missing().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(client.place(order("A", 1)).await.unwrap(), "latest:A");
}

#[tokio::test]
async fn event_and_dry_run_methods_succeed_whatever_an_emulator_answers() {
    // cargo lambda watch runs an Event synchronously and answers 200 with the result.
    let (lambda, client) = endpoint(Flavor::CargoLambda).await;
    client.audit("ok".into()).await.unwrap();
    assert_eq!(lambda.invocations("audit").len(), 1);
    // moto's server answers 202 (Event) and 204 (DryRun), echoing the payload, and 500 with
    // an HTML page to a payload that is not an object.
    let (lambda, client) = endpoint(Flavor::Moto).await;
    let invoked = client.check_audit_with(&CallOptions::new()).await.unwrap();
    assert_eq!(invoked.metadata.status(), 204);
    let error = client
        .audit("a string is not an object".into())
        .await
        .unwrap_err();
    let service = error.service_error().expect("moto's 500");
    assert_eq!((service.status(), service.code()), (500, None));
    // A synchronous call gets its own payload back, kept whole where it does not decode;
    // moto does not look functions up, so an unknown one answers the same way.
    let error = client.place(order("A", 1)).await.unwrap_err();
    let InvokeError::Deserialize(e) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(e.payload().as_ref(), br#"{"sku":"A","qty":1}"#);
    assert!(client.missing().await.is_err());
    assert_eq!(lambda.invocations("audit").len(), 0, "moto runs nothing");
}

/// 10,000 invocations, 256 in flight, through one client: each gets its own answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_invocations_with_256_in_flight_each_get_their_own_answer() {
    let (lambda, client) = endpoint(Flavor::Aws).await;
    let semaphore = Arc::new(tokio::sync::Semaphore::new(256));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..10_000u64 {
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let client = client.clone();
        tasks.spawn(async move {
            let tag = format!("t{n}");
            let answer = client.echo(n, tag.clone()).await;
            drop(permit);
            (n, tag, answer)
        });
    }
    let mut seen = 0;
    while let Some(joined) = tasks.join_next().await {
        let (n, tag, answer) = joined.unwrap();
        assert_eq!(answer.unwrap(), (n, tag));
        seen += 1;
    }
    assert_eq!(seen, 10_000);
    assert_eq!(lambda.invocations("echo").len(), 10_000);
}
