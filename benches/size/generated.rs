//! The README quickstart's program through a generated client, for the binary-size comparison
//! (`benches/binary-size.sh`). It calls real AWS; it is built, never run, by the benchmarks.

use lambda_remote::aws_config::{self, BehaviorVersion};
use lambda_remote::{FunctionError, InvokeError, aws_sdk_lambda, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "CardDeclined")]
    Declined,
    InsufficientFunds(String),
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ChargeError {}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let client = BillingClient::new(aws_sdk_lambda::Client::new(&config));
    let order = Order {
        sku: "A-1".into(),
        qty: 2,
    };
    match client.charge(order).await {
        Ok(receipt) => println!("charged {} ({})", receipt.total_cents, receipt.id),
        Err(InvokeError::Function { error, .. }) => println!("declined: {error}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
