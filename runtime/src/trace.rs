//! The trace context a call carries to the function it invokes: W3C `traceparent` and
//! `tracestate`, and the X-Ray trace header, in the client context's `custom` map.

use std::fmt;
use std::future::Future;

use serde_json::Value;

/// The `custom` key of the W3C `traceparent`.
const TRACEPARENT: &str = "traceparent";
/// The `custom` key of the W3C `tracestate`.
const TRACESTATE: &str = "tracestate";
/// The `custom` key of the X-Ray trace header.
const XRAY: &str = "X-Amzn-Trace-Id";
/// The variable Lambda sets to the invocation's X-Ray trace header.
const XRAY_ENV: &str = "_X_AMZN_TRACE_ID";

tokio::task_local! {
    static CURRENT: TraceContext;
}

/// The trace a call belongs to, carried to the invoked function in the client context's
/// `custom` map (`traceparent`, `tracestate`, `X-Amzn-Trace-Id`) on synchronous calls.
///
/// lambda-remote generates no trace or span ids: it carries the W3C context the application
/// puts in scope with [`scope`](Self::scope) (from its OpenTelemetry setup, or from an
/// incoming request), and the X-Ray header Lambda gives a function (`_X_AMZN_TRACE_ID`).
/// Inside a served method the caller's context is in scope, so the calls it makes carry the
/// same trace on.
///
/// ```
/// # use lambda_remote_runtime::TraceContext;
/// # async fn call() {}
/// # async fn f() -> Result<(), lambda_remote_runtime::InvalidTraceContext> {
/// let trace = TraceContext::new()
///     .with_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?;
/// trace.scope(async {
///     call().await // every synchronous call made here carries the traceparent
/// })
/// .await;
/// # Ok(()) }
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TraceContext {
    traceparent: Option<String>,
    tracestate: Option<String>,
    xray: Option<String>,
}

/// A trace header that is not well formed: a `traceparent` not of the W3C form
/// `00-<32 hex>-<16 hex>-<2 hex>` (ids not all zero), or a value that cannot be a header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {header}: {value:?}")]
pub struct InvalidTraceContext {
    header: &'static str,
    value: String,
}

impl TraceContext {
    /// An empty trace context: nothing is sent.
    pub fn new() -> Self {
        Self::default()
    }

    /// The trace context in scope: the one [`scope`](Self::scope) set (inside a served
    /// method, the caller's), else the X-Ray header Lambda set in `_X_AMZN_TRACE_ID`.
    pub fn current() -> Self {
        CURRENT.try_with(Clone::clone).unwrap_or_else(|_| Self {
            xray: std::env::var(XRAY_ENV)
                .ok()
                .filter(|v| header_value(v).is_some()),
            ..Self::default()
        })
    }

    /// Runs `future` with this trace context in scope: the calls it makes carry it.
    pub fn scope<F: Future>(self, future: F) -> impl Future<Output = F::Output> {
        CURRENT.scope(self, future)
    }

    /// Runs `f` with this trace context current (for one poll of a served stream).
    pub(crate) fn sync_scope<R>(self, f: impl FnOnce() -> R) -> R {
        CURRENT.sync_scope(self, f)
    }

    /// Sets the W3C `traceparent` (`00-<trace id>-<parent id>-<flags>`).
    pub fn with_traceparent(
        mut self,
        value: impl Into<String>,
    ) -> Result<Self, InvalidTraceContext> {
        let value = value.into();
        if !is_traceparent(&value) {
            return Err(InvalidTraceContext {
                header: TRACEPARENT,
                value,
            });
        }
        self.traceparent = Some(value);
        Ok(self)
    }

    /// Sets the W3C `tracestate` (vendor entries, passed on as given).
    pub fn with_tracestate(
        mut self,
        value: impl Into<String>,
    ) -> Result<Self, InvalidTraceContext> {
        self.tracestate = Some(checked(TRACESTATE, value.into())?);
        Ok(self)
    }

    /// Sets the X-Ray trace header (`Root=…;Parent=…;Sampled=…`).
    pub fn with_xray_trace_id(
        mut self,
        value: impl Into<String>,
    ) -> Result<Self, InvalidTraceContext> {
        self.xray = Some(checked(XRAY, value.into())?);
        Ok(self)
    }

