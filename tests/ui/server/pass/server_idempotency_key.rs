//! Keyed methods: the key a template over one or several arguments (a raw identifier too),
//! on a served contract; an event method may have one.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(server)]
pub trait Orders {
    #[lambda(function = "orders-place", idempotency_key = "order-{order_id}")]
    async fn place(&self, order_id: u64) -> Result<String, InvokeError>;

    #[lambda(
        function = "orders-pay",
        idempotency_key = "pay {order_id}/{type}: ünïcode"
    )]
    async fn pay(&self, order_id: u64, r#type: String, amount: u64) -> Result<u64, InvokeError>;

    #[lambda(
        function = "orders-audit",
        invocation = "event",
        idempotency_key = "audit-{order_id}"
    )]
    async fn audit(&self, order_id: u64) -> Result<(), InvokeError>;
}

struct Shop;

impl Orders for Shop {
    async fn place(&self, order_id: u64) -> Result<String, InvokeError> {
        Ok(order_id.to_string())
    }

    async fn pay(&self, _order_id: u64, _type: String, amount: u64) -> Result<u64, InvokeError> {
        Ok(amount)
    }

    async fn audit(&self, _order_id: u64) -> Result<(), InvokeError> {
        Ok(())
    }
}

fn main() {
    let handlers = OrdersServer::new(Shop).handlers();
    assert_eq!(handlers.len(), 3);
    let contract = <OrdersClient as lambda_remote::GeneratedClient>::contract();
    assert_eq!(
        contract.method("pay").unwrap().idempotency_key.as_deref(),
        Some("pay {order_id}/{type}: ünïcode")
    );
}
