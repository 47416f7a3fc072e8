//! An argument bound to a pattern is one mistake: one error, at the pattern; the durable
//! execution name that names the argument is not also reported.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Orders {
    #[lambda(function = "orders-place", durable_execution_name = "order-{order_id}")]
    async fn place(&self, mut order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-ship", durable_execution_name = "ship-{order}")]
    async fn ship(&self, (order, _at): (u64, u64)) -> Result<(), InvokeError>;
}

fn main() {}
