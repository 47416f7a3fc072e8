//! One tracing span per invocation, after OpenTelemetry's semantic conventions 1.42.0 for AWS
//! SDK client spans and FaaS clients; what is lambda-remote's own is under `lambda_remote.`.
//! This is the caller's; the function's is `serve/span.rs`.
//!
//! The caller's span is named as the AWS SDK conventions say, `Service.Operation`:
//! `Lambda.Invoke`, or `Lambda.InvokeWithResponseStream` for a streaming method
//! (`otel.kind = "client"`). It carries `rpc.system.name` (`aws-api`; `rpc.system` before
//! 1.42), `rpc.method` (`Invoke`, `InvokeWithResponseStream`), `cloud.region` (the SDK
//! client's), `faas.invoked_name` (the bare function name), `faas.invoked_provider` (`aws`),
//! `faas.invoked_region` (the ARN's, else the SDK client's), `aws.request_id`,
//! `http.response.status_code`, `error.type`, and `lambda_remote.method`,
//! `lambda_remote.invocation_type`, `lambda_remote.qualifier`,
//! `lambda_remote.executed_version`, `lambda_remote.attempts`, `lambda_remote.outcome` and
//! `lambda_remote.trace_sent` (whether the trace context went in the client context), and for a
//! keyed method `lambda_remote.idempotency_key` (the key as the function stores it: scoped and
//! hashed, never as written, since it may hold personal data).
//!
//! Payloads, log tails, client contexts and credentials are never recorded.

use std::convert::Infallible;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use opentelemetry_semantic_conventions::attribute as semconv;
use tracing::Span;
use tracing::field::Empty;

use lambda_remote_names::FunctionName;

use crate::client::metadata::ResponseMetadata;
use crate::error::InvokeError;
use crate::invocation::InvocationType;

/// The span of one invocation of `function` by `method`: the region is the ARN's, else
/// `sdk_region`; `streaming` names the operation `InvokeWithResponseStream`.
pub(crate) fn invocation_span(
    method: &'static str,
    function: &FunctionName,
    sdk_region: Option<&str>,
    qualifier: Option<&str>,
    invocation: InvocationType,
    streaming: bool,
) -> Span {
    macro_rules! span {
        ($name:literal, $operation:literal) => {
            tracing::info_span!(
                $name,
                otel.kind = "client",
                { semconv::RPC_SYSTEM_NAME } = "aws-api",
                { semconv::RPC_METHOD } = $operation,
                { semconv::CLOUD_REGION } = sdk_region,
                { semconv::FAAS_INVOKED_NAME } = function.function(),
                { semconv::FAAS_INVOKED_PROVIDER } = "aws",
                { semconv::FAAS_INVOKED_REGION } = function.region().or(sdk_region),
                { semconv::AWS_REQUEST_ID } = Empty,
                { semconv::HTTP_RESPONSE_STATUS_CODE } = Empty,
                { semconv::ERROR_TYPE } = Empty,
                lambda_remote.method = method,
                lambda_remote.invocation_type = invocation.as_str(),
                lambda_remote.qualifier = qualifier,
                lambda_remote.executed_version = Empty,
                lambda_remote.attempts = Empty,
                lambda_remote.outcome = Empty,
                lambda_remote.trace_sent = Empty,
                lambda_remote.idempotency_key = Empty,
            )
        };
    }
    if streaming {
        span!(
            "Lambda.InvokeWithResponseStream",
            "InvokeWithResponseStream"
        )
    } else {
        span!("Lambda.Invoke", "Invoke")
    }
}

/// Records how the invocation ended.
pub(crate) fn record_outcome(
    span: &Span,
    result: Result<&ResponseMetadata, &InvokeError<Infallible>>,
) {
    if span.is_disabled() {
        return;
    }
    let metadata = match result {
        Ok(metadata) => Some(metadata),
        Err(error) => error.metadata(),
    };
    if let Some(metadata) = metadata {
        span.record(
            semconv::HTTP_RESPONSE_STATUS_CODE,
            i64::from(metadata.status()),
        );
        if let Some(id) = metadata.request_id() {
            span.record(semconv::AWS_REQUEST_ID, id);
        }
        if let Some(version) = metadata.executed_version() {
            span.record("lambda_remote.executed_version", version);
        }
    }
    let error_type: Option<&str> = match result {
        Ok(_) => None,
        Err(InvokeError::UnmappedFunction(failure)) => {
            Some(failure.error_type().unwrap_or("FunctionError"))
        }
        Err(InvokeError::Service(e)) => {
            span.record(semconv::HTTP_RESPONSE_STATUS_CODE, i64::from(e.status()));
            if let Some(id) = e.request_id() {
                span.record(semconv::AWS_REQUEST_ID, id);
            }
            Some(e.code().unwrap_or("ServiceError"))
        }
        Err(InvokeError::Timeout(_)) => Some("timeout"),
        Err(InvokeError::Transport(_)) => Some("transport"),
        Err(InvokeError::Serialize(_)) => Some("serialize"),
        Err(InvokeError::Deserialize(_)) => Some("deserialize"),
        Err(InvokeError::Rejected(_)) => Some("rejected"),
        Err(_) => None,
    };
    let outcome = outcome(result.map(|_| ()));
    span.record("lambda_remote.outcome", outcome);
    if let Some(error_type) = error_type {
        span.record(semconv::ERROR_TYPE, error_type);
    }
}

