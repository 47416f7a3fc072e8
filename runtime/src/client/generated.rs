//! [`GeneratedClient`]: what every `<Trait>Client` `#[lambda_remote]` generates is, with or
//! without the `client` feature: the trait's name, its methods' specs and the contract as data.
//! With `client`, it also wraps the engine that invokes the methods' functions.

#[cfg(feature = "client")]
use crate::client::invoker::Invoker;
use crate::contract::{Contract, MethodContract};
use crate::spec::MethodSpec;

/// Implemented by every `<Trait>Client` `#[lambda_remote]` generates: the contract as data
/// ([`contract`](Self::contract)) and, with the `client` feature (default), the client that
/// invokes its functions. Without `client`, `<Trait>Client` is a unit struct that carries the
/// contract alone.
pub trait GeneratedClient: Sized {
    /// The trait's name.
    const TRAIT: &'static str;
    /// The trait's methods, in declaration order.
    const METHODS: &'static [MethodSpec];

    /// Wraps an invoker for this trait's methods. Called by `ClientBuilder::build`; with
    /// the `client` feature only (without it, the generated `<Trait>Client` carries the
    /// contract alone, and a served-only function compiles no `aws-sdk-lambda`).
    #[cfg(feature = "client")]
    #[doc(hidden)]
    fn from_invoker(invoker: Invoker) -> Self;

    /// The description of the contract: each method's function, qualifier, invocation type,
    /// timeout, delivery, argument names and the `errorType`s its error enum maps, and with
    /// `#[lambda_remote(schema)]` the JSON Schemas of its payload, result and error. The
    /// default (for hand-written impls) knows no `errorType`s.
    fn contract() -> Contract {
        Contract::new(
            Self::TRAIT,
            Self::METHODS
                .iter()
                .map(|spec| MethodContract::from_spec(spec, &[], false))
                .collect(),
        )
    }
}
