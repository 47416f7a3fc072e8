//! The served function of `served.rs` written by hand on `lambda_runtime`: `service_fn` over
//! the same types, the same work, the same error's `errorType`. `function-bench` measures both
//! (BENCHMARKS.md, "Function side (issue 22)").

use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
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

pub async fn charge(event: LambdaEvent<Order>) -> Result<Receipt, Diagnostic> {
    let order = event.payload;
    if order.qty == 0 {
        return Err(Diagnostic {
            error_type: "CardDeclined".into(),
            error_message: "Declined".into(),
        });
    }
    let units: u64 = order.lines.iter().map(|l| u64::from(l.qty)).sum();
    Ok(Receipt {
        id: format!("r-{}", order.sku),
        total_cents: (u64::from(order.qty) + units) * 250,
        lines: order.lines,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(service_fn(charge)).await
}
