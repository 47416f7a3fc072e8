use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge", invocation = "async")]
    async fn charge(&self, sku: String) -> Result<(), InvokeError>;
}

fn main() {}
