//! Procedural macros of [lambda-remote](https://docs.rs/lambda-remote). Use them through the
//! `lambda-remote` crate, which documents them fully.
//!
//! # Structure
//!
//! Each macro has a module of its own and runs the same steps: parse the input into a model
//! (the item as written, the arguments of its attributes as written); check it, which applies
//! every rule and resolves the attributes' arguments into typed options, each value kept with
//! its span; render the checked model. Checking records every error instead of stopping at
//! the first, so one compile reports them all, and reports each mistake once (a misspelt method
//! or variant key is resolved as the key it meant, without an error on top for what only
//! follows from it); when there is any error, the macro emits the errors and a fallback
//! instead of the rendering.
//!
//! - `contract/`, `#[lambda_remote]`: `parse.rs` reads the trait into `model.rs`'s `Contract`;
//!   `check/` holds every rule: `shape.rs` (the trait's and each method's form: `async`,
//!   `&self`, generics, default body, argument patterns, return type), `options.rs` (the keys of
//!   `#[lambda_remote(…)]` and `#[lambda(…)]`, resolved through the grammars of `values.rs`:
//!   durations, name templates, invocation types, …), `rules.rs` (rules over the resolved
//!   model: names the generated code takes, options that disagree, argument types);
//!   `render_client.rs` renders the trait and `<Trait>Client`, `render_spec.rs` its
//!   `GeneratedClient` impl (each method's `MethodSpec`, the contract's description),
//!   `render_server.rs` `<Trait>Server`, `render_dyn.rs` `Dyn<Trait>`; `fallback.rs` renders,
//!   next to errors, the trait as written and stubs of the client, server and handle.
//! - `function_error/`, `#[derive(FunctionError)]`: `parse.rs` into `model.rs`'s `ErrorEnum`,
//!   `check.rs` (an enum, the keys of `#[function_error(…)]`, variant shapes, generics,
//!   catch-all variants, each `errorType` mapped once), `render.rs` (the `FunctionError`
//!   impl), `fallback.rs` (next to errors, an impl that maps no error).
//! - Shared: `attr.rs` reads attribute arguments as written (`Args`, `Entry`) and holds
//!   `Attr<T>` (a value with its span); `keys.rs` the rules every attribute's keys follow
//!   (known, given once, string values, near misses); `errors.rs` collects the errors;
//!   `tokens.rs` holds what every renderer needs (the names generated code binds, respanning,
//!   qualified paths, the serde path). Renderers read only the model, take their helpers from
//!   `tokens.rs` and never import each other.
//!
//! Generated code names every path absolutely (`::core::…`, `::std::…`, or through the
//! `crate` path), and binds only names the user's code cannot capture or be captured by:
//! mixed-site, or prefixed `__lambda_remote_` / `__LambdaRemote`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod attr;
mod contract;
mod errors;
mod function_error;
mod keys;
mod tokens;

use proc_macro::TokenStream;

