//! The futures of the trait methods and of `_with` are `Send`, so they can be spawned; the
//! trait can be used generically.

use std::sync::Arc;

use lambda_remote::{lambda_remote, CallOptions, InvokeError};

#[lambda_remote]
pub trait Billing: Send + Sync {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-lookup")]
    async fn lookup(&self, sku: &str) -> Result<Option<String>, InvokeError>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self) -> Result<(), InvokeError>;
}

fn assert_send<T: Send>(_: T) {}

#[allow(dead_code)]
fn futures_are_send(client: &BillingClient, options: &CallOptions) {
    assert_send(client.charge("A-1".into(), 2));
    assert_send(client.lookup("A-1"));
    assert_send(client.audit());
    assert_send(client.charge_with(options, "A-1".into(), 2));
    assert_send(client.lookup_with(options, "A-1"));
    assert_send(client.audit_with(options));
}

#[allow(dead_code)]
async fn generic(billing: &impl Billing) -> Result<u64, InvokeError> {
    billing.charge("A-1".into(), 1).await
}

#[allow(dead_code)]
fn spawned(client: Arc<BillingClient>) -> tokio::task::JoinHandle<Result<u64, InvokeError>> {
    tokio::spawn(async move { client.charge("A-1".into(), 1).await })
}

fn main() {}
