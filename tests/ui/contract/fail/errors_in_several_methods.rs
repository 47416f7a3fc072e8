use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    fn charge(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing refund")]
    async fn refund(&mut self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-audit", invocation = "fire_and_forget")]
    async fn audit(&self, entry: String) -> Result<(), InvokeError>;

    async fn void(&self, sku: String) -> Result<(), InvokeError>;
}

fn main() {}
