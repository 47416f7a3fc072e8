//! A misspelt `client` key is one mistake: one error, the unknown key; the user's code naming
//! the client it meant (`Payments`) adds none (rustc resolves no names after a macro's error).

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(clinet = "Payments")]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
}

pub fn client(sdk: lambda_remote::aws_sdk_lambda::Client) -> Payments {
    Payments::new(sdk)
}

fn main() {}
