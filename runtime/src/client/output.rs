//! How a method's declared return type is split into success and error types.

use crate::client::payload::Payload;
use crate::contract::MethodContract;
use crate::error::ClientError;
use crate::error::function::FunctionError;
use crate::spec::MethodSpec;

/// The return type of a `#[lambda_remote]` method: `Result<T, E>` where `T` deserializes from
/// the function's result and `E` is a [`ClientError`] such as `InvokeError<YourError>`.
/// Type aliases of `Result` work too.
#[diagnostic::on_unimplemented(
    message = "a `#[lambda_remote]` method must return `Result<T, InvokeError<E>>`, not `{Self}`",
    label = "write `Result<YourOutput, lambda_remote::InvokeError>` here"
)]
pub trait MethodOutput {
    /// The success type.
    type Ok;
    /// The error type.
    type Err: ClientError;

    /// Builds the return value.
    fn from_result(result: Result<Self::Ok, Self::Err>) -> Self;
}

impl<T, E: ClientError> MethodOutput for Result<T, E> {
    type Ok = T;
    type Err = E;

    fn from_result(result: Result<T, E>) -> Self {
        result
    }
}

/// The success type of an `event` or `dry_run` method: only `()`.
#[diagnostic::on_unimplemented(
    message = "an `event` or `dry_run` method must succeed with `()`, not `{Self}`",
    label = "Lambda answers these invocations with an empty body: return `Result<(), …>`"
)]
pub trait UnitOutput {}

impl UnitOutput for () {}

/// The description of a method whose calls fail with function error `F`: its spec, with `F`'s
/// `errorType`s.
pub fn method_contract<F: FunctionError>(spec: &MethodSpec) -> MethodContract {
    MethodContract::from_spec(spec, F::ERROR_TYPES, F::CATCH_ALL)
}

/// The payload of a method with one argument: what `serialize` writes through `serde_json`.
pub fn to_payload<F>(serialize: F) -> Result<Payload, serde_json::Error>
where
    F: FnOnce(&mut serde_json::Serializer<&mut Payload>) -> Result<(), serde_json::Error>,
{
    let mut bytes = Payload::new();
    serialize(&mut serde_json::Serializer::new(&mut bytes)).map(|()| bytes)
}
