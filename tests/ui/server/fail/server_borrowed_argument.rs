use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-find")]
    async fn find(&self, sku: &str) -> Result<u64, InvokeError>;
}

fn main() {}
