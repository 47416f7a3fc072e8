use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge<const N: usize>(&self, skus: [u32; N]) -> Result<u64, InvokeError>;
}

fn main() {}
