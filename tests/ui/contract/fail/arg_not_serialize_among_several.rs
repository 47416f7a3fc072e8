use lambda_remote::{lambda_remote, InvokeError};

pub struct Coupon(pub String);

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(
        &self,
        sku: String,
        coupon: Option<Coupon>,
        qty: u32,
    ) -> Result<u64, InvokeError>;
}

fn main() {}
