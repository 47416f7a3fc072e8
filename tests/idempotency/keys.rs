//! The key on the client's side, and keyed `Event` calls.
//!
//! The client renders a keyed call's key from the arguments it sends, with the code the served
//! method renders it from the arguments it decoded, and scopes and hashes it with the same
//! function ([`lambda_remote::idempotency::scoped_id`]): the key its span records
//! (`lambda_remote.idempotency_key`) and its error carries ([`InvokeError::idempotency_key`])
//! is the id the store keeps the call's record under — compared here with the records of the
//! in-memory store and of moto's DynamoDB table, for a short key and one far over any store's
//! key limit.
//!
//! A keyed `Event` method is deduplicated by the same hook: runs are counted where the body
//! runs, requests by the local endpoint's record of each request (its request id; an event's
//! retries share it).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lambda_remote::idempotency::{Idempotency, IdempotencyError, InMemoryStore};
use lambda_remote::local::{Function, LocalLambda, RecordedInvocation};
use lambda_remote::{CallOptions, Delivery, InvokeError, lambda_remote};
use tracing_subscriber::layer::SubscriberExt as _;

use crate::contract::ChargeError;
use crate::dynamodb::Moto;
use crate::memory::{BOTH, MAY_HAVE_RUN, attempt_timeout, client as orders_client, sdk_client};
use crate::support::proxy::{Fault, LossyProxy};
use crate::support::spans::{Collect, Spans, spans_named};

#[lambda_remote(server)]
pub trait Ledger {
    /// Keyed by its label alone: the same label with another order is a reused key.
    #[lambda(function = "ledger-tag", idempotency_key = "tag-{label}")]
    async fn tag(&self, order_id: u64, label: String) -> Result<u64, InvokeError>;

    /// An `Event` method, keyed by order; its body fails its first `failures` runs of an order.
    #[lambda(
        function = "ledger-notify",
        invocation = "event",
        idempotency_key = "notify-{order_id}"
    )]
    async fn notify(&self, order_id: u64, failures: usize) -> Result<(), InvokeError<ChargeError>>;
}

/// Counts each body's runs by order, where the body runs; `tag` takes `delay` per run.
#[derive(Debug, Clone, Default)]
struct Runs {
    runs: Arc<Mutex<HashMap<(&'static str, u64), usize>>>,
    delay: Duration,
}

impl Runs {
    fn run(&self, method: &'static str, order_id: u64) -> usize {
        let mut runs = self.runs.lock().unwrap();
        let count = runs.entry((method, order_id)).or_default();
        *count += 1;
        *count
    }

    fn runs(&self, method: &'static str, order_id: u64) -> usize {
        let runs = self.runs.lock().unwrap();
        runs.get(&(method, order_id)).copied().unwrap_or(0)
    }
}

impl Ledger for Runs {
    async fn tag(&self, order_id: u64, _label: String) -> Result<u64, InvokeError> {
        let run = self.run("tag", order_id);
        tokio::time::sleep(self.delay).await;
        Ok(run as u64)
    }

