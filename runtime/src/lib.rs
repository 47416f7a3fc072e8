//! The runtime of [lambda-remote](https://docs.rs/lambda-remote): typed AWS Lambda invocation
//! over `aws-sdk-lambda`.
//!
//! Most users depend on the `lambda-remote` facade crate and never name this one. It holds the
//! engine every `#[lambda_remote]` client wraps (hidden, for the generated code), the client builder
//! ([`ClientBuilder`]), per-call options ([`CallOptions`]), response metadata
//! ([`ResponseMetadata`]), and the one error type, [`InvokeError`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod claim_check;
mod client;
pub mod contract;
mod deadline;
mod delivery;
pub mod deploy;
mod error;
pub mod idempotency;
mod invocation;
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub mod local;
#[cfg(feature = "opentelemetry")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry")))]
pub mod otel;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub mod schema;
mod serve;
mod spec;
mod stream;
mod trace;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::builder::ClientBuilder;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::concurrency::ConcurrencyLimit;
pub use client::generated::GeneratedClient;
pub use client::limits::Limits;
pub use client::metadata::{Invoked, LogTail, ResponseMetadata};
#[cfg(feature = "mocks")]
#[cfg_attr(docsrs, doc(cfg(feature = "mocks")))]
pub use client::mock;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::options::CallOptions;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::resolve::ConfigError;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::sdk::DEFAULT_CONNECT_TIMEOUT;
pub use delivery::{Delivery, Redelivery};
pub use error::config::{SdkConfigError, SdkConfigErrorKind};
pub use error::function::{Details, ErrorContent, FunctionError};
pub use error::object::ErrorObject;
pub use error::service::{ServiceError, ServiceErrorKind, ThrottleReason};
pub use error::{
    ClientError, DeserializeError, FunctionFailure, InvokeError, Rejected, SerializeError,
    TransportError,
};
pub use invocation::InvocationType;
pub use lambda_remote_names as names;
pub use serve::context::InvocationContext;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub use serve::lambda_runtime as server;
pub use serve::method::{INVOKE_ERROR_TYPE, MethodHandler, PAYLOAD_ERROR_TYPE, ResponseChunks};
pub use stream::byte_stream::ByteStream;
pub use stream::channel::{StreamClosed, StreamSender};
pub use stream::read::StreamOutput;
pub use stream::response_stream::ResponseStream;
pub use stream::serve::ServedStream;
pub use trace::{InvalidTraceContext, TraceContext};

/// schemars 1, to derive `JsonSchema` without depending on it: `#[derive(lambda_remote::schemars::JsonSchema)]`
/// with `#[schemars(crate = "lambda_remote::schemars")]`.
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub use schemars;

/// Expands to its first group of tokens with the `client` feature and to its second without:
/// the code `#[lambda_remote]` generates in a user's crate cannot test lambda-remote's features
/// with `#[cfg]`, so it puts the client in the first group and what stands for it (the contract
/// alone) in the second. Reached as `__private::with_client!`.
#[cfg(feature = "client")]
#[doc(hidden)]
#[macro_export]
macro_rules! __lambda_remote_with_client {
    ({ $($client:tt)* } { $($without:tt)* }) => { $($client)* };
}

/// See the `client` feature's definition above.
#[cfg(not(feature = "client"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __lambda_remote_with_client {
    ({ $($client:tt)* } { $($without:tt)* }) => { $($without)* };
}

/// Re-exports for the code `#[lambda_remote]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    pub use crate::__lambda_remote_with_client as with_client;

    pub use crate::claim_check::ClaimCheckMode;
    #[cfg(feature = "client")]
    pub use crate::client::checks::{
        MAX_DURABLE_EXECUTION_NAME_LEN, MAX_TENANT_ID_LEN, validate_durable_execution_name,
        validate_tenant_id,
    };
    #[cfg(feature = "client")]
    pub use crate::client::invoker::Invoker;
    #[cfg(feature = "client")]
    pub use crate::client::invoker::{Receive, Streamed, Whole};
    pub use crate::client::output::{MethodOutput, UnitOutput, method_contract, to_payload};
    pub use crate::client::payload::Payload;
    #[cfg(feature = "client")]
    pub use crate::client::request::Derived;
    pub use crate::idempotency::idempotent;
    pub use crate::serve::method::Answer;
    pub use crate::spec::MethodSpec;
    pub use crate::stream::read::RemoteStream;

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
        pub use crate::schema::{PayloadSchema, schema_of, stream_schema};
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
    pub fn empty_object() -> Result<Payload, serde_json::Error> {
        Ok(Payload::from(b"{}".to_vec()))
    }

    /// Decodes a served method's payload as the client encoded it.
    pub fn decode_payload<T: serde::de::DeserializeOwned>(
        method: &str,
        payload: &[u8],
    ) -> Result<T, crate::error::object::ErrorObject> {
        crate::serve::method::decode_payload(method, payload)
    }

    /// The fields a `#[derive(FunctionError)]` enum's `error_fields_json` wrote, as the map its
    /// `error_fields` returns.
    pub fn fields_map(
        json: Option<Box<serde_json::value::RawValue>>,
    ) -> serde_json::Map<String, serde_json::Value> {
        json.and_then(|json| serde_json::from_str(json.get()).ok())
            .unwrap_or_default()
    }

    pub use crate::serve::build::{json_handler, whole_json_handler};

    /// Encodes a served method's result as the client decodes it.
    pub fn encode_result<T, E>(
        method: &str,
        result: Result<T, crate::error::InvokeError<E>>,
    ) -> Result<Box<serde_json::value::RawValue>, crate::error::object::ErrorObject>
    where
        T: serde::Serialize,
        E: crate::error::function::FunctionError + std::fmt::Display,
    {
        crate::serve::method::encode_result(method, result)
    }

    /// Encodes a served streaming method's result: its chunks, or the error before them.
    pub fn encode_stream<S, E>(
        method: &'static str,
        result: Result<S, crate::error::InvokeError<E>>,
    ) -> Result<crate::serve::method::ResponseChunks, crate::error::object::ErrorObject>
    where
        S: crate::stream::serve::ServedStream,
        E: crate::error::function::FunctionError + std::fmt::Display,
    {
        crate::stream::serve::encode_stream(method, result)
    }
}
