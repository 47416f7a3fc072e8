use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "arn:aws:lambda:us-east-1:123456789012")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
