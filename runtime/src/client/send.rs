//! Sending a checked [`Request`]: one path for Invoke and InvokeWithResponseStream. Both
//! choose the SDK client by the request's delivery, run in one `Lambda.Invoke` span with the
//! attempts recorded, take the method's timeout as the operation's, and read an SDK error the
//! same way; what differs is the SDK operation and what its answer is read into
//! ([`Operation`]).

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::LogType;

use crate::client::metadata::ResponseMetadata;
use crate::client::request::Request;
use crate::client::response::{self, RawResponse};
use crate::client::sdk::SdkClients;
use crate::client::telemetry;
use crate::error::{InvokeError, Rejected};
use crate::invocation::InvocationType;
use crate::stream::read::{Body, RawBody, Reader, RemoteStream};

/// One of the two operations a request is sent by.
pub(crate) trait Operation {
    /// What a sent request gives: the whole response, or the stream once it started.
    type Response;

    /// Whether this is `InvokeWithResponseStream` (the span's name says which operation).
    const STREAMING: bool;

    /// Refuses what this operation cannot send, before anything is sent.
    fn check(request: &Request<'_>) -> Result<(), Rejected>;

    /// The invocation type the SDK client is chosen by (its retry classifier).
    fn invocation(request: &Request<'_>) -> InvocationType;

    /// Sends `request` through `sdk`; `record_attempts` (the call's span) installs the
    /// interceptor that counts the attempts into it.
    fn send<'a>(
        sdk: &'a aws_sdk_lambda::Client,
        request: Request<'a>,
        record_attempts: Option<tracing::Span>,
    ) -> impl Future<Output = Result<Self::Response, InvokeError<Infallible>>> + Send + 'a;

    /// The response's metadata, for the span.
    fn metadata(response: &Self::Response) -> &ResponseMetadata;
}

/// `Invoke`: the whole response at once.
pub(crate) enum Invoke {}

/// `InvokeWithResponseStream`: the response's start, then a stream read on demand.
pub(crate) enum InvokeWithResponseStream {}

/// Sends `request` by `O` inside the request's `Lambda.Invoke` span and records the outcome
/// in it; or refuses what `O` cannot send, before any span.
///
/// The operation's future (the SDK's, several KB) is made where it stays, pinned in this
/// future's state, and polled through a reference to it: wrapping it by value (in
/// `tracing::Instrumented`, then in a task-local's scope) copied it whole at each wrapper, a
/// cost a hand-written call does not have (BENCHMARKS.md, issue 21, "Per call, one thread").
pub(crate) async fn send<O: Operation>(
    sdk: &SdkClients,
    request: Request<'_>,
) -> Result<O::Response, InvokeError<Infallible>> {
    O::check(&request).map_err(|rejected| InvokeError::Rejected(Box::new(rejected)))?;
    let mut request = request;
    let span = span(sdk, &request, O::STREAMING);
    request.carry(&span);
    if let Some(sent) = request.trace_sent {
        span.record("lambda_remote.trace_sent", sent);
    }
    // Hashed, as the function stores it: the key may hold personal data.
    if let Some(key) = &request.idempotency_key {
        span.record("lambda_remote.idempotency_key", key.as_str());
    }
    // The attempts are recorded only into a span that records anything: the SDK calls an
    // interceptor at every step of every call, so it is installed for this call alone.
    // With feature `opentelemetry`, the SDK clients have it already (`SdkClients::new`).
    let record_attempts =
        (!span.is_disabled() && !cfg!(feature = "opentelemetry")).then(|| span.clone());
    let client = sdk.for_call(request.delivery, O::invocation(&request));
    // Not boxed: a box here saved 1.6k instructions of copying per call but cost ~1 µs per
    // call in time (an allocation of the SDK's 5.5 KB future and the copy into it;
    // BENCHMARKS.md, issue 21, "What instruction counts did not show").
    let sending = std::pin::pin!(O::send(client, request, record_attempts));
    let result = telemetry::InSpan::new(&span, sending).await;
    telemetry::record_outcome(&span, result.as_ref().map(O::metadata));
    result
}

/// The `Lambda.Invoke` (or `Lambda.InvokeWithResponseStream`) span of a checked request.
fn span(sdk: &SdkClients, request: &Request<'_>, streaming: bool) -> tracing::Span {
    let region = sdk.primary().config().region().map(|r| r.as_ref());
    telemetry::invocation_span(
        request.spec.method,
        request.name,
        region,
        request.qualifier.as_deref(),
        request.spec.invocation,
        streaming,
    )
}

/// The operation timeout of one call, as a config override.
fn timeout_override(timeout: std::time::Duration) -> aws_sdk_lambda::config::Builder {
    let timeouts = aws_smithy_types::timeout::TimeoutConfig::builder()
        .operation_timeout(timeout)
        .build();
    aws_sdk_lambda::Config::builder().timeout_config(timeouts)
}

impl Operation for Invoke {
    type Response = RawResponse;
    const STREAMING: bool = false;

