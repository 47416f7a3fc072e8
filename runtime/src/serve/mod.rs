//! The function's side: one served method ([`method`]), the invocation it answers
//! ([`context`]), and serving it on `lambda_runtime` ([`lambda_runtime`], feature `server`),
//! one binary serving whichever method its function is (`dispatch`).

pub(crate) mod context;
#[cfg(feature = "server")]
pub(crate) mod dispatch;
#[cfg(feature = "server")]
pub mod lambda_runtime;
pub(crate) mod method;
pub(crate) mod span;
