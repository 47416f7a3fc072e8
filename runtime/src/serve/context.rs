//! The invocation a served method is answering, readable from inside the method.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use serde_json::Value;

use crate::trace::TraceContext;

tokio::task_local! {
    static CURRENT: InvocationContext;
}

/// When this process started serving (`server::run`), or first read a runtime's deadline: no
/// true deadline of an invocation it receives can be earlier.
#[cfg_attr(not(feature = "server"), allow(dead_code))]
static SERVING_SINCE: OnceLock<SystemTime> = OnceLock::new();

/// Pins [`SERVING_SINCE`] to now, unless it is set already.
#[cfg_attr(not(feature = "server"), allow(dead_code))]
pub(crate) fn mark_serving() -> SystemTime {
    *SERVING_SINCE.get_or_init(SystemTime::now)
}

/// The context Lambda gives the invocation a served method is answering: request id,
/// deadline, invoked ARN, client context, tenant id and the caller's trace context.
///
/// Read it from inside a method of a `#[lambda_remote(server)]` trait with
/// [`InvocationContext::current`], on `lambda_runtime` and on the local endpoint alike; the
/// trait's signatures stay as the client sees them.
///
/// ```
/// # use lambda_remote_runtime::InvocationContext;
/// # async fn method_body() {
/// if let Some(context) = InvocationContext::current() {
///     tracing::info!(request_id = context.request_id(), "serving");
/// }
/// # }
/// ```
///
/// `Debug` never shows the client context: it may carry secrets.
#[derive(Clone)]
pub struct InvocationContext {
    request_id: String,
    deadline: Option<SystemTime>,
    invoked_function_arn: String,
    client_context: Option<Arc<ClientContextJson>>,
    tenant_id: Option<String>,
    trace: TraceContext,
    /// The X-Ray header of this invocation itself, which the calls it makes carry on.
    own_xray: Option<String>,
    /// When the caller stops waiting: the time it said it would still wait, from arrival.
    caller_deadline: Option<SystemTime>,
    /// The memory the function has, in MiB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`).
    memory_mib: Option<u32>,
}

