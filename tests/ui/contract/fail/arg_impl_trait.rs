//! An `impl Trait` argument: one error, at `impl …`, saying to write a concrete type.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: impl serde::Serialize + Send) -> Result<u64, InvokeError>;
}

fn main() {}
