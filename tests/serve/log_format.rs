//! What a served function logs, through `lambda_runtime`'s subscriber as feature
//! `server-tracing` gives it (`lambda_remote::server::tracing::init_default_subscriber`): JSON
//! lines under `AWS_LAMBDA_LOG_FORMAT=JSON`, at the level `AWS_LAMBDA_LOG_LEVEL` says, each in
//! the span of its invocation.
//!
//! One test in this binary: it sets the process environment and installs the global
//! subscriber.

#[path = "../support/mod.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use lambda_remote::{InvokeError, lambda_remote};
use serde_json::{Value, json};
use support::runtime_api::MiniLambda;

#[lambda_remote(server)]
trait Ledger {
    #[lambda(function = "ledger-post")]
    async fn post(&self, entry: String) -> Result<u32, InvokeError>;
}

struct LedgerImpl;

impl Ledger for LedgerImpl {
    async fn post(&self, entry: String) -> Result<u32, InvokeError> {
        tracing::info!(%entry, "posted");
        tracing::debug!("balance checked");
        tracing::trace!("not at this level");
        Ok(1)
    }
}

/// What the subscriber wrote.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_json_lines_at_the_level_lambda_sets() {
    let lambda = MiniLambda::start().await;
    for (key, value) in [
        ("AWS_LAMBDA_RUNTIME_API", lambda.runtime_api.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", "ledger-post".into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        // What Lambda sets for `LoggingConfig: {LogFormat: JSON, ApplicationLogLevel: DEBUG}`.
        ("AWS_LAMBDA_LOG_FORMAT", "JSON".into()),
        ("AWS_LAMBDA_LOG_LEVEL", "DEBUG".into()),
    ] {
        // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes
        // the environment while this sets it.
        unsafe { std::env::set_var(key, value) };
    }
    let captured = Captured::default();
    let writer = captured.clone();
    lambda_remote::server::tracing::init_default_subscriber_with_writer(move || writer.clone());

    tokio::spawn(lambda_remote::server::run_all(
        LedgerServer::new(LedgerImpl).handlers(),
    ));
    let client = LedgerClient::new(support::sdk_client(&lambda.invoke_url));
    assert_eq!(client.post("rent".into()).await.unwrap(), 1);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let by_message = |message: &str| -> Vec<&Value> {
        lines
            .iter()
            .filter(|line| line["fields"]["message"] == message)
            .collect()
    };
    let posted = by_message("posted");
    assert_eq!(posted.len(), 1, "{text}");
    assert_eq!(posted[0]["level"], "INFO");
    assert_eq!(posted[0]["fields"]["entry"], "rent");
    // Inside lambda_runtime's span of the invocation, which carries its request id, and
    // lambda-remote's `lambda.serve` span of the method.
    let spans: Vec<(&Value, &Value)> = posted[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|span| (&span["name"], &span["requestId"]))
        .collect();
    assert_eq!(
        spans,
        [
            (&json!("Lambda runtime invoke"), &json!("req-0")),
            (&json!("lambda.serve"), &Value::Null)
        ],
        "{text}"
    );
    let checked = by_message("balance checked");
    assert_eq!(checked.len(), 1, "{text}");
    assert_eq!(checked[0]["level"], "DEBUG");
    assert_eq!(by_message("not at this level").len(), 0, "{text}");
}
