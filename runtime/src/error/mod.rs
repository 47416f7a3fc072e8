//! The one error type of every invocation, and the errors it holds: Lambda's error object
//! ([`object`]), the user's typed function error ([`function`]), a service error
//! ([`service`]), the SDK client's configuration ([`config`]).
//!
//! Each error either shows its source's message or returns it from `source()`, never both, so
//! that a report that prints the chain (`anyhow`, `eyre`) prints each line once:
//! [`InvokeError`] shows the error its variant holds and returns that error's source.

pub(crate) mod config;
pub(crate) mod function;
pub(crate) mod object;
pub(crate) mod service;

use std::convert::Infallible;
use std::error::Error as StdError;
use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use bytes::Bytes;

use crate::client::metadata::ResponseMetadata;
use crate::delivery::Redelivery;
use crate::error::config::SdkConfigError;
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::error::service::{ServiceError, ServiceErrorKind};

/// Why an invocation failed. `E` is the function's own typed error (see
/// [`FunctionError`]); leave it out when the function has none.
///
/// Its `Display` is the message of the error its variant holds (with the typed error's, for
/// [`Function`](Self::Function)), and `source()` that error's source: a report of the chain
/// prints each message once.
///
/// ```
/// # use lambda_remote_runtime::{InvokeError, ServiceErrorKind};
/// fn explain(error: &InvokeError) -> &'static str {
///     match error {
///         InvokeError::UnmappedFunction(_) => "the function failed",
///         InvokeError::Service(e) if matches!(e.kind(), ServiceErrorKind::NotFound) => "no such function",
///         InvokeError::Service(_) => "Lambda refused the call",
///         InvokeError::Timeout(_) | InvokeError::Transport(_) => "the call did not complete",
///         _ => "something else",
///     }
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum InvokeError<E = Infallible> {
    /// The function ran and failed with an error that maps onto `E`.
    Function {
        /// The typed error.
        error: E,
        /// The error object, the `X-Amz-Function-Error` value and the response metadata.
        failure: Box<FunctionFailure>,
    },
    /// The function ran and failed with an error that does not map onto `E`.
    UnmappedFunction(Box<FunctionFailure>),
    /// Lambda answered with a service error: the function did not run.
    Service(Box<ServiceError>),
    /// The call timed out; the function may have run.
    Timeout(Box<TransportError>),
    /// The request or response did not make it across; the function may have run.
    Transport(Box<TransportError>),
    /// The arguments could not be serialized; nothing was sent.
    Serialize(Box<SerializeError>),
    /// The function succeeded but its result could not be deserialized; the raw payload is kept.
    Deserialize(Box<DeserializeError>),
    /// The request was refused before sending (a limit or a name); nothing was sent.
    Rejected(Box<Rejected>),
    /// The SDK client's configuration kept the request from being sent (no credentials, no
    /// region, an invalid endpoint URL); nothing was sent, and it is never retried.
    Config(Box<SdkConfigError>),
    /// The S3 claim check failed: the request could not be stored (nothing was invoked), the
    /// function could not read it (its method did not run), or the result could not be read
    /// back whole and unchanged (the raw reference is kept).
    ClaimCheck(Box<crate::claim_check::ClaimCheckError>),
}

