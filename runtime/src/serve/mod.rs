//! The function's side: one served method ([`method`], built by [`build`]'s constructors), the invocation it answers
//! ([`context`]), and serving it on `lambda_runtime` ([`lambda_runtime`], feature `server`),
//! one binary for several methods chosen by the function's name ([`dispatch`]).

pub(crate) mod build;
pub(crate) mod context;
#[cfg(feature = "server")]
pub(crate) mod dispatch;
#[cfg(feature = "server")]
pub mod lambda_runtime;
pub(crate) mod method;
pub(crate) mod span;
