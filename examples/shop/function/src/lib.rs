//! The shop's implementation, served by this crate's binary (`src/main.rs`) and, on the local
//! endpoint, by `shop-caller --features local`.

use std::sync::atomic::{AtomicU64, Ordering};

use lambda_remote::{InvokeError, MethodHandler};
use shop_contract::{Order, OrderError, Receipt, Shop, ShopServer};

/// The price of one item, in cents.
pub const PRICE_CENTS: u64 = 999;
/// The most one order may hold.
pub const MAX_PER_ORDER: u32 = 10;

/// The shop. Under Lambda Managed Instances one process serves many invocations at once, so
/// its state is safe to share: an atomic counter, no lock held across an `.await`.
#[derive(Debug, Default)]
pub struct ShopImpl {
    orders: AtomicU64,
}

impl Shop for ShopImpl {
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<OrderError>> {
        if order.sku == "SOLD-OUT" {
            Err(OrderError::OutOfStock(order.sku.clone()))?;
        }
        if order.qty > MAX_PER_ORDER {
            Err(OrderError::TooMany { max: MAX_PER_ORDER })?;
        }
        let number = self.orders.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::info!(sku = %order.sku, qty = order.qty, number, "order placed");
        Ok(Receipt {
            total_cents: u64::from(order.qty) * PRICE_CENTS,
            sku: order.sku,
        })
    }

    async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError> {
        tracing::debug!(%sku, qty, "quote");
        Ok(u64::from(qty) * PRICE_CENTS)
    }

    async fn ship(&self, order_id: String) -> Result<(), InvokeError> {
        tracing::info!(%order_id, "shipping");
        Ok(())
    }
}

/// Every method's handler, for `lambda_remote::server::run_all` or the local endpoint.
pub fn handlers() -> Vec<MethodHandler> {
    ShopServer::new(ShopImpl::default()).handlers()
}
