//! A `pub(crate)` trait: the client gets the same visibility.

mod billing {
    use lambda_remote::{lambda_remote, InvokeError};

    #[lambda_remote]
    pub(crate) trait Billing {
        #[lambda(function = "billing-charge")]
        async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
    }
}

use billing::{Billing, BillingClient};

#[allow(dead_code)]
async fn use_it(
    sdk: lambda_remote::aws_sdk_lambda::Client,
) -> Result<u64, lambda_remote::InvokeError> {
    let client = BillingClient::new(sdk);
    client.charge("A-1".into()).await
}

fn main() {}
