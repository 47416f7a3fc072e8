//! Flushing spans and metrics after each invocation served on `lambda_runtime`: Lambda
//! freezes the execution environment once the runtime asks for the next invocation, and
//! what a batching exporter still holds then may be sent late or never.

use std::sync::{Arc, OnceLock};

type Flush = Arc<dyn Fn() + Send + Sync>;

static FLUSH: OnceLock<Flush> = OnceLock::new();

/// Sets what `lambda_remote::server` runs after each invocation, once the served method's span
/// has ended and its answer was sent, before it asks Lambda for the next one — the point at
/// which Lambda may freeze the process — as `lambda_runtime`'s own `OpenTelemetryLayer` does.
/// Typically the providers' `force_flush`. Set once per process; a second call is ignored and
/// returns `false`.
///
/// ```
/// use lambda_remote_runtime::otel::opentelemetry_sdk::{metrics::SdkMeterProvider, trace::SdkTracerProvider};
///
/// let tracer_provider = SdkTracerProvider::builder().build();
/// let meter_provider = SdkMeterProvider::builder().build();
/// lambda_remote_runtime::otel::set_flush(move || {
///     let _ = tracer_provider.force_flush();
///     let _ = meter_provider.force_flush();
/// });
/// ```
pub fn set_flush(flush: impl Fn() + Send + Sync + 'static) -> bool {
    FLUSH.set(Arc::new(flush)).is_ok()
}

/// Runs the flush [`set_flush`] set, if any.
#[cfg_attr(not(feature = "server"), allow(dead_code))]
pub(crate) fn flush() {
    if let Some(flush) = FLUSH.get() {
        flush();
    }
}