/// Turns a trait of `async fn`s into a Lambda contract and generates `<Trait>Client`, which
/// implements the trait by invoking each method's function through `aws-sdk-lambda`.
///
/// ```
/// use lambda_remote::{lambda_remote, InvokeError};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// pub struct Order { pub sku: String, pub qty: u32 }
///
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, order: Order) -> Result<u64, InvokeError>;
/// }
///
/// fn client(sdk: lambda_remote::aws_sdk_lambda::Client) -> BillingClient {
///     BillingClient::new(sdk)
/// }
/// ```
///
/// This page lists every argument of `#[lambda_remote(…)]` and every key of `#[lambda(…)]`,
/// each with an example; the [guide](https://docs.rs/lambda-remote/latest/lambda_remote/guide/index.html)
/// explains what they are for.
///
/// # Trait arguments: `#[lambda_remote(…)]`
///
/// Written bare (`#[lambda_remote]`), the macro generates the trait and `<Trait>Client`. Its
/// arguments, in any order, each once:
///
/// ## `client = "Name"`
///
/// The name of the generated client (`<Trait>Client` by default).
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote(client = "Payments")]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
///
/// fn client(sdk: lambda_remote::aws_sdk_lambda::Client) -> Payments {
///     Payments::new(sdk)
/// }
/// ```
///
/// ## `server`, `server = "Name"`
///
/// Also generate `<Trait>Server<T>` (or `Name<T>`; feature `server`), which serves an
/// implementation of the trait on `lambda_runtime`, or on the local endpoint in tests.
/// Arguments of a served trait are owned (`String`, not `&str`).
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote(server)]
/// pub trait Shop {
///     #[lambda(function = "shop-quote")]
///     async fn quote(&self, qty: u32) -> Result<u64, InvokeError>;
/// }
///
/// struct ShopImpl;
/// impl Shop for ShopImpl {
///     async fn quote(&self, qty: u32) -> Result<u64, InvokeError> {
///         Ok(u64::from(qty) * 100)
///     }
/// }
///
/// let handlers = ShopServer::new(ShopImpl).handlers(); // for lambda_remote::server::run_all
/// # let _ = handlers;
/// ```
///
/// ## `dyn_trait`, `dyn_trait = "Name"`
///
/// Also generate `Dyn<Trait>` (or `Name`): a cloneable handle to any implementation behind an
/// `Arc<dyn …>` (the client, or a fake), which implements the trait itself.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote(dyn_trait)]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
///
/// struct Free;
/// impl Billing for Free {
///     async fn charge(&self, _sku: String) -> Result<u64, InvokeError> {
///         Ok(0)
///     }
/// }
///
/// let billing: DynBilling = DynBilling::new(Free);
/// # let _ = billing;
/// ```
///
/// ## `schema`
///
/// Put the JSON Schemas of each method's payload, result and error object in the contract's
/// description (feature `schema`); argument and success types implement
/// `schemars::JsonSchema`, derived through `lambda_remote::schemars`.
///
/// ```
/// use lambda_remote::{lambda_remote, GeneratedClient, InvokeError};
///
/// #[derive(serde::Serialize, serde::Deserialize, lambda_remote::schemars::JsonSchema)]
/// #[schemars(crate = "lambda_remote::schemars")]
/// pub struct Order { pub sku: String, pub qty: u32 }
///
/// #[lambda_remote(schema)]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, order: Order) -> Result<u64, InvokeError>;
/// }
///
/// assert!(BillingClient::contract().methods[0].schemas.is_some());
/// ```
///
/// ## `crate = "path"`
///
/// The path to the `lambda-remote` crate, when it is renamed: `crate = "::renamed"` after
/// `extern crate lambda_remote as renamed;` at the crate root, or a path to a
/// `use lambda_remote as …;` (`crate = "crate::facade"`).
///
/// ```standalone_crate
/// extern crate lambda_remote as renamed;
///
/// use renamed::{lambda_remote, InvokeError};
///
/// #[lambda_remote(crate = "::renamed")]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
/// # fn main() {}
/// ```
///
/// # Method keys: `#[lambda(…)]`
///
/// Each method takes one or several `#[lambda(…)]` attributes; each key is given once.
///
/// ## `function = "…"` (required)
///
/// The function: a name, `name:qualifier`, a partial ARN (`123456789012:function:name`) or a
/// full ARN, validated at compile time as Lambda does. The client's builder can change it at
/// run time (a prefix for a stage, another name per method, the environment).
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Names {
///     #[lambda(function = "billing-charge")]
///     async fn by_name(&self) -> Result<u64, InvokeError>;
///     #[lambda(function = "billing-charge:live")]
///     async fn with_qualifier(&self) -> Result<u64, InvokeError>;
///     #[lambda(function = "123456789012:function:billing-charge")]
///     async fn partial_arn(&self) -> Result<u64, InvokeError>;
///     #[lambda(function = "arn:aws:lambda:us-east-1:123456789012:function:billing-charge")]
///     async fn full_arn(&self) -> Result<u64, InvokeError>;
/// }
/// ```
///
/// ## `qualifier = "…"`
///
/// A version, an alias, `$LATEST` or `$LATEST.PUBLISHED`; it must agree with a qualifier in the
/// function name.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge", qualifier = "live")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
/// ```
///
/// ## `invocation = "…"`
///
/// How Lambda invokes the function: `request_response` (the default: wait for the result),
/// `event` (queued; succeeds with `()`), `dry_run` (checks the request and permission; succeeds
/// with `()`), or `stream` (`InvokeWithResponseStream`: the method returns a `ResponseStream`
/// of JSON lines or a `ByteStream` of raw chunks, whose error type is the call's function
/// error).
///
/// ```
/// use lambda_remote::{lambda_remote, ByteStream, InvokeError, ResponseStream};
///
/// #[lambda_remote]
/// pub trait Reports {
///     #[lambda(function = "reports-count", invocation = "request_response")]
///     async fn count(&self) -> Result<u64, InvokeError>;
///     #[lambda(function = "reports-render", invocation = "event")]
///     async fn render(&self, report: String) -> Result<(), InvokeError>;
///     #[lambda(function = "reports-render", invocation = "dry_run")]
///     async fn can_render(&self, report: String) -> Result<(), InvokeError>;
///     #[lambda(function = "reports-rows", invocation = "stream")]
///     async fn rows(&self, report: String) -> Result<ResponseStream<String>, InvokeError>;
///     #[lambda(function = "reports-pdf", invocation = "stream")]
///     async fn pdf(&self, report: String) -> Result<ByteStream, InvokeError>;
/// }
/// ```
///
/// ## `log = "tail"`, `log = "none"`
///
/// Ask for the last 4 KB of the function's log with every answer (`none`, the default, does
/// not); not on `event` or `dry_run` methods, for which Lambda returns no log. The tail is in
/// the response metadata (`<method>_with` returns it) and in a function error's.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge", log = "tail")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
/// ```
///
/// ## `timeout = "…"`
///
/// A bound on the whole call, retries included: a non-zero duration such as `"500ms"`,
/// `"30s"`, `"1m30s"` or `"2h"`. On a streaming method it bounds the time to the response's
/// start and each wait between chunks. No timeout by default (a function may run for 900 s).
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge", timeout = "30s")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
/// }
/// ```
///
/// ## `delivery = "…"`
///
/// `at_most_once` (the client's default) or `at_least_once`: whether a failure that leaves
/// open whether the function ran (a reset, a cut-off response, a timeout) is sent again. A
/// call's `CallOptions::delivery` wins over it, and it wins over the client builder's.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Inventory {
///     /// Idempotent: sent again on every transient failure.
///     #[lambda(function = "inventory-count", delivery = "at_least_once")]
///     async fn count(&self, sku: String) -> Result<u64, InvokeError>;
/// }
/// ```
///
/// ## `durable_execution_name = "…"`
///
/// The name of a durable function's execution, from the arguments: `{name}` is that
/// argument's `Display`, the rest is sent as written. The text must fit Lambda's grammar
/// (`[a-zA-Z0-9-_]`, at most 64 characters) and each `{…}` must name an argument; not on
/// streaming methods (`InvokeWithResponseStream` takes no execution name). Lambda invokes a
/// durable function only by a qualified name (a version or an alias). A named call is sent again on any
/// transient failure: the name makes that safe.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Orders {
///     #[lambda(function = "orders-place:live", durable_execution_name = "order-{order_id}")]
///     async fn place(&self, order_id: u64, sku: String) -> Result<String, InvokeError>;
/// }
/// ```
///
/// ## `idempotency_key = "…"`
///
/// The idempotency key of a call, from the arguments, in the same template grammar as
/// `durable_execution_name` (each `{…}` names an argument, at least one does). The served side
/// (feature `idempotency`) computes the same key from the decoded arguments and runs the
/// method once per key; a keyed call is therefore sent again on any transient failure. The
/// client renders the key the same way, and its span and errors carry it as the function
/// stores it (hashed: `InvokeError::idempotency_key`). Not on streaming or `dry_run` methods,
/// nor beside `durable_execution_name`. The guide's idempotency chapter says what each failure
/// gives.
///
/// ```
/// # use lambda_remote::{lambda_remote, InvokeError};
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge", idempotency_key = "charge-{order_id}")]
///     async fn charge(&self, order_id: u64, cents: u64) -> Result<String, InvokeError>;
/// }
/// ```
///
/// # Rules
///
/// Every rule is checked at compile time; a mistake is reported at the token that breaks it,
/// saying what to write instead, and one compile reports them all. The `rules` module of
/// `lambda-remote` shows the common mistakes.
///
/// - **The trait** holds only methods: no associated types or consts, no generics, no `where`
///   clause, not `unsafe`. It may be `pub`, `pub(crate)` or private; the client gets the same
///   visibility.
/// - **Each method** is `async fn name(&self, …) -> …;`: `&self` (not `&mut self` or `self`),
///   no default body, no type or const parameters (lifetimes are fine), no `where` clause, not
///   `const`/`unsafe`/`extern`. Doc comments and `#[cfg]`/`#[cfg_attr]` are kept.
/// - **Arguments** are plain names (`order: Order`; no patterns, `mut` or `_`, no attributes),
///   each of a concrete type (not `impl Trait`) that implements `serde::Serialize`; on a served
///   trait (`server`), an owned type that implements `serde::de::DeserializeOwned` (`String`,
///   not `&str`). One argument is the payload itself; several are a JSON object keyed by their
///   names (`r#` dropped), in order; none send `{}`.
/// - **The return type** is `Result<T, E>`, or an alias of it: `T` implements
///   `serde::de::DeserializeOwned` (`()` for `event` and `dry_run`, a `ResponseStream` or
///   `ByteStream` for `stream`), and `E` is `InvokeError` (`InvokeError<F>` to map function
///   errors onto an enum `F` deriving `FunctionError`) or a type implementing `ClientError`.
/// - **Names** the client generates are taken: no method may be named `new`, `builder`,
///   `invoker`, or `<other>_with` for another method `other`; nor, on a served trait, a name
///   the server defines.
///
/// # Generated
///
/// The trait, each method returning `impl Future<Output = …> + Send`; and `<Trait>Client`
/// (`Clone`, `Debug`) with `new(sdk)`, `builder(sdk)`, `invoker()`, and per method
/// `<method>_with(&options, …)`, which takes per-call `CallOptions` and returns `Invoked<T>`:
/// the output with the response metadata. With `server`, `<Trait>Server<T>`; with
/// `dyn_trait`, `Dyn<Trait>`.
#[proc_macro_attribute]
pub fn lambda_remote(args: TokenStream, input: TokenStream) -> TokenStream {
    contract::expand(args.into(), input.into()).into()
}

/// Maps the function errors of a Lambda function onto an enum, by their `errorType`: use it as
/// `InvokeError<YourEnum>` in a `#[lambda_remote]` method's return type.
///
/// ```
/// use lambda_remote::{lambda_remote, ErrorObject, FunctionError, InvokeError};
///
/// #[derive(Debug, FunctionError, thiserror::Error)]
/// pub enum ChargeError {
///     #[error("card declined")]
///     #[function_error(rename = "CardDeclined")]
///     Declined,                           // {"errorType": "CardDeclined", …}
///     #[error("insufficient funds: {0}")]
///     InsufficientFunds(String),          // the errorMessage
///     #[error("over the limit of {limit}")]
///     OverLimit { limit: u64 },           // fields of the error object
///     #[error("{0}")]
///     #[function_error(other)]
///     Other(ErrorObject),                 // any other errorType, kept whole
/// }
///
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, sku: String) -> Result<u64, InvokeError<ChargeError>>;
/// }
/// ```
///
/// # Variants
///
/// Each variant maps the `errorType` of its name. Its shape says what it keeps:
///
/// - a unit variant keeps nothing;
/// - a newtype variant keeps one content (`ErrorContent`): `String` or `Option<String>` (the
///   `errorMessage`), `ErrorObject` (the whole error object, raw bytes included),
///   `serde_json::Value` (the object as JSON), or `Details<T>` (the object deserialized into a
///   `T: Deserialize + Serialize`);
/// - a struct variant keeps named fields, deserialized from the error object (so
///   `{"errorType": "OverLimit", "limit": 100}` gives `OverLimit { limit: 100 }`); its fields
///   implement `Deserialize` and `Serialize`, and take `#[serde(…)]` attributes such as
///   `#[serde(rename = "limitCents")]` or `#[serde(default)]`.
///
/// A tuple variant holds exactly one field. A variant whose payload or fields do not fit the
/// error object (a `Details<T>` or struct variant that does not deserialize) leaves the error
/// unmapped (`InvokeError::UnmappedFunction`), as does an `errorType` no variant maps.
///
/// # Attributes
///
/// - `#[function_error(rename = "Card.Declined")]` on a variant: the `errorType` it maps, instead
///   of its name. Each `errorType` maps to one variant.
/// - `#[function_error(other)]` on one variant: the catch-all for every `errorType` no other
///   variant maps. It is a unit variant or holds one field; an `ErrorObject` keeps the
///   original `errorType`. With `rename`, it also maps that name.
/// - `#[function_error(crate = "::renamed")]` on the enum: the path to `lambda-remote` when it
///   is renamed.
///
/// The enum cannot be generic. Every mistake is reported at compile time, at its token.
#[proc_macro_derive(FunctionError, attributes(function_error, serde))]
pub fn derive_function_error(input: TokenStream) -> TokenStream {
    function_error::expand(input.into()).into()
}