    fn check(_: &Request<'_>) -> Result<(), Rejected> {
        Ok(())
    }

    fn invocation(request: &Request<'_>) -> InvocationType {
        request.spec.invocation
    }

    // The SDK's builder is made inside the future and consumed before its first await, so
    // that it takes no room in the future besides the SDK's own copy.
    async fn send<'a>(
        sdk: &'a aws_sdk_lambda::Client,
        request: Request<'a>,
        record_attempts: Option<tracing::Span>,
    ) -> Result<RawResponse, InvokeError<Infallible>> {
        let function = request.function;
        let delivery = request.delivery;
        // Each of the SDK builder's setters moves the whole builder (~1.6 KB, a `memcpy` each,
        // BENCHMARKS.md "Per call, one thread: where the time goes"): only the fields a call has
        // are set, as a hand-written call would.
        let mut builder = sdk
            .invoke()
            .function_name(function)
            .payload(Blob::new(request.payload));
        if request.qualifier.is_some() {
            builder = builder.set_qualifier(request.qualifier);
        }
        // `RequestResponse` is the Invoke API's default: naming it would add a header to every
        // synchronous call, and to what SigV4 signs, for nothing.
        if request.spec.invocation != InvocationType::RequestResponse {
            builder = builder.invocation_type(request.spec.invocation.to_sdk());
        }
        if request.client_context.is_some() {
            builder = builder.set_client_context(request.client_context);
        }
        if request.durable_execution_name.is_some() {
            builder = builder.set_durable_execution_name(request.durable_execution_name);
        }
        if request.tenant_id.is_some() {
            builder = builder.set_tenant_id(request.tenant_id);
        }
        if request.log_tail {
            builder = builder.log_type(LogType::Tail);
        }
        let sent = if request.timeout.is_some() || record_attempts.is_some() {
            let mut operation = builder.customize();
            if let Some(timeout) = request.timeout {
                operation = operation.config_override(timeout_override(timeout));
            }
            if let Some(span) = record_attempts {
                operation = operation.interceptor(telemetry::AttemptRecorder {
                    delivery,
                    span: Some(span),
                });
            }
            operation.send().await
        } else {
            builder.send().await
        };
        match sent {
            Ok(output) => response::from_output(function, output),
            Err(error) => Err(response::from_sdk_error(function, error, sdk.config())),
        }
    }

    fn metadata(response: &RawResponse) -> &ResponseMetadata {
        &response.metadata
    }
}

impl Operation for InvokeWithResponseStream {
    type Response = RemoteStream;
    const STREAMING: bool = true;

    fn check(request: &Request<'_>) -> Result<(), Rejected> {
        match request.durable_execution_name {
            Some(_) => Err(Rejected::NotStreamed {
                option: "a durable execution name",
            }),
            None => Ok(()),
        }
    }

    fn invocation(_: &Request<'_>) -> InvocationType {
        InvocationType::RequestResponse
    }

    async fn send<'a>(
        sdk: &'a aws_sdk_lambda::Client,
        request: Request<'a>,
        record_attempts: Option<tracing::Span>,
    ) -> Result<RemoteStream, InvokeError<Infallible>> {
        let function = request.function;
        let timeout = request.timeout;
        let delivery = request.delivery;
        let mut builder = sdk
            .invoke_with_response_stream()
            .function_name(function)
            .set_qualifier(request.qualifier)
            .payload(Blob::new(request.payload))
            .set_client_context(request.client_context)
            .set_tenant_id(request.tenant_id);
        if request.log_tail {
            builder = builder.log_type(LogType::Tail);
        }
        let raw = RawBody::default();
        let mut operation = builder.customize().interceptor(raw.clone());
        if let Some(timeout) = timeout {
            // Bounds the time to the response's start; the reader bounds each wait after.
            operation = operation.config_override(timeout_override(timeout));
        }
        if let Some(span) = record_attempts {
            operation = operation.interceptor(telemetry::AttemptRecorder {
                delivery,
                span: Some(span),
            });
        }
        match operation.send().await {
            Ok(output) => {
                use aws_sdk_lambda::operation::RequestId as _;
                let metadata = ResponseMetadata {
                    status: u16::try_from(output.status_code).unwrap_or_default(),
                    executed_version: output.executed_version.clone(),
                    request_id: output.request_id().map(str::to_owned),
                    log_tail: None,
                    durable_execution_arn: None,
                };
                let body = match raw.take() {
                    Some(body) => Body::Raw(body),
                    None => Body::Events(output.event_stream),
                };
                let function: Arc<str> = Arc::from(function);
                RemoteStream::start(
                    Reader::new(function.clone(), body, timeout),
                    function,
                    metadata,
                )
                .await
            }
            Err(error) => Err(response::from_sdk_error(function, error, sdk.config())),
        }
    }

    fn metadata(response: &RemoteStream) -> &ResponseMetadata {
        response.metadata()
    }
}