    /// The W3C `traceparent`.
    pub fn traceparent(&self) -> Option<&str> {
        self.traceparent.as_deref()
    }

    /// The W3C `tracestate`.
    pub fn tracestate(&self) -> Option<&str> {
        self.tracestate.as_deref()
    }

    /// The X-Ray trace header.
    pub fn xray_trace_id(&self) -> Option<&str> {
        self.xray.as_deref()
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.traceparent.is_none() && self.tracestate.is_none() && self.xray.is_none()
    }

    /// Reads a trace context from a client context's `custom` map; what is not well formed is
    /// left out (a `tracestate` without a `traceparent` too, as W3C says).
    pub(crate) fn from_client_context(context: Option<&Value>) -> Self {
        let custom = context.and_then(|c| c.get("custom"));
        Self::from_custom(|key| custom.and_then(|c| c.get(key)).and_then(Value::as_str))
    }

    /// Reads a trace context from the string values of a client context's `custom` map, as
    /// `text` looks them up by key (what [`from_client_context`](Self::from_client_context)
    /// reads).
    pub(crate) fn from_custom<'a>(text: impl Fn(&str) -> Option<&'a str>) -> Self {
        let traceparent = text(TRACEPARENT)
            .filter(|v| is_traceparent(v))
            .map(str::to_owned);
        Self {
            tracestate: text(TRACESTATE)
                .filter(|_| traceparent.is_some())
                .and_then(header_value)
                .map(str::to_owned),
            traceparent,
            xray: text(XRAY).and_then(header_value).map(str::to_owned),
        }
    }

    /// Adds this context to a client context's `custom` map, keeping what the caller set
    /// itself. `None` when the client context is not a JSON object (or `custom` is not one).
    #[cfg(feature = "client")]
    pub(crate) fn add_to(&self, context: &mut Value) -> Option<()> {
        let custom = context
            .as_object_mut()?
            .entry("custom")
            .or_insert_with(|| Value::Object(serde_json::Map::new()))
            .as_object_mut()?;
        for (key, value) in [
            (TRACEPARENT, &self.traceparent),
            (TRACESTATE, &self.tracestate),
            (XRAY, &self.xray),
        ] {
            if let Some(value) = value {
                custom
                    .entry(key)
                    .or_insert_with(|| Value::String(value.clone()));
            }
        }
        Some(())
    }

    /// This context without what a propagator already wrote: the W3C pair when it wrote a
    /// `traceparent`, the X-Ray header when it wrote one.
    #[cfg_attr(
        any(not(feature = "opentelemetry"), not(feature = "client")),
        allow(dead_code)
    )]
    pub(crate) fn without_propagated(&self, w3c: bool, xray: bool) -> Self {
        Self {
            traceparent: self.traceparent.clone().filter(|_| !w3c),
            tracestate: self.tracestate.clone().filter(|_| !w3c),
            xray: self.xray.clone().filter(|_| !xray),
        }
    }

    /// This context with the X-Ray header replaced by `xray` when there is one.
    pub(crate) fn with_own_xray(mut self, xray: Option<&str>) -> Self {
        if let Some(xray) = xray.and_then(header_value) {
            self.xray = Some(xray.to_owned());
        }
        self
    }

    /// [`with_own_xray`](Self::with_own_xray) with the header moved in, not copied.
    pub(crate) fn with_own_xray_owned(mut self, xray: Option<String>) -> Self {
        if let Some(xray) = xray.filter(|xray| header_value(xray).is_some()) {
            self.xray = Some(xray);
        }
        self
    }
}

impl fmt::Debug for TraceContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TraceContext")
            .field("traceparent", &self.traceparent)
            .field("tracestate", &self.tracestate)
            .field("xray_trace_id", &self.xray)
            .finish()
    }
}

/// `00-<32 lowercase hex>-<16 lowercase hex>-<2 lowercase hex>`, ids not all zero.
fn is_traceparent(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let hex = |s: &str, len: usize| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    matches!(parts.as_slice(), [version, trace, parent, flags]
        if hex(version, 2) && *version != "ff" && hex(trace, 32) && hex(parent, 16) && hex(flags, 2)
            && trace.bytes().any(|b| b != b'0') && parent.bytes().any(|b| b != b'0'))
}

