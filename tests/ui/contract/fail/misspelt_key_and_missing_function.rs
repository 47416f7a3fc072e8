//! A misspelt key other than `function` on a method without `function` is two mistakes: two
//! errors, the unknown key and the missing function name.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(timout = "10s")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

fn main() {}
