use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "arn:azure:lambda:us-east-1:123456789012:function:charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
