//! Keyed calls deduplicated in DynamoDB: moto_server (5.2.1) behind a counting proxy (its
//! requests counted where they arrive), the table created by the test with
//! `idempotency::dynamodb::create_table`, the function served by the local endpoint.

use std::net::SocketAddr;
use std::time::Duration;

use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use lambda_remote::idempotency::dynamodb::{self, DynamoDbStore, aws_sdk_dynamodb};
use lambda_remote::idempotency::{Idempotency, IdempotencyError, OnStoreFailure};
use lambda_remote::{CallOptions, Delivery};

use crate::contract::{ChargeError, Counting, Orders as _, Receipt};
use crate::memory::{BOTH, MAY_HAVE_RUN, client, serve};
use crate::support::proxy::LossyProxy;
use crate::tools;

const TABLE: &str = "idempotency";

/// moto_server on a free port, a proxy counting the requests it receives, and the table.
pub(crate) struct Moto {
    pub(crate) server: Option<tools::Group>,
    pub(crate) server_addr: SocketAddr,
    pub(crate) proxy: LossyProxy,
    pub(crate) client: aws_sdk_dynamodb::Client,
    _log: tempdir::Dir,
}

mod tempdir {
    /// A scratch directory for moto's log, removed on drop.
    pub(crate) struct Dir(pub(crate) std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A DynamoDB client of `url` (static credentials, no network beyond it).
pub(crate) async fn dynamodb_client(url: &str) -> aws_sdk_dynamodb::Client {
    let config = lambda_remote::aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .load()
        .await;
    aws_sdk_dynamodb::Client::new(&config)
}

impl Moto {
    /// None when moto_server is not installed (the test is skipped, or failed under
    /// `LAMBDA_REMOTE_INTEROP=require`).
    pub(crate) async fn start(name: &str) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!(
            "lambda-remote-idempotency-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = tempdir::Dir(dir);
        let (server, addr): (tools::Group, SocketAddr) =
            tools::moto_server(&log.0.join("moto.log")).await?;
        let proxy = LossyProxy::start(addr).await;
        let client = dynamodb_client(&proxy.url).await;
        dynamodb::create_table(&client, TABLE).await.unwrap();
        Some(Self {
            server: Some(server),
            server_addr: addr,
            proxy,
            client,
            _log: log,
        })
    }

    pub(crate) fn store(&self) -> DynamoDbStore {
        DynamoDbStore::new(self.client.clone(), TABLE)
    }

    /// The requests moto received through the proxy so far.
    pub(crate) fn requests(&self) -> usize {
        self.proxy.requests()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_may_have_run_fault_runs_a_keyed_body_once_on_dynamodb() {
    let Some(moto) = Moto::start("faults").await else {
        return;
    };
    let implementation = Counting::default();
    let lambda = serve(
        implementation.clone(),
        Some(Idempotency::new(moto.store())),
        false,
    )
    .await;
    let proxy = LossyProxy::start(lambda.addr()).await;
    let mut order_id = 100;
    for delivery in BOTH {
        for fault in MAY_HAVE_RUN {
            order_id += 1;
            let case = format!("{delivery} {fault:?}");
            let client = client(&proxy.url, delivery, 3);
            let (before, requests) = (moto.requests(), proxy.requests());
            proxy.fault_next(fault.clone(), 2);
            let receipt = client.charge(order_id, 5).await.unwrap();
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
            assert_eq!(proxy.requests() - requests, 3, "{case}: sent 3 times");
            assert_eq!(implementation.runs("charge", order_id), 1, "{case}");
            // New key: put + update; each of the 2 repeats: 1 put.
            assert_eq!(moto.requests() - before, 4, "{case}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_answers_repeats_in_one_request_and_keeps_keys_apart() {
    let Some(moto) = Moto::start("outcomes").await else {
        return;
    };
    let implementation = Counting::default();
    let config = Idempotency::builder(moto.store())
        .completed_ttl(Duration::from_secs(1))
        .build();
    let lambda = serve(implementation.clone(), Some(config), true).await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    let blue = CallOptions::new().tenant_id("blue");
    let green = CallOptions::new().tenant_id("green");

    // A new key: 2 requests; the same key again: 1, and the stored result.
    let before = moto.requests();
    let first = client.charge_with(&blue, 1, 5).await.unwrap().output;
    assert_eq!(moto.requests() - before, 2, "new key");
    let again = client.charge_with(&blue, 1, 5).await.unwrap().output;
    assert_eq!(moto.requests() - before, 3, "repeated key");
    assert_eq!(again, first);
    assert_eq!(first.tenant.as_deref(), Some("blue"));

    // Another tenant, the same key: its own run and its own result.
    let other = client.charge_with(&green, 1, 5).await.unwrap().output;
    assert_eq!(other.tenant.as_deref(), Some("green"));
    assert_eq!(other.run, 2);
    assert_eq!(implementation.runs("charge", 1), 2);

    // The same key with another payload: the typed error, 1 request, no run.
    let before = moto.requests();
    let error = client.charge_with(&blue, 1, 6).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::KeyReused)
    );
    assert_eq!(moto.requests() - before, 1);
    assert_eq!(implementation.runs("charge", 1), 2);

    // A function error: put, then delete; the next call runs again.
    let before = moto.requests();
    let error = client.charge_with(&blue, 2, 0).await.unwrap_err();
    assert_eq!(error.function_error(), Some(&ChargeError::Nothing));
    assert_eq!(moto.requests() - before, 2);
    client.charge_with(&blue, 2, 0).await.unwrap_err();
    assert_eq!(implementation.runs("charge", 2), 2);

    // Expired (1 s, kept in whole seconds rounded up; moto expires nothing itself): runs again.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let later = client.charge_with(&blue, 1, 5).await.unwrap().output;
    assert_eq!(later.run, 3);
    assert_eq!(implementation.runs("charge", 1), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_callers_racing_on_dynamodb_run_the_body_once() {
    let Some(moto) = Moto::start("race").await else {
        return;
    };
    let implementation = Counting::delayed(Duration::from_millis(300));
    let lambda = serve(
        implementation.clone(),
        Some(Idempotency::new(moto.store())),
        false,
    )
    .await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 40);
    let (a, b) = tokio::join!(client.charge(7, 5), client.charge(7, 5));
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(implementation.runs("charge", 7), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_over_dynamodbs_item_limit_is_not_kept() {
    let Some(moto) = Moto::start("big").await else {
        return;
    };
    let implementation = Counting::default();
    let lambda = serve(
        implementation.clone(),
        Some(Idempotency::new(moto.store())),
        false,
    )
    .await;
    let client = client(&lambda.endpoint_url(), Delivery::AtMostOnce, 3);
    let size = 500 * 1024;
    assert_eq!(client.big(1, size).await.unwrap().len(), size);
    let error = client.big(1, size).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::ResultNotKept)
    );
    assert_eq!(implementation.runs("big", 1), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unavailable_store_fails_closed_unless_told_to_run_without_dedup() {
    let Some(mut moto) = Moto::start("down").await else {
        return;
    };
    // A client straight to moto (no proxy), trying twice with a short backoff.
    let addr = moto.server_addr;
    let dynamodb = {
        let config = lambda_remote::aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(format!("http://{addr}"))
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .retry_config(
                aws_smithy_types::retry::RetryConfig::standard()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(10)),
            )
            .load()
            .await;
        aws_sdk_dynamodb::Client::new(&config)
    };
    let store = || DynamoDbStore::new(dynamodb.clone(), TABLE);
    let implementation = Counting::default();
    let closed = serve(
        implementation.clone(),
        Some(Idempotency::new(store())),
        false,
    )
    .await;
    let open = serve(
        implementation.clone(),
        Some(
            Idempotency::builder(store())
                .on_store_failure(OnStoreFailure::RunWithoutDedup)
                .build(),
        ),
        false,
    )
    .await;
    // While moto runs, the store works.
    let client_closed = client(&closed.endpoint_url(), Delivery::AtMostOnce, 3);
    assert_eq!(client_closed.charge(1, 5).await.unwrap().run, 1);
    // moto stops: its port refuses connections.
    drop(moto.server.take());
    let error = client_closed.charge(2, 5).await.unwrap_err();
    assert_eq!(
        IdempotencyError::of(&error),
        Some(IdempotencyError::StoreUnavailable),
        "{error:?}"
    );
    assert_eq!(implementation.runs("charge", 2), 0, "fail closed: no run");
    let receipt = client(&open.endpoint_url(), Delivery::AtMostOnce, 3)
        .charge(2, 5)
        .await
        .unwrap();
    assert_eq!(receipt.run, 1, "run without dedup, as chosen");
    assert_eq!(implementation.runs("charge", 2), 1);
}