impl<E> InvokeError<E> {
    /// The typed function error, if the function failed with one.
    pub fn function_error(&self) -> Option<&E> {
        match self {
            Self::Function { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The details of a function error, mapped or not.
    pub fn failure(&self) -> Option<&FunctionFailure> {
        match self {
            Self::Function { failure, .. } | Self::UnmappedFunction(failure) => Some(failure),
            _ => None,
        }
    }

    /// The service error, if Lambda answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(error) => Some(error),
            _ => None,
        }
    }

    /// The response metadata, when a response arrived.
    pub fn metadata(&self) -> Option<&ResponseMetadata> {
        match self {
            Self::Function { failure, .. } | Self::UnmappedFunction(failure) => {
                Some(&failure.metadata)
            }
            Self::Deserialize(error) => Some(&error.metadata),
            _ => None,
        }
    }

    /// Whether the function itself failed (typed or not).
    pub fn is_function_error(&self) -> bool {
        self.failure().is_some()
    }

    /// Whether Lambda throttled the call.
    pub fn is_throttled(&self) -> bool {
        matches!(
            self.service_kind(),
            Some(ServiceErrorKind::Throttled { .. })
        )
    }

    /// Whether the function, version or alias does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self.service_kind(), Some(ServiceErrorKind::NotFound))
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// What this failure says about sending the same request again: whether it could help,
    /// and whether it could run the function twice. A function error, a result that did not
    /// decode, or a request refused before sending is [`Redelivery::Never`] — except a call
    /// refused by the client's concurrency limit ([`Rejected::Overloaded`]), which is
    /// [`Redelivery::Safe`].
    pub fn redelivery(&self) -> Redelivery {
        match self {
            Self::Service(e) => e.redelivery(),
            Self::Timeout(e) | Self::Transport(e) => e.redelivery,
            // Nothing was sent: sending later may find room.
            Self::Rejected(rejected) if matches!(**rejected, Rejected::Overloaded { .. }) => {
                Redelivery::Safe
            }
            Self::Function { .. }
            | Self::UnmappedFunction(_)
            | Self::Serialize(_)
            | Self::Deserialize(_)
            | Self::Rejected(_)
            | Self::Config(_)
            | Self::ClaimCheck(_) => Redelivery::Never,
        }
    }

    /// The source of any variant but [`InvokeError::Function`] (whose source is `E`'s): the
    /// source of the error the variant holds, whose message this error's `Display` shows.
    pub(crate) fn untyped_source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Function { .. } => None,
            Self::UnmappedFunction(failure) => failure.source(),
            Self::Service(e) => e.source(),
            Self::Timeout(e) | Self::Transport(e) => e.source(),
            Self::Serialize(e) => e.source(),
            Self::Deserialize(e) => e.source(),
            Self::Rejected(e) => e.source(),
            Self::Config(e) => e.source(),
            Self::ClaimCheck(e) => e.source(),
        }
    }

    /// The idempotency key of a keyed call (a method with `#[lambda(idempotency_key = "…")]`),
    /// in the form the function stores it: [`scoped_id`](crate::idempotency::scoped_id) of the
    /// function's name, qualifier, tenant id and the key the template renders from the
    /// arguments — a sha256, since a key may hold personal data. It is the id of the
    /// function's record of the call (the DynamoDB store's `id`), so it finds what happened to
    /// a call that timed out. `None` for an unkeyed call, and for a call refused before
    /// sending ([`Rejected`](InvokeError::Rejected), [`Serialize`](InvokeError::Serialize),
    /// [`Config`](InvokeError::Config), [`ClaimCheck`](InvokeError::ClaimCheck)).
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Self::Function { failure, .. } | Self::UnmappedFunction(failure) => {
                failure.idempotency_key.as_deref()
            }
            Self::Service(e) => e.idempotency_key.as_deref(),
            Self::Timeout(e) | Self::Transport(e) => e.idempotency_key.as_deref(),
            Self::Deserialize(e) => e.idempotency_key.as_deref(),
            Self::Serialize(_) | Self::Rejected(_) | Self::Config(_) | Self::ClaimCheck(_) => None,
        }
    }

    /// This error with the key of the keyed call it ended (see
    /// [`idempotency_key`](Self::idempotency_key)).
    #[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
    pub(crate) fn with_idempotency_key(mut self, key: String) -> Self {
        match &mut self {
            Self::Function { failure, .. } | Self::UnmappedFunction(failure) => {
                failure.idempotency_key = Some(key);
            }
            Self::Service(e) => e.idempotency_key = Some(key),
            Self::Timeout(e) | Self::Transport(e) => e.idempotency_key = Some(key),
            Self::Deserialize(e) => e.idempotency_key = Some(key),
            Self::Serialize(_) | Self::Rejected(_) | Self::Config(_) | Self::ClaimCheck(_) => {}
        }
        self
    }

    fn service_kind(&self) -> Option<&ServiceErrorKind> {
        self.service_error().map(ServiceError::kind)
    }

    /// Maps the typed function error, keeping every other variant.
    pub fn map_function_error<F>(self, map: impl FnOnce(E) -> F) -> InvokeError<F> {
        match self {
            Self::Function { error, failure } => InvokeError::Function {
                error: map(error),
                failure,
            },
            Self::UnmappedFunction(f) => InvokeError::UnmappedFunction(f),
            Self::Service(e) => InvokeError::Service(e),
            Self::Timeout(e) => InvokeError::Timeout(e),
            Self::Transport(e) => InvokeError::Transport(e),
            Self::Serialize(e) => InvokeError::Serialize(e),
            Self::Deserialize(e) => InvokeError::Deserialize(e),
            Self::Rejected(e) => InvokeError::Rejected(e),
            Self::Config(e) => InvokeError::Config(e),
            Self::ClaimCheck(e) => InvokeError::ClaimCheck(e),
        }
    }
}

