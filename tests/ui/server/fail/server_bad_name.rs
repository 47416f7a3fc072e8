//! A server name that is no identifier is one mistake: one error, at the value; the server is
//! still stubbed under its default name, so the user's code that builds it adds no error.

use lambda_remote::{lambda_remote, InvokeError, MethodHandler};

#[lambda_remote(server = "Shop Server")]
pub trait Shop {
    #[lambda(function = "shop-find")]
    async fn find(&self, sku: String) -> Result<u64, InvokeError>;
}

pub struct Local;

impl Shop for Local {
    async fn find(&self, _sku: String) -> Result<u64, InvokeError> {
        Ok(1)
    }
}

pub fn handlers() -> Vec<MethodHandler> {
    ShopServer::new(Local).handlers()
}

fn main() {}
