//! Keyed calls under the real `cargo lambda watch` (1.9.2): the keyed method served on the
//! real `lambda_runtime` in a process of its own (this test executable, started as tests/
//! interop.rs starts its functions), which
//! deduplicates in DynamoDB on moto_server. `cargo lambda watch` gives no deadline, so a
//! record in progress counts for the configured maximum. Each run of the body is one line in
//! a file, counted by the test; a proxy between the client and `cargo lambda watch` spoils
//! answers after the run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use lambda_remote::idempotency::dynamodb::DynamoDbStore;
use lambda_remote::idempotency::{Idempotency, IdempotencyError};
use lambda_remote::{Delivery, InvocationContext, InvokeError};

use crate::contract::OrdersClient;
use crate::contract::{ChargeError, Orders, OrdersServer, Receipt};
use crate::dynamodb::{Moto, dynamodb_client};
use crate::memory::{BOTH, MAY_HAVE_RUN};
use crate::support::proxy::LossyProxy;
use crate::tools;

/// `cargo lambda watch --only-lambda-apis` answers only for the names of the binaries of the
/// crate it watches (`tests/interop/function`): the keyed method is served, and called, under
/// one of them.
const FUNCTION: &str = "interop-context";
const RUNS_ENV: &str = "IDEMPOTENCY_RUNS_FILE";
const DYNAMODB_ENV: &str = "IDEMPOTENCY_DYNAMODB_URL";

/// The served implementation: appends `charge <order_id>` to the runs file for each run.
struct Recording(PathBuf);

fn runs(file: &Path, order_id: u64) -> usize {
    let line = format!("charge {order_id}");
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter(|l| *l == line)
        .count()
}

impl Orders for Recording {
    async fn charge(
        &self,
        order_id: u64,
        amount: u64,
    ) -> Result<Receipt, InvokeError<ChargeError>> {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.0)
            .unwrap();
        writeln!(file, "charge {order_id}").unwrap();
        drop(file);
        // Long enough for a racing caller to find the record in progress.
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(Receipt {
            order_id,
            amount,
            run: runs(&self.0, order_id),
            tenant: InvocationContext::current().and_then(|c| c.tenant_id().map(str::to_owned)),
        })
    }

    async fn plain(&self, _: u64, _: u64) -> Result<Receipt, InvokeError<ChargeError>> {
        unreachable!("not served here")
    }

    async fn big(&self, _: u64, _: usize) -> Result<String, InvokeError> {
        unreachable!("not served here")
    }
}

/// A client of `url` in `delivery` calling `charge` as [`FUNCTION`], with `attempts` attempts
/// (short backoffs) and a 1 s attempt timeout.
fn client(url: &str, delivery: Delivery, attempts: u32) -> OrdersClient {
    let sdk = crate::support::sdk_config(url)
        .retry_config(
            aws_smithy_types::retry::RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(100)),
        )
        .build();
    OrdersClient::builder(lambda_remote::aws_sdk_lambda::Client::from_conf(sdk))
        .function("charge", FUNCTION)
        .delivery(delivery)
        .timeout_config(
            aws_smithy_types::timeout::TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_secs(1))
                .build(),
        )
        .build()
        .unwrap()
}

/// The function process `cargo_lambda_watch_runs_a_keyed_body_once` starts. Alone, it does
/// nothing.
#[test]
#[ignore = "a function process started by the cargo lambda watch test; alone it does nothing"]
fn function_process() {
    let (Ok(runs), Ok(url)) = (std::env::var(RUNS_ENV), std::env::var(DYNAMODB_ENV)) else {
        println!("not started as a function: nothing to do");
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let store = DynamoDbStore::new(dynamodb_client(&url).await, "idempotency");
        let handler = OrdersServer::new(Recording(runs.into()))
            .charge()
            .idempotency(Idempotency::new(store));
        lambda_remote::server::run(handler).await.unwrap();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch_runs_a_keyed_body_once() {
    if tools::find(
        "cargo-lambda",
        "cargo",
        &["lambda", "--version"],
        "pip install cargo-lambda==1.9.2",
    )
    .is_none()
    {
        return;
    }
    let Some(moto) = Moto::start("watch").await else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!(
        "lambda-remote-idempotency-watch-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&scratch).unwrap();
    let runs_file = scratch.join("runs.txt");
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/function");
    let (mut watch, addr) = tools::cargo_lambda_watch(&crate_dir, &scratch.join("watch.log")).await;
    let mut function = Command::new(std::env::current_exe().unwrap());
    function
        .args([
            "--exact",
            "watch::function_process",
            "--ignored",
            "--nocapture",
        ])
        .env(RUNS_ENV, &runs_file)
        .env(DYNAMODB_ENV, &moto.proxy.url)
        .env("AWS_LAMBDA_FUNCTION_NAME", FUNCTION)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            format!("http://{addr}/.rt/{FUNCTION}"),
        );
    let mut function = tools::Group::spawn(FUNCTION, function, &scratch.join("function.log"));

    let test = async {
        let proxy = LossyProxy::start(addr).await;
        let mut order_id = 0;
        for delivery in BOTH {
            for fault in MAY_HAVE_RUN {
                order_id += 1;
                let case = format!("{delivery} {fault:?}");
                let client = client(&proxy.url, delivery, 3);
                let (requests, store) = (proxy.requests(), moto.requests());
                proxy.fault_next(fault.clone(), 2);
                let receipt = client.charge(order_id, 5).await.unwrap();
                assert_eq!((receipt.order_id, receipt.run), (order_id, 1), "{case}");
                assert_eq!(proxy.requests() - requests, 3, "{case}: sent 3 times");
                assert_eq!(runs(&runs_file, order_id), 1, "{case}");
                assert_eq!(moto.requests() - store, 4, "{case}: 2 + 1 + 1");
            }
        }
        // Two callers at once: cargo lambda watch queues the second behind the first.
        let client = client(&format!("http://{addr}"), Delivery::AtMostOnce, 40);
        let (a, b) = tokio::join!(client.charge(50, 5), client.charge(50, 5));
        assert_eq!(a.unwrap(), b.unwrap());
        assert_eq!(runs(&runs_file, 50), 1);
        // The same key with another payload: the typed error, no run.
        let error = client.charge(50, 6).await.unwrap_err();
        assert_eq!(
            IdempotencyError::of(&error),
            Some(IdempotencyError::KeyReused)
        );
        assert_eq!(error.metadata().map(|m| m.status()), Some(500));
        assert_eq!(runs(&runs_file, 50), 1);
    };
    let outcome = tokio::time::timeout(Duration::from_secs(180), test).await;
    function.check_running();
    watch.check_running();
    drop((function, watch));
    let _ = std::fs::remove_dir_all(&scratch);
    outcome.expect("the cargo lambda watch test finishes in time");
}
