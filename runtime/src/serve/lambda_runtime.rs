//! Serving a contract's method as a Lambda function on the real `lambda_runtime`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use lambda_runtime::{Diagnostic, LambdaEvent, LambdaInvocation, service_fn};
use serde_json::value::RawValue;

use crate::error::object::ErrorObject;
use crate::serve::context::InvocationContext;
use crate::serve::method::{INVOKE_ERROR_TYPE, MethodHandler};

pub use lambda_runtime;

/// The error `run` returns when the runtime itself fails.
pub type Error = lambda_runtime::Error;

/// Serves one method as this Lambda function, on `lambda_runtime`, until the runtime stops.
///
/// The payload is decoded exactly as the generated client encodes it and the result encoded
/// exactly as it decodes it. The method reads the invocation's context with
/// [`InvocationContext::current`]. A typed error goes out with its `errorType`; since
/// `lambda_runtime` sends only a type and a message, a typed error with fields sends them
/// inside `errorMessage` (`{"errorMessage": …, "lambda_remote.fields": {…}}`), and the client
/// reads back the same message and fields. A panic is reported by `lambda_runtime` and reaches
/// the caller as an unmapped function error.
///
/// ```no_run
/// # async fn serve(handler: lambda_remote_runtime::MethodHandler) -> Result<(), lambda_remote_runtime::server::Error> {
/// // handler = BillingServer::new(MyBilling).charge()
/// lambda_remote_runtime::server::run(handler).await
/// # }
/// ```
pub async fn run(handler: MethodHandler) -> Result<(), Error> {
    crate::serve::context::mark_serving();
    if let Some(missing) = missing_environment() {
        return Err(format!(
            "`{missing}` is not set: this binary serves `{}` inside AWS Lambda (or a Lambda \
             Runtime API emulator), which sets it",
            handler.spec().method
        )
        .into());
    }
    // `lambda_runtime::run`, with the payload kept as it came (see `KeepPayloads`).
    let payloads = Payloads::default();
    let keep = KeepPayloads(payloads.clone());
    let tracing = lambda_runtime::layers::TracingLayer::new();
    if handler.is_streaming() {
        let service = service_fn(move |event: LambdaEvent<u64>| {
            let (handler, payload) = (handler.clone(), payloads.take(event.payload));
            async move { stream(&handler, &event.context, payload?).await }
        });
        return lambda_runtime::Runtime::new(service)
            .layer(keep)
            .layer(tracing)
            .layer(Flushing)
            .run()
            .await;
    }
    let service = service_fn(move |event: LambdaEvent<u64>| {
        let (handler, payload) = (handler.clone(), payloads.take(event.payload));
        async move { answer(&handler, &event.context, payload?).await }
    });
    lambda_runtime::Runtime::new(service)
        .layer(keep)
        .layer(tracing)
        .layer(Flushing)
        .run()
        .await
}

/// Runs the flush `lambda_remote::otel::set_flush` set after each invocation, once its
/// answer was sent and its spans ended, before the runtime asks for the next (feature
/// `opentelemetry`; without it, nothing).
#[derive(Clone, Copy)]
struct Flushing;

impl<S> lambda_runtime::tower::Layer<S> for Flushing {
    type Service = Flushed<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Flushed(inner)
    }
}

/// The service [`Flushing`] wraps around `lambda_runtime`'s.
struct Flushed<S>(S);

impl<S> lambda_runtime::Service<LambdaInvocation> for Flushed<S>
where
    S: lambda_runtime::Service<LambdaInvocation>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = futures_util::future::Map<
        S::Future,
        fn(Result<S::Response, S::Error>) -> Result<S::Response, S::Error>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, invocation: LambdaInvocation) -> Self::Future {
        use futures_util::FutureExt as _;
        // `Map` drops the invocation's future (and the spans it holds) before it calls this.
        self.0.call(invocation).map(|result| {
            #[cfg(feature = "opentelemetry")]
            crate::otel::flush::flush();
            result
        })
    }
}

/// The payloads of the invocations in flight, as the Runtime API delivered them, by a number
/// [`KeepPayloads`] gives each.
#[derive(Clone, Default)]
struct Payloads {
    next: Arc<AtomicU64>,
    waiting: Arc<Mutex<HashMap<u64, Bytes>>>,
}

