//! A misspelt `#[lambda]` is one mistake: one error, at the attribute; the method is not also
//! reported as missing its function name, nor the attribute as unknown to the compiler.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lamda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
