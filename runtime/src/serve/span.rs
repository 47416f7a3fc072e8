//! The function's span `lambda.serve` (`otel.kind = "server"`, `otel.name` the function name),
//! after OpenTelemetry's semantic conventions 1.42.0 for FaaS servers and AWS Lambda (the
//! caller's is `client/telemetry.rs`). It carries `faas.trigger` (`other`),
//! `faas.invocation_id` (the request id), `faas.coldstart` (the first invocation this handler
//! answers), `cloud.resource_id` (the function's own ARN: the invoked ARN without its
//! qualifier, the same for every alias), `aws.lambda.invoked_arn` (the ARN it was invoked by,
//! alias included), `faas.max_memory` (bytes, when the runtime says: `lambda_runtime` does),
//! `lambda_remote.method`, the caller's trace context as `lambda_remote.caller.traceparent`,
//! `lambda_remote.caller.tracestate` and `lambda_remote.caller.xray_trace_id`,
//! `lambda_remote.outcome` and `error.type`. With feature `opentelemetry` its parent is the
//! caller's context, as the global propagator reads it from the client context.
//!
//! Payloads, client contexts and credentials are never recorded.

use opentelemetry_semantic_conventions::attribute as semconv;
use tracing::Span;
use tracing::field::Empty;

use lambda_remote_names::FunctionName;

use crate::error::object::ErrorObject;
use crate::serve::context::InvocationContext;
use crate::spec::MethodSpec;

/// The span of one served invocation; `coldstart` whether it is the handler's first.
pub(crate) fn serving_span(
    spec: &MethodSpec,
    context: &InvocationContext,
    coldstart: bool,
) -> Span {
    let arn = context.invoked_function_arn();
    let trace = context.trace();
    let span = tracing::info_span!(
        "lambda.serve",
        otel.kind = "server",
        otel.name = Empty,
        { semconv::FAAS_TRIGGER } = "other",
        { semconv::FAAS_INVOCATION_ID } = context.request_id(),
        { semconv::FAAS_COLDSTART } = coldstart,
        { semconv::CLOUD_RESOURCE_ID } = Empty,
        { semconv::AWS_LAMBDA_INVOKED_ARN } = arn,
        { semconv::FAAS_MAX_MEMORY } = context.memory_mib().map(|mib| i64::from(mib) * 1024 * 1024),
        { semconv::ERROR_TYPE } = Empty,
        lambda_remote.method = spec.method,
        lambda_remote.caller.traceparent = trace.traceparent(),
        lambda_remote.caller.tracestate = trace.tracestate(),
        lambda_remote.caller.xray_trace_id = trace.xray_trace_id(),
        lambda_remote.outcome = Empty,
    );
    // The function's name and own ARN are read from the invoked ARN only for a span that is
    // recorded: parsing it was a third of what serving cost besides the method's own work
    // (BENCHMARKS.md, "Function side (issue 22)").
    if !span.is_disabled() {
        let parsed = FunctionName::parse(arn).ok();
        let name = parsed
            .as_ref()
            .map(|name| name.function().to_owned())
            .unwrap_or_else(|| spec.function.to_owned());
        span.record("otel.name", name);
        // The function's own ARN: the invoked one without its qualifier.
        let own_arn = parsed
            .as_ref()
            .filter(|name| name.kind() == lambda_remote_names::NameKind::Arn)
            .map(|name| match name.qualifier() {
                Some(qualifier) => &arn[..arn.len() - qualifier.len() - 1],
                None => arn,
            });
        if let Some(own_arn) = own_arn {
            span.record(semconv::CLOUD_RESOURCE_ID, own_arn);
        }
    }
    #[cfg(feature = "opentelemetry")]
    {
        crate::otel::propagate::continue_trace(&span, context.client_context());
        if coldstart {
            crate::otel::metrics::coldstart(spec.method);
        }
    }
    span
}

/// Records how a served invocation of `method`, started at `started`, ended: answered, or
/// failed with `error` (with feature `opentelemetry`, its duration too).
pub(crate) fn record_served(
    span: &Span,
    error: Option<&ErrorObject>,
    method: &'static str,
    started: std::time::Instant,
) {
    let outcome = match error {
        None => "ok",
        Some(object) => {
            span.record(
                semconv::ERROR_TYPE,
                object.error_type().unwrap_or("FunctionError"),
            );
            "function_error"
        }
    };
    span.record("lambda_remote.outcome", outcome);
    #[cfg(feature = "opentelemetry")]
    crate::otel::metrics::served(method, started, outcome);
    #[cfg(not(feature = "opentelemetry"))]
    let _ = (method, started);
}
