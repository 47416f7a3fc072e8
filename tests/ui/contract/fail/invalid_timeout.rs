use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge", timeout = "30")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-refund", timeout = "2 days")]
    async fn refund(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-void", timeout = "0s")]
    async fn void(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
