use lambda_remote::{lambda_remote, InvokeError};

#[derive(serde::Deserialize)]
pub struct Receipt {
    pub total: u64,
}

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-order")]
    async fn order(&self, sku: String) -> Result<Receipt, InvokeError>;
}

fn main() {}