    async fn notify(&self, order_id: u64, failures: usize) -> Result<(), InvokeError<ChargeError>> {
        if self.run("notify", order_id) <= failures {
            return Err(ChargeError::Nothing.into());
        }
        Ok(())
    }
}

async fn serve(runs: Runs, idempotency: Idempotency) -> LocalLambda {
    let server = LedgerServer::new(runs);
    LocalLambda::builder()
        .serve(server.tag().idempotency(idempotency.clone()))
        .serve(server.notify().idempotency(idempotency))
        .start()
        .await
        .unwrap()
}

/// A client of `url` in `delivery` with `attempts` attempts (short backoffs) and a 1 s
/// attempt timeout, as the Orders tests' client.
fn client_in(url: &str, delivery: Delivery, attempts: u32) -> LedgerClient {
    LedgerClient::builder(sdk_client(url, attempts))
        .delivery(delivery)
        .timeout_config(attempt_timeout())
        .build()
        .unwrap()
}

fn client(url: &str, attempts: u32) -> LedgerClient {
    client_in(url, Delivery::AtMostOnce, attempts)
}

/// What each call's `Lambda.Invoke` span recorded as its key, in order.
fn span_keys(spans: &Spans) -> Vec<Option<String>> {
    spans_named(spans, "Lambda.Invoke")
        .into_iter()
        // The SDK's own span of the operation has the same name.
        .filter(|fields: &BTreeMap<String, String>| fields.contains_key("lambda_remote.method"))
        .map(|fields: BTreeMap<String, String>| {
            fields.get("lambda_remote.idempotency_key").cloned()
        })
        .collect()
}

fn collecting() -> (Spans, tracing::subscriber::DefaultGuard) {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(Collect(spans.clone()));
    (spans.clone(), tracing::subscriber::set_default(subscriber))
}

/// A short label and one of 3000 bytes (no store takes a key that long as written).
fn labels() -> [String; 2] {
    ["short".to_owned(), "é".repeat(1500)]
}

#[tokio::test]
async fn the_client_reports_the_key_the_memory_store_keeps() {
    for label in labels() {
        let (spans, _guard) = collecting();
        let store = Arc::new(InMemoryStore::new());
        let config = Idempotency::builder_from_arc(store.clone()).build();
        let lambda = serve(Runs::default(), config).await;
        let client = client(&lambda.endpoint_url(), 3);
        assert_eq!(client.tag(1, label.clone()).await.unwrap(), 1);
        let records = store.records();
        assert_eq!(records.len(), 1, "one record");
        let stored = records[0].id.clone();
        assert_eq!(stored.len(), 64);
        assert_eq!(
            span_keys(&spans),
            [Some(stored.clone())],
            "{} bytes",
            label.len()
        );

        // The same key with another payload: the typed error, which carries the key.
        let error = client.tag(2, label.clone()).await.unwrap_err();
        assert_eq!(
            IdempotencyError::of(&error),
            Some(IdempotencyError::KeyReused)
        );
        assert_eq!(error.idempotency_key(), Some(stored.as_str()));
        assert_eq!(span_keys(&spans), [Some(stored.clone()), Some(stored)]);
    }
}

#[tokio::test]
async fn a_keyed_call_that_timed_out_carries_the_key_of_the_record_its_run_left() {
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let runs = Runs::default();
    let lambda = serve(runs.clone(), config).await;
    let proxy = LossyProxy::start(lambda.addr()).await;
    // One attempt: the stalled answer (3 s, past the 1 s attempt timeout) ends the call.
    let client = client(&proxy.url, 1);
    proxy.fault_next(Fault::Stall(Duration::from_secs(3)), 1);
    let error = client.tag(1, "late".to_owned()).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(runs.runs("tag", 1), 1);
    let records = store.records();
    assert_eq!(records.len(), 1);
    assert_eq!(error.idempotency_key(), Some(records[0].id.as_str()));
    // An unkeyed call's error carries none.
    let orders = orders_client(&proxy.url, Delivery::AtMostOnce, 1);
    proxy.fault_next(Fault::Close, 1);
    let error = crate::contract::Orders::plain(&orders, 1, 5)
        .await
        .unwrap_err();
    assert_eq!(error.idempotency_key(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_reports_the_key_moto_keeps() {
    let Some(moto) = Moto::start("keys").await else {
        return;
    };
    for (n, label) in labels().into_iter().enumerate() {
        let (spans, _guard) = collecting();
        let config = Idempotency::new(moto.store());
        let lambda = serve(Runs::default(), config).await;
        let client = client(&lambda.endpoint_url(), 3);
        let order_id = 10 + n as u64;
        assert_eq!(client.tag(order_id, label.clone()).await.unwrap(), 1);
        let error = client.tag(order_id + 100, label.clone()).await.unwrap_err();
        let items = moto
            .client
            .scan()
            .table_name("idempotency")
            .send()
            .await
            .unwrap()
            .items
            .unwrap_or_default();
        assert_eq!(items.len(), n + 1, "one item per label");
        let ids: HashSet<String> = items
            .iter()
            .map(|item| item["id"].as_s().unwrap().clone())
            .collect();
        let keys: [Option<String>; 2] = span_keys(&spans).try_into().unwrap();
        let [Some(key), Some(again)] = keys else {
            panic!("both calls record the key: {keys:?}");
        };
        assert_eq!(key, again);
        assert!(
            ids.contains(&key),
            "{} bytes: {key} in {ids:?}",
            label.len()
        );
        assert_eq!(error.idempotency_key(), Some(key.as_str()));
    }
}

/// The requests that reached `function` (an event's retries share its request id), and the
/// handler's runs of each (its attempts).
fn requests(lambda: &LocalLambda, function: &str) -> Vec<usize> {
    let mut attempts: Vec<(String, usize)> = Vec::new();
    for RecordedInvocation { request_id, .. } in lambda.invocations(function) {
        match attempts.iter_mut().find(|(id, _)| *id == request_id) {
            Some((_, n)) => *n += 1,
            None => attempts.push((request_id, 1)),
        }
    }
    attempts.into_iter().map(|(_, n)| n).collect()
}

#[tokio::test]
async fn a_keyed_event_sent_twice_runs_once() {
    for delivery in BOTH {
        let runs = Runs::default();
        let store = Arc::new(InMemoryStore::new());
        let config = Idempotency::builder_from_arc(store.clone()).build();
        let lambda = serve(runs.clone(), config).await;
        let client = client_in(&lambda.endpoint_url(), delivery, 3);
        client.notify(1, 0).await.unwrap();
        lambda.drain_events().await;
        client.notify(1, 0).await.unwrap();
        lambda.drain_events().await;
        assert_eq!(requests(&lambda, "ledger-notify"), [1, 1], "{delivery}");
        assert_eq!(runs.runs("notify", 1), 1, "{delivery}");
        // Put, complete; put (the repeat, answered from the record).
        assert_eq!(store.requests(), 3, "{delivery}");
        assert!(lambda.dead_letters().is_empty());
    }
}

#[tokio::test]
async fn a_keyed_event_retried_after_its_body_failed_runs_again_only_then() {
    let runs = Runs::default();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let lambda = serve(runs.clone(), config).await;
    let client = client(&lambda.endpoint_url(), 3);
    // The first run fails and deletes the record: Lambda's retry runs the body once more,
    // and succeeds; the same event sent again later is answered from the record.
    client.notify(2, 1).await.unwrap();
    lambda.drain_events().await;
    client.notify(2, 1).await.unwrap();
    lambda.drain_events().await;
    assert_eq!(requests(&lambda, "ledger-notify"), [2, 1]);
    assert_eq!(runs.runs("notify", 2), 2);
    // Put, delete (the failed run); put, complete (the retry); put (the repeat).
    assert_eq!(store.requests(), 5);
    // Every run fails: each deletes its record, so each of the 3 attempts runs the body.
    client.notify(3, 3).await.unwrap();
    lambda.drain_events().await;
    assert_eq!(runs.runs("notify", 3), 3);
    assert_eq!(requests(&lambda, "ledger-notify"), [2, 1, 3]);
    assert_eq!(lambda.dead_letters().len(), 1);
    // Order 2's completed record alone.
    assert_eq!(store.records().len(), 1);
    assert_eq!(store.requests(), 5 + 3 * 2);
}

#[tokio::test]
async fn a_keyed_event_sent_again_after_each_may_have_run_fault_runs_once() {
    for (n, fault) in MAY_HAVE_RUN.into_iter().enumerate() {
        let runs = Runs::default();
        let config = Idempotency::new(InMemoryStore::new());
        let lambda = serve(runs.clone(), config).await;
        let proxy = LossyProxy::start(lambda.addr()).await;
        // At most once asked for; a keyed call is sent at least once all the same. The first
        // two answers are spoiled after the event was queued, the third passes.
        let client = client(&proxy.url, 3);
        proxy.fault_next(fault.clone(), 2);
        let order_id = 20 + n as u64;
        client.notify(order_id, 0).await.unwrap();
        lambda.drain_events().await;
        assert_eq!(proxy.requests(), 3, "{fault:?}");
        // 3 events queued (one that arrives while another of its key runs is answered "in
        // progress", a function error the endpoint retries: its attempts are not counted).
        assert_eq!(requests(&lambda, "ledger-notify").len(), 3, "{fault:?}");
        assert_eq!(runs.runs("notify", order_id), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn the_client_scopes_the_key_by_qualifier_and_tenant_as_the_function_does() {
    let (spans, _guard) = collecting();
    let store = Arc::new(InMemoryStore::new());
    let config = Idempotency::builder_from_arc(store.clone()).build();
    let server = LedgerServer::new(Runs::default());
    let tag = Function::serving(server.tag().idempotency(config))
        .tenant_isolated()
        .alias("live", "$LATEST");
    let lambda = LocalLambda::builder().function(tag).start().await.unwrap();
    let client = client(&lambda.endpoint_url(), 3);
    let blue = CallOptions::new().tenant_id("blue");
    let live = CallOptions::new().tenant_id("blue").qualifier("live");
    client.tag_with(&blue, 1, "x".to_owned()).await.unwrap();
    client.tag_with(&live, 1, "x".to_owned()).await.unwrap();
    let ids: HashSet<String> = store.records().into_iter().map(|r| r.id).collect();
    let keys = span_keys(&spans);
    assert_eq!(keys.len(), 2);
    let reported: HashSet<String> = keys.into_iter().map(Option::unwrap).collect();
    assert_eq!(reported, ids, "two scopes, two records, the same ids");
    assert_eq!(ids.len(), 2);
}