impl Payloads {
    fn put(&self, payload: Bytes) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id, payload);
        id
    }

    /// The payload put under `id`, once.
    fn take(&self, id: u64) -> Result<Bytes, Diagnostic> {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&id)
            .ok_or_else(|| {
                diagnostic(ErrorObject::new(
                    INVOKE_ERROR_TYPE,
                    format!("no payload was kept for invocation {id}"),
                ))
            })
    }
}

/// A layer over `lambda_runtime`'s invocations that takes each payload out before
/// `lambda_runtime` decodes it, and hands the handler a number to take it back by. Decoding is
/// the served method's own (`decode_payload`), so every payload it cannot read, JSON or not,
/// is the same `lambda_remote::PayloadError` with what could not be read; `lambda_runtime`
/// would answer a body that is not JSON with an error of its own type, and stop on one that is
/// not UTF-8 when it logs bodies.
#[derive(Clone)]
struct KeepPayloads(Payloads);

impl<S> lambda_runtime::tower::Layer<S> for KeepPayloads {
    type Service = KeptPayloads<S>;

    fn layer(&self, inner: S) -> Self::Service {
        KeptPayloads {
            inner,
            payloads: self.0.clone(),
        }
    }
}

/// The service [`KeepPayloads`] wraps around `lambda_runtime`'s.
struct KeptPayloads<S> {
    inner: S,
    payloads: Payloads,
}

impl<S> lambda_runtime::Service<LambdaInvocation> for KeptPayloads<S>
where
    S: lambda_runtime::Service<LambdaInvocation>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> Self::Future {
        let id = self.payloads.put(std::mem::take(&mut invocation.body));
        invocation.body = Bytes::from(id.to_string());
        self.inner.call(invocation)
    }
}

/// Serves, from one binary, whichever of `handlers` this Lambda function is: the method is
/// chosen at start from the function name Lambda gives the process, as [`Dispatch::from_env`]
/// reads it. Deploy the same binary as each method's function.
///
/// ```no_run
/// # async fn serve(handlers: Vec<lambda_remote_runtime::MethodHandler>) -> Result<(), lambda_remote_runtime::server::Error> {
/// // handlers = BillingServer::new(MyBilling).handlers()
/// lambda_remote_runtime::server::run_all(handlers).await
/// # }
/// ```
pub async fn run_all(handlers: impl IntoIterator<Item = MethodHandler>) -> Result<(), Error> {
    Dispatch::new(handlers).from_env().run().await
}

/// Chooses which method one binary serves, from the name of the Lambda function running it.
///
/// A method serves the function its attribute names (bare name: `shop-order` for
/// `shop-order:live` or an ARN), with the [`function_prefix`](Self::function_prefix) and
/// [`function_suffix`](Self::function_suffix) of a stage around it (`prod-shop-order`), or any
/// function [`function`](Self::function) maps to it. Versions and aliases do not change the
/// name Lambda gives the process, so one mapping serves them all. When two methods would
/// serve the same name, the first one does.
///
/// ```no_run
/// # async fn serve(handlers: Vec<lambda_remote_runtime::MethodHandler>) -> Result<(), lambda_remote_runtime::server::Error> {
/// lambda_remote_runtime::server::Dispatch::new(handlers)
///     .function_prefix("prod-")             // prod-shop-order serves `order`
///     .function("order", "legacy-checkout") // so does legacy-checkout
///     .from_env()                           // LAMBDA_REMOTE_METHOD, LAMBDA_REMOTE_FUNCTION_PREFIX, …
///     .run()
///     .await
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Dispatch {
    handlers: Vec<MethodHandler>,
    prefix: Option<String>,
    suffix: Option<String>,
    /// (function name, method).
    functions: Vec<(String, String)>,
    /// A method named outright.
    method: Option<String>,
}

