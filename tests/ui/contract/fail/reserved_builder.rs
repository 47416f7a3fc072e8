use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Houses {
    #[lambda(function = "houses-builder")]
    async fn builder(&self, name: String) -> Result<u64, InvokeError>;
}

fn main() {}
