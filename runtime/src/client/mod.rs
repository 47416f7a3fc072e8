//! The caller's side: the builder, the untyped engine the generated clients wrap, the SDK
//! clients it sends through, the retry classifier that applies the delivery, the reading of
//! responses, and what is checked before sending.

pub(crate) mod builder;
pub(crate) mod checks;
pub(crate) mod concurrency;
pub(crate) mod invoker;
pub(crate) mod limits;
pub(crate) mod metadata;
#[cfg(feature = "mocks")]
pub mod mock;
pub(crate) mod options;
pub(crate) mod output;
#[cfg(test)]
mod props;
pub(crate) mod request;
pub(crate) mod resolve;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod sdk;
pub(crate) mod send;
pub(crate) mod telemetry;
pub(crate) mod wire;
