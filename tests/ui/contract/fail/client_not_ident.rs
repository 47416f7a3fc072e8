use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(client = "billing::Client")]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
