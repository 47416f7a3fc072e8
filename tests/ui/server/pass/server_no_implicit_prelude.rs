//! `#[lambda_remote(server)]` generates `<Trait>Server`, and its expansion too names every path
//! absolutely: it compiles without the prelude, next to items named like the prelude's.

#![no_implicit_prelude]
#![allow(dead_code)]

struct Option;
struct Result;
struct Vec;
struct Arc;
struct String;
trait Send {}
trait Sync {}
trait Clone {}
trait Deserialize {}
struct MethodHandler;
const payload: () = ();
const served: () = ();
const shared: () = ();

#[derive(::serde::Serialize, ::serde::Deserialize)]
pub struct Order {
    pub sku: ::std::string::String,
}

#[::lambda_remote::lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-status")]
    async fn status(&self) -> ::core::result::Result<u8, ::lambda_remote::InvokeError>;

    #[lambda(function = "shop-order")]
    async fn order(&self, order: Order)
        -> ::core::result::Result<(), ::lambda_remote::InvokeError>;

    #[lambda(function = "shop-quote", qualifier = "live")]
    async fn quote(
        &self,
        sku: ::std::string::String,
        qty: u32,
        r#type: ::core::option::Option<u8>,
    ) -> ::core::result::Result<u64, ::lambda_remote::InvokeError>;

    #[lambda(function = "shop-audit", invocation = "event")]
    async fn audit(
        &self,
        line: ::std::string::String,
    ) -> ::core::result::Result<(), ::lambda_remote::InvokeError>;
}

struct Impl;

impl Shop for Impl {
    async fn status(&self) -> ::core::result::Result<u8, ::lambda_remote::InvokeError> {
        ::core::result::Result::Ok(1)
    }
    async fn order(
        &self,
        _order: Order,
    ) -> ::core::result::Result<(), ::lambda_remote::InvokeError> {
        ::core::result::Result::Ok(())
    }
    async fn quote(
        &self,
        _sku: ::std::string::String,
        qty: u32,
        _type: ::core::option::Option<u8>,
    ) -> ::core::result::Result<u64, ::lambda_remote::InvokeError> {
        ::core::result::Result::Ok(::core::convert::From::from(qty))
    }
    async fn audit(
        &self,
        _line: ::std::string::String,
    ) -> ::core::result::Result<(), ::lambda_remote::InvokeError> {
        ::core::result::Result::Ok(())
    }
}

fn main() {
    let server = ShopServer::new(Impl);
    let handlers: ::std::vec::Vec<::lambda_remote::MethodHandler> = server.handlers();
    let _ = (
        handlers,
        server.quote(),
        ::core::clone::Clone::clone(&server).implementation(),
    );
}
