//! The contract as data: writes the description of a `#[lambda_remote(schema)]` contract as
//! JSON (to stdout, or to the file given as the first argument), then compares it with itself
//! to show that it holds no breaking change.
//!
//! ```sh
//! cargo run --example contract --features schema                          # print it
//! cargo run --example contract --features schema -- billing.contract.json # write it
//! ```
//!
//! Commit the file; a test then compares `BillingClient::contract()` with it (see the guide's
//! chapter "The contract as data").

use lambda_remote::contract::Contract;
use lambda_remote::{FunctionError, GeneratedClient, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
#[schemars(crate = "lambda_remote::schemars")]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
#[schemars(crate = "lambda_remote::schemars")]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "CardDeclined")]
    Declined(String),
    InsufficientFunds {
        missing_cents: u64,
    },
}

#[lambda_remote(schema)]
pub trait Billing {
    #[lambda(
        function = "billing-charge",
        durable_execution_name = "charge-{order_id}"
    )]
    async fn charge(
        &self,
        order_id: String,
        order: Order,
    ) -> Result<Receipt, InvokeError<ChargeError>>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Result<(), InvokeError>;
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let contract = BillingClient::contract();
    let json = serde_json::to_string_pretty(&contract)? + "\n";
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, &json)?,
        None => print!("{json}"),
    }
    // Read back, it is the same contract: no breaking change.
    let read: Contract = serde_json::from_str(&json)?;
    assert_eq!(read, contract);
    assert!(read.breaking_changes(&contract).is_empty());
    let charge = contract.method("charge").expect("charge is described");
    assert_eq!(charge.error_types, ["CardDeclined", "InsufficientFunds"]);
    assert_eq!(charge.arguments, ["order_id", "order"]);
    Ok(())
}
