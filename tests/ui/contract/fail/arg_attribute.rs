//! An attribute on an argument: one error, at the attribute, saying to remove it.

use lambda_remote::{lambda_remote, InvokeError};

#[derive(serde::Serialize)]
pub struct Order {
    pub sku: String,
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, #[serde(rename = "x")] order: Order) -> Result<u64, InvokeError>;
}

fn main() {}
