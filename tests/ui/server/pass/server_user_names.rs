//! The server's own type parameter and items capture none of the user's names: an argument type
//! named `T` (like a conventional type parameter) is the user's `T`, and a method lifetime in an
//! owned argument type (`Cow<'a, str>`) is served.

#![allow(dead_code)]

use std::borrow::Cow;

use lambda_remote::{lambda_remote, InvokeError};

#[derive(serde::Serialize, serde::Deserialize)]
pub struct T {
    pub sku: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Success;

#[lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-order")]
    async fn order(&self, order: T) -> Result<u64, InvokeError>;

    #[lambda(function = "shop-pair")]
    async fn pair(&self, first: T, second: Option<T>) -> Result<Success, InvokeError>;

    #[lambda(function = "shop-find")]
    async fn find<'a>(&self, sku: Cow<'a, str>) -> Result<u64, InvokeError>;

    #[lambda(function = "shop-rename")]
    async fn rename<'a, 'b>(&self, from: Cow<'a, str>, to: Cow<'b, str>)
        -> Result<(), InvokeError>;
}

struct Impl;

impl Shop for Impl {
    async fn order(&self, order: T) -> Result<u64, InvokeError> {
        Ok(order.sku.len() as u64)
    }
    async fn pair(&self, _first: T, _second: Option<T>) -> Result<Success, InvokeError> {
        Ok(Success)
    }
    async fn find<'a>(&self, sku: Cow<'a, str>) -> Result<u64, InvokeError> {
        Ok(sku.len() as u64)
    }
    async fn rename<'a, 'b>(
        &self,
        _from: Cow<'a, str>,
        _to: Cow<'b, str>,
    ) -> Result<(), InvokeError> {
        Ok(())
    }
}

fn main() {
    let server = ShopServer::new(Impl);
    let _ = (server.handlers(), server.order(), server.find());
}