/// Why no method of a [`Dispatch`] serves a function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DispatchError {
    /// No method serves the function of this name.
    #[error(
        "no method serves the Lambda function `{function}`: this binary serves {}",
        served.join(", ")
    )]
    NoMethod {
        /// The function's name.
        function: String,
        /// What it serves: each method's function name (`name → method`).
        served: Vec<String>,
    },
    /// A method was named (by [`Dispatch::method`] or `LAMBDA_REMOTE_METHOD`, or a function
    /// mapped to it) that the handlers do not have.
    #[error("no method `{method}` among the handlers: {}", methods.join(", "))]
    UnknownMethod {
        /// The name given.
        method: String,
        /// The handlers' methods.
        methods: Vec<String>,
    },
}

impl Dispatch {
    /// Dispatches among `handlers` (e.g. `<Trait>Server::handlers()`).
    pub fn new(handlers: impl IntoIterator<Item = MethodHandler>) -> Self {
        Self {
            handlers: handlers.into_iter().collect(),
            prefix: None,
            suffix: None,
            functions: Vec::new(),
            method: None,
        }
    }

    /// The prefix of every function name (a stage, `prod-`), as the client's
    /// `ClientBuilder::function_prefix`.
    pub fn function_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The suffix of every function name, as the client's `ClientBuilder::function_suffix`.
    pub fn function_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }

    /// The function named `function` (bare name) serves `method`.
    pub fn function(mut self, method: impl Into<String>, function: impl Into<String>) -> Self {
        self.functions.push((function.into(), method.into()));
        self
    }

    /// Serves `method` whatever the function's name.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Reads `LAMBDA_REMOTE_METHOD` (the method, whatever the function's name), and
    /// `LAMBDA_REMOTE_FUNCTION_PREFIX` and `LAMBDA_REMOTE_FUNCTION_SUFFIX` (the variables the
    /// client reads too); values set on the builder win.
    pub fn from_env(self) -> Self {
        self.env_lookup(|key| std::env::var(key).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn env_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |key: &str| lookup(key).filter(|v| !v.is_empty());
        self.method = self.method.or_else(|| read("LAMBDA_REMOTE_METHOD"));
        self.prefix = self
            .prefix
            .or_else(|| read("LAMBDA_REMOTE_FUNCTION_PREFIX"));
        self.suffix = self
            .suffix
            .or_else(|| read("LAMBDA_REMOTE_FUNCTION_SUFFIX"));
        self
    }

    /// The handler serving the function `function` (bare name, as Lambda sets
    /// `AWS_LAMBDA_FUNCTION_NAME`).
    pub fn select(&self, function: &str) -> Result<&MethodHandler, DispatchError> {
        let by_method = |method: &str| {
            self.handlers
                .iter()
                .find(|h| h.spec().method == method)
                .ok_or_else(|| DispatchError::UnknownMethod {
                    method: method.to_owned(),
                    methods: self
                        .handlers
                        .iter()
                        .map(|h| h.spec().method.to_owned())
                        .collect(),
                })
        };
        if let Some(method) = &self.method {
            return by_method(method);
        }
        if let Some((_, method)) = self.functions.iter().find(|(name, _)| name == function) {
            return by_method(method);
        }
        let served = self.served();
        match served.iter().find(|(name, _)| name == function) {
            Some((_, handler)) => Ok(handler),
            None => Err(DispatchError::NoMethod {
                function: function.to_owned(),
                served: served
                    .iter()
                    .map(|(name, h)| format!("{name} → {}", h.spec().method))
                    .chain(
                        self.functions
                            .iter()
                            .map(|(name, method)| format!("{name} → {method}")),
                    )
                    .collect(),
            }),
        }
    }

    /// Each handler with the function name it serves by default.
    fn served(&self) -> Vec<(String, &MethodHandler)> {
        let (prefix, suffix) = (
            self.prefix.as_deref().unwrap_or(""),
            self.suffix.as_deref().unwrap_or(""),
        );
        self.handlers
            .iter()
            .map(|h| (format!("{prefix}{}{suffix}", h.spec().bare_function()), h))
            .collect()
    }

    /// Chooses the method for `AWS_LAMBDA_FUNCTION_NAME` and serves it with [`run`]; fails at
    /// once, before serving anything, when no method serves that name.
    pub async fn run(self) -> Result<(), Error> {
        let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default();
        let handler = self.select(&function)?.clone();
        run(handler).await
    }
}

