//! Durable executions through the real SDK over loopback: the name sent, validated before
//! sending, derived from an argument, the execution's ARN read back, the local endpoint's
//! idempotency (same name and payload: the function runs once), the typed conflict, a
//! named call sent again after a lost response without running the function twice, and a
//! durable function invoked only by a qualified name (version, alias or `$LATEST`).

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use lambda_remote::ErrorObject;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{
    CallOptions, Delivery, InvokeError,
    error::{Redelivery, Rejected, ServiceErrorKind},
    lambda_remote,
};
use serde::{Deserialize, Serialize};
use support::proxy::LossyProxy;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: u64,
    pub qty: u32,
}

#[lambda_remote]
pub trait Orders {
    /// Any call may name its execution with `CallOptions::durable_execution_name`. A durable
    /// function is invoked by a qualified name: here its alias `live` (version 1).
    #[lambda(function = "orders-place:live")]
    async fn place(&self, order: Order) -> Result<String, InvokeError>;

    /// The name derives from the arguments.
    #[lambda(
        function = "orders-place",
        qualifier = "live",
        durable_execution_name = "order-{order_id}-{region}"
    )]
    async fn place_once(&self, order_id: u64, region: String) -> Result<String, InvokeError>;

    #[lambda(function = "orders-ship:live", invocation = "event")]
    async fn ship(&self, order: Order) -> Result<(), InvokeError>;

    #[lambda(function = "orders-plain")]
    async fn plain(&self, order: Order) -> Result<String, InvokeError>;
}

/// A durable function whose `$LATEST` and version 1 run `handler`, with the alias `live` on 1.
fn durable(name: &str, handler: Handler) -> Function {
    Function::new(name, handler.clone())
        .version("1", handler)
        .alias("live", "1")
        .durable()
}

/// A durable `orders-place` counting its runs, a durable `orders-ship` and a plain
/// `orders-plain`.
async fn endpoint() -> (LocalLambda, Arc<AtomicUsize>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let place = Handler::new(move |invocation| {
        let run = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let name = invocation
            .durable_execution_name()
            .unwrap_or("none")
            .to_owned();
        async move {
            Ok(Bytes::from(
                serde_json::to_vec(&format!("{name}#{run}")).unwrap(),
            ))
        }
    });
    let echo = Handler::new(|_| async { Ok::<_, ErrorObject>(Bytes::from_static(b"\"ok\"")) });
    let lambda = LocalLambda::builder()
        .function(durable("orders-place", place))
        .function(durable("orders-ship", echo.clone()))
        .function(Function::new("orders-plain", echo))
        .start()
        .await
        .unwrap();
    (lambda, runs)
}

fn order(qty: u32) -> Order {
    Order { order_id: 42, qty }
}

#[tokio::test]
async fn the_same_name_and_payload_finds_the_existing_execution_and_its_arn() {
    let (lambda, runs) = endpoint().await;
    let client = OrdersClient::new(lambda.sdk_client());
    let options = CallOptions::new().durable_execution_name("order-42");

    let first = client.place_with(&options, order(1)).await.unwrap();
    let second = client.place_with(&options, order(1)).await.unwrap();

    assert_eq!(first.output, "order-42#1");
    assert_eq!(second.output, "order-42#1");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let arn = first
        .metadata
        .durable_execution_arn()
        .expect("an execution ARN");
    assert!(
        arn.starts_with("arn:aws:lambda:us-east-1:")
            && arn.contains(":function:orders-place:1/durable-execution/order-42/"),
        "{arn}"
    );
    assert_eq!(second.metadata.durable_execution_arn(), Some(arn));
    let recorded = lambda.invocations("orders-place");
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].durable_execution_name.as_deref(),
        Some("order-42")
    );
}

#[tokio::test]
async fn the_same_name_with_another_payload_is_a_typed_conflict_never_retried() {
    for delivery in [Delivery::AtMostOnce, Delivery::AtLeastOnce] {
        conflict_in(delivery).await;
    }
}

