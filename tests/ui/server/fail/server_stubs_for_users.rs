//! A served contract with a mistake still defines a stub server: the user's code that builds it
//! adds no errors of its own.

use lambda_remote::{lambda_remote, InvokeError, MethodHandler};

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-find", timeout = "soon")]
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
