use lambda_remote::{lambda_remote, InvokeError};

pub struct Order {
    pub sku: String,
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<u64, InvokeError>;
}

fn main() {}