/// A function's own typed error, as its implementation returns it: lets a served method write
/// `Err(ChargeError::Declined)?`.
impl<E: FunctionError> From<E> for InvokeError<E> {
    fn from(error: E) -> Self {
        let object = ErrorObject::new(
            error.error_type(),
            error.error_message().unwrap_or_default(),
        );
        InvokeError::Function {
            error,
            failure: Box::new(FunctionFailure {
                function: String::new(),
                idempotency_key: None,
                error_header: None,
                object,
                metadata: ResponseMetadata::default(),
            }),
        }
    }
}

impl InvokeError<Infallible> {
    /// Maps an untyped error onto `E`: an unmapped function error is offered to
    /// [`FunctionError::from_error_object`].
    pub(crate) fn typed<E: FunctionError>(self) -> InvokeError<E> {
        match self {
            Self::UnmappedFunction(failure) => match E::from_error_object(&failure.object) {
                Some(error) => InvokeError::Function { error, failure },
                None => InvokeError::UnmappedFunction(failure),
            },
            other => other.map_function_error(|never| match never {}),
        }
    }
}

impl<E: fmt::Display> fmt::Display for InvokeError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Function { error, failure } => {
                write!(f, "function `{}` failed: {error}", failure.function)
            }
            Self::UnmappedFunction(failure) => fmt::Display::fmt(failure, f),
            Self::Service(e) => write!(f, "invocation refused: {e}"),
            Self::Timeout(e) | Self::Transport(e) => fmt::Display::fmt(e, f),
            Self::Serialize(e) => fmt::Display::fmt(e, f),
            Self::Deserialize(e) => fmt::Display::fmt(e, f),
            Self::Rejected(e) => write!(f, "request refused before sending: {e}"),
            Self::Config(e) => fmt::Display::fmt(e, f),
            Self::ClaimCheck(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: StdError + 'static> StdError for InvokeError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Function { error, .. } => error.source(),
            other => other.untyped_source(),
        }
    }
}

/// A function error as Lambda reported it.
#[derive(Debug, Clone)]
pub struct FunctionFailure {
    pub(crate) function: String,
    /// A keyed call's idempotency key, as the function stores it (set by the client).
    pub(crate) idempotency_key: Option<String>,
    pub(crate) error_header: Option<String>,
    pub(crate) object: ErrorObject,
    pub(crate) metadata: ResponseMetadata,
}

impl FunctionFailure {
    /// The function that was called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// The `X-Amz-Function-Error` header's value (`Unhandled`, or `Handled` from older
    /// runtimes); `None` when an emulator reported the error by status 500 instead.
    pub fn error_header(&self) -> Option<&str> {
        self.error_header.as_deref()
    }

    /// The error object, with its raw bytes.
    pub fn object(&self) -> &ErrorObject {
        &self.object
    }

    /// The `errorType`, when present.
    pub fn error_type(&self) -> Option<&str> {
        self.object.error_type()
    }

    /// The `errorMessage`, when present.
    pub fn error_message(&self) -> Option<&str> {
        self.object.error_message()
    }

    /// The response metadata (log tail included when asked for).
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

impl fmt::Display for FunctionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "function `{}` failed: {}", self.function, self.object)
    }
}

impl StdError for FunctionFailure {}

