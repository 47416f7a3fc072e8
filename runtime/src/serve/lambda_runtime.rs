//! Serving a contract's method as a Lambda function on the real `lambda_runtime`.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use lambda_runtime::{Diagnostic, FunctionResponse, LambdaEvent, LambdaInvocation, service_fn};
use serde_json::value::RawValue;

use crate::error::object::ErrorObject;
use crate::serve::context::InvocationContext;
pub use crate::serve::dispatch::{Dispatch, DispatchError};
use crate::serve::method::{
    Answered, INVOKE_ERROR_TYPE, MethodHandler, ResponseChunks, Runner, Whole,
};

pub use lambda_runtime;

/// `lambda_runtime`'s `tracing`: its default subscriber, `init_default_subscriber()`, writes
/// what the function logs as CloudWatch reads it — JSON lines when Lambda sets
/// `AWS_LAMBDA_LOG_FORMAT=JSON`, at the level of `AWS_LAMBDA_LOG_LEVEL` (else `RUST_LOG`, else
/// INFO). Feature `server-tracing`.
#[cfg(feature = "server-tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "server-tracing")))]
pub use lambda_runtime::tracing;

/// The error `run` returns when the runtime itself fails.
pub type Error = lambda_runtime::Error;

/// `lambda_runtime::run_concurrent` serving `$handler`, each invocation answered by
/// `$answer(handler, context, payload)`, with the payload kept as it came (see `KeepPayloads`).
/// (A macro: the two answers' types differ, and `lambda_runtime`'s bounds on them are long.)
macro_rules! serve {
    ($handler:expr, $answer:path) => {
        async move {
            let handler: MethodHandler = $handler;
            let payloads = Payloads::default();
            let keep = KeepPayloads(payloads.clone());
            let service = service_fn(move |event: LambdaEvent<()>| {
                let (handler, payload) =
                    (handler.clone(), payloads.take(&event.context.request_id));
                // Boxed: `lambda_runtime`'s layers move the future they are given by value, and
                // the answer's (the invocation's context, its span, the method's future) is
                // large; the copies cost more than the allocation (BENCHMARKS.md, "Function
                // side (issue 22)").
                Box::pin(async move { $answer(&handler, event.context, payload?).await })
            });
            lambda_runtime::Runtime::new(service)
                .layer(keep)
                .layer(lambda_runtime::layers::TracingLayer::new())
                .layer(Flushing)
                .run_concurrent()
                .await
        }
    };
}

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
    (handler.runner())(handler).await
}

/// [`run`] for the methods of a contract that never streams: `lambda_runtime` is given the
/// result as raw JSON and compiles no streaming response of ours (with it, the served stream's
/// context, its chunks and its error trailer: ~67 KB of a served binary, BENCHMARKS.md,
/// "Function side (issue 22)").
pub(crate) const WHOLE: Runner = |handler| Box::pin(serve!(handler, respond_whole));

/// [`run`] for any method: whole results as raw JSON, a streaming method's chunks as
/// `lambda_runtime`'s streaming response. One service answers both: `lambda_runtime`'s loop
/// is generic over it, and is compiled once per binary instead of once per kind of answer.
pub(crate) const ANY: Runner = |handler| Box::pin(serve!(handler, respond));

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
#[derive(Clone)]
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

/// The payloads of the invocations in flight, as the Runtime API delivered them, by request
/// id. Usually one (`lambda_runtime` serves one invocation at a time unless it runs
/// concurrently), so a short list: a hash map's hashing and its number written and parsed as the
/// event cost more than serving a small payload otherwise does (BENCHMARKS.md, "Function side
/// (issue 22)").
#[derive(Clone, Default)]
struct Payloads {
    waiting: Arc<Mutex<Vec<(String, Bytes)>>>,
}

impl Payloads {
    fn put(&self, request_id: &str, payload: Bytes) {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((request_id.to_owned(), payload));
    }

