//! Doc comments and `#[cfg]` on methods: the docs carry over to `<method>_with`, and a method
//! cfg'd out is gone from the trait, the client and its `_with` method alike.

use lambda_remote::{lambda_remote, CallOptions, InvokeError};

#[lambda_remote]
pub trait Billing {
    /// Charges an order.
    ///
    /// Several paragraphs of docs, with `code`.
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    /// Only in builds that never happen.
    #[cfg(any())]
    #[lambda(function = "billing-never")]
    async fn never(&self, sku: String) -> Result<u64, InvokeError>;

    /// Always there.
    #[cfg(all())]
    #[lambda(function = "billing-always")]
    async fn always(&self) -> Result<(), InvokeError>;

    #[cfg_attr(all(), doc = "Documented through `cfg_attr`.")]
    #[lambda(function = "billing-refund")]
    async fn refund(&self, sku: String) -> Result<u64, InvokeError>;
}

#[allow(dead_code)]
async fn use_it(client: &BillingClient) -> Result<(), InvokeError> {
    client.charge("A-1".into()).await?;
    client.always().await?;
    client.refund("A-1".into()).await?;
    let options = CallOptions::new();
    client.charge_with(&options, "A-1".into()).await?;
    client.always_with(&options).await?;
    Ok(())
}

fn main() {}
