use lambda_remote::{lambda_remote, InvokeError};

pub struct Receipt {
    pub id: String,
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<Receipt, InvokeError>;
}

fn main() {}
