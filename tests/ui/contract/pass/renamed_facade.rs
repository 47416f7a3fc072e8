//! The facade crate under another name: `crate = "…"` on `#[lambda_remote]` and on
//! `#[function_error]`. Both ways of renaming work: `extern crate … as …` at the crate root
//! (then `crate = "::renamed"`, from anywhere), and `use … as …` (then a path to that `use`,
//! such as `crate = "crate::facade"`).

extern crate lambda_remote as renamed;

use ::lambda_remote as facade;

mod extern_crate {
    use renamed::{lambda_remote, FunctionError, InvokeError};

    #[derive(Debug, FunctionError)]
    #[function_error(crate = "::renamed")]
    pub enum ChargeError {
        Declined,
        Limited {
            limit: u64,
        },
        #[function_error(other)]
        Other(renamed::ErrorObject),
    }

    #[lambda_remote(crate = "::renamed")]
    pub trait Billing {
        #[lambda(function = "billing-charge")]
        async fn charge(&self, sku: String, qty: u32) -> Result<u64, InvokeError<ChargeError>>;

        #[lambda(function = "billing-audit", invocation = "event")]
        async fn audit(&self, entry: String) -> Result<(), InvokeError>;
    }

    #[allow(dead_code)]
    pub async fn use_it(client: &BillingClient) -> Result<u64, InvokeError<ChargeError>> {
        client.charge("A-1".into(), 2).await
    }
}

mod use_as {
    use crate::facade::{lambda_remote, FunctionError, InvokeError};

    #[derive(Debug, FunctionError)]
    #[function_error(crate = "crate::facade")]
    pub enum ChargeError {
        Declined(String),
        Limited { limit: u64 },
    }

    #[lambda_remote(crate = "crate::facade")]
    pub trait Billing {
        #[lambda(function = "billing-charge")]
        async fn charge(&self, sku: String) -> Result<u64, InvokeError<ChargeError>>;
    }

    #[allow(dead_code)]
    pub async fn use_it(client: &BillingClient) -> Result<u64, InvokeError<ChargeError>> {
        client.charge("A-1".into()).await
    }
}

fn main() {
    let _ = extern_crate::use_it;
    let _ = use_as::use_it;
}