impl InvocationContext {
    /// A context for request `request_id` of the function `invoked_function_arn`, without
    /// deadline or client context (for a runtime of your own, or tests).
    pub fn new(request_id: impl Into<String>, invoked_function_arn: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            deadline: None,
            invoked_function_arn: invoked_function_arn.into(),
            client_context: None,
            tenant_id: None,
            trace: TraceContext::default(),
            own_xray: None,
            caller_deadline: None,
            memory_mib: None,
        }
    }

    /// Sets the time by which the function must answer.
    pub fn with_deadline(mut self, deadline: SystemTime) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the deadline a runtime gave, unless it cannot be true: a deadline before this
    /// process started serving is no deadline (`cargo lambda watch` 1.9.2 sends the function's
    /// timeout, `600000`, where Lambda sends an epoch time in milliseconds: 1970).
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn with_runtime_deadline(mut self, deadline: SystemTime) -> Self {
        self.deadline = (deadline >= mark_serving()).then_some(deadline);
        self
    }

    /// Sets the tenant the invocation is for (`X-Amz-Tenant-Id`, on a tenant-isolated
    /// function).
    pub fn with_tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    /// Sets the decoded client context; the caller's trace context is read from its `custom`
    /// map, and the time the caller will still wait (its [`caller_deadline`](Self::caller_deadline),
    /// counted from now).
    pub fn with_client_context(mut self, client_context: Value) -> Self {
        self.trace = TraceContext::from_client_context(Some(&client_context));
        self.caller_deadline = crate::deadline::read(&client_context)
            .and_then(|budget| SystemTime::now().checked_add(budget));
        self.client_context = Some(Arc::new(ClientContextJson {
            text: None,
            value: OnceLock::from(Box::new(client_context) as Box<dyn Any + Send + Sync>),
        }));
        self
    }

    /// Sets the client context `lambda_runtime` decoded, as its `custom` map and the JSON it
    /// was written to: the trace context and the caller's time are read from the map as it
    /// is, and the JSON value [`client_context`](Self::client_context) returns is read only
    /// when a method asks for it (BENCHMARKS.md, "Function side (issue 22)").
    #[cfg(feature = "server")]
    pub(crate) fn with_runtime_client_context(
        mut self,
        custom: &std::collections::HashMap<String, String>,
        json: Option<String>,
    ) -> Self {
        let custom = |key: &str| custom.get(key).map(String::as_str);
        self.trace = TraceContext::from_custom(custom);
        self.caller_deadline = crate::deadline::read_text(custom(crate::deadline::KEY))
            .and_then(|budget| SystemTime::now().checked_add(budget));
        self.client_context = json.map(|text| {
            Arc::new(ClientContextJson {
                text: Some(text),
                value: OnceLock::new(),
            })
        });
        self
    }

    /// Sets the memory the function has, in MiB (recorded as `faas.max_memory`, in bytes).
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn with_memory_mib(mut self, memory_mib: Option<u32>) -> Self {
        self.memory_mib = memory_mib;
        self
    }

    /// The memory the function has, in MiB, when the runtime said (`lambda_runtime` does; the
    /// local endpoint does not).
    pub fn memory_mib(&self) -> Option<u32> {
        self.memory_mib
    }

    /// The context of the invocation the current task is answering; `None` outside a served
    /// method.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// The request id (`x-amzn-RequestId` on the caller's side).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The time by which the function must answer, when the runtime gave one that can be
    /// true. On `lambda_runtime` a deadline earlier than the moment this process started
    /// serving is reported as `None`: `cargo lambda watch` (1.9.2) sends the timeout
    /// (`600000`) instead of an epoch time, which would read as 1970 and leave no time at all.
    pub fn deadline(&self) -> Option<SystemTime> {
        self.deadline
    }

    /// When the caller stops waiting for this invocation: the time the caller said it would
    /// still wait (its call's timeout, or what was left of its own invocation when it is a
    /// served method calling onward), counted from the moment this invocation arrived. `None`
    /// when the caller sent none: an `Event` or `DryRun` call (Lambda passes the client
    /// context to synchronous invocations only), a call without a timeout made outside any
    /// invocation, a caller other than lambda-remote, or a call through `cargo lambda watch`
    /// (which drops the client context). It stands beside [`deadline`](Self::deadline),
    /// Lambda's own: the earlier of the two is when work stops being useful.
    pub fn caller_deadline(&self) -> Option<SystemTime> {
        self.caller_deadline
    }

    /// The time left of this invocation for the calls it makes: until the earlier of
    /// [`deadline`](Self::deadline) and [`caller_deadline`](Self::caller_deadline).
    #[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
    pub(crate) fn time_left(&self) -> Option<std::time::Duration> {
        let earliest = match (self.deadline, self.caller_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }?;
        Some(crate::deadline::until(earliest))
    }

    /// The ARN the function was invoked by, with the qualifier when the caller named one.
    pub fn invoked_function_arn(&self) -> &str {
        &self.invoked_function_arn
    }

    /// The tenant this invocation is for, on a tenant-isolated function: Lambda's
    /// `lambda-runtime-aws-tenant-id` (`lambda_runtime`'s `Context::tenant_id`), or the local
    /// endpoint's `X-Amz-Tenant-Id`; `None` otherwise.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }

    /// The client context the caller sent (synchronous calls only), as JSON.
    pub fn client_context(&self) -> Option<&Value> {
        let json = self.client_context.as_deref()?;
        let value = json.value.get_or_init(|| {
            let value: Value = json
                .text
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_default();
            Box::new(value)
        });
        value.downcast_ref::<Value>()
    }

    /// The caller's trace context, from the client context's `custom` map (empty when the
    /// caller sent none).
    pub fn trace(&self) -> &TraceContext {
        &self.trace
    }

    /// Sets the X-Ray header Lambda gave this invocation (`Lambda-Runtime-Trace-Id`).
    #[cfg(feature = "server")]
    pub(crate) fn with_own_xray(mut self, xray: Option<String>) -> Self {
        self.own_xray = xray;
        self
    }

    /// Runs `future` with this context current, and with the trace context the calls it makes
    /// carry on: the caller's W3C context, and this invocation's X-Ray header.
    pub(crate) fn scope<F: Future>(mut self, future: F) -> impl Future<Output = F::Output> {
        // The X-Ray header moves into the onward trace (nothing else reads it), uncopied.
        let onward = self.trace.clone().with_own_xray_owned(self.own_xray.take());
        CURRENT.scope(self, onward.scope(future))
    }

    /// Runs `f` with this context (and its onward trace) current, as [`scope`](Self::scope)
    /// does for a future: for each poll of a served stream.
    pub(crate) fn sync_scope<R>(self, f: impl FnOnce() -> R) -> R {
        let onward = self.trace.clone().with_own_xray(self.own_xray.as_deref());
        CURRENT.sync_scope(self, || onward.sync_scope(f))
    }
}

/// The client context of an invocation as JSON: given as a value (the local endpoint), or
/// kept as the text `lambda_runtime`'s decoded context was written to, read into a value the
/// first time [`InvocationContext::client_context`] asks (shared by the context's clones).
///
/// The value is kept type-erased: a served binary whose methods never ask for the client
/// context then carries no `serde_json::Value` at all, not even its drop and clone glue
/// (BENCHMARKS.md, "Function side (issue 22)").
struct ClientContextJson {
    /// The text `lambda_runtime`'s decoded client context was written to.
    text: Option<String>,
    /// A `serde_json::Value`.
    value: OnceLock<Box<dyn Any + Send + Sync>>,
}

impl fmt::Debug for InvocationContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvocationContext")
            .field("request_id", &self.request_id)
            .field("deadline", &self.deadline)
            .field("invoked_function_arn", &self.invoked_function_arn)
            .field(
                "client_context",
                &self.client_context.as_ref().map(|_| "<redacted>"),
            )
            .field("tenant_id", &self.tenant_id)
            .field("trace", &self.trace)
            .field("caller_deadline", &self.caller_deadline)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_deadline_before_serving_started_is_none() {
        let context = || InvocationContext::new("r", "arn");
        // What `cargo lambda watch` 1.9.2 sends: 600000 ms, read as an epoch time.
        let watch = UNIX_EPOCH + Duration::from_millis(600_000);
        assert_eq!(context().with_runtime_deadline(watch).deadline(), None);
        let just_before = mark_serving() - Duration::from_millis(1);
        assert_eq!(
            context().with_runtime_deadline(just_before).deadline(),
            None
        );
        let real = SystemTime::now() + Duration::from_secs(3);
        assert_eq!(context().with_runtime_deadline(real).deadline(), Some(real));
        // A deadline set outright is kept as given.
        assert_eq!(context().with_deadline(watch).deadline(), Some(watch));
    }
}
