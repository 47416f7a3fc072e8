//! A mock rule is typed by the method it mocks: a success or a function error of another type
//! does not compile.
use lambda_remote::mock::MockMethod;
use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {
    let _ = MockMethod::of(BillingClient::charge).returns(&"twelve");
}
