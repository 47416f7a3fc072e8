use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge", log = "full")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
