use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    type Receipt;

    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
