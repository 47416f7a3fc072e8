//! `client = "…"` names the generated struct.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(client = "Payments")]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

#[allow(dead_code)]
fn build(sdk: lambda_remote::aws_sdk_lambda::Client) -> Payments {
    let _builder: lambda_remote::client::ClientBuilder<Payments> = Payments::builder(sdk.clone());
    let payments = Payments::new(sdk);
    let _ = payments.invoker();
    payments
}

#[allow(dead_code)]
async fn use_it(payments: &Payments) -> Result<u64, InvokeError> {
    payments.charge("A-1".into()).await
}

fn main() {}
