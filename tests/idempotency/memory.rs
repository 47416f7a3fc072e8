//! Keyed calls on the local endpoint with the in-memory store, behind a proxy that spoils
//! answers after the run.

use std::sync::Arc;
use std::time::Duration;

use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use lambda_remote::idempotency::{Idempotency, IdempotencyError, InMemoryStore};
use lambda_remote::local::{Function, LocalLambda};
use lambda_remote::{CallOptions, Delivery, InvokeError, MethodHandler};

use crate::contract::{ChargeError, Counting, Orders as _, OrdersClient, OrdersServer, Receipt};
use crate::support;
use crate::support::proxy::{Fault, LossyProxy};

/// The served functions: each method of `implementation`, the keyed ones deduplicated with
/// `idempotency` (none: served without a store).
pub(crate) async fn serve(
    implementation: Counting,
    idempotency: Option<Idempotency>,
    tenant_isolated: bool,
) -> LocalLambda {
    let server = OrdersServer::new(implementation);
    let with = |handler: MethodHandler| match &idempotency {
        Some(config) => handler.idempotency(config.clone()),
        None => handler,
    };
    let charge = Function::serving(with(server.charge()));
    let charge = if tenant_isolated {
        charge.tenant_isolated()
    } else {
        charge
    };
    LocalLambda::builder()
        .function(charge)
        .serve(with(server.plain()))
        .serve(with(server.big()))
        .start()
        .await
        .unwrap()
}

/// A client of `url` in `delivery`, with `attempts` attempts (short backoffs) and a 1 s
/// attempt timeout.
pub(crate) fn client(url: &str, delivery: Delivery, attempts: u32) -> OrdersClient {
    OrdersClient::builder(sdk_client(url, attempts))
        .delivery(delivery)
        .timeout_config(attempt_timeout())
        .build()
        .unwrap()
}

/// The SDK client of the tests' clients: `attempts` attempts with short backoffs.
pub(crate) fn sdk_client(url: &str, attempts: u32) -> lambda_remote::aws_sdk_lambda::Client {
    let sdk = support::sdk_config(url)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(100)),
        )
        .build();
    lambda_remote::aws_sdk_lambda::Client::from_conf(sdk)
}

/// The tests' clients' 1 s attempt timeout.
pub(crate) fn attempt_timeout() -> TimeoutConfig {
    TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_secs(1))
        .build()
}

/// The "may have run" faults: the proxy forwards the request (the body runs), then spoils the
/// answer.
pub(crate) const MAY_HAVE_RUN: [Fault; 4] = [
    Fault::Close,
    Fault::Cut,
    Fault::Stall(Duration::from_secs(3)),
    Fault::Status("502 Bad Gateway"),
];

pub(crate) const BOTH: [Delivery; 2] = [Delivery::AtMostOnce, Delivery::AtLeastOnce];

#[tokio::test]
async fn each_may_have_run_fault_runs_a_keyed_body_once_and_answers_its_result() {
    for delivery in BOTH {
        for (n, fault) in MAY_HAVE_RUN.into_iter().enumerate() {
            let implementation = Counting::default();
            let store = Arc::new(InMemoryStore::new());
            let config = Idempotency::builder_from_arc(store.clone()).build();
            let lambda = serve(implementation.clone(), Some(config), false).await;
            let proxy = LossyProxy::start(lambda.addr()).await;
            let client = client(&proxy.url, delivery, 3);
            // The first two answers are spoiled, the third passes: 3 requests.
            proxy.fault_next(fault.clone(), 2);
            let order_id = 10 + n as u64;
            let receipt = client.charge(order_id, 5).await.unwrap();
            let case = format!("{delivery} {fault:?}");
            assert_eq!(
                receipt,
                Receipt {
                    order_id,
                    amount: 5,
                    run: 1,
                    tenant: None
                },
                "{case}"
            );
            assert_eq!(proxy.requests(), 3, "{case}: sent 3 times");
            assert_eq!(lambda.invocations("orders-charge").len(), 3, "{case}");
            assert_eq!(implementation.runs("charge", order_id), 1, "{case}");
            // 2 requests for the new key, 1 for each repeat.
            assert_eq!(store.requests(), 4, "{case}");

            // Without a key the same fault is sent again only at least once, and each
            // request runs the body.
            proxy.fault_next(fault.clone(), 2);
            let plain = client.plain(order_id, 5).await;
            match delivery {
                Delivery::AtMostOnce => {
                    assert!(plain.is_err(), "{case}");
                    assert_eq!(implementation.runs("plain", order_id), 1, "{case}");
                }
                _ => {
                    assert_eq!(plain.unwrap().run, 3, "{case}");
                    assert_eq!(implementation.runs("plain", order_id), 3, "{case}");
                }
            }
        }
    }
}

