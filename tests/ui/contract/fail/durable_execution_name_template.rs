use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Orders {
    #[lambda(function = "orders-place", durable_execution_name = "order-{missing}")]
    async fn place(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-ship", durable_execution_name = "ship {order_id}")]
    async fn ship(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-void", durable_execution_name = "void-{}")]
    async fn void(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(function = "orders-pay", durable_execution_name = "pay-{order_id")]
    async fn pay(&self, order_id: u64) -> Result<(), InvokeError>;
}

fn main() {}
