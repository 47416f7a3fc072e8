//! Procedural macros of [lambda-remote](https://docs.rs/lambda-remote). Use them through the
//! `lambda-remote` crate, which documents them fully.
//!
//! Each macro is split in three steps: parse the input and its attributes into a small typed
//! model (collecting every error with its span), check the model, then render code that names
//! every path absolutely.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod attr;
mod contract;
mod errors;
mod function_error;

use proc_macro::TokenStream;

/// Turns a trait of async methods into a Lambda contract and generates `<Trait>Client`.
/// Documented in the `lambda-remote` crate.
#[proc_macro_attribute]
pub fn lambda_remote(args: TokenStream, input: TokenStream) -> TokenStream {
    contract::expand(args.into(), input.into()).into()
}

/// Maps function errors onto an enum by their `errorType`. Documented in the `lambda-remote`
/// crate.
#[proc_macro_derive(FunctionError, attributes(function_error, serde))]
pub fn derive_function_error(input: TokenStream) -> TokenStream {
    function_error::expand(input.into()).into()
}
