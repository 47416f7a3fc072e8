use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-audit", invocation = "event", log = "tail")]
    async fn audit(&self, entry: String) -> Result<(), InvokeError>;
}

fn main() {}
