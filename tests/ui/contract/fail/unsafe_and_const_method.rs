use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async unsafe fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-refund")]
    async fn refund<T>(&self, sku: String) -> Result<u64, InvokeError>
    where
        T: Send;
}

fn main() {}
