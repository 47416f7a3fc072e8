//! Configuring a client for real AWS: the SDK's own configuration, stage prefixes and aliases,
//! names from the environment, retries and timeouts. Runs against the local endpoint unless
//! `LAMBDA_REMOTE_TARGET=aws`.
//!
//! ```sh
//! cargo run --example aws_setup
//! LAMBDA_REMOTE_TARGET=aws AWS_PROFILE=dev LAMBDA_REMOTE_FUNCTION_PREFIX=dev- cargo run --example aws_setup
//! ```

use std::time::Duration;

use lambda_remote::ErrorObject;
use lambda_remote::aws_sdk_lambda::config::retry::RetryConfig;
use lambda_remote::aws_sdk_lambda::config::timeout::TimeoutConfig;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{CallOptions, InvokeError, aws_config, aws_sdk_lambda, lambda_remote};

#[lambda_remote]
pub trait Greeter {
    #[lambda(function = "greeter", timeout = "10s")]
    async fn greet(&self, name: String) -> Result<String, InvokeError>;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (sdk, _local) = if std::env::var("LAMBDA_REMOTE_TARGET").as_deref() == Ok("aws") {
        // Region, credentials and profile come from the usual AWS configuration chain.
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        (aws_sdk_lambda::Client::new(&config), None)
    } else {
        let hello = |greeting: &'static str| {
            Handler::json(move |name: String| async move {
                Ok::<_, ErrorObject>(format!("{greeting}, {name}"))
            })
        };
        let local = LocalLambda::builder()
            .function(
                Function::new("prod-greeter", hello("hello from $LATEST"))
                    .version("1", hello("hello from version 1"))
                    .alias("live", "1"),
            )
            .start()
            .await?;
        (local.sdk_client(), Some(local))
    };

    let client = GreeterClient::builder(sdk)
        .function_prefix("prod-") // greeter → prod-greeter
        .qualifier("live") // the stage alias, for methods that name none
        .from_env() // LAMBDA_REMOTE_GREETER_GREET_FUNCTION etc. override the above
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .build(),
        )
        .build()?;
    println!("calling {:?}", client.invoker().function_name(0));

    let invoked = client
        .greet_with(&CallOptions::new().log_tail(), "Ada".into())
        .await?;
    println!(
        "{} (version {:?}, request {:?})",
        invoked.output,
        invoked.metadata.executed_version(),
        invoked.metadata.request_id()
    );
    if let Some(tail) = invoked.metadata.log_tail() {
        println!(
            "log tail: {} bytes (may hold secrets: not printed)",
            tail.as_bytes().len()
        );
    }
    Ok(())
}
