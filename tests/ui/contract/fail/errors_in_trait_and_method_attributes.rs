use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(crate = 5, flavor = "fast")]
pub trait Billing {
    #[lambda(function = "billing-charge", qualifier = "live", qualifier = "blue")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
