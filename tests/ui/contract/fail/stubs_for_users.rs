//! A contract with a mistake still defines the trait and a stub client: the user's code that
//! implements the trait and builds the client adds no errors of its own.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

pub struct Local;

impl Billing for Local {
    async fn charge(&self, _sku: String) -> Result<u64, InvokeError> {
        Ok(1)
    }
}

pub fn client(sdk: lambda_remote::aws_sdk_lambda::Client) -> BillingClient {
    let client = BillingClient::new(sdk);
    let _ = client.invoker();
    client
}

fn main() {}
