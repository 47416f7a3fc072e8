//! The rules of a `#[lambda_remote]` contract, by the mistakes that break them.
//!
//! The full list is in the documentation of [`lambda_remote`](crate::lambda_remote) and
//! [`FunctionError`](crate::FunctionError). Every rule is checked at compile time: the error
//! points at the token that breaks it and says what to write instead, and one compile reports
//! every mistake in the trait. Each example below fails to compile, and is followed by what to
//! write instead.
//!
//! # Methods are `async fn`
//!
//! ```compile_fail
//! use lambda_remote::{lambda_remote, InvokeError};
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     fn charge(&self, sku: String) -> Result<u64, InvokeError>;
//!     // error: methods of a #[lambda_remote] trait must be `async fn`: write `async fn` here
//! }
//! ```
//!
//! ```no_run
//! # use lambda_remote::{lambda_remote, InvokeError};
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
//! }
//! ```
//!
//! The generated trait declares `fn charge(&self, sku: String) -> impl Future<Output = …> +
//! Send`: its futures can be spawned.
//!
//! # Methods take `&self`
//!
//! A client is shared (and cheap to clone): methods take `&self`, not `&mut self` or `self`.
//!
//! ```compile_fail
//! use lambda_remote::{lambda_remote, InvokeError};
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&mut self, sku: String) -> Result<u64, InvokeError>;
//!     // error: take `&self`, not `&mut self`: a client is shared; remove `mut`
//! }
//! ```
//!
//! # `event` and `dry_run` methods succeed with `()`
//!
//! Lambda answers an asynchronous (`event`) or `dry_run` invocation with an empty body: there
//! is no result to deserialize.
//!
//! ```compile_fail,E0277
//! use lambda_remote::{lambda_remote, InvokeError};
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-audit", invocation = "event")]
//!     async fn audit(&self, entry: String) -> Result<u64, InvokeError>;
//!     // error[E0277]: an `event` or `dry_run` method must succeed with `()`, not `u64`
//! }
//! ```
//!
//! ```no_run
//! # use lambda_remote::{lambda_remote, InvokeError};
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-audit", invocation = "event")]
//!     async fn audit(&self, entry: String) -> Result<(), InvokeError>;
//! }
//! ```
//!
//! # Methods return `Result<T, InvokeError>`
//!
//! The success type `T` is deserialized from the function's result; the error type is
//! [`InvokeError`](crate::InvokeError) (`InvokeError<E>` to map function errors onto an enum
//! deriving [`FunctionError`](crate::FunctionError)), or a type implementing
//! [`ClientError`](crate::error::ClientError).
//!
//! ```compile_fail,E0277
//! use lambda_remote::lambda_remote;
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, sku: String) -> u64;
//!     // error[E0277]: a `#[lambda_remote]` method must return `Result<T, InvokeError<E>>`,
//!     // not `u64`
//! }
//! ```
//!
//! # Arguments are named values that serialize
//!
//! Each argument's name is its key in the JSON payload (a single argument is the payload
//! itself), so arguments are plain names, not patterns, and their types implement
//! `serde::Serialize`.
//!
//! ```compile_fail,E0277
//! use lambda_remote::{lambda_remote, InvokeError};
//!
//! pub struct Order {
//!     pub sku: String,
//! }
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, order: Order) -> Result<u64, InvokeError>;
//!     // error[E0277]: the trait bound `Order: serde::Serialize` is not satisfied
//! }
//! ```
//!
//! ```no_run
//! # use lambda_remote::{lambda_remote, InvokeError};
//! #[derive(serde::Serialize)]
//! pub struct Order {
//!     pub sku: String,
//! }
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, order: Order) -> Result<u64, InvokeError>;
//! }
//! ```
//!
//! # Every method names a valid function
//!
//! ```compile_fail
//! use lambda_remote::{lambda_remote, InvokeError};
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing charge")]
//!     async fn charge(&self, sku: String) -> Result<u64, InvokeError>;
//!     // error: invalid function name: invalid character ` ` at position 7 …
//!
//!     async fn refund(&self, sku: String) -> Result<u64, InvokeError>;
//!     // error: missing function name: add `#[lambda(function = "…")]` to `refund`
//! }
//! ```
//!
//! # Each `errorType` maps to one variant
//!
//! ```compile_fail
//! use lambda_remote::FunctionError;
//!
//! #[derive(Debug, FunctionError)]
//! pub enum ChargeError {
//!     Declined,
//!     #[function_error(rename = "Declined")]
//!     Refused,
//!     // error: `errorType` "Declined" is already mapped to `Declined` (by its name) …
//! }
//! ```