#[tokio::test]
async fn a_repeated_key_is_answered_from_the_store_and_a_new_one_runs() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    let first = client.charge(1, 5).await.unwrap();
    let again = client.charge(1, 5).await.unwrap();
    let other = client.charge(2, 5).await.unwrap();
    assert_eq!(first, again);
    assert_eq!((first.run, other.run), (1, 1));
    assert_eq!(implementation.runs("charge", 1), 1);
    assert_eq!(implementation.runs("charge", 2), 1);
    assert_eq!(store.requests(), 2 + 1 + 2);
    assert_eq!(lambda.invocations("orders-charge").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_callers_racing_with_one_key_run_the_body_once() {
    let implementation = Counting::delayed(Duration::from_millis(300));
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    // Enough attempts for the second caller to outlast the first one's run.
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 40);
    let (a, b) = tokio::join!(client.charge(7, 5), client.charge(7, 5));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a, b);
    assert_eq!(a.run, 1);
    assert_eq!(implementation.runs("charge", 7), 1);
}

#[tokio::test]
async fn a_call_in_progress_is_answered_in_progress_when_the_caller_cannot_wait() {
    let implementation = Counting::delayed(Duration::from_millis(500));
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let first = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 1);
    let second = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 1);
    let running = tokio::spawn(async move { first.charge(8, 5).await });
    // The first call's record is written before its body starts counting.
    while implementation.runs("charge", 8) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let error = second.charge(8, 5).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::InProgress)
    );
    assert_eq!(running.await.unwrap().unwrap().run, 1);
    assert_eq!(implementation.runs("charge", 8), 1);
}

#[tokio::test]
async fn a_key_reused_with_another_payload_is_refused_without_a_run() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtLeastOnce, 3);
    client.charge(3, 5).await.unwrap();
    let error = client.charge(3, 6).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::KeyReused)
    );
    assert_eq!(
        error.failure().unwrap().object().error_type(),
        Some("lambda_remote::IdempotencyKeyReused")
    );
    assert_eq!(implementation.runs("charge", 3), 1);
    assert_eq!(
        lambda.invocations("orders-charge").len(),
        2,
        "not sent again"
    );
}

#[tokio::test]
async fn an_expired_record_runs_the_body_again() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone())
        .completed_ttl(Duration::from_secs(1))
        .build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    assert_eq!(client.charge(4, 5).await.unwrap().run, 1);
    assert_eq!(client.charge(4, 5).await.unwrap().run, 1);
    // Expiry is kept in whole seconds, rounded up: 2 s pass it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(client.charge(4, 5).await.unwrap().run, 2);
    assert_eq!(implementation.runs("charge", 4), 2);
}

#[tokio::test]
async fn a_function_error_deletes_the_record_so_a_later_call_runs_again() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtLeastOnce, 3);
    for _ in 0..2 {
        let error = client.charge(5, 0).await.unwrap_err();
        assert_eq!(error.function_error(), Some(&ChargeError::Nothing));
    }
    assert_eq!(implementation.runs("charge", 5), 2);
    // Never sent again: one request per call.
    assert_eq!(lambda.invocations("orders-charge").len(), 2);
    // Put, delete; put, delete.
    assert_eq!(store.requests(), 4);
    assert!(store.records().is_empty());
}

#[tokio::test]
async fn a_result_too_large_to_keep_is_answered_once_then_not_kept() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new().with_max_result_size(1000));
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    assert_eq!(client.big(1, 2000).await.unwrap().len(), 2000);
    let error = client.big(1, 2000).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::ResultNotKept)
    );
    // A result within the limit is kept.
    assert_eq!(client.big(2, 900).await.unwrap().len(), 900);
    assert_eq!(client.big(2, 900).await.unwrap().len(), 900);
    assert_eq!(implementation.runs("big", 1), 1);
    assert_eq!(implementation.runs("big", 2), 1);
}

#[tokio::test]
async fn tenants_never_get_each_others_results() {
    let implementation = Counting::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(implementation.clone(), Some(config), true).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    let call = |tenant: &'static str| {
        let client = client.clone();
        async move {
            let options = CallOptions::new().tenant_id(tenant);
            client.charge_with(&options, 6, 5).await.unwrap().output
        }
    };
    let blue = call("blue").await;
    let green = call("green").await;
    let blue_again = call("blue").await;
    assert_eq!(blue.tenant.as_deref(), Some("blue"));
    assert_eq!(green.tenant.as_deref(), Some("green"));
    assert_eq!((blue.run, green.run), (1, 2), "one run per tenant");
    assert_eq!(blue_again, blue);
    assert_eq!(implementation.runs("charge", 6), 2);
    assert_eq!(lambda.invocations("orders-charge").len(), 3);
}

#[tokio::test]
async fn a_keyed_method_served_without_a_store_never_runs() {
    let implementation = Counting::default();
    let lambda = serve(implementation.clone(), None, false).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    let error: InvokeError<ChargeError> = client.charge(1, 5).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::NotConfigured)
    );
    assert_eq!(implementation.all_runs(), 0);
    // A method without a key is served as before.
    assert_eq!(client.plain(1, 5).await.unwrap().run, 1);
}