/// The kind of a call's outcome: `ok`, `function_error`, `service_error`, `timeout`,
/// `transport_error`, `serialize_error`, `deserialize_error`, `rejected`, `config_error`,
/// `claim_check_error` (a bounded set: the
/// span's `lambda_remote.outcome` and the metrics' attribute of the same name).
pub(crate) fn outcome(result: Result<(), &InvokeError<Infallible>>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(InvokeError::UnmappedFunction(_) | InvokeError::Function { .. }) => "function_error",
        Err(InvokeError::Service(_)) => "service_error",
        Err(InvokeError::Timeout(_)) => "timeout",
        Err(InvokeError::Transport(_)) => "transport_error",
        Err(InvokeError::Serialize(_)) => "serialize_error",
        Err(InvokeError::Deserialize(_)) => "deserialize_error",
        Err(InvokeError::Rejected(_)) => "rejected",
        Err(InvokeError::Config(_)) => "config_error",
        Err(InvokeError::ClaimCheck(_)) => "claim_check_error",
    }
}

#[cfg(feature = "opentelemetry")]
tokio::task_local! {
    /// The invocation span, for the interceptor the SDK clients have (feature `opentelemetry`)
    /// that records the attempts (the SDK's own spans are current while interceptors run).
    static INVOCATION: Span;
}

/// Polls a pinned future with `span` entered (and, with feature `opentelemetry`, reachable by
/// the SDK clients' [`AttemptRecorder`]), as `tracing::Instrumented` would, but by reference:
/// the future (the SDK's operation, several KB) stays where it was made instead of being copied
/// into the wrapper.
pub(crate) struct InSpan<'a, F> {
    span: &'a Span,
    future: std::pin::Pin<&'a mut F>,
}

impl<'a, F: std::future::Future> InSpan<'a, F> {
    pub(crate) fn new(span: &'a Span, future: std::pin::Pin<&'a mut F>) -> Self {
        Self { span, future }
    }
}

impl<F: std::future::Future> std::future::Future for InSpan<'_, F> {
    type Output = F::Output;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = &mut *self;
        let _entered = this.span.enter();
        #[cfg(feature = "opentelemetry")]
        let polled = INVOCATION.sync_scope(this.span.clone(), || this.future.as_mut().poll(cx));
        #[cfg(not(feature = "opentelemetry"))]
        let polled = this.future.as_mut().poll(cx);
        polled
    }
}

/// Records the number of attempts the SDK made into the invocation span; with feature
/// `opentelemetry`, also each attempt's throttle, or a retry the call's delivery refused, into
/// the call's metrics.
#[derive(Debug, Clone)]
pub(crate) struct AttemptRecorder {
    #[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
    pub(crate) delivery: crate::delivery::Delivery,
    /// The call's span, for a recorder installed on one call; `None` on the SDK clients'
    /// (feature `opentelemetry`), which finds the span of the call it runs in through
    /// [`InSpan`]'s task-local.
    pub(crate) span: Option<Span>,
}

impl Intercept for AttemptRecorder {
    fn name(&self) -> &'static str {
        "lambda-remote-attempts"
    }

    #[cfg(feature = "opentelemetry")]
    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        use crate::delivery::{Delivery, Redelivery};
        if let Some(Err(error)) = context.output_or_error() {
            match crate::client::retry::redelivery(error, context.response()) {
                (_, true) => crate::otel::metrics::throttled(),
                (Redelivery::IfIdempotent, _) if self.delivery == Delivery::AtMostOnce => {
                    crate::otel::metrics::refused()
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        _context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(attempts) = cfg.load::<RequestAttempts>() {
            #[cfg(feature = "opentelemetry")]
            crate::otel::metrics::attempts(u64::from(attempts.attempts()));
            let record = |span: &Span| {
                span.record("lambda_remote.attempts", i64::from(attempts.attempts()));
            };
            match &self.span {
                Some(span) => record(span),
                #[cfg(feature = "opentelemetry")]
                None => {
                    let _ = INVOCATION.try_with(record);
                }
                #[cfg(not(feature = "opentelemetry"))]
                None => {}
            }
        }
        Ok(())
    }
}
