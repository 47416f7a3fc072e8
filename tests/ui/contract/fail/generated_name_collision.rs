use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-charge-with")]
    async fn charge_with(&self, options: String, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
