//! OpenTelemetry set up as an application would: a tracing subscriber with
//! `tracing-opentelemetry`'s layer on an SDK tracer, W3C trace context and baggage as the
//! global propagator, and the in-memory exporters to read what was recorded.

use std::collections::HashMap;

use opentelemetry::trace::{SpanId, TraceId, TracerProvider as _};
use opentelemetry::{KeyValue, Value};
use opentelemetry_sdk::propagation::{BaggagePropagator, TraceContextPropagator};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// What the process recorded.
pub struct Recorded {
    pub spans: InMemorySpanExporter,
    /// Kept alive: the tracer's spans go to `spans` while it lives.
    pub _provider: SdkTracerProvider,
}

/// Installs the global subscriber and propagator (once per test binary).
pub fn install() -> Recorded {
    let spans = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build();
    let tracer = provider.tracer("lambda-remote-tests");
    tracing::subscriber::set_global_default(
        // The SDK's own spans (orchestration, serialization, …) are at `debug`: left out.
        tracing_subscriber::registry().with(
            tracing_opentelemetry::layer()
                .with_tracer(tracer)
                .with_filter(tracing_subscriber::filter::LevelFilter::INFO),
        ),
    )
    .unwrap();
    opentelemetry::global::set_text_map_propagator(
        opentelemetry::propagation::TextMapCompositePropagator::new(vec![
            Box::new(TraceContextPropagator::new()),
            Box::new(BaggagePropagator::new()),
        ]),
    );
    Recorded {
        spans,
        _provider: provider,
    }
}

/// The finished spans of trace `trace`, by name (each name once in these tests' traces).
pub fn trace(recorded: &Recorded, trace: TraceId) -> HashMap<String, Vec<SpanData>> {
    let mut by_name: HashMap<String, Vec<SpanData>> = HashMap::new();
    for span in recorded.spans.get_finished_spans().unwrap() {
        if span.span_context.trace_id() == trace {
            by_name.entry(span.name.to_string()).or_default().push(span);
        }
    }
    by_name
}

/// The one span named `name`.
pub fn one<'a>(spans: &'a HashMap<String, Vec<SpanData>>, name: &str) -> &'a SpanData {
    let found = spans
        .get(name)
        .unwrap_or_else(|| panic!("no span {name}: {:?}", spans.keys()));
    assert_eq!(found.len(), 1, "spans named {name}");
    &found[0]
}

/// A span's attributes, by key.
pub fn attributes(span: &SpanData) -> HashMap<String, Value> {
    span.attributes
        .iter()
        .map(|KeyValue { key, value, .. }| (key.to_string(), value.clone()))
        .collect()
}

/// The span id of `span`.
pub fn id(span: &SpanData) -> SpanId {
    span.span_context.span_id()
}
