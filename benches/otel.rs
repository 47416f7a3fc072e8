//! The per-call cost of feature `opentelemetry` (BENCHMARKS.md, "OpenTelemetry (issue 25)"):
//! `LAMBDA_REMOTE_BENCH_CALLS` (default 600) sequential calls of one generated method against
//! the local endpoint, for `valgrind --tool=callgrind`. Built with the feature, it first sets
//! OpenTelemetry up as an application would — `tracing-opentelemetry`'s layer on an SDK
//! tracer whose spans go to a no-op exporter, W3C trace context and baggage as the global
//! propagator, the layer at `info` — so every call records its `Lambda.Invoke` span and
//! injects its context into
//! the client context. Built without, nothing is set up (what a user without the feature has).
//! `LAMBDA_REMOTE_BENCH_LAYER=1` sets the same layer up in a build without the feature (what an
//! application instrumented with OpenTelemetry pays for the call's span alone, the feature
//! off), `=0` leaves it out of a build with the feature (the feature on, nothing set up).
//! Instructions per call: (total at 600 − total at 100) / 500, so that set-up cancels out.

mod support;

use std::hint::black_box;

use support::{Shop as _, ShopClient};

fn install() -> opentelemetry_sdk::trace::SdkTracerProvider {
    use opentelemetry::trace::TracerProvider as _;
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_sdk::testing::trace::NoopSpanExporter::new())
        .build();
    let tracer = provider.tracer("bench");
    // At `info`, as an application records: the AWS SDK's own spans are at `debug`.
    let layer = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(tracing_subscriber::filter::LevelFilter::INFO);
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("one subscriber");
    opentelemetry::global::set_text_map_propagator(
        opentelemetry::propagation::TextMapCompositePropagator::new(vec![
            Box::new(opentelemetry_sdk::propagation::TraceContextPropagator::new()),
            Box::new(opentelemetry_sdk::propagation::BaggagePropagator::new()),
        ]),
    );
    provider
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let calls: usize = std::env::var("LAMBDA_REMOTE_BENCH_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let layer = match std::env::var("LAMBDA_REMOTE_BENCH_LAYER").as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        _ => cfg!(feature = "opentelemetry"),
    };
    let _provider = layer.then(install);
    let rt = support::runtime();
    rt.block_on(async {
        let local = support::local_lambda().await;
        let client = ShopClient::new(local.sdk_client());
        let order = support::order();
        for _ in 0..calls {
            black_box(client.order(order.clone()).await.unwrap());
        }
    });
}