/// The conflict under one delivery mode: 1 request, 0 runs for the second call.
async fn conflict_in(delivery: Delivery) {
    let (lambda, runs) = endpoint().await;
    let (sdk, attempts) = support::counting_sdk_client(&lambda.endpoint_url());
    let client = OrdersClient::builder(sdk)
        .delivery(delivery)
        .build()
        .unwrap();
    let options = CallOptions::new().durable_execution_name("order-42");
    client.place_with(&options, order(1)).await.unwrap();
    assert_eq!((attempts.get(), runs.load(Ordering::SeqCst)), (1, 1));

    let error = client.place_with(&options, order(2)).await.unwrap_err();
    assert_eq!(
        (attempts.get(), runs.load(Ordering::SeqCst)),
        (2, 1),
        "{delivery:?}: the conflict is sent once and runs nothing"
    );

    let service = error.service_error().expect("a service error");
    assert_eq!(
        service.kind(),
        &ServiceErrorKind::DurableExecutionAlreadyStarted
    );
    assert_eq!(
        service.code(),
        Some("DurableExecutionAlreadyStartedException")
    );
    assert_eq!(service.status(), 409);
    assert_eq!(error.redelivery(), Redelivery::Never);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    // Through the SDK's own error type too: the SDK matched the code.
    let sdk = lambda
        .sdk_client()
        .invoke()
        .function_name("orders-place:live")
        .durable_execution_name("order-42")
        .payload(lambda_remote::aws_sdk_lambda::primitives::Blob::new(
            b"{\"other\":1}".to_vec(),
        ))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            sdk.as_service_error(),
            Some(lambda_remote::aws_sdk_lambda::operation::invoke::InvokeError::DurableExecutionAlreadyStartedException(_))
        ),
        "{sdk:?}"
    );
}

#[tokio::test]
async fn a_method_derives_the_name_from_its_arguments() {
    let (lambda, runs) = endpoint().await;
    let client = OrdersClient::new(lambda.sdk_client());

    let first = client.place_once(7, "eu".into()).await.unwrap();
    let again = client.place_once(7, "eu".into()).await.unwrap();
    let other = client.place_once(8, "eu".into()).await.unwrap();

    assert_eq!(first, "order-7-eu#1");
    assert_eq!(again, "order-7-eu#1");
    assert_eq!(other, "order-8-eu#2");
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    // The call option wins over the method's name.
    let options = CallOptions::new().durable_execution_name("chosen");
    let chosen = client
        .place_once_with(&options, 7, "eu".into())
        .await
        .unwrap();
    assert_eq!(chosen.output, "chosen#3");
}

#[tokio::test]
async fn an_invalid_name_is_rejected_and_nothing_is_sent() {
    let server = support::Scripted::start(|_| support::Reply::ok("\"ok\"")).await;
    let client = OrdersClient::new(server.sdk());
    for bad in ["", "order 42", "order/42", "ä", &"a".repeat(65)] {
        let options = CallOptions::new().durable_execution_name(bad);
        let error = client.place_with(&options, order(1)).await.unwrap_err();
        assert!(
            matches!(&error, InvokeError::Rejected(r) if matches!(**r, Rejected::DurableExecutionName { .. })),
            "{bad:?}: {error:?}"
        );
    }
    // A name derived from an argument is checked the same way.
    let error = client.place_once(1, "eu west".into()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "request refused before sending: invalid durable execution name \"order-1-eu west\": a durable execution name holds only [a-zA-Z0-9-_]; ' ' at character 10 is not allowed"
    );
    assert_eq!(server.requests(), 0);
    // A valid one is sent as X-Amz-Durable-Execution-Name.
    let options = CallOptions::new().durable_execution_name(&*"a".repeat(64));
    client.place_with(&options, order(1)).await.unwrap();
    assert_eq!(
        server.last().header("x-amz-durable-execution-name"),
        Some("a".repeat(64).as_str())
    );
}

#[tokio::test]
async fn a_named_call_is_sent_again_after_a_lost_response_and_runs_once() {
    let (lambda, runs) = endpoint().await;
    let proxy = LossyProxy::start(lambda.addr()).await;
    // The client is at most once: only the durable name makes the call idempotent.
    let client = OrdersClient::new(support::sdk_client(&proxy.url));

    proxy.lose_next(1);
    let placed = client.place_once(9, "us".into()).await.unwrap();

    assert_eq!(placed, "order-9-us#1");
    assert_eq!(proxy.requests(), 2, "sent again after the reset");
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "the second request found the execution"
    );
    assert_eq!(lambda.invocations("orders-place").len(), 1);

    // Without a name, the same lost response is not sent again (at most once).
    proxy.lose_next(1);
    let error = client.place(order(3)).await.unwrap_err();
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
    assert_eq!(proxy.requests(), 3);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_event_of_a_known_name_is_not_queued_again() {
    let (lambda, _) = endpoint().await;
    let client = OrdersClient::new(lambda.sdk_client());
    let options = CallOptions::new().durable_execution_name("ship-42");
    let first = client.ship_with(&options, order(1)).await.unwrap();
    let second = client.ship_with(&options, order(1)).await.unwrap();
    lambda.drain_events().await;
    assert_eq!(first.metadata.status(), 202);
    assert!(first.metadata.durable_execution_arn().is_some());
    assert_eq!(
        first.metadata.durable_execution_arn(),
        second.metadata.durable_execution_arn()
    );
    assert_eq!(lambda.invocations("orders-ship").len(), 1);
    let conflict = client.ship_with(&options, order(2)).await.unwrap_err();
    assert_eq!(
        conflict.service_error().map(|e| e.kind()),
        Some(&ServiceErrorKind::DurableExecutionAlreadyStarted)
    );
}

