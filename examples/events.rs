//! Event invocations: fire-and-forget calls that Lambda queues, runs in the background and
//! retries up to two more times on a function error; `DryRun` checks without running.
//!
//! ```sh
//! cargo run --example events
//! ```

use std::time::Duration;

use lambda_remote::ErrorObject;
use lambda_remote::local::LocalLambda;
use lambda_remote::{InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
}

#[lambda_remote]
pub trait Audit {
    /// Queued by Lambda; answers as soon as the event is accepted (202).
    #[lambda(function = "audit-log", invocation = "event")]
    async fn record(&self, entry: AuditEntry) -> Result<(), InvokeError>;

    /// Checks that the caller may invoke the function; runs nothing (204).
    #[lambda(function = "audit-log", invocation = "dry_run")]
    async fn can_record(&self) -> Result<(), InvokeError>;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lambda = LocalLambda::builder()
        .json_function("audit-log", |entry: AuditEntry| async move {
            if entry.action == "explode" {
                return Err(ErrorObject::new(
                    "AuditRejected",
                    "cannot record explosions",
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            Ok(())
        })
        .start()
        .await?;
    let audit = AuditClient::new(lambda.sdk_client());

    audit.can_record().await?;
    println!(
        "dry run: allowed, and nothing ran ({} runs)",
        lambda.invocations("audit-log").len()
    );

    for action in ["login", "explode", "logout"] {
        audit
            .record(AuditEntry {
                actor: "ada".into(),
                action: action.into(),
            })
            .await?;
        println!("queued {action}");
    }

    lambda.drain_events().await;
    let runs = lambda.invocations("audit-log");
    println!("{} runs (the failing event ran three times)", runs.len());
    assert_eq!(runs.len(), 5);
    let dead = lambda.dead_letters();
    assert_eq!(dead.len(), 1);
    println!(
        "dead letter after {} attempts: {}",
        dead[0].attempts,
        String::from_utf8_lossy(&dead[0].payload)
    );
    Ok(())
}
