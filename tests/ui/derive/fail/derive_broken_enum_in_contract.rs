//! A broken `#[derive(FunctionError)]` enum used in a contract: only the derive's error, none
//! at the contract that uses the enum (the derive emits an impl that maps no error).

use lambda_remote::{lambda_remote, FunctionError, InvokeError};

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
    #[function_error(rename = "Declined")]
    Refused,
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError<ChargeError>>;
}

fn main() {}
