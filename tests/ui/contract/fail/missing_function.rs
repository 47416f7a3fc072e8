use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(timeout = "10s")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    async fn refund(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
