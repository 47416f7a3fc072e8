//! OpenTelemetry (feature `opentelemetry`): the trace of the code that calls carried to the
//! function and continued there, spans after the semantic conventions, and metrics.
//!
//! With a [`tracing_opentelemetry`] layer installed, every call's span (`Lambda.Invoke`, or
//! `Lambda.InvokeWithResponseStream`) is a child of the span current where the call is made,
//! and its OpenTelemetry context goes to the function in the client context's `custom` map,
//! written by the global propagator ([`opentelemetry::global::set_text_map_propagator`]: W3C
//! `traceparent`, `tracestate` and `baggage` with `TraceContextPropagator` and
//! `BaggagePropagator`, `X-Amzn-Trace-Id` with an X-Ray propagator), as OpenTelemetry's own AWS
//! SDK instrumentations do. When no propagator was set (OpenTelemetry's default writes
//! nothing), W3C trace context and baggage are used. The served method's span takes the
//! context the same propagator reads from there as its parent: one trace from the caller to
//! the function, and on through the calls the function makes.
//!
//! Lambda freezes the execution environment once an invocation is answered: a function set up
//! with batching exporters must flush them after each invocation, which [`set_flush`] arranges
//! on `lambda_remote::server`.
//!
//! # Versions
//!
//! The feature is built on one matching set: `opentelemetry` and `opentelemetry_sdk` 0.33,
//! `tracing-opentelemetry` 0.34 (re-exported here, so an application can use exactly these),
//! and the semantic conventions 1.42.0 (`opentelemetry-semantic-conventions` 0.33, whose
//! constants name every attribute). OpenTelemetry's Rust crates are 0.x: each minor version
//! is a breaking one. A newer set is added as a feature of its own (`opentelemetry-0-34`, …)
//! beside this one, so that an application moves when it chooses; `opentelemetry` keeps its
//! set until a breaking release of lambda-remote, whose CHANGELOG says so.

pub(crate) mod flush;
pub(crate) mod metrics;
pub(crate) mod propagate;

pub use opentelemetry;
pub use opentelemetry_sdk;
pub use tracing_opentelemetry;

pub use flush::set_flush;

/// The version of the semantic conventions the spans and metrics follow.
pub const SEMANTIC_CONVENTIONS: &str = "1.42.0";

/// The schema URL of [`SEMANTIC_CONVENTIONS`].
pub const SCHEMA_URL: &str = opentelemetry_semantic_conventions::SCHEMA_URL;
