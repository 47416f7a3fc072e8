use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Archive {
    #[lambda(function = "archive-put", claim_check = "sometimes")]
    async fn put(&self, document: String) -> Result<(), InvokeError>;

    #[lambda(function = "archive-get", claim_check = true)]
    async fn get(&self, id: String) -> Result<String, InvokeError>;

    #[lambda(function = "archive-check", invocation = "dry_run", claim_check = "always")]
    async fn check(&self, document: String) -> Result<(), InvokeError>;

    #[lambda(function = "archive-copy", claim_check = "auto", claim_check = "never")]
    async fn copy(&self, document: String) -> Result<(), InvokeError>;
}

fn main() {}
