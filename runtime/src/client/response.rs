//! Turning what the SDK returned into a decoded result or an [`InvokeError`].

use std::convert::Infallible;

use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_lambda::operation::RequestId;
use aws_sdk_lambda::operation::invoke::InvokeOutput;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::http::Response;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::client::metadata::LogTail;
use crate::client::metadata::{Invoked, ResponseMetadata};
use crate::client::wire;
use crate::delivery::Redelivery;
use crate::error::InvokeError;
use crate::error::config::{self, SdkConfigError, SdkConfigErrorKind};
use crate::error::object::ErrorObject;
use crate::error::service::ServiceError;
use crate::error::{DeserializeError, FunctionFailure, TransportError};
use crate::invocation::InvocationType;

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
        durable_execution_arn: output.durable_execution_arn.clone(),
    };
    let payload = output
        .payload
        .map(|blob| Bytes::from(blob.into_inner()))
        .unwrap_or_default();
    match output.function_error.filter(|value| !value.is_empty()) {
        Some(header) => Err(InvokeError::UnmappedFunction(Box::new(FunctionFailure {
            function: function.to_owned(),
            idempotency_key: None,
            error_header: Some(header),
            object: ErrorObject::from_bytes(payload),
            metadata,
        }))),
        None => Ok(RawResponse { payload, metadata }),
    }
}

/// Deserializes a successful payload; an empty payload reads as `null`. The answer to an
/// `Event` or `DryRun` invocation is not the function's result: whatever body it carries (an
/// emulator may echo the payload or run the function and answer its result), the output is
/// decoded from `null`, so a method returning `()` succeeds on any 2xx.
pub(crate) fn decode<T: DeserializeOwned>(
    function: &str,
    invocation: InvocationType,
    raw: RawResponse,
) -> Result<Invoked<T>, InvokeError<Infallible>> {
    let bytes: &[u8] = if raw.payload.is_empty() || !invocation.is_synchronous() {
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
            idempotency_key: None,
            payload: raw.payload,
            metadata: raw.metadata,
            source,
        }))),
    }
}