/// A timeout or a failure to move the request or response across the network.
///
/// The SDK's own error would keep the raw response with its headers (a log tail among
/// them): only its cause is kept, as `source()`.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) function: String,
    /// A keyed call's idempotency key, as the function stores it (set by the client).
    pub(crate) idempotency_key: Option<String>,
    pub(crate) what: &'static str,
    pub(crate) redelivery: Redelivery,
    pub(crate) body: Option<Bytes>,
    pub(crate) source: Option<BoxError>,
    /// For a failure in the middle of a response stream: how many items had arrived.
    pub(crate) received: Option<u64>,
}

impl TransportError {
    /// For a failure in the middle of a response stream, how many items (chunks, for a
    /// `ByteStream`) the stream had delivered before it; `None` for any other call.
    pub fn items_received(&self) -> Option<u64> {
        self.received
    }

    /// The function that was called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// Whatever part of a response arrived before the failure.
    pub fn partial_body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    /// Whether the request may have run the function: [`Redelivery::Safe`] only when the
    /// connection was never opened.
    pub fn redelivery(&self) -> Redelivery {
        self.redelivery
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invoking `{}`: {}", self.function, self.what)?;
        match self.received {
            Some(1) => f.write_str(" (after 1 item had arrived)"),
            Some(n) => write!(f, " (after {n} items had arrived)"),
            None => Ok(()),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The arguments could not be serialized to JSON.
#[derive(Debug)]
pub struct SerializeError {
    pub(crate) function: String,
    pub(crate) source: serde_json::Error,
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not serialize the payload for `{}`", self.function)
    }
}

impl StdError for SerializeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// The function's result did not deserialize into the method's success type.
#[derive(Debug)]
pub struct DeserializeError {
    pub(crate) function: String,
    /// A keyed call's idempotency key, as the function stores it (set by the client).
    pub(crate) idempotency_key: Option<String>,
    pub(crate) payload: Bytes,
    pub(crate) metadata: ResponseMetadata,
    pub(crate) source: serde_json::Error,
}

impl DeserializeError {
    /// The payload exactly as received.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The response metadata.
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not deserialize the result of `{}` ({} bytes)",
            self.function,
            self.payload.len()
        )
    }
}

impl StdError for DeserializeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// A request refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejected {
    /// The payload is over the limit for its invocation type.
    PayloadTooLarge {
        /// The payload's size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
        /// The invocation type whose limit applies.
        invocation: crate::invocation::InvocationType,
    },
    /// The base64-encoded client context is over the limit.
    ClientContextTooLarge {
        /// The encoded size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The client context could not be serialized.
    ClientContext(String),
    /// A name or qualifier is invalid, or the two disagree.
    Name(lambda_remote_names::NameError),
    /// The engine (`Invoker::invoke`) was given a method index the trait does
    /// not have.
    UnknownMethod {
        /// The index given.
        index: usize,
        /// How many methods the trait has.
        methods: usize,
    },
    /// An option that only synchronous invocations take was given to another kind.
    SynchronousOnly {
        /// The option, e.g. `log tail`.
        option: &'static str,
        /// The invocation type of the call.
        invocation: crate::invocation::InvocationType,
    },
    /// The durable execution name is not 1 to 64 of `[a-zA-Z0-9-_]`.
    DurableExecutionName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An option that `InvokeWithResponseStream` does not take was given to a streaming call.
    NotStreamed {
        /// The option, e.g. `a durable execution name`.
        option: &'static str,
    },
    /// The tenant id is not 1 to 256 characters of `[a-zA-Z0-9._:/=+\-@ ]` (not shown: it may
    /// be long, or hold what a log should not).
    TenantId {
        /// What is wrong with it.
        reason: String,
    },
    /// The client's concurrency limit (`ClientBuilder::concurrency_limit`, or a method's) has
    /// `in_flight` calls running and `queue` waiting: nothing was sent. It may be sent again
    /// ([`Redelivery::Safe`]).
    Overloaded {
        /// `"client"`, or the method whose limit it is.
        scope: &'static str,
        /// The calls in flight at most.
        in_flight: usize,
        /// The calls waiting at most.
        queue: usize,
    },
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PayloadTooLarge {
                size,
                limit,
                invocation,
            } => write!(
                f,
                "the payload is {size} bytes; {invocation} invocations take at most {limit}"
            ),
            Self::ClientContextTooLarge { size, limit } => write!(
                f,
                "the client context is {size} bytes of base64; Lambda takes at most {limit}"
            ),
            Self::ClientContext(e) => write!(f, "the client context could not be serialized: {e}"),
            Self::Name(e) => fmt::Display::fmt(e, f),
            Self::UnknownMethod { index, methods } => write!(
                f,
                "there is no method {index}: the trait has {methods} (indices 0 to {methods} - 1)"
            ),
            Self::SynchronousOnly { option, invocation } => write!(
                f,
                "{option} applies only to RequestResponse invocations, not {invocation}"
            ),
            Self::DurableExecutionName { name, reason } => {
                write!(f, "invalid durable execution name {name:?}: {reason}")
            }
            Self::TenantId { reason } => write!(f, "invalid tenant id: {reason}"),
            Self::Overloaded {
                scope,
                in_flight,
                queue,
            } => write!(
                f,
                "overloaded: the {scope} concurrency limit has {in_flight} calls in flight and {queue} waiting"
            ),
            Self::NotStreamed { option } => write!(
                f,
                "{option} applies only to Invoke, not to InvokeWithResponseStream (a streaming method)"
            ),
        }
    }
}