/// The first variable `lambda_runtime` requires that is missing (it panics without them).
fn missing_environment() -> Option<&'static str> {
    [
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
    ]
    .into_iter()
    .find(|key| std::env::var(key).map_or(true, |v| v.is_empty()))
    .or_else(|| {
        let memory = std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").ok()?;
        memory
            .parse::<i32>()
            .is_err()
            .then_some("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    })
}

/// The invocation's context as lambda-remote gives it to a served method.
fn invocation_context(context: &lambda_runtime::Context) -> InvocationContext {
    let mut invocation = InvocationContext::new(
        context.request_id.clone(),
        context.invoked_function_arn.clone(),
    )
    .with_runtime_deadline(context.deadline())
    .with_own_xray(context.xray_trace_id.clone())
    .with_memory_mib(u32::try_from(context.env_config.memory).ok());
    if let Some(tenant_id) = &context.tenant_id {
        invocation = invocation.with_tenant_id(tenant_id.clone());
    }
    if let Some(client_context) = &context.client_context
        && let Ok(value) = serde_json::to_value(client_context)
    {
        invocation = invocation.with_client_context(value);
    }
    invocation
}

/// Answers one payload: the result as raw JSON, or a diagnostic.
async fn answer(
    handler: &MethodHandler,
    context: &lambda_runtime::Context,
    payload: Bytes,
) -> Result<Box<RawValue>, Diagnostic> {
    let context = invocation_context(context);
    let bytes = handler
        .call_in(context, payload)
        .await
        .map_err(diagnostic)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        diagnostic(ErrorObject::new(
            crate::serve::method::PAYLOAD_ERROR_TYPE,
            format!("the result is not UTF-8: {e}"),
        ))
    })?;
    RawValue::from_string(text).map_err(|e| {
        diagnostic(ErrorObject::new(
            crate::serve::method::PAYLOAD_ERROR_TYPE,
            format!("the result is not JSON: {e}"),
        ))
    })
}

/// Answers one payload of a streaming method: its chunks as `lambda_runtime`'s streaming
/// response, or a diagnostic before the first.
async fn stream(
    handler: &MethodHandler,
    context: &lambda_runtime::Context,
    payload: Bytes,
) -> Result<
    lambda_runtime::StreamResponse<
        impl futures_core::Stream<Item = Result<Bytes, StreamFailure>> + Unpin + Send + 'static + use<>,
    >,
    Diagnostic,
> {
    use futures_util::StreamExt as _;
    let context = invocation_context(context);
    let chunks = match handler.answer_in(context, payload).await {
        crate::serve::method::Answer::Streamed(chunks) => chunks,
        crate::serve::method::Answer::Buffered(Ok(body)) => {
            crate::serve::method::ResponseChunks::new(futures_util::stream::iter([Ok(
                Bytes::from(body),
            )]))
        }
        crate::serve::method::Answer::Buffered(Err(object)) => return Err(diagnostic(object)),
    };
    Ok(lambda_runtime::StreamResponse {
        metadata_prelude: Default::default(),
        stream: chunks.map(|chunk| chunk.map_err(StreamFailure::from)),
    })
}

/// The error a served stream ends with, as `lambda_runtime` sends it after the last chunk:
/// its `Display` is the error object (type, message and fields, as in a diagnostic), which
/// the client reads back into the typed error.
#[derive(Debug)]
struct StreamFailure(String);

impl From<ErrorObject> for StreamFailure {
    fn from(object: ErrorObject) -> Self {
        let body = serde_json::json!({
            "errorType": object.error_type().unwrap_or(INVOKE_ERROR_TYPE),
            "errorMessage": object.diagnostic_message(),
        });
        Self(body.to_string())
    }
}

impl std::fmt::Display for StreamFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StreamFailure {}

