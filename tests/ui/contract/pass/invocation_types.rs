//! Every invocation type, `log = "tail"`, `log = "none"`, timeouts, qualifiers, ARNs, and
//! methods without arguments.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge", invocation = "request_response")]
    async fn charge(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "billing-audit", invocation = "dry_run")]
    async fn can_audit(&self) -> Result<(), InvokeError>;

    #[lambda(function = "billing-ping", log = "tail", timeout = "1m30s")]
    async fn ping(&self) -> Result<(), InvokeError>;

    #[lambda(function = "billing-quiet", log = "none", timeout = "500ms")]
    async fn quiet(&self) -> Result<String, InvokeError>;

    #[lambda(
        function = "arn:aws:lambda:us-east-1:123456789012:function:quote",
        qualifier = "live",
        timeout = "2h"
    )]
    async fn quote(&self, sku: String) -> Result<u64, InvokeError>;

    #[lambda(function = "billing-versioned:7", qualifier = "7")]
    async fn versioned(&self) -> Result<(), InvokeError>;

    #[lambda(function = "123456789012:function:partial:$LATEST")]
    async fn partial(&self) -> Result<(), InvokeError>;

    /// The attributes may be split over several `#[lambda]`s.
    #[lambda(function = "billing-split")]
    #[lambda(invocation = "Event")]
    async fn split(&self) -> Result<(), InvokeError>;
}

#[allow(dead_code)]
async fn use_it(client: &BillingClient) -> Result<(), InvokeError> {
    client.charge("A-1".into(), 2).await?;
    client.audit("x".into()).await?;
    client.can_audit().await?;
    client.ping().await?;
    client.quiet().await?;
    client.quote("A-1".into()).await?;
    client.versioned().await?;
    client.partial().await?;
    client.split().await?;
    Ok(())
}

fn main() {}
