//! A user `Result` alias in scope, used in the return types (with one and two parameters).

use lambda_remote::{lambda_remote, FunctionError, InvokeError};

type Result<T, E = std::convert::Infallible> = std::result::Result<T, InvokeError<E>>;
type Unit = std::result::Result<(), InvokeError>;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, ChargeError>;

    #[lambda(function = "billing-quote")]
    async fn quote(&self, sku: String) -> Result<u64>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Unit;
}

#[allow(dead_code)]
async fn use_it(client: &BillingClient) -> Result<u64, ChargeError> {
    let quoted: Result<u64> = client.quote("A-1".into()).await;
    let _ = quoted;
    let _: Unit = client.audit("x".into()).await;
    client.charge("A-1".into()).await
}

fn main() {}