fn diagnostic(body: ErrorObject) -> Diagnostic {
    Diagnostic {
        error_message: body.diagnostic_message(),
        error_type: body.error_type().unwrap_or(INVOKE_ERROR_TYPE).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::MethodSpec;

    #[tokio::test]
    async fn answers_with_raw_json_or_a_diagnostic() {
        let handler = MethodHandler::new(MethodSpec::new("m", "f"), |payload: Bytes| async move {
            match payload.as_ref() {
                b"1" => Ok(b"{\"ok\":true}".to_vec()),
                _ => Err(ErrorObject::new("Bad", "no")),
            }
        });
        let context = lambda_runtime::Context::default();
        let ok = answer(&handler, &context, Bytes::from_static(b"1"))
            .await
            .unwrap();
        assert_eq!(ok.get(), r#"{"ok":true}"#);
        let error = answer(&handler, &context, Bytes::from_static(b"2"))
            .await
            .unwrap_err();
        assert_eq!(error.error_type, "Bad");
        assert_eq!(error.error_message, "no");
    }

    #[test]
    fn the_context_carries_the_tenant_and_only_a_deadline_that_can_be_true() {
        let mut context = lambda_runtime::Context::default();
        context.tenant_id = Some("blue/eu-1".into());
        // `cargo lambda watch` 1.9.2 sends the timeout, 600000, as the deadline.
        context.deadline = 600_000;
        let invocation = invocation_context(&context);
        assert_eq!(invocation.tenant_id(), Some("blue/eu-1"));
        assert_eq!(invocation.deadline(), None);
        let in_a_minute = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        context.deadline = in_a_minute
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let deadline = invocation_context(&context).deadline().expect("a deadline");
        assert_eq!(deadline, lambda_runtime::Context::deadline(&context));
        context.tenant_id = None;
        assert_eq!(invocation_context(&context).tenant_id(), None);
    }

    fn handler(method: &'static str, function: &'static str) -> MethodHandler {
        MethodHandler::new(MethodSpec::new(method, function), |_: Bytes| async {
            Ok(Vec::new())
        })
    }

    fn shop() -> Dispatch {
        Dispatch::new([
            handler("order", "shop-order"),
            handler(
                "quote",
                "arn:aws:lambda:us-east-1:123456789012:function:shop-quote:live",
            ),
        ])
    }

    fn chosen(dispatch: &Dispatch, function: &str) -> Result<&'static str, DispatchError> {
        dispatch.select(function).map(|h| h.spec().method)
    }

    #[test]
    fn dispatches_on_the_function_name() {
        let plain = shop();
        assert_eq!(chosen(&plain, "shop-order"), Ok("order"));
        assert_eq!(chosen(&plain, "shop-quote"), Ok("quote"));
        let staged = shop()
            .function_prefix("prod-")
            .function_suffix("-v2")
            .function("order", "checkout");
        assert_eq!(chosen(&staged, "prod-shop-quote-v2"), Ok("quote"));
        assert_eq!(chosen(&staged, "checkout"), Ok("order"));
        assert_eq!(
            chosen(&staged, "shop-quote"),
            Err(DispatchError::NoMethod {
                function: "shop-quote".into(),
                served: vec![
                    "prod-shop-order-v2 → order".into(),
                    "prod-shop-quote-v2 → quote".into(),
                    "checkout → order".into(),
                ],
            })
        );
        assert_eq!(
            chosen(&shop().function("nope", "x"), "x")
                .unwrap_err()
                .to_string(),
            "no method `nope` among the handlers: order, quote"
        );
    }

    #[test]
    fn the_environment_names_the_method_or_the_stage() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        let by_method = shop().env_lookup(env(&[("LAMBDA_REMOTE_METHOD", "quote")]));
        assert_eq!(chosen(&by_method, "anything"), Ok("quote"));
        let staged = shop().env_lookup(env(&[("LAMBDA_REMOTE_FUNCTION_PREFIX", "dev-")]));
        assert_eq!(chosen(&staged, "dev-shop-order"), Ok("order"));
        let builder_wins = shop()
            .function_prefix("prod-")
            .env_lookup(env(&[("LAMBDA_REMOTE_FUNCTION_PREFIX", "dev-")]));
        assert_eq!(chosen(&builder_wins, "prod-shop-order"), Ok("order"));
        let message = chosen(&shop(), "other").unwrap_err().to_string();
        assert_eq!(
            message,
            "no method serves the Lambda function `other`: this binary serves \
             shop-order → order, shop-quote → quote"
        );
    }
}
