//! A borrowed type inside an argument's type, on a served trait: one error, at the reference.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-find")]
    async fn find(&self, skus: Vec<&'static [u8]>) -> Result<u64, InvokeError>;
}

fn main() {}
