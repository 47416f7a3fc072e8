//! An idempotency key is a template over the method's arguments: each `{…}` names one, the
//! template is not empty, and it names at least one (a constant key would give every call
//! the first call's result).

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Orders {
    #[lambda(function = "orders-place", idempotency_key = "order-{missing}")]
    async fn place(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-ship", idempotency_key = "")]
    async fn ship(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-void", idempotency_key = "void")]
    async fn void(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-pay", idempotency_key = "pay-{}")]
    async fn pay(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-refund", idempotency_key = "refund-{order_id")]
    async fn refund(&self, order_id: u64) -> Result<(), InvokeError>;
}

fn main() {}
