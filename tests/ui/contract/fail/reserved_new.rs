use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Accounts {
    #[lambda(function = "accounts-new")]
    async fn new(&self, owner: String) -> Result<u64, InvokeError>;
}

fn main() {}
