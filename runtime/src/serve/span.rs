//! The function's span `lambda.serve` (`otel.kind = "server"`, `otel.name` the function name),
//! after OpenTelemetry's FaaS conventions (the caller's is `client/telemetry.rs`): it carries
//! `faas.trigger` (`other`), `faas.invocation_id` (the request id), `cloud.resource_id` (the
//! invoked ARN), `lambda_remote.method`, the caller's trace context as
//! `lambda_remote.caller.traceparent`, `lambda_remote.caller.tracestate` and
//! `lambda_remote.caller.xray_trace_id`, `lambda_remote.outcome` and `error.type`.
//!
//! Payloads, client contexts and credentials are never recorded.

use tracing::Span;
use tracing::field::Empty;

use lambda_remote_names::FunctionName;

use crate::error::object::ErrorObject;
use crate::serve::context::InvocationContext;
use crate::spec::MethodSpec;

/// The span of one served invocation.
pub(crate) fn serving_span(spec: &MethodSpec, context: &InvocationContext) -> Span {
    let arn = context.invoked_function_arn();
    let trace = context.trace();
    let span = tracing::info_span!(
        "lambda.serve",
        otel.kind = "server",
        otel.name = Empty,
        faas.trigger = "other",
        faas.invocation_id = context.request_id(),
        cloud.resource_id = arn,
        error.r#type = Empty,
        lambda_remote.method = spec.method,
        lambda_remote.caller.traceparent = trace.traceparent(),
        lambda_remote.caller.tracestate = trace.tracestate(),
        lambda_remote.caller.xray_trace_id = trace.xray_trace_id(),
        lambda_remote.outcome = Empty,
    );
    // The function's name is read from the ARN only for a span that is recorded: parsing it
    // was a third of what serving cost besides the method's own work (BENCHMARKS.md, "Function
    // side (issue 22)").
    if !span.is_disabled() {
        let name = FunctionName::parse(arn)
            .map(|name| name.function().to_owned())
            .unwrap_or_else(|_| spec.function.to_owned());
        span.record("otel.name", name);
    }
    span
}

/// Records how a served invocation ended: answered, or failed with `error`.
pub(crate) fn record_served(span: &Span, error: Option<&ErrorObject>) {
    match error {
        None => {
            span.record("lambda_remote.outcome", "ok");
        }
        Some(object) => {
            span.record("lambda_remote.outcome", "function_error");
            span.record("error.type", object.error_type().unwrap_or("FunctionError"));
        }
    }
}
