//! Trait objects: `#[lambda_remote(dyn_trait)]` generates `DynBilling`, a cloneable handle to
//! any implementation behind `Arc<dyn …>`, so the generated client and a fake are injected
//! through the same type, which implements `Billing` itself — without making a call on the
//! client or the fake ambiguous.

// `note<'a>` declares its lifetime on purpose: the handle must carry declared lifetimes too.
#![allow(clippy::needless_lifetimes)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_remote::ErrorObject;
use lambda_remote::local::LocalLambda;
use lambda_remote::{InvokeError, lambda_remote};

#[lambda_remote(dyn_trait)]
pub trait Billing {
    /// A borrowed argument, an owned one and a result.
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: &str, qty: u32) -> Result<u64, InvokeError>;

    /// A method lifetime in an argument type.
    #[lambda(function = "billing-note")]
    async fn note<'a>(&self, lines: Vec<&'a str>) -> Result<usize, InvokeError>;

    /// No argument, an event.
    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self) -> Result<(), InvokeError>;
}

/// A fake, counting its calls.
#[derive(Default)]
struct Fake {
    calls: AtomicUsize,
}

impl Billing for Fake {
    async fn charge(&self, sku: &str, qty: u32) -> Result<u64, InvokeError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(sku.len() as u64 * u64::from(qty))
    }

    async fn note<'a>(&self, lines: Vec<&'a str>) -> Result<usize, InvokeError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(lines.len())
    }

    async fn audit(&self) -> Result<(), InvokeError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Code written against the handle.
async fn bill(billing: DynBilling) -> Result<(u64, usize), InvokeError> {
    let sku = String::from("A-12");
    let total = billing.charge(&sku, 3).await?;
    let noted = billing.note(vec!["one", "two"]).await?;
    billing.audit().await?;
    Ok((total, noted))
}

/// Code written against `impl Billing`, given the handle.
async fn generic(billing: &impl Billing) -> Result<u64, InvokeError> {
    billing.charge("XY", 5).await
}

async fn endpoint() -> LocalLambda {
    LocalLambda::builder()
        .json_function("billing-charge", |args: serde_json::Value| async move {
            let sku = args["sku"].as_str().unwrap_or_default().len() as u64;
            let qty = args["qty"].as_u64().unwrap_or_default();
            Ok::<_, ErrorObject>(sku * qty * 100)
        })
        .json_function("billing-note", |lines: Vec<String>| async move {
            Ok::<_, ErrorObject>(lines.len() * 10)
        })
        .json_function("billing-audit", |_: serde_json::Value| async move {
            Ok::<_, ErrorObject>(())
        })
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_client_and_a_fake_are_injected_through_the_same_handle() {
    let lambda = endpoint().await;
    let client = BillingClient::new(lambda.sdk_client());
    // Both traits in scope, a call on the client itself is not ambiguous.
    assert_eq!(client.charge("AB", 1).await.unwrap(), 200);
    let handle = DynBilling::new(client);
    assert_eq!(bill(handle.clone()).await.unwrap(), (1200, 20));
    assert_eq!(lambda.invocations("billing-charge").len(), 2);
    assert_eq!(lambda.invocations("billing-note").len(), 1);
    lambda.drain_events().await;
    assert_eq!(lambda.invocations("billing-audit").len(), 1);

    let fake = Arc::new(Fake::default());
    let counting = Arc::clone(&fake);
    let injected = DynBilling::new(Shared(counting));
    assert_eq!(bill(injected.clone()).await.unwrap(), (12, 2));
    assert_eq!(fake.calls.load(Ordering::SeqCst), 3);

    // The handle implements `Billing`: it goes where `&impl Billing` is taken.
    assert_eq!(generic(&handle).await.unwrap(), 1000);
    assert_eq!(generic(&injected).await.unwrap(), 10);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 4);
    assert_eq!(format!("{injected:?}"), "DynBilling");
}

/// A fake shared with the test, which reads its counter.
struct Shared(Arc<Fake>);

impl Billing for Shared {
    async fn charge(&self, sku: &str, qty: u32) -> Result<u64, InvokeError> {
        self.0.charge(sku, qty).await
    }

    async fn note<'a>(&self, lines: Vec<&'a str>) -> Result<usize, InvokeError> {
        self.0.note(lines).await
    }

    async fn audit(&self) -> Result<(), InvokeError> {
        self.0.audit().await
    }
}

#[test]
fn the_handle_is_send_sync_and_clone() {
    fn assert_handle<T: Send + Sync + Clone + 'static>() {}
    assert_handle::<DynBilling>();
}
