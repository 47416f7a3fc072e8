//! An argument in an idempotency key is formatted by its `Display`: a type without one is
//! reported at the template.

use lambda_remote::{lambda_remote, InvokeError};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
}

#[lambda_remote(server)]
pub trait Orders {
    #[lambda(function = "orders-place", idempotency_key = "order-{order}")]
    async fn place(&self, order: Order) -> Result<(), InvokeError>;
}

fn main() {}
