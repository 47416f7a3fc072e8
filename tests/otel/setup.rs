//! OpenTelemetry set up as an application would: a tracing subscriber with
//! `tracing-opentelemetry`'s layer on an SDK tracer, W3C trace context and baggage as the
//! global propagator, and the in-memory exporters to read what was recorded.

use std::collections::HashMap;

use opentelemetry::trace::{SpanId, TraceId, TracerProvider as _};
use opentelemetry::{KeyValue, Value};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::{BaggagePropagator, TraceContextPropagator};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// What the process recorded.
pub struct Recorded {
    pub spans: InMemorySpanExporter,
    pub metrics: InMemoryMetricExporter,
    pub meters: SdkMeterProvider,
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
    let metrics = InMemoryMetricExporter::default();
    let meters = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(metrics.clone()).build())
        .build();
    opentelemetry::global::set_meter_provider(meters.clone());
    opentelemetry::global::set_text_map_propagator(
        opentelemetry::propagation::TextMapCompositePropagator::new(vec![
            Box::new(TraceContextPropagator::new()),
            Box::new(BaggagePropagator::new()),
        ]),
    );
    Recorded {
        spans,
        metrics,
        meters,
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

/// One metric's data points (cumulative, as last exported) whose attributes include every one
/// of `with`: a counter's values, or a histogram's counts, each with its attributes.
pub fn points(
    recorded: &Recorded,
    name: &str,
    with: &[(&str, &str)],
) -> Vec<(u64, HashMap<String, String>)> {
    recorded.meters.force_flush().unwrap();
    let exported = recorded.metrics.get_finished_metrics().unwrap();
    let last = exported.last().expect("metrics exported");
    let mut found = Vec::new();
    for scope in last.scope_metrics() {
        for metric in scope.metrics().filter(|m| m.name() == name) {
            let points: Vec<(u64, HashMap<String, String>)> = match metric.data() {
                AggregatedMetrics::U64(MetricData::Sum(sum)) => sum
                    .data_points()
                    .map(|p| (p.value(), texts(p.attributes())))
                    .collect(),
                AggregatedMetrics::F64(MetricData::Histogram(histogram)) => histogram
                    .data_points()
                    .map(|p| (p.count(), texts(p.attributes())))
                    .collect(),
                other => panic!("{name}: {other:?}"),
            };
            found.extend(points.into_iter().filter(|(_, attributes)| {
                with.iter()
                    .all(|(k, v)| attributes.get(*k).map(String::as_str) == Some(*v))
            }));
        }
    }
    found
}

/// The sum of [`points`]' values.
pub fn total(recorded: &Recorded, name: &str, with: &[(&str, &str)]) -> u64 {
    points(recorded, name, with).iter().map(|(v, _)| v).sum()
}

fn texts<'a>(attributes: impl Iterator<Item = &'a KeyValue>) -> HashMap<String, String> {
    attributes
        .map(|kv| (kv.key.to_string(), kv.value.as_str().into_owned()))
        .collect()
}
