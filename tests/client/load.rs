//! The load a client holds (`ClientBuilder::concurrency_limit`): 10,000 calls against a
//! function whose reserved concurrency is 50 on the local endpoint, with the client's limit
//! below 50 (no throttle, never more in flight than the limit, counted where the function runs)
//! and above it (throttles, retried by the SDK's adaptive retry mode: no call lost, every
//! throttle counted); and a call past the queue refused with `Rejected::Overloaded`, nothing
//! sent. A binary of its own (`[[test]] client_load`): its fan-outs are not run beside other
//! tests' calls.

#[path = "../support/mod.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::RetryConfig;
use futures_util::StreamExt as _;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::retry::{RetryPartition, TokenBucket};
use lambda_remote::client::{ClientBuilder, ConcurrencyLimit};
use lambda_remote::error::{Redelivery, Rejected};
use lambda_remote::local::{Function, LocalLambda};
use lambda_remote::{InvokeError, lambda_remote};

const CALLS: usize = 10_000;
const RESERVED: u32 = 50;

#[lambda_remote(server)]
pub trait Busy {
    /// Holds its slot a little, counting the invocations running at once.
    #[lambda(function = "busy")]
    async fn work(&self) -> Result<(), InvokeError>;
}

/// What the function counted where it runs.
#[derive(Default)]
struct Counts {
    running: AtomicUsize,
    most: AtomicUsize,
    finished: AtomicUsize,
}

struct Impl(Arc<Counts>);

impl Busy for Impl {
    async fn work(&self) -> Result<(), InvokeError> {
        let now = self.0.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(2)).await;
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.finished.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Counts the attempts answered 429 (`TooManyRequestsException`), as the SDK saw them.
#[derive(Debug, Clone, Default)]
struct Throttles(Arc<AtomicUsize>);

impl Intercept for Throttles {
    fn name(&self) -> &'static str {
        "throttles"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_lambda::error::BoxError> {
        if context.response().map(|r| r.status().as_u16()) == Some(429) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

struct Run {
    counts: Arc<Counts>,
    attempts: usize,
    throttles: usize,
    failed: usize,
    took: Duration,
}

/// `CALLS` calls at once through a client limited to `limit` in flight (the rest queued).
async fn fan_out(limit: usize) -> Run {
    let counts = Arc::new(Counts::default());
    let local = LocalLambda::builder()
        .function(
            Function::serving(BusyServer::new(Impl(counts.clone())).work())
                .reserved_concurrency(RESERVED),
        )
        .start()
        .await
        .unwrap();
    let attempts = support::Attempts::default();
    let throttles = Throttles::default();
    let sdk = aws_sdk_lambda::Client::from_conf(
        local
            .sdk_client()
            .config()
            .to_builder()
            .interceptor(attempts.clone())
            .interceptor(throttles.clone())
            // Throttles are retried until they pass: a bucket of its own, large enough for
            // every retry of the run (the SDK's default holds 100 throttle retries at once).
            .retry_partition(
                RetryPartition::custom(format!("load-{limit}"))
                    .token_bucket(TokenBucket::builder().capacity(1_000_000).build())
                    .build(),
            )
            .build(),
    );
    let client: BusyClient = ClientBuilder::new(sdk)
        .concurrency_limit(ConcurrencyLimit::new(limit).queue(CALLS))
        .retry_config(
            RetryConfig::adaptive()
                .with_max_attempts(1_000)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let results: Vec<_> = futures_util::stream::iter(0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.work().await })
        })
        .buffer_unordered(CALLS)
        .collect()
        .await;
    let took = started.elapsed();
    let failed = results
        .into_iter()
        .filter(|r| !matches!(r, Ok(Ok(()))))
        .count();
    Run {
        counts,
        attempts: support::Attempts::get(&attempts),
        throttles: throttles.0.load(Ordering::SeqCst),
        failed,
        took,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn below_the_reserved_concurrency_nothing_is_throttled() {
    let run = fan_out(40).await;
    eprintln!("limit 40: {:?}", run.took);
    assert_eq!(run.failed, 0, "no call lost");
    assert_eq!(run.counts.finished.load(Ordering::SeqCst), CALLS);
    assert_eq!(run.throttles, 0);
    assert_eq!(run.attempts, CALLS, "one attempt each");
    let most = run.counts.most.load(Ordering::SeqCst);
    assert!(most <= 40, "{most} in flight where the function runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn above_it_throttles_are_retried_and_no_call_is_lost() {
    let run = fan_out(200).await;
    eprintln!(
        "limit 200: {:?}, {} throttles, {} attempts",
        run.took, run.throttles, run.attempts
    );
    assert_eq!(run.failed, 0, "no call lost");
    assert_eq!(
        run.counts.finished.load(Ordering::SeqCst),
        CALLS,
        "each ran once"
    );
    assert!(run.throttles > 0, "the function's limit was hit");
    // Every attempt either ran the function or was throttled.
    assert_eq!(run.attempts, CALLS + run.throttles);
    let most = run.counts.most.load(Ordering::SeqCst);
    assert!(
        most <= RESERVED as usize,
        "{most} in flight where the function runs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_queue_a_call_is_refused_and_nothing_is_sent() {
    let counts = Arc::new(Counts::default());
    let local = LocalLambda::builder()
        .serve(BusyServer::new(Impl(counts.clone())).work())
        .start()
        .await
        .unwrap();
    let client: BusyClient = ClientBuilder::new(local.sdk_client())
        .method_concurrency_limit("work", ConcurrencyLimit::new(1).queue(1))
        .build()
        .unwrap();
    // One in flight, one queued, the third refused at once.
    let (a, b, c) = tokio::join!(client.work(), client.work(), client.work());
    let refused = [a, b, c]
        .into_iter()
        .filter_map(Result::err)
        .collect::<Vec<_>>();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let InvokeError::Rejected(rejected) = &refused[0] else {
        panic!("{:?}", refused[0])
    };
    assert_eq!(
        **rejected,
        Rejected::Overloaded {
            scope: "work",
            in_flight: 1,
            queue: 1
        }
    );
    assert_eq!(refused[0].redelivery(), Redelivery::Safe);
    assert_eq!(
        local.invocations("busy").len(),
        2,
        "the refused call sent nothing"
    );
    assert_eq!(counts.finished.load(Ordering::SeqCst), 2);
    // An unknown method's limit is a configuration error.
    assert!(
        ClientBuilder::<BusyClient>::new(local.sdk_client())
            .method_concurrency_limit("wrok", ConcurrencyLimit::new(1))
            .build()
            .is_err()
    );
}
