//! Where an idempotency key cannot apply: a streamed response (not kept, so a repeat could
//! not be answered with it), a dry run (nothing runs), a durable function (Lambda already
//! deduplicates by the durable execution name).

use lambda_remote::{lambda_remote, InvokeError, ResponseStream};

#[lambda_remote]
pub trait Orders {
    #[lambda(function = "orders-rows", invocation = "stream", idempotency_key = "rows-{order_id}")]
    async fn rows(&self, order_id: u64) -> Result<ResponseStream<u64>, InvokeError>;

    #[lambda(function = "orders-check", invocation = "dry_run", idempotency_key = "check-{order_id}")]
    async fn check(&self, order_id: u64) -> Result<(), InvokeError>;

    #[lambda(
        function = "orders-place:live",
        durable_execution_name = "order-{order_id}",
        idempotency_key = "order-{order_id}"
    )]
    async fn place(&self, order_id: u64) -> Result<(), InvokeError>;
}

fn main() {}
