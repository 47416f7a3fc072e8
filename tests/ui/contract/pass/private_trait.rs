//! A private trait and its private client, used from the same module; the generated API that
//! is not used (`builder`, `invoker`, `_with`) warns about nothing.

#![deny(warnings)]

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

async fn use_it(sdk: lambda_remote::aws_sdk_lambda::Client) -> Result<u64, InvokeError> {
    BillingClient::new(sdk).charge("A-1".into()).await
}

fn main() {
    let _ = use_it;
}