#[tokio::test]
async fn a_durable_function_names_an_unnamed_execution_and_a_plain_one_refuses_a_name() {
    let (lambda, runs) = endpoint().await;
    let client = OrdersClient::new(lambda.sdk_client());
    let unnamed = client
        .place_with(&CallOptions::new(), order(1))
        .await
        .unwrap();
    let request_id = unnamed.metadata.request_id().unwrap().to_owned();
    assert_eq!(unnamed.output, format!("{request_id}#1"));
    assert!(
        unnamed
            .metadata
            .durable_execution_arn()
            .unwrap()
            .ends_with(&format!("/durable-execution/{request_id}/{request_id}"))
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    let plain = client
        .plain_with(&CallOptions::new(), order(1))
        .await
        .unwrap();
    assert_eq!(plain.metadata.durable_execution_arn(), None);
    let options = CallOptions::new().durable_execution_name("x");
    let error = client.plain_with(&options, order(1)).await.unwrap_err();
    assert_eq!(
        error.service_error().map(|e| e.kind()),
        Some(&ServiceErrorKind::InvalidParameterValue)
    );
    assert_eq!(lambda.invocations("orders-plain").len(), 1);
}

#[tokio::test]
async fn a_durable_function_is_invoked_by_a_qualified_name_only() {
    use lambda_remote::aws_sdk_lambda::types::InvocationType;
    let (lambda, runs) = endpoint().await;
    let sdk = lambda.sdk_client();
    let invoke = |function: &str, qualifier: Option<&str>, invocation: InvocationType| {
        sdk.invoke()
            .function_name(function)
            .set_qualifier(qualifier.map(str::to_owned))
            .invocation_type(invocation)
            .payload(lambda_remote::aws_sdk_lambda::primitives::Blob::new(
                b"{\"order_id\":1,\"qty\":1}".to_vec(),
            ))
            .send()
    };
    // Unqualified, by name or ARN, in every invocation type: refused, nothing runs.
    for function in [
        "orders-place",
        "arn:aws:lambda:us-east-1:123456789012:function:orders-place",
    ] {
        for invocation in [
            InvocationType::RequestResponse,
            InvocationType::Event,
            InvocationType::DryRun,
        ] {
            let error = invoke(function, None, invocation.clone())
                .await
                .expect_err("refused");
            let service = error.as_service_error().expect("a service error");
            use lambda_remote::aws_sdk_lambda::error::ProvideErrorMetadata as _;
            assert_eq!(
                service.code(),
                Some("InvalidParameterValueException"),
                "{function} {invocation:?}"
            );
            assert_eq!(
                service.message(),
                Some("You cannot invoke a durable function using an unqualified ARN.")
            );
        }
    }
    // The generated client gets the same typed error.
    #[lambda_remote]
    pub trait Unqualified {
        #[lambda(function = "orders-place")]
        async fn place(&self, order: Order) -> Result<String, InvokeError>;
    }
    let error = UnqualifiedClient::new(lambda.sdk_client())
        .place(order(1))
        .await
        .unwrap_err();
    let service = error.service_error().expect("a service error");
    assert_eq!(service.kind(), &ServiceErrorKind::InvalidParameterValue);
    assert_eq!(service.status(), 400);
    lambda.drain_events().await;
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    assert!(lambda.all_invocations().is_empty());

    // Qualified: a version, an alias, `$LATEST` named outright, in the name or as `Qualifier`.
    let cases = [
        ("orders-place:1", None, "1"),
        ("orders-place", Some("live"), "1"),
        ("orders-place:$LATEST", None, "$LATEST"),
        ("orders-place", Some("$LATEST"), "$LATEST"),
    ];
    for (function, qualifier, version) in cases {
        let output = invoke(function, qualifier, InvocationType::RequestResponse)
            .await
            .unwrap();
        assert_eq!(output.executed_version(), Some(version));
        let arn = output.durable_execution_arn().expect("an execution ARN");
        assert!(
            arn.contains(&format!(
                ":function:orders-place:{version}/durable-execution/"
            )),
            "{arn}"
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 4);
    assert_eq!(lambda.invocations("orders-place").len(), 4);
    // A plain function takes an unqualified call.
    let plain = OrdersClient::new(lambda.sdk_client());
    assert_eq!(plain.plain(order(1)).await.unwrap(), "ok");
}
