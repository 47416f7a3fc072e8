use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-audit", invocation = "dry_run")]
    async fn can_audit(&self) -> Result<String, InvokeError>;
}

fn main() {}