/// Its message shows what was refused and why (a [`Name`](Rejected::Name)'s error included), so
/// `source()` is that error's own source.
impl StdError for Rejected {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Name(e) => e.source(),
            _ => None,
        }
    }
}

/// The error type of a `#[lambda_remote]` method: `InvokeError<E>`, or a type of yours that
/// an `InvokeError` converts into.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an error type a `#[lambda_remote]` method can return",
    label = "the error type of this `Result` must be `lambda_remote::InvokeError<E>`",
    note = "write `InvokeError` (or `InvokeError<YourFunctionError>` to map function errors onto an enum), or implement `lambda_remote::error::ClientError` for `{Self}`"
)]
pub trait ClientError: Sized {
    /// The typed function error the invocation maps onto.
    type Function: FunctionError;

    /// Converts an invocation error.
    fn from_invoke_error(error: InvokeError<Self::Function>) -> Self;
}

impl<E: FunctionError> ClientError for InvokeError<E> {
    type Function = E;

    fn from_invoke_error(error: InvokeError<E>) -> Self {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Box<FunctionFailure> {
        Box::new(FunctionFailure {
            function: "f".into(),
            idempotency_key: None,
            error_header: Some("Unhandled".into()),
            object: ErrorObject::new("Boom", "it broke"),
            metadata: ResponseMetadata::default(),
        })
    }

    #[derive(Debug, PartialEq)]
    struct Boom;

    impl FunctionError for Boom {
        fn from_error_object(object: &ErrorObject) -> Option<Self> {
            (object.error_type() == Some("Boom")).then_some(Boom)
        }
        fn error_type(&self) -> std::borrow::Cow<'_, str> {
            "Boom".into()
        }
    }

    #[test]
    fn typed_maps_known_error_types_and_keeps_the_rest() {
        let mapped = InvokeError::UnmappedFunction(failure()).typed::<Boom>();
        assert_eq!(mapped.function_error(), Some(&Boom));
        assert_eq!(mapped.failure().unwrap().error_message(), Some("it broke"));

        let mut other = failure();
        other.object = ErrorObject::new("Other", "x");
        let unmapped = InvokeError::UnmappedFunction(other).typed::<Boom>();
        assert!(matches!(unmapped, InvokeError::UnmappedFunction(_)));
    }

    #[test]
    fn source_chain_reaches_the_cause() {
        let error: InvokeError = InvokeError::Serialize(Box::new(SerializeError {
            function: "f".into(),
            source: serde_json::from_str::<u8>("x").unwrap_err(),
        }));
        // The message shows the `SerializeError`'s; the source is serde_json's error below it.
        let source = error.source().expect("a source");
        assert!(source.is::<serde_json::Error>(), "{source:?}");
        assert!(error.to_string().contains("could not serialize"));
    }

    #[test]
    fn invoke_error_is_small_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<InvokeError>();
        assert!(std::mem::size_of::<InvokeError>() <= 24);
    }
}