    /// The payload put under `request_id`, once.
    fn take(&self, request_id: &str) -> Result<Bytes, Diagnostic> {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match waiting.iter().position(|(id, _)| id == request_id) {
            Some(at) => Ok(waiting.swap_remove(at).1),
            None => Err(diagnostic(ErrorObject::new(
                INVOKE_ERROR_TYPE,
                format!("no payload was kept for invocation {request_id}"),
            ))),
        }
    }
}

/// A layer over `lambda_runtime`'s invocations that takes each payload out before
/// `lambda_runtime` decodes it (it decodes `null` instead), for the handler to take back by the
/// invocation's request id. Decoding is
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

/// The service [`KeepPayloads`] wraps around `lambda_runtime`'s (cloned once per concurrent
/// worker; the payloads are shared).
#[derive(Clone)]
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
        let payload = std::mem::replace(&mut invocation.body, Bytes::from_static(b"null"));
        self.payloads.put(&invocation.context.request_id, payload);
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

impl Dispatch {
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

/// The invocation's context as lambda-remote gives it to a served method (its strings moved,
/// not copied: each copy was an allocation per invocation).
fn invocation_context(context: lambda_runtime::Context) -> InvocationContext {
    let deadline = context.deadline();
    let mut invocation = InvocationContext::new(context.request_id, context.invoked_function_arn)
        .with_runtime_deadline(deadline)
        .with_own_xray(context.xray_trace_id)
        .with_memory_mib(u32::try_from(context.env_config.memory).ok());
    if let Some(tenant_id) = context.tenant_id {
        invocation = invocation.with_tenant_id(tenant_id);
    }
    if let Some(client_context) = &context.client_context {
        invocation = invocation.with_runtime_client_context(
            &client_context.custom,
            serde_json::to_string(client_context).ok(),
        );
    }
    invocation
}

/// What one invocation answers: the result as raw JSON, or a streaming method's chunks.
type Response = lambda_runtime::FunctionResponse<Box<RawValue>, Chunks>;

/// Answers one payload: the result as raw JSON, a streaming method's chunks as
/// `lambda_runtime`'s streaming response, or a diagnostic (before the first chunk).
async fn respond(
    handler: &MethodHandler,
    context: lambda_runtime::Context,
    payload: Bytes,
) -> Result<Response, Diagnostic> {
    let context = invocation_context(context);
    match handler.answered_in(context, payload).await {
        Answered::Whole(Ok(Whole::Json(json))) => Ok(FunctionResponse::BufferedResponse(json)),
        Answered::Whole(Ok(Whole::Bytes(bytes))) => {
            raw_json(bytes).map(FunctionResponse::BufferedResponse)
        }
        Answered::Whole(Err(object)) => Err(diagnostic(object)),
        Answered::Streamed(chunks) => Ok(FunctionResponse::StreamingResponse(
            lambda_runtime::StreamResponse {
                metadata_prelude: Default::default(),
                stream: Chunks(chunks),
            },
        )),
    }
}

/// Answers one payload of a method that does not stream: the result as raw JSON, or a
/// diagnostic.
async fn respond_whole(
    handler: &MethodHandler,
    context: lambda_runtime::Context,
    payload: Bytes,
) -> Result<Box<RawValue>, Diagnostic> {
    let context = invocation_context(context);
    match handler.answered_whole_in(context, payload).await {
        Ok(Whole::Json(json)) => Ok(json),
        Ok(Whole::Bytes(bytes)) => raw_json(bytes),
        Err(object) => Err(diagnostic(object)),
    }
}

/// A whole result a handler built by hand gave, as the raw JSON `lambda_runtime` sends: checked.
fn raw_json(bytes: Vec<u8>) -> Result<Box<RawValue>, Diagnostic> {
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

/// A streaming method's chunks as `lambda_runtime` sends them: an error ends the stream.
struct Chunks(ResponseChunks);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, StreamFailure>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map_err(StreamFailure::from)))
    }
}

/// The error a served stream ends with, as `lambda_runtime` sends it after the last chunk:
/// its `Display` is the error object (type, message and fields, as in a diagnostic), which
/// the client reads back into the typed error.
#[derive(Debug)]
struct StreamFailure(String);

