use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-handlers")]
    async fn handlers(&self) -> Result<(), InvokeError>;
}

fn main() {}
