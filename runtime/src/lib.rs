//! The runtime of [lambda-remote](https://docs.rs/lambda-remote): typed AWS Lambda invocation
//! over `aws-sdk-lambda`.
//!
//! Most users depend on the `lambda-remote` facade crate and never name this one. It holds the
//! engine every `#[lambda_remote]` client wraps ([`Invoker`]), the client builder
//! ([`ClientBuilder`]), per-call options ([`CallOptions`]), response metadata
//! ([`ResponseMetadata`]), and the one error type, [`InvokeError`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod builder;
mod error;
mod error_object;
mod function_error;
mod invocation;
mod invoker;
mod limits;
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub mod local;
mod metadata;
mod method;
mod naming;
mod options;
mod output;
mod response;
mod retry;
mod serve;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
mod service_error;
mod telemetry;

#[cfg(test)]
mod props;

pub use builder::{
    ClientBuilder, GeneratedClient, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
};
pub use error::{
    ClientError, DeserializeError, FunctionFailure, InvokeError, Rejected, SerializeError,
    TransportError,
};
pub use error_object::ErrorObject;
pub use function_error::{Details, ErrorPayload, FunctionError};
pub use invocation::InvocationType;
pub use invoker::Invoker;
pub use lambda_remote_names as names;
pub use limits::Limits;
pub use metadata::{Invoked, LogTail, ResponseMetadata};
pub use method::MethodSpec;
pub use naming::ConfigError;
pub use options::CallOptions;
pub use output::{MethodOutput, UnitOutput};
pub use serve::{Answer, FunctionErrorBody, MethodHandler, INVOKE_ERROR_TYPE, PAYLOAD_ERROR_TYPE};
pub use service_error::{ServiceError, ServiceErrorKind, ThrottleReason};

/// Re-exports for the code `#[lambda_remote]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    /// Serializes one argument straight into payload bytes.
    pub fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(value)
    }

    /// The payload of a method without arguments: `{}`.
    pub fn empty_object() -> Result<Vec<u8>, serde_json::Error> {
        Ok(b"{}".to_vec())
    }

    /// Serializes several arguments straight into a JSON object keyed by parameter name.
    pub struct ObjectPayload {
        bytes: Result<Vec<u8>, serde_json::Error>,
    }

    impl ObjectPayload {
        /// An empty object.
        #[allow(clippy::new_without_default)]
        pub fn new() -> Self {
            Self {
                bytes: Ok(b"{".to_vec()),
            }
        }

        /// Appends `"name": value`.
        pub fn field<T: serde::Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
            if let Ok(bytes) = &mut self.bytes {
                if bytes.len() > 1 {
                    bytes.push(b',');
                }
                let written = serde_json::to_writer(&mut *bytes, name).and_then(|()| {
                    bytes.push(b':');
                    serde_json::to_writer(&mut *bytes, value)
                });
                if let Err(error) = written {
                    self.bytes = Err(error);
                }
            }
            self
        }

        /// The payload bytes, or the first serialization error.
        pub fn finish(self) -> Result<Vec<u8>, serde_json::Error> {
            let mut bytes = self.bytes?;
            bytes.push(b'}');
            Ok(bytes)
        }
    }

    /// The fields of a serialized struct variant, as error-object fields.
    pub fn fields_of<T: serde::Serialize>(value: &T) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        }
    }

    /// Decodes a served method's payload as the client encoded it.
    pub fn decode_payload<T: serde::de::DeserializeOwned>(
        method: &str,
        payload: &[u8],
    ) -> Result<T, crate::FunctionErrorBody> {
        crate::serve::decode_payload(method, payload)
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
        crate::serve::encode_result(method, result)
    }

    /// Compile-time check that an `event` or `dry_run` method succeeds with `()`.
    pub const fn assert_unit_output<T: crate::UnitOutput + ?Sized>() {}

    /// Compile-time check that a method's arguments serialize.
    pub const fn assert_serialize<T: serde::Serialize + ?Sized>() {}
}

#[cfg(test)]
mod tests {
    use super::__private::ObjectPayload;

    #[test]
    fn object_payload_is_a_json_object_keyed_by_name() {
        let bytes = ObjectPayload::new()
            .field("sku", "A-1")
            .field("qty", &3u32)
            .finish()
            .unwrap();
        assert_eq!(bytes, br#"{"sku":"A-1","qty":3}"#);
        assert_eq!(ObjectPayload::new().finish().unwrap(), b"{}");
    }

    #[test]
    fn object_payload_keeps_the_first_error() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        let result = ObjectPayload::new()
            .field("bad", &map)
            .field("ok", &1)
            .finish();
        assert!(result.is_err());
    }
}