/// Maps an SDK failure onto the invocation error. The SDK's error keeps the raw response,
/// headers included (a log tail among them): only its cause is kept as `source()`. `config`
/// is the configuration of the SDK client that failed.
pub(crate) fn from_sdk_error<O>(
    function: &str,
    error: SdkError<O, Response>,
    config: &aws_sdk_lambda::Config,
) -> InvokeError<Infallible>
where
    O: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(kind) = config_kind(&error, config) {
        let sdk = sdk_cause(error);
        return InvokeError::Config(Box::new(SdkConfigError::new(function, kind, sdk)));
    }
    let transport = |what: &'static str, redelivery, body: Option<Bytes>, source| {
        Box::new(TransportError {
            function: function.to_owned(),
            idempotency_key: None,
            what,
            redelivery,
            body,
            source,
            received: None,
        })
    };
    match error {
        // A 2xx is the function's answer, not a service error: the SDK could not read it (a
        // Lambda header repeated, or not UTF-8). The function ran; a function error header
        // still says it failed.
        SdkError::ServiceError(ref context) if context.raw().status().is_success() => {
            let raw = context.raw();
            let body = raw
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .unwrap_or_default();
            if let Some(header) = wire::function_error(raw) {
                return InvokeError::UnmappedFunction(Box::new(FunctionFailure {
                    function: function.to_owned(),
                    idempotency_key: None,
                    error_header: Some(header),
                    object: ErrorObject::from_bytes(body),
                    metadata: ResponseMetadata {
                        status: raw.status().as_u16(),
                        request_id: wire::request_id(raw),
                        ..ResponseMetadata::default()
                    },
                }));
            }
            InvokeError::Transport(transport(
                "the response was cut short or unreadable",
                Redelivery::Never,
                Some(body),
                error.into_source().ok(),
            ))
        }
        SdkError::ServiceError(context) => {
            let raw = context.raw();
            let status = raw.status().as_u16();
            let request_id = wire::request_id(raw);
            let body = raw
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .unwrap_or_default();
            let code = wire::error_code(raw);
            if code.is_none() && status >= 500 && wire::looks_like_function_error(&body) {
                return InvokeError::UnmappedFunction(Box::new(FunctionFailure {
                    function: function.to_owned(),
                    idempotency_key: None,
                    error_header: None,
                    object: ErrorObject::from_bytes(body),
                    metadata: ResponseMetadata {
                        status,
                        request_id,
                        ..ResponseMetadata::default()
                    },
                }));
            }
            let retry_after = wire::retry_after(raw);
            let err = context.into_err();
            let code = code.or_else(|| err.code().filter(|c| !c.is_empty()).map(str::to_owned));
            let message = err
                .message()
                .map(str::to_owned)
                .or_else(|| wire::body_message(&body));
            let reason = wire::body_reason(&body);
            let mut service = ServiceError::from_parts(status, code, message, reason, retry_after);
            // A 404 with a web page and no error code: the endpoint has no such operation
            // (moto's server on the streaming route), which says nothing about the function.
            if service.code.is_none() && status == 404 && wire::is_html(&body) {
                service.kind = crate::error::service::ServiceErrorKind::Other;
            }
            service.request_id = request_id;
            service.body = body;
            InvokeError::Service(Box::new(service))
        }
        SdkError::TimeoutError(_) => InvokeError::Timeout(transport(
            "the call timed out",
            Redelivery::IfIdempotent,
            None,
            error.into_source().ok(),
        )),
        SdkError::DispatchFailure(ref failure) => {
            let connector = failure.as_connector_error();
            let timed_out = connector.is_some_and(|c| c.is_timeout());
            let redelivery = connector.map_or(
                Redelivery::IfIdempotent,
                crate::client::retry::connector_redelivery,
            );
            let what = match redelivery {
                Redelivery::Safe if timed_out => "the connection timed out",
                Redelivery::Safe => "the connection could not be opened",
                _ if timed_out => "the call timed out",
                Redelivery::IfIdempotent => "the request was sent but no response arrived",
                Redelivery::Never => "the request could not be sent or the response not read",
            };
            let error = transport(what, redelivery, None, error.into_source().ok());
            if timed_out {
                InvokeError::Timeout(error)
            } else {
                InvokeError::Transport(error)
            }
        }
        SdkError::ResponseError(failure) => {
            let body = failure.raw().body().bytes().map(Bytes::copy_from_slice);
            let function_failed = wire::function_error(failure.raw()).is_some();
            let source = SdkError::<O, Response>::ResponseError(failure)
                .into_source()
                .ok();
            InvokeError::Transport(transport(
                "the response was cut short or unreadable",
                if function_failed {
                    Redelivery::Never
                } else {
                    Redelivery::IfIdempotent
                },
                body,
                source,
            ))
        }
        other => InvokeError::Transport(transport(
            "the request could not be built",
            Redelivery::Never,
            None,
            other.into_source().ok(),
        )),
    }
}

/// The kind of configuration error a failure before anything was sent (`DispatchFailure`,
/// `ConstructionFailure`) is, when the SDK client's configuration caused it
/// ([`config::classify`]).
fn config_kind<O>(
    error: &SdkError<O, Response>,
    config: &aws_sdk_lambda::Config,
) -> Option<SdkConfigErrorKind>
where
    O: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    use std::error::Error as _;
    if !matches!(
        error,
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_)
    ) {
        return None;
    }
    config::classify(error.source()?, config.region().is_some())
}

/// The SDK's error, out of the connector error the orchestrator wrapped it in.
fn sdk_cause<O>(error: SdkError<O, Response>) -> BoxError
where
    O: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match error.into_source() {
        Ok(cause) => match cause.downcast::<ConnectorError>() {
            Ok(connector) => connector.into_source(),
            Err(cause) => cause,
        },
        Err(error) => Box::new(error),
    }
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
        assert!(decode::<()>("f", InvocationType::RequestResponse, raw(b"")).is_ok());
        assert!(decode::<()>("f", InvocationType::RequestResponse, raw(b"null")).is_ok());
        assert_eq!(
            decode::<Option<u8>>("f", InvocationType::RequestResponse, raw(b""))
                .unwrap()
                .output,
            None
        );
    }

    #[test]
    fn undecodable_payloads_keep_their_bytes() {
        let error =
            decode::<u32>("f", InvocationType::RequestResponse, raw(b"\xff not json")).unwrap_err();
        match error {
            InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), b"\xff not json"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn event_and_dry_run_answers_succeed_whatever_their_body() {
        for invocation in [InvocationType::Event, InvocationType::DryRun] {
            for body in [&b""[..], b"{\"echo\":1}", b"\xff not json", b"\"result\""] {
                assert!(decode::<()>("f", invocation, raw(body.to_vec().leak())).is_ok());
            }
        }
    }
}
