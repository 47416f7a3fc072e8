//! The caller's side: the builder, the untyped engine the generated clients wrap, the SDK
//! clients it sends through, the retry classifier that applies the delivery, the reading of
//! responses, and what is checked before sending.

#[cfg(feature = "client")]
pub(crate) mod builder;
#[cfg(feature = "client")]
pub(crate) mod checks;
#[cfg(feature = "client")]
pub(crate) mod concurrency;
pub(crate) mod generated;
#[cfg(feature = "client")]
pub(crate) mod invoker;
// Lambda's limits: plain numbers, also what the served side's claim check reads.
pub(crate) mod limits;
pub(crate) mod metadata;
#[cfg(feature = "mocks")]
pub mod mock;
#[cfg(feature = "client")]
pub(crate) mod options;
pub(crate) mod output;
pub(crate) mod payload;
#[cfg(all(test, feature = "client"))]
mod props;
#[cfg(feature = "client")]
pub(crate) mod request;
#[cfg(feature = "client")]
pub(crate) mod resolve;
#[cfg(feature = "client")]
pub(crate) mod response;
#[cfg(feature = "client")]
pub(crate) mod retry;
#[cfg(feature = "client")]
pub(crate) mod sdk;
#[cfg(feature = "client")]
pub(crate) mod send;
#[cfg(feature = "client")]
pub(crate) mod telemetry;
#[cfg(feature = "client")]
pub(crate) mod wire;