/// A value that can travel as a header: printable ASCII, at most 1,024 bytes.
fn header_value(value: &str) -> Option<&str> {
    // Every byte is looked at, without an early exit, so that the loop is vectorized: a
    // served invocation checks its X-Ray header (BENCHMARKS.md, "Function side (issue 22)").
    let printable = || {
        value
            .bytes()
            .fold(true, |ok, b| ok & (0x20..0x7f).contains(&b))
    };
    (!value.is_empty() && value.len() <= 1024 && printable()).then_some(value)
}

fn checked(header: &'static str, value: String) -> Result<String, InvalidTraceContext> {
    match header_value(&value) {
        Some(_) => Ok(value),
        None => Err(InvalidTraceContext { header, value }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn traceparents_are_checked() {
        assert!(TraceContext::new().with_traceparent(PARENT).is_ok());
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            let error = TraceContext::new().with_traceparent(bad).unwrap_err();
            assert_eq!(error.to_string(), format!("invalid traceparent: {bad:?}"));
        }
        assert!(TraceContext::new().with_xray_trace_id("a\nb").is_err());
    }

    #[test]
    fn an_own_xray_header_is_taken_only_when_it_can_be_a_header() {
        let xray = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        let long = "R".repeat(1024);
        // Printable ASCII (0x20 to 0x7e), 1 to 1,024 bytes; the bad byte anywhere, including
        // past the first 16 and 32 (the loop is vectorized).
        for good in [xray, " ", "~", long.as_str()] {
            let owned = TraceContext::new().with_own_xray_owned(Some(good.to_owned()));
            assert_eq!(owned.xray_trace_id(), Some(good));
            let copied = TraceContext::new().with_own_xray(Some(good));
            assert_eq!(copied.xray_trace_id(), Some(good));
        }
        let too_long = "R".repeat(1025);
        let mut bad = vec![String::new(), too_long];
        for byte in ["\u{1f}", "\u{7f}", "\u{0}", "\n", "\u{e9}"] {
            for at in [0, 17, 40, xray.len()] {
                let mut value = xray.to_owned();
                value.insert_str(at, byte);
                bad.push(value);
            }
        }
        let kept = TraceContext::new().with_xray_trace_id(xray).unwrap();
        for value in bad {
            let owned = kept.clone().with_own_xray_owned(Some(value.clone()));
            assert_eq!(owned.xray_trace_id(), Some(xray), "{value:?}");
            let copied = kept.clone().with_own_xray(Some(&value));
            assert_eq!(copied.xray_trace_id(), Some(xray), "{value:?}");
        }
        assert_eq!(kept.clone().with_own_xray_owned(None), kept);
    }

    #[test]
    #[cfg(feature = "client")]
    fn merges_into_a_client_context_keeping_the_callers_keys() {
        let trace = TraceContext::new()
            .with_traceparent(PARENT)
            .unwrap()
            .with_xray_trace_id("Root=1-5759e988-bd862e3fe1be46a994272793")
            .unwrap();
        let mut context = json!({"custom": {"tenant": "acme", "traceparent": "mine"}, "env": {}});
        trace.add_to(&mut context).unwrap();
        assert_eq!(
            context,
            json!({"custom": {"tenant": "acme", "traceparent": "mine",
                "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793"}, "env": {}})
        );
        let mut empty = json!({});
        trace.add_to(&mut empty).unwrap();
        assert_eq!(
            TraceContext::from_client_context(Some(&empty)),
            trace,
            "read back"
        );
        assert_eq!(trace.add_to(&mut json!([1])), None);
        assert_eq!(trace.add_to(&mut json!({"custom": 3})), None);
    }

    #[test]
    fn reads_only_well_formed_values() {
        let context =
            json!({"custom": {"traceparent": "junk", "tracestate": "a=b", "X-Amzn-Trace-Id": 5}});
        assert!(TraceContext::from_client_context(Some(&context)).is_empty());
        assert!(TraceContext::from_client_context(None).is_empty());
    }
}
