use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing<T> {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: T) -> Result<u64, InvokeError>;
}

fn main() {}
