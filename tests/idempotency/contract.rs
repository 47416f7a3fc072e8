//! The keyed contract the idempotency tests serve, and an implementation that counts each run
//! of each method body where it runs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lambda_remote::{FunctionError, InvocationContext, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

/// What a charge answers: which run of the body produced it, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub order_id: u64,
    pub amount: u64,
    /// The body's run number for this order (1 for its first run).
    pub run: usize,
    /// The tenant the run was for.
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum ChargeError {
    /// A charge of 0: the body ran and failed (the record is deleted).
    #[error("nothing to charge")]
    Nothing,
}

#[lambda_remote(server)]
pub trait Orders {
    /// Keyed by order: every call of one order runs the body once.
    #[lambda(function = "orders-charge", idempotency_key = "charge-{order_id}")]
    async fn charge(&self, order_id: u64, amount: u64)
    -> Result<Receipt, InvokeError<ChargeError>>;

    /// The same body without a key.
    #[lambda(function = "orders-plain")]
    async fn plain(&self, order_id: u64, amount: u64) -> Result<Receipt, InvokeError<ChargeError>>;

    /// A result of `size` bytes.
    #[lambda(function = "orders-big", idempotency_key = "big-{order_id}")]
    async fn big(&self, order_id: u64, size: usize) -> Result<String, InvokeError>;
}

/// Counts the runs of each body by order id; `delay` holds each run of `charge` that long
/// (for racing callers).
#[derive(Debug, Clone, Default)]
pub struct Counting {
    runs: Arc<Mutex<HashMap<(&'static str, u64), usize>>>,
    pub delay: Duration,
}

impl Counting {
    /// A counter whose `charge` runs take `delay` each.
    pub fn delayed(delay: Duration) -> Self {
        Self {
            delay,
            ..Self::default()
        }
    }

    fn run(&self, method: &'static str, order_id: u64) -> usize {
        let mut runs = self.runs.lock().unwrap();
        let count = runs.entry((method, order_id)).or_default();
        *count += 1;
        *count
    }

    /// How many times `method`'s body ran for `order_id`.
    pub fn runs(&self, method: &'static str, order_id: u64) -> usize {
        self.runs
            .lock()
            .unwrap()
            .get(&(method, order_id))
            .copied()
            .unwrap_or(0)
    }

    /// How many times any body ran.
    pub fn all_runs(&self) -> usize {
        self.runs.lock().unwrap().values().sum()
    }
}

impl Orders for Counting {
    async fn charge(
        &self,
        order_id: u64,
        amount: u64,
    ) -> Result<Receipt, InvokeError<ChargeError>> {
        let run = self.run("charge", order_id);
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        if amount == 0 {
            return Err(ChargeError::Nothing.into());
        }
        Ok(Receipt {
            order_id,
            amount,
            run,
            tenant: InvocationContext::current().and_then(|c| c.tenant_id().map(str::to_owned)),
        })
    }

    async fn plain(&self, order_id: u64, amount: u64) -> Result<Receipt, InvokeError<ChargeError>> {
        let run = self.run("plain", order_id);
        Ok(Receipt {
            order_id,
            amount,
            run,
            tenant: None,
        })
    }

    async fn big(&self, order_id: u64, size: usize) -> Result<String, InvokeError> {
        self.run("big", order_id);
        Ok("x".repeat(size))
    }
}
