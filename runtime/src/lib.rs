//! The runtime of [lambda-remote](https://docs.rs/lambda-remote): typed AWS Lambda invocation
//! over `aws-sdk-lambda`.
//!
//! Most users depend on the `lambda-remote` facade crate and never name this one. It holds the
//! engine every `#[lambda_remote]` client wraps ([`Invoker`]), the client builder
//! ([`ClientBuilder`]), per-call options ([`CallOptions`]), response metadata
//! ([`ResponseMetadata`]), and the one error type, [`InvokeError`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod context;
pub mod contract;
mod delivery;
mod error;
mod error_object;
#[cfg(any(feature = "local", feature = "mocks"))]
mod event_stream;
mod function_error;
mod invocation;
mod invoker;
mod keys;
mod limits;
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub mod local;
mod metadata;
mod method;
mod method_handler;
#[cfg(feature = "mocks")]
#[cfg_attr(docsrs, doc(cfg(feature = "mocks")))]
pub mod mock;
mod options;
mod output;
mod resolve;
mod response;
mod retry;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub mod schema;
mod sdk;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
mod service_error;
mod stream;
mod stream_source;
mod telemetry;
mod trace;
mod wire;

#[cfg(test)]
mod props;

pub use builder::{ClientBuilder, GeneratedClient};
pub use context::InvocationContext;
pub use delivery::{Delivery, Redelivery};
pub use error::{
    ClientError, DeserializeError, FunctionFailure, InvokeError, Rejected, SerializeError,
    TransportError,
};
pub use error_object::ErrorObject;
pub use function_error::{Details, ErrorPayload, FunctionError};
pub use invocation::InvocationType;
pub use invoker::Invoker;
pub use keys::{
    validate_durable_execution_name, validate_tenant_id, MAX_DURABLE_EXECUTION_NAME_LEN,
    MAX_TENANT_ID_LEN,
};
pub use lambda_remote_names as names;
pub use limits::Limits;
pub use metadata::{Invoked, LogTail, ResponseMetadata};
pub use method::MethodSpec;
pub use method_handler::{
    Answer, MethodHandler, Reply, ResponseChunks, INVOKE_ERROR_TYPE, PAYLOAD_ERROR_TYPE,
};
pub use options::CallOptions;
pub use output::{MethodOutput, UnitOutput};
pub use resolve::ConfigError;
pub use sdk::DEFAULT_CONNECT_TIMEOUT;
pub use service_error::{ServiceError, ServiceErrorKind, ThrottleReason};
#[doc(hidden)]
pub use stream::RemoteStream;
pub use stream::{
    ByteStream, ResponseStream, ServedStream, StreamClosed, StreamOutput, StreamSender,
};
pub use trace::{InvalidTraceContext, TraceContext};

/// schemars 1, to derive `JsonSchema` without depending on it: `#[derive(lambda_remote::schemars::JsonSchema)]`
/// with `#[schemars(crate = "lambda_remote::schemars")]`.
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub use schemars;

/// Re-exports for the code `#[lambda_remote]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    /// The success type of a trait method, when it deserializes: the generated method calls the
    /// invoker for `<Ok as Decode>::Type`, so that a success type that does not deserialize is
    /// reported once, by the method's own check, and not again by the call.
    pub trait Decode {
        /// The type itself.
        type Type;
        /// Converts back.
        fn into_inner(value: Self::Type) -> Self;
    }

    impl<T: serde::de::DeserializeOwned> Decode for T {
        type Type = T;
        fn into_inner(value: T) -> T {
            value
        }
    }

    /// What `#[lambda_remote(schema)]` generates calls to.
    #[cfg(feature = "schema")]
    pub mod schema {
        pub use crate::schema::{schema_of, stream_schema, PayloadSchema};
    }

    /// Without the `schema` feature, `#[lambda_remote(schema)]` fails to compile with a note
    /// that says so.
    #[cfg(not(feature = "schema"))]
    pub mod schema {
        /// Implemented by nothing: the feature is off.
        #[diagnostic::on_unimplemented(
            message = "`#[lambda_remote(schema)]` needs the `schema` feature of lambda-remote",
            label = "no JSON Schema without the `schema` feature",
            note = "add `features = [\"schema\"]` to the `lambda-remote` dependency, or remove `schema` from `#[lambda_remote(schema)]`"
        )]
        pub trait SchemaFeature {}

        /// Never called: its bound fails.
        pub fn schema_of<T: ?Sized + SchemaFeature>() -> serde_json::Value {
            serde_json::Value::Null
        }

        /// Never called: its bound fails.
        pub fn stream_schema<T: ?Sized + SchemaFeature>() -> serde_json::Value {
            serde_json::Value::Null
        }

        /// Never used: its bound fails.
        #[derive(Default)]
        pub struct PayloadSchema;

        impl PayloadSchema {
            /// Never called.
            pub fn new() -> Self {
                Self
            }
            /// Never called: its bound fails.
            pub fn argument<T: ?Sized + SchemaFeature>(&mut self, _name: &str) -> &mut Self {
                self
            }
            /// Never called.
            pub fn finish(&mut self) -> serde_json::Value {
                serde_json::Value::Null
            }
        }
    }

    /// The payload of a method without arguments: `{}`.
    pub fn empty_object() -> Result<Vec<u8>, serde_json::Error> {
        Ok(b"{}".to_vec())
    }

    /// Decodes a served method's payload as the client encoded it.
    pub fn decode_payload<T: serde::de::DeserializeOwned>(
        method: &str,
        payload: &[u8],
    ) -> Result<T, crate::ErrorObject> {
        crate::method_handler::decode_payload(method, payload)
    }

    /// Encodes a served method's result as the client decodes it.
    pub fn encode_result<T, E>(
        method: &str,
        result: Result<T, crate::InvokeError<E>>,
    ) -> crate::Answer
    where
        T: serde::Serialize,
        E: crate::FunctionError + std::fmt::Display,
    {
        crate::method_handler::encode_result(method, result)
    }

    /// Encodes a served streaming method's result: its chunks, or the error before them.
    pub fn encode_stream<S, E>(
        method: &'static str,
        result: Result<S, crate::InvokeError<E>>,
    ) -> Result<crate::ResponseChunks, crate::ErrorObject>
    where
        S: crate::ServedStream,
        E: crate::FunctionError + std::fmt::Display,
    {
        crate::stream::encode_stream(method, result)
    }
}
