use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Result<u64, InvokeError>;
}

fn main() {}
