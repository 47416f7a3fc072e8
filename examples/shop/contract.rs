//! The contract both sides of the shop example compile against: `shop_function` serves it,
//! `shop_client` calls it.

// Each binary uses its own side of the contract.
#![allow(dead_code)]

use lambda_remote::{FunctionError, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub sku: String,
    pub total_cents: u64,
}

/// The errors the function returns and the client matches on.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum OrderError {
    #[error("out of stock: {0}")]
    OutOfStock(String),
    #[error("at most {max} per order")]
    TooMany { max: u32 },
}

#[lambda_remote(server)]
pub trait Shop {
    /// Places an order.
    #[lambda(function = "shop-order")]
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<OrderError>>;

    /// Prices a quantity of a product.
    #[lambda(function = "shop-quote")]
    async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;
}

/// The function's implementation.
pub struct ShopImpl;

const PRICE_CENTS: u64 = 999;
const MAX_PER_ORDER: u32 = 10;

impl Shop for ShopImpl {
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<OrderError>> {
        if order.sku == "SOLD-OUT" {
            Err(OrderError::OutOfStock(order.sku.clone()))?;
        }
        if order.qty > MAX_PER_ORDER {
            Err(OrderError::TooMany { max: MAX_PER_ORDER })?;
        }
        Ok(Receipt {
            total_cents: u64::from(order.qty) * PRICE_CENTS,
            sku: order.sku,
        })
    }

    async fn quote(&self, _sku: String, qty: u32) -> Result<u64, InvokeError> {
        Ok(u64::from(qty) * PRICE_CENTS)
    }
}
