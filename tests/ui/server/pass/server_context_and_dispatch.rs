//! A served method reads its invocation's context, and one binary dispatches among a server's
//! handlers, without the prelude and next to items named like every name the expansion and the
//! runtime's API use (its type parameter, helpers, the context and trace types).

#![no_implicit_prelude]
#![allow(dead_code, non_upper_case_globals)]

struct InvocationContext;
struct TraceContext;
struct Dispatch;
struct Implementation;
struct Owned;
struct Arguments;
struct F;
struct Fut;
const context: () = ();
const trace: () = ();

#[derive(::serde::Serialize, ::serde::Deserialize)]
pub struct T(u8);

#[::lambda_remote::lambda_remote(server)]
pub trait Shop {
    #[lambda(function = "shop-inspect")]
    async fn inspect(
        &self,
        t: T,
        owned: ::std::string::String,
    ) -> ::core::result::Result<::std::string::String, ::lambda_remote::InvokeError>;
}

struct Impl;

impl Shop for Impl {
    async fn inspect(
        &self,
        _t: T,
        owned: ::std::string::String,
    ) -> ::core::result::Result<::std::string::String, ::lambda_remote::InvokeError> {
        let seen = ::lambda_remote::InvocationContext::current();
        let traceparent = match &seen {
            ::core::option::Option::Some(seen) => seen.trace().traceparent().is_some(),
            ::core::option::Option::None => false,
        };
        let _ = (traceparent, ::lambda_remote::TraceContext::current());
        ::core::result::Result::Ok(owned)
    }
}

fn main() {
    let server = ShopServer::new(Impl);
    let dispatch =
        ::lambda_remote::server::Dispatch::new(server.handlers()).function_prefix("prod-");
    let _ = (
        dispatch,
        ::lambda_remote::server::run_all(server.handlers()),
    );
}
