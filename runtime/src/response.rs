//! Turning what the SDK returned into a decoded result or an [`InvokeError`].

use std::convert::Infallible;
use std::time::Duration;

use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_lambda::operation::invoke::{InvokeError as SdkInvokeError, InvokeOutput};
use aws_sdk_lambda::operation::RequestId;
use aws_smithy_runtime_api::http::Response;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::{DeserializeError, FunctionFailure, TransportError};
use crate::metadata::LogTail;
use crate::{ErrorObject, InvokeError, Invoked, ResponseMetadata, ServiceError};

/// A successful response before decoding.
pub(crate) struct RawResponse {
    pub(crate) payload: Bytes,
    pub(crate) metadata: ResponseMetadata,
}

/// Reads an SDK output: a function error becomes [`InvokeError::UnmappedFunction`].
pub(crate) fn from_output(
    function: &str,
    output: InvokeOutput,
) -> Result<RawResponse, InvokeError<Infallible>> {
    let metadata = ResponseMetadata {
        status: u16::try_from(output.status_code).unwrap_or_default(),
        executed_version: output.executed_version.clone(),
        request_id: output.request_id().map(str::to_owned),
        log_tail: output.log_result.as_deref().map(LogTail::from_header),
    };
    let payload = output
        .payload
        .map(|blob| Bytes::from(blob.into_inner()))
        .unwrap_or_default();
    match output.function_error.filter(|value| !value.is_empty()) {
        Some(function_error) => Err(InvokeError::UnmappedFunction(Box::new(FunctionFailure {
            function: function.to_owned(),
            function_error: Some(function_error),
            object: ErrorObject::from_bytes(payload),
            metadata,
        }))),
        None => Ok(RawResponse { payload, metadata }),
    }
}

/// Deserializes a successful payload; an empty payload reads as `null`.
pub(crate) fn decode<T: DeserializeOwned>(
    function: &str,
    raw: RawResponse,
) -> Result<Invoked<T>, InvokeError<Infallible>> {
    let bytes: &[u8] = if raw.payload.is_empty() {
        b"null"
    } else {
        &raw.payload
    };
    match serde_json::from_slice(bytes) {
        Ok(output) => Ok(Invoked {
            output,
            metadata: raw.metadata,
        }),
        Err(source) => Err(InvokeError::Deserialize(Box::new(DeserializeError {
            function: function.to_owned(),
            payload: raw.payload,
            metadata: raw.metadata,
            source,
        }))),
    }
}

/// Whether an error body is a function's error object rather than a service error: a JSON
/// object with `errorType` or `errorMessage`.
pub(crate) fn looks_like_function_error(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
        .is_ok_and(|map| map.contains_key("errorType") || map.contains_key("errorMessage"))
}

/// Maps an SDK failure onto the invocation error.
pub(crate) fn from_sdk_error(
    function: &str,
    error: SdkError<SdkInvokeError, Response>,
) -> InvokeError<Infallible> {
    let transport = |what: &'static str, body: Option<Bytes>, source| {
        Box::new(TransportError {
            function: function.to_owned(),
            what,
            body,
            source,
        })
    };
    match error {
        SdkError::ServiceError(context) => {
            let raw = context.raw();
            let status = raw.status().as_u16();
            let body = raw
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .unwrap_or_default();
            let code = crate::retry::error_code(raw);
            if code.is_none() && status >= 500 && looks_like_function_error(&body) {
                return InvokeError::UnmappedFunction(Box::new(FunctionFailure {
                    function: function.to_owned(),
                    function_error: None,
                    object: ErrorObject::from_bytes(body),
                    metadata: ResponseMetadata {
                        status,
                        request_id: raw.headers().get("x-amzn-RequestId").map(str::to_owned),
                        ..ResponseMetadata::default()
                    },
                }));
            }
            let err = context.err();
            let code = code.or_else(|| err.code().map(str::to_owned));
            let message = err
                .message()
                .map(str::to_owned)
                .or_else(|| body_message(&body));
            let retry_after = raw
                .headers()
                .get("Retry-After")
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .map(Duration::from_secs_f64);
            let mut service =
                ServiceError::from_parts(status, code, message, body_reason(&body), retry_after);
            service.request_id = raw.headers().get("x-amzn-RequestId").map(str::to_owned);
            service.body = body;
            service.source = Some(Box::new(context.into_err()));
            InvokeError::Service(Box::new(service))
        }
        SdkError::TimeoutError(_) => {
            InvokeError::Timeout(transport("the call timed out", None, Box::new(error)))
        }
        SdkError::DispatchFailure(ref failure) if failure.is_timeout() => {
            InvokeError::Timeout(transport("the connection timed out", None, Box::new(error)))
        }
        SdkError::DispatchFailure(_) => InvokeError::Transport(transport(
            "the request could not be sent or no response arrived",
            None,
            Box::new(error),
        )),
        SdkError::ResponseError(ref failure) => {
            let body = failure.raw().body().bytes().map(Bytes::copy_from_slice);
            InvokeError::Transport(transport(
                "the response was cut short or unreadable",
                body,
                Box::new(error),
            ))
        }
        other => InvokeError::Transport(transport(
            "the request could not be built",
            None,
            Box::new(other),
        )),
    }
}

fn body_field(body: &[u8], keys: &[&str]) -> Option<String> {
    let map = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).ok()?;
    keys.iter()
        .find_map(|key| map.get(*key).and_then(|v| v.as_str()))
        .map(str::to_owned)
}

fn body_message(body: &[u8]) -> Option<String> {
    body_field(body, &["message", "Message", "errorMessage", "detail"])
}

fn body_reason(body: &[u8]) -> Option<String> {
    body_field(body, &["Reason", "reason"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(payload: &'static [u8]) -> RawResponse {
        RawResponse {
            payload: Bytes::from_static(payload),
            metadata: ResponseMetadata::default(),
        }
    }

    #[test]
    fn empty_and_null_payloads_decode_as_unit() {
        assert!(decode::<()>("f", raw(b"")).is_ok());
        assert!(decode::<()>("f", raw(b"null")).is_ok());
        assert_eq!(decode::<Option<u8>>("f", raw(b"")).unwrap().output, None);
    }

    #[test]
    fn undecodable_payloads_keep_their_bytes() {
        let error = decode::<u32>("f", raw(b"\xff not json")).unwrap_err();
        match error {
            InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), b"\xff not json"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn function_error_bodies_are_recognised() {
        assert!(looks_like_function_error(br#"{"errorMessage":"x"}"#));
        assert!(looks_like_function_error(br#"{"errorType":"x"}"#));
        assert!(!looks_like_function_error(br#"{"message":"x"}"#));
        assert!(!looks_like_function_error(b"oops"));
    }
}