impl From<ErrorObject> for StreamFailure {
    fn from(object: ErrorObject) -> Self {
        // `errorType` first, as runtimes send it; written without a `Value`.
        #[derive(serde::Serialize)]
        struct Body<'a> {
            #[serde(rename = "errorType")]
            error_type: &'a str,
            #[serde(rename = "errorMessage")]
            error_message: String,
        }
        let body = Body {
            error_type: object.error_type().unwrap_or(INVOKE_ERROR_TYPE),
            error_message: object.diagnostic_message(),
        };
        // Two strings always serialize.
        Self(serde_json::to_string(&body).unwrap_or_default())
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
        match respond(&handler, context.clone(), Bytes::from_static(b"1")).await {
            Ok(FunctionResponse::BufferedResponse(ok)) => assert_eq!(ok.get(), r#"{"ok":true}"#),
            _ => panic!("a whole answer"),
        }
        let Err(error) = respond(&handler, context.clone(), Bytes::from_static(b"2")).await else {
            panic!("a diagnostic");
        };
        assert_eq!(error.error_type, "Bad");
        assert_eq!(error.error_message, "no");
    }

    #[test]
    fn the_client_context_reads_as_it_did_through_a_json_value() {
        const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let mut context = lambda_runtime::Context::default();
        context.xray_trace_id = Some("Root=1-5759e988-bd862e3fe1be46a994272793".into());
        context.client_context = serde_json::from_value(serde_json::json!({
            "client": {"installation_id": "i-1", "app_title": "shop", "app_version_name": "1",
                "app_version_code": "2", "app_package_name": "p"},
            "custom": {"tenant": "acme", "traceparent": PARENT, "tracestate": "k=v",
                "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000001",
                "lambda-remote-remaining-ms": "60000"},
            "env": {"locale": "en"},
        }))
        .unwrap();
        // What the context read when the client context was made a `serde_json::Value` first.
        let as_value = serde_json::to_value(context.client_context.as_ref().unwrap()).unwrap();
        let before = InvocationContext::new("r", "arn").with_client_context(as_value.clone());
        let invocation = invocation_context(context.clone());
        assert_eq!(invocation.client_context(), Some(&as_value));
        assert_eq!(
            invocation.client_context().unwrap()["custom"]["tenant"],
            "acme"
        );
        assert_eq!(invocation.trace(), before.trace());
        assert_eq!(invocation.trace().traceparent(), Some(PARENT));
        assert_eq!(invocation.trace().tracestate(), Some("k=v"));
        assert_eq!(
            invocation.trace().xray_trace_id(),
            Some("Root=1-00000000-000000000000000000000001")
        );
        let left = invocation
            .caller_deadline()
            .expect("the caller's budget")
            .duration_since(std::time::SystemTime::now())
            .unwrap();
        assert!(
            left <= std::time::Duration::from_secs(60) && left > std::time::Duration::from_secs(50)
        );
        // A clone reads the same JSON; without a client context there is none.
        assert_eq!(invocation.clone().client_context(), Some(&as_value));
        context.client_context = None;
        let bare = invocation_context(context);
        assert_eq!(bare.client_context(), None);
        assert!(bare.trace().is_empty());
        assert_eq!(bare.caller_deadline(), None);
    }

    #[test]
    fn the_context_carries_the_tenant_and_only_a_deadline_that_can_be_true() {
        let mut context = lambda_runtime::Context::default();
        context.tenant_id = Some("blue/eu-1".into());
        // `cargo lambda watch` 1.9.2 sends the timeout, 600000, as the deadline.
        context.deadline = 600_000;
        let invocation = invocation_context(context.clone());
        assert_eq!(invocation.tenant_id(), Some("blue/eu-1"));
        assert_eq!(invocation.deadline(), None);
        let in_a_minute = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        context.deadline = in_a_minute
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let deadline = invocation_context(context.clone())
            .deadline()
            .expect("a deadline");
        assert_eq!(deadline, lambda_runtime::Context::deadline(&context));
        context.tenant_id = None;
        assert_eq!(invocation_context(context.clone()).tenant_id(), None);
    }
}
