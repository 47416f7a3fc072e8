//! A function name under an unknown key (`name = "…"`) is one mistake: one error, the unknown
//! key; the method is not also reported as missing its function name.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(name = "billing-charge", timeout = "10s")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
