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
/// ```ignore
/// #[lambda_remote]
/// pub trait Billing {
///     #[lambda(function = "billing-charge")]
///     async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;
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
/// - **Trait options**: `#[lambda_remote(client = "Payments")]` names the client
///   (`<Trait>Client` by default); `crate = "::renamed"` is the path to `lambda-remote` when it
///   is renamed (`extern crate lambda_remote as renamed;`, or `crate = "crate::facade"` after
///   `use lambda_remote as facade;`).
/// - **Each method** is `async fn name(&self, …) -> …;`: `&self` (not `&mut self` or `self`),
///   no default body, no type or const parameters (lifetimes are fine), no `where` clause, not
///   `const`/`unsafe`/`extern`. Doc comments and `#[cfg]`/`#[cfg_attr]` are kept.
/// - **Arguments** are plain names (`order: Order`; no patterns, `mut` or `_`, no attributes),
///   each of a concrete type (not `impl Trait`) that implements `serde::Serialize`; on a served
///   trait (`server`), an owned type that implements `serde::de::DeserializeOwned` (`String`,
///   not `&str`). One argument is the payload itself; several are a JSON object keyed by their
///   names (`r#` dropped), in order; none send `{}`.
/// - **The return type** is `Result<T, E>`, or an alias of it: `T` implements
///   `serde::de::DeserializeOwned`, and `E` is `InvokeError` (`InvokeError<F>` to map function
///   errors onto an enum `F` deriving `FunctionError`) or a type implementing `ClientError`.
/// - **`#[lambda(…)]`** on each method (one or several attributes, each key once):
///   - `function = "…"` (required): a name, `name:qualifier`, a partial ARN
///     (`123456789012:function:name`) or a full ARN, validated as Lambda does;
///   - `qualifier = "…"`: a version, an alias, `$LATEST` or `$LATEST.PUBLISHED`; it must agree
///     with a qualifier in the function name;
///   - `invocation = "request_response"` (the default), `"event"` or `"dry_run"`; `event` and
///     `dry_run` methods succeed with `()`;
///   - `log = "tail"` (request_response only) or `"none"`;
///   - `timeout = "…"`: a non-zero duration such as `"500ms"`, `"30s"`, `"1m30s"` or `"2h"`;
///   - `delivery = "at_most_once"` (the client's default) or `"at_least_once"`: whether a
///     failure that leaves open whether the function ran is retried (see `Delivery`).
/// - **Names** the client generates are taken: no method may be named `new`, `builder`,
///   `invoker`, or `<other>_with` for another method `other`.
///
/// # Generated
///
/// The trait, each method returning `impl Future<Output = …> + Send`; and `<Trait>Client`
/// (`Clone`, `Debug`) with `new(sdk)`, `builder(sdk)`, `invoker()`, and per method
/// `<method>_with(&options, …)`, which takes per-call `CallOptions` and returns `Invoked<T>`:
/// the output with the response metadata.
#[proc_macro_attribute]
pub fn lambda_remote(args: TokenStream, input: TokenStream) -> TokenStream {
    contract::expand(args.into(), input.into()).into()
}

/// Maps the function errors of a Lambda function onto an enum, by their `errorType`: use it as
/// `InvokeError<YourEnum>` in a `#[lambda_remote]` method's return type.
///
/// ```ignore
/// #[derive(Debug, FunctionError)]
/// pub enum ChargeError {
///     #[function_error(rename = "CardDeclined")]
///     Declined,                           // {"errorType": "CardDeclined", …}
///     InsufficientFunds(String),          // the errorMessage
///     OverLimit { limit: u64 },           // fields of the error object
///     #[function_error(other)]
///     Other(ErrorObject),                 // any other errorType, kept whole
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
