//! The expansion names every path absolutely: it compiles without the prelude, next to items
//! named like the prelude's, like the crates it uses, and like the values it binds (a binding
//! would become a constant pattern). Only the parameters that show in the documentation
//! (`options` of `<method>_with`, `sdk` of `new`, `object` of `from_error_object`) take plain
//! names.

#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

// Items named like what the generated code uses.
struct Option;
struct Result;
struct Vec;
struct String;
struct Box;
struct Pin;
struct Ok;
struct Err;
struct Some;
struct None;
struct u8_;
trait Send {}
trait Sync {}
trait Sized {}
trait Future {}
trait Clone {}
trait Debug {}
trait Serialize {}
trait Deserialize {}
trait MethodOutput {}
trait UnitOutput {}
trait FunctionError {}
trait ErrorContent {}
trait GeneratedClient {}
struct Invoker;
struct CallOptions;
struct Invoked;
struct MethodSpec;
struct InvocationType;
struct ClientBuilder;
mod serde {}
mod serde_json {}
mod core {}
mod std {}
mod alloc {}
mod aws_sdk_lambda {}
mod __private {}
fn drop() {}
fn into_inner() {}
fn success_type_is_deserialized() {}
fn event_succeeds_with_unit() {}
fn dry_run_succeeds_with_unit() {}
const payload: () = ();
const future: () = ();
const bytes: () = ();
const serializer: () = ();
const state: () = ();
const result: () = ();
const error: () = ();
const value: () = ();

#[::lambda_remote::lambda_remote(dyn_trait)]
pub trait Billing {
    /// One argument.
    #[lambda(function = "billing-charge")]
    async fn charge(
        &self,
        sku: ::std::string::String,
    ) -> ::std::result::Result<u64, ::lambda_remote::InvokeError>;

    /// Several arguments.
    #[lambda(function = "billing-quote", timeout = "30s")]
    async fn quote(
        &self,
        sku: ::std::string::String,
        qty: u32,
        tags: ::std::vec::Vec<::std::string::String>,
    ) -> ::std::result::Result<::std::option::Option<u64>, ::lambda_remote::InvokeError>;

    /// No arguments.
    #[lambda(function = "billing-ping", log = "tail")]
    async fn ping(&self) -> ::std::result::Result<(), ::lambda_remote::InvokeError>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: &str) -> ::std::result::Result<(), ::lambda_remote::InvokeError>;

    #[lambda(function = "billing-audit", invocation = "dry_run")]
    async fn can_audit(&self) -> ::std::result::Result<(), ::lambda_remote::InvokeError>;
}

async fn use_it(client: &BillingClient) -> ::std::result::Result<(), ::lambda_remote::InvokeError> {
    client.charge(::std::string::String::new()).await?;
    client
        .quote(::std::string::String::new(), 1, ::std::vec::Vec::new())
        .await?;
    client.ping().await?;
    client.audit("x").await?;
    client.can_audit().await?;
    client
        .charge_with(
            &::lambda_remote::CallOptions::new(),
            ::std::string::String::new(),
        )
        .await?;
    ::std::result::Result::Ok(())
}

#[derive(::lambda_remote::FunctionError)]
pub enum ChargeError {
    Declined(::std::string::String),
    #[function_error(other)]
    Other(::lambda_remote::ErrorObject),
}

fn main() {}
