//! The function's side: one served method ([`method`]), the invocation it answers
//! ([`context`]), and serving it on `lambda_runtime` ([`lambda_runtime`], feature `server`).

pub(crate) mod context;
#[cfg(feature = "server")]
pub mod lambda_runtime;
pub(crate) mod method;
pub(crate) mod span;
