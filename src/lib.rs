//! # lambda-remote
//!
//! Call AWS Lambda functions through a typed Rust trait. Put `#[lambda_remote]` on a trait of
//! `async fn`s and get `<Trait>Client`, which implements the trait by invoking each method's
//! function through `aws-sdk-lambda`: the arguments become the JSON payload, the result is
//! deserialized into the declared type, and function errors come back as your own typed errors.
//!
//! ```no_run
//! use lambda_remote::{lambda_remote, FunctionError, InvokeError};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! pub struct Order { pub sku: String, pub qty: u32 }
//! #[derive(Serialize, Deserialize)]
//! pub struct Receipt { pub id: String }
//!
//! #[derive(Debug, FunctionError)]
//! pub enum ChargeError {
//!     #[function_error(rename = "CardDeclined")]
//!     Declined(String),
//! }
//! # impl std::fmt::Display for ChargeError {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{self:?}") }
//! # }
//! # impl std::error::Error for ChargeError {}
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     /// RequestResponse is the default.
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;
//!
//!     /// Fire and forget.
//!     #[lambda(function = "billing-audit", invocation = "event")]
//!     async fn audit(&self, entry: String) -> Result<(), InvokeError>;
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use lambda_remote::aws_config::{self, BehaviorVersion};
//! let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
//! let client = BillingClient::new(lambda_remote::aws_sdk_lambda::Client::new(&config));
//! let receipt = client.charge(Order { sku: "A-1".into(), qty: 2 }).await?;
//! # Ok(()) }
//! ```
//!
//! See the README for the full guide: invocation types, typed errors, naming and stages,
//! per-call options and metadata, retries and timeouts, and the local endpoint. The rules a
//! contract follows are listed on [`lambda_remote`] and [`FunctionError`], and shown by their
//! mistakes in [`rules`]: each is checked at compile time.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use lambda_remote_macros::{lambda_remote, FunctionError};
pub use lambda_remote_runtime::*;

/// The AWS SDK for Lambda, as used by the generated clients.
pub use aws_sdk_lambda;

/// AWS configuration loading, as AWS documents it:
/// `aws_config::defaults(BehaviorVersion::latest()).load().await`. Feature `client`
/// (default); `sso` and `credentials-process` turn on those credential providers.
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use aws_config;

pub mod rules;

/// The README's Rust blocks, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
