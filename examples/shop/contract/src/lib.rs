//! The shop's contract: the trait both sides compile against, its types and its errors.
//! `shop-function` serves it, `shop-caller` calls it, `shop-deploy` writes the deployment
//! (SAM template, the caller's IAM policy) from its description.

use lambda_remote::{FunctionError, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

/// An order of `qty` of product `sku`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The product.
    pub sku: String,
    /// How many.
    pub qty: u32,
}

/// What an order cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The product.
    pub sku: String,
    /// The total, in cents.
    pub total_cents: u64,
}

/// The errors the function returns and the caller matches on.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum OrderError {
    /// The product is sold out.
    #[error("out of stock: {0}")]
    OutOfStock(String),
    /// Too many in one order.
    #[error("at most {max} per order")]
    TooMany {
        /// The most one order may hold.
        max: u32,
    },
}

/// The shop. Each method is a Lambda function of its own; the caller waits at most the
/// method's `timeout`, and the function's own timeout is derived from it (`shop-deploy`).
#[lambda_remote(server)]
pub trait Shop {
    /// Places an order.
    #[lambda(function = "shop-order", timeout = "10s")]
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<OrderError>>;

    /// Prices a quantity of a product.
    #[lambda(function = "shop-quote", timeout = "3s")]
    async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;

    /// Ships an order, as a durable execution named after it (once per order id), through the
    /// alias `live`; queued (`Event`): the caller does not wait for it.
    #[lambda(
        function = "shop-ship",
        qualifier = "live",
        invocation = "event",
        durable_execution_name = "ship-{order_id}"
    )]
    async fn ship(&self, order_id: String) -> Result<(), InvokeError>;
}
