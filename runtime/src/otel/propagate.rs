//! The trace context through the client context's `custom` map, by the global propagator.

// What the caller injects is unused in a served-only build (no `client` feature).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use opentelemetry::Context;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::TraceContextExt as _;
use serde_json::{Map, Value};
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// W3C trace context and baggage: what is used when no propagator was set.
fn w3c() -> opentelemetry::propagation::TextMapCompositePropagator {
    opentelemetry::propagation::TextMapCompositePropagator::new(vec![
        Box::new(opentelemetry_sdk::propagation::TraceContextPropagator::new()),
        Box::new(opentelemetry_sdk::propagation::BaggagePropagator::new()),
    ])
}

/// Runs `f` with the global propagator, or W3C trace context and baggage when none was set
/// (OpenTelemetry's default, a no-op, has no fields).
fn with_propagator<T>(f: impl FnOnce(&dyn TextMapPropagator) -> T) -> T {
    let mut f = Some(f);
    let done = opentelemetry::global::get_text_map_propagator(|propagator| {
        if propagator.fields().next().is_some() {
            f.take().map(|f| f(propagator))
        } else {
            None
        }
    });
    match done {
        Some(value) => value,
        None => f.map(|f| f(&w3c())).expect("called once"),
    }
}

/// The fields the propagator writes for `span`'s OpenTelemetry context; none when the span
/// has no valid context (no OpenTelemetry layer, or the span is disabled).
pub(crate) fn fields(span: &tracing::Span) -> Vec<(String, String)> {
    if span.is_disabled() {
        return Vec::new();
    }
    let context = span.context();
    if !context.span().span_context().is_valid() {
        return Vec::new();
    }
    let mut fields = Fields(Vec::new());
    with_propagator(|propagator| propagator.inject_context(&context, &mut fields));
    fields.0
}

/// The fields the propagator writes, those with a value: W3C trace context writes
/// `tracestate` even when it is empty, which says nothing a missing one does not, and would
/// only lengthen the client context every call sends and signs (BENCHMARKS.md, issue 25).
struct Fields(Vec<(String, String)>);

impl Injector for Fields {
    fn set(&mut self, key: &str, value: String) {
        if !value.is_empty() {
            self.0.push((key.to_owned(), value));
        }
    }
}

/// The context the propagator reads from a client context's `custom` map; `None` when it
/// holds no valid span context.
pub(crate) fn extract(client_context: Option<&Value>) -> Option<Context> {
    let custom = client_context?.get("custom")?.as_object()?;
    let context = with_propagator(|propagator| propagator.extract(&Custom(custom)));
    context.span().span_context().is_valid().then_some(context)
}

/// A client context's `custom` map, read as a carrier (keys ignore case, as headers do).
struct Custom<'a>(&'a Map<String, Value>);

impl Extractor for Custom<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            })
            .and_then(Value::as_str)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

/// Makes the caller's context, read from `client_context`, the parent of the served span
/// `span` (before it is first entered). Nothing happens without an OpenTelemetry layer.
pub(crate) fn continue_trace(span: &tracing::Span, client_context: Option<&Value>) {
    if span.is_disabled() {
        return;
    }
    if let Some(parent) = extract(client_context) {
        let _ = span.set_parent(parent);
    }
}
