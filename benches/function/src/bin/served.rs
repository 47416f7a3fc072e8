//! A served function: `#[lambda_remote(server)]` on the contract, `server::run` on
//! `lambda_runtime`, with lambda-remote's `server` feature alone. Its hand-written twin is
//! `hand.rs`; `function-bench` measures both (BENCHMARKS.md, "Function side (issue 22)").

use lambda_remote::{FunctionError, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Line {
    pub sku: String,
    pub qty: u32,
}

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
    pub lines: Vec<Line>,
}

#[derive(Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
    pub lines: Vec<Line>,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "CardDeclined")]
    Declined,
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ChargeError {}

#[lambda_remote(server)]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;
}

struct Charging;

impl Billing for Charging {
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>> {
        if order.qty == 0 {
            return Err(ChargeError::Declined.into());
        }
        let units: u64 = order.lines.iter().map(|l| u64::from(l.qty)).sum();
        Ok(Receipt {
            id: format!("r-{}", order.sku),
            total_cents: (u64::from(order.qty) + units) * 250,
            lines: order.lines,
        })
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_remote::server::Error> {
    lambda_remote::server::run(BillingServer::new(Charging).charge()).await
}
