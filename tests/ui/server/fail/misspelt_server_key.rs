//! A misspelt `server` key is one mistake: one error, the unknown key; the user's code that
//! builds the server adds none (rustc resolves no names after a macro's error).

use lambda_remote::{lambda_remote, InvokeError, MethodHandler};

#[lambda_remote(sever)]
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
