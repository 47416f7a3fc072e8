//! One contract shared by the serving tests: every method shape and every error variant kind,
//! with an implementation that answers from its arguments.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_remote::{ErrorObject, FunctionError, InvokeError, error::Details, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub sku: String,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub code: u32,
    pub reason: String,
}

/// Every variant kind.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum ShopError {
    #[error("card declined")]
    #[function_error(rename = "CardDeclined")]
    Declined,
    #[error("out of stock: {0}")]
    OutOfStock(String),
    #[error("over the limit of {limit} ({unit})")]
    OverLimit { limit: u64, unit: String },
    #[error("issuer refused")]
    Issuer(Details<Decline>),
    #[error("other: {0}")]
    #[function_error(other)]
    Other(ErrorObject),
}

#[lambda_remote(server)]
pub trait Shop {
    /// No argument, struct result.
    #[lambda(function = "shop-status")]
    async fn status(&self) -> Result<Receipt, InvokeError>;

    /// One argument.
    #[lambda(function = "shop-order")]
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<ShopError>>;

    /// Several arguments, scalar result.
    #[lambda(function = "shop-quote")]
    async fn quote(
        &self,
        sku: String,
        qty: u32,
        discount: Option<u8>,
    ) -> Result<u64, InvokeError<ShopError>>;

    /// Unit result.
    #[lambda(function = "shop-touch")]
    async fn touch(&self, sku: String) -> Result<(), InvokeError>;

    /// An event.
    #[lambda(function = "shop-audit", invocation = "event")]
    async fn audit(&self, line: String) -> Result<(), InvokeError>;

    /// Fails with whatever the scenario names.
    #[lambda(function = "shop-fail")]
    async fn fail(&self, scenario: String) -> Result<(), InvokeError<ShopError>>;

    /// Fails without typed errors: a panic or another error reaches the caller unmapped.
    #[lambda(function = "shop-fail-untyped")]
    async fn fail_untyped(&self, scenario: String) -> Result<(), InvokeError>;
}

/// The implementation: prices at 100 per unit.
#[derive(Default)]
pub struct ShopImpl {
    pub audits: Arc<AtomicUsize>,
}

pub fn total(qty: u32, discount: Option<u8>) -> u64 {
    (u64::from(qty) * 100).saturating_sub(u64::from(discount.unwrap_or(0)))
}

impl Shop for ShopImpl {
    async fn status(&self) -> Result<Receipt, InvokeError> {
        Ok(Receipt {
            sku: "status".into(),
            total: 0,
        })
    }

    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<ShopError>> {
        if order.qty == 0 {
            Err(ShopError::OutOfStock(order.sku.clone()))?;
        }
        Ok(Receipt {
            total: total(order.qty, None),
            sku: order.sku,
        })
    }

    async fn quote(
        &self,
        sku: String,
        qty: u32,
        discount: Option<u8>,
    ) -> Result<u64, InvokeError<ShopError>> {
        let _ = sku;
        Ok(total(qty, discount))
    }

    async fn touch(&self, _sku: String) -> Result<(), InvokeError> {
        Ok(())
    }

    async fn audit(&self, _line: String) -> Result<(), InvokeError> {
        self.audits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn fail_untyped(&self, scenario: String) -> Result<(), InvokeError> {
        Self::untyped(&scenario)
    }

    async fn fail(&self, scenario: String) -> Result<(), InvokeError<ShopError>> {
        match scenario.as_str() {
            "declined" => Err(ShopError::Declined.into()),
            "stock" => Err(ShopError::OutOfStock("A-1".into()).into()),
            "limit" => Err(ShopError::OverLimit {
                limit: 5,
                unit: "items".into(),
            }
            .into()),
            "issuer" => Err(ShopError::Issuer(Details(Decline {
                code: 51,
                reason: "funds".into(),
            }))
            .into()),
            "panic" => panic!("the shop is on fire"),
            _ => Err(InvokeError::Rejected(Box::new(
                lambda_remote::error::Rejected::ClientContext(format!(
                    "unknown scenario {scenario}"
                )),
            ))),
        }
    }
}

impl ShopImpl {
    fn untyped(scenario: &str) -> Result<(), InvokeError> {
        if scenario == "panic" {
            panic!("the shop is on fire");
        }
        Err(InvokeError::Rejected(Box::new(
            lambda_remote::error::Rejected::ClientContext(format!("unknown scenario {scenario}")),
        )))
    }
}

/// The error each scenario must come back as.
pub fn expected(scenario: &str) -> Option<ShopError> {
    match scenario {
        "declined" => Some(ShopError::Declined),
        "stock" => Some(ShopError::OutOfStock("A-1".into())),
        "limit" => Some(ShopError::OverLimit {
            limit: 5,
            unit: "items".into(),
        }),
        "issuer" => Some(ShopError::Issuer(Details(Decline {
            code: 51,
            reason: "funds".into(),
        }))),
        _ => None,
    }
}

/// The typed-error scenarios of `fail`, in order.
pub const SCENARIOS: [&str; 4] = ["declined", "stock", "limit", "issuer"];

/// Calls `fail` with every scenario and checks each comes back as its own variant.
pub async fn assert_typed_errors_round_trip(client: &ShopClient) {
    for scenario in SCENARIOS {
        let error = client.fail(scenario.into()).await.unwrap_err();
        assert_eq!(
            error.function_error(),
            expected(scenario).as_ref(),
            "{scenario}: {error:?}"
        );
    }
}

/// An order of nothing is out of stock, typed.
pub async fn assert_out_of_stock(client: &ShopClient) {
    let error = client
        .order(Order {
            sku: "Z".into(),
            qty: 0,
            note: None,
        })
        .await
        .unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&ShopError::OutOfStock("Z".into()))
    );
}
