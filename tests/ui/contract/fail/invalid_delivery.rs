use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge", delivery = "exactly_once")]
    async fn charge(&self, cents: u64) -> Result<(), InvokeError>;

    #[lambda(function = "billing-refund", delivery = 3)]
    async fn refund(&self, cents: u64) -> Result<(), InvokeError>;
}

fn main() {}
