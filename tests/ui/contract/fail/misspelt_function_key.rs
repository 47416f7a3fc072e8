//! A misspelt `function` key is one mistake: one error, the unknown key; the method is not also
//! reported as missing its function name.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(fucntion = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
