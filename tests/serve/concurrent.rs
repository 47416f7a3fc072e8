//! One served process answering many invocations at once, as under Lambda Managed Instances
//! (`AWS_LAMBDA_MAX_CONCURRENCY`): the real `lambda_runtime` behind a minimal Lambda on
//! loopback, the method counting how many of its calls run at the same time.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets.

#[path = "../support/mod.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lambda_remote::{InvokeError, lambda_remote};
use support::runtime_api::MiniLambda;
use tokio::sync::watch;

#[lambda_remote(server)]
trait Warehouse {
    #[lambda(function = "warehouse-pick")]
    async fn pick(&self, item: u32) -> Result<u32, InvokeError>;
}

/// Counts the calls running where the method runs; each holds until released.
struct Counting {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    executions: AtomicUsize,
    release: watch::Receiver<bool>,
}

impl Warehouse for Arc<Counting> {
    async fn pick(&self, item: u32) -> Result<u32, InvokeError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        self.executions.fetch_add(1, Ordering::SeqCst);
        let mut release = self.release.clone();
        let _ = release.wait_for(|released| *released).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(item * 10)
    }
}

fn set_env(key: &str, value: Option<&str>) {
    // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes the
    // environment while this sets it (the runtime reads it when it starts, after this).
    unsafe {
        match value {
            Some(value) => std::env::set_var(key, value),
            None => std::env::remove_var(key),
        }
    }
}

/// Serves `pick` with `AWS_LAMBDA_MAX_CONCURRENCY` at `max_concurrency`, sends `calls`
/// invocations at once, releases them when `expected` run together, and returns what the
/// method counted: (most in flight at once, executions).
async fn run(max_concurrency: Option<&str>, calls: u32, expected: usize) -> (usize, usize) {
    let lambda = MiniLambda::start().await;
    set_env(
        "AWS_LAMBDA_RUNTIME_API",
        Some(&lambda.runtime_api.to_string()),
    );
    set_env("AWS_LAMBDA_FUNCTION_NAME", Some("warehouse-pick"));
    set_env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Some("128"));
    set_env("AWS_LAMBDA_FUNCTION_VERSION", Some("$LATEST"));
    set_env("AWS_LAMBDA_MAX_CONCURRENCY", max_concurrency);
    let (open, release) = watch::channel(false);
    let counting = Arc::new(Counting {
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
        executions: AtomicUsize::new(0),
        release,
    });
    let runtime = tokio::spawn(lambda_remote::server::run_all(
        WarehouseServer::new(counting.clone()).handlers(),
    ));
    let client = WarehouseClient::new(support::sdk_client(&lambda.invoke_url));
    let calls: Vec<_> = (1..=calls)
        .map(|item| {
            let client = client.clone();
            tokio::spawn(async move { client.pick(item).await })
        })
        .collect();
    let reached = tokio::time::timeout(Duration::from_secs(10), async {
        while counting.in_flight.load(Ordering::SeqCst) < expected {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "{expected} calls never ran at once (at most {} did)",
        counting.max_in_flight.load(Ordering::SeqCst)
    );
    open.send_replace(true);
    for (item, call) in (1..).zip(calls) {
        assert_eq!(call.await.unwrap().unwrap(), item * 10);
    }
    runtime.abort();
    (
        counting.max_in_flight.load(Ordering::SeqCst),
        counting.executions.load(Ordering::SeqCst),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_process_serves_as_many_invocations_at_once_as_lambda_allows() {
    // Classic Lambda (no AWS_LAMBDA_MAX_CONCURRENCY): one at a time. Run first: when its mini
    // Lambda goes away, the one-at-a-time runtime stops.
    assert_eq!(run(None, 4, 1).await, (1, 4));
    // Lambda Managed Instances: up to AWS_LAMBDA_MAX_CONCURRENCY at once, in one process.
    assert_eq!(run(Some("4"), 8, 4).await, (4, 8));
}
