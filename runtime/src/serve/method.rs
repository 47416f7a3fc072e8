//! The function's side of a contract: one trait method, bound to an implementation, answering
//! raw payloads exactly as the generated client encodes them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use crate::error::InvokeError;
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::serve::context::InvocationContext;
use crate::spec::MethodSpec;

/// The `errorType` of a payload the function could not decode: not JSON at all (an empty
/// body, stray bytes) or JSON of another shape. Beside its message, the error object carries
/// what could not be read: `payloadLength` (the payload's size in bytes) and its first 4 KiB,
/// as `payload` (text) when they are UTF-8, else as `payloadBase64`.
pub const PAYLOAD_ERROR_TYPE: &str = "lambda_remote::PayloadError";

/// The `errorType` of an [`InvokeError`] other than a function error, returned by a function.
pub const INVOKE_ERROR_TYPE: &str = "lambda_remote::InvokeError";

/// The error object of a typed function error: its `errorType`, its own message or its
/// `Display`, and its fields.
pub(crate) fn function_error_object<E: FunctionError + fmt::Display>(error: &E) -> ErrorObject {
    ErrorObject::from_parts(
        &error.error_type(),
        error.error_message().unwrap_or_else(|| error.to_string()),
        error
            .error_fields_json()
            .as_deref()
            .map(serde_json::value::RawValue::get),
    )
}

/// The error object a function returning `error` answers with. A typed function error keeps
/// its type and fields; an unmapped one is relayed as it came; any other failure is sent as
/// [`INVOKE_ERROR_TYPE`] with its message, so the caller sees an unmapped function error.
pub(crate) fn invoke_error_object<E: FunctionError + fmt::Display>(
    error: &InvokeError<E>,
) -> ErrorObject {
    match error {
        InvokeError::Function { error, .. } => function_error_object(error),
        InvokeError::UnmappedFunction(failure) => {
            let object = failure.object();
            ErrorObject::from_parts(
                object.error_type().unwrap_or(INVOKE_ERROR_TYPE),
                object
                    .error_message()
                    .map(str::to_owned)
                    .unwrap_or_else(|| String::from_utf8_lossy(object.raw()).into_owned()),
                object.fields_json(),
            )
        }
        other => {
            let mut message = other.to_string();
            if let Some(source) = other.untyped_source() {
                message.push_str(": ");
                message.push_str(&chain(source));
            }
            ErrorObject::new(INVOKE_ERROR_TYPE, message)
        }
    }
}

/// An error and its sources, joined by `: `.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

type HandleFn =
    dyn Fn(Bytes) -> Pin<Box<dyn Future<Output = Result<Whole, ErrorObject>> + Send>> + Send + Sync;

/// A whole result: the bytes a handler built by hand gives, or the JSON the generated code
/// encoded, which `lambda_runtime` sends as it is (bytes it would check are JSON first: that
/// check was a sixth of what serving cost besides the method's own work, BENCHMARKS.md,
/// "Function side (issue 22)").
pub(crate) enum Whole {
    Bytes(Vec<u8>),
    Json(Box<serde_json::value::RawValue>),
}

impl Whole {
    /// The result's bytes (no copy).
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self {
            Self::Bytes(bytes) => bytes,
            Self::Json(json) => Box::<str>::from(json).into_string().into_bytes(),
        }
    }
}

/// What a served method answered, its whole result kept as it came (see [`Whole`]).
pub(crate) enum Answered {
    Whole(Result<Whole, ErrorObject>),
    Streamed(ResponseChunks),
}

type StreamFn = dyn Fn(Bytes) -> Pin<Box<dyn Future<Output = Result<ResponseChunks, ErrorObject>> + Send>>
    + Send
    + Sync;

/// The chunks a served streaming method sends, in order; an `Err` is the error the function
/// ends its stream with (nothing follows it).
pub struct ResponseChunks(Pin<Box<dyn Stream<Item = Result<Bytes, ErrorObject>> + Send>>);

impl ResponseChunks {
    /// The chunks `stream` yields.
    pub fn new(stream: impl Stream<Item = Result<Bytes, ErrorObject>> + Send + 'static) -> Self {
        Self(Box::pin(stream))
    }

    /// Reads every chunk into one buffer: what a streaming method answers to a caller that
    /// does not stream (Lambda's `Invoke`).
    pub async fn collect(mut self) -> Result<Vec<u8>, ErrorObject> {
        let mut all = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl Stream for ResponseChunks {
    type Item = Result<Bytes, ErrorObject>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ResponseChunks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseChunks")
    }
}

/// What a served method answers, as it produces it: a whole answer, or a stream of chunks
/// (a `#[lambda(invocation = "stream")]` method).
#[derive(Debug)]
pub enum Answer {
    /// The result's JSON bytes, or an error object.
    Buffered(Result<Vec<u8>, ErrorObject>),
    /// The response's chunks; an error before the first one is `Buffered(Err(…))`.
    Streamed(ResponseChunks),
}

#[derive(Clone)]
enum Handle {
    Buffered(Arc<HandleFn>),
    Streamed(Arc<StreamFn>),
}

/// One method of a `#[lambda_remote(server)]` trait bound to an implementation: give it to
/// `lambda_remote::server::run` to serve it on `lambda_runtime`, or to
/// `LocalLambdaBuilder::serve` to serve it on the local endpoint.
#[derive(Clone)]
pub struct MethodHandler {
    spec: MethodSpec,
    handle: Handle,
    #[cfg(feature = "idempotency")]
    idempotency: Option<crate::idempotency::Idempotency>,
    #[cfg(feature = "claim-check")]
    claim_check: Option<crate::claim_check::ClaimCheck>,
    /// Whether no invocation was answered yet (`faas.coldstart`), shared by its clones.
    cold: Arc<std::sync::atomic::AtomicBool>,
    /// How `server::run` serves it on `lambda_runtime`: chosen where the handler is built, so
    /// that a binary whose handlers never stream compiles no streaming answer at all.
    #[cfg_attr(not(feature = "server"), allow(dead_code))] // read by `server::run` only
    runner: Runner,
}

/// How `server::run` serves a handler, chosen where the handler is built (`serve::build`):
/// the way for handlers that never stream, or the way for any (feature `server`; nothing
/// without it). `lambda_runtime::Error` is this boxed error.
#[cfg(feature = "server")]
pub(crate) type Runner = fn(
    MethodHandler,
) -> Pin<
    Box<dyn Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Send>,
>;
#[cfg(not(feature = "server"))]
pub(crate) type Runner = ();

impl MethodHandler {
    /// A handler for `spec`, served by `runner` (see `serve::build`, where the public
    /// constructors choose it).
    fn with_handle(spec: MethodSpec, handle: Handle, runner: Runner) -> Self {
        Self {
            spec,
            handle,
            #[cfg(feature = "idempotency")]
            idempotency: None,
            #[cfg(feature = "claim-check")]
            claim_check: None,
            cold: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            runner,
        }
    }

    /// A handler for `spec` answering with the bytes `handle` gives.
    pub(crate) fn buffered<F, Fut>(spec: MethodSpec, runner: Runner, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<u8>, ErrorObject>> + Send + 'static,
    {
        let handle = Handle::Buffered(Arc::new(move |payload| {
            let answer = handle(payload);
            Box::pin(async move { answer.await.map(Whole::Bytes) })
        }));
        Self::with_handle(spec, handle, runner)
    }

    /// A handler for `spec` answering with the JSON `handle` encodes (the generated server's).
    pub(crate) fn json<F, Fut>(spec: MethodSpec, runner: Runner, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut:
            Future<Output = Result<Box<serde_json::value::RawValue>, ErrorObject>> + Send + 'static,
    {
        let handle = Handle::Buffered(Arc::new(move |payload| {
            let answer = handle(payload);
            Box::pin(async move { answer.await.map(Whole::Json) })
        }));
        Self::with_handle(spec, handle, runner)
    }

    /// A handler for the streaming method `spec`, answering with the chunks `handle` gives
    /// (or an error object before the first).
    pub(crate) fn streamed<F, Fut>(spec: MethodSpec, runner: Runner, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ResponseChunks, ErrorObject>> + Send + 'static,
    {
        let handle = Handle::Streamed(Arc::new(move |payload| Box::pin(handle(payload))));
        Self::with_handle(spec, handle, runner)
    }

    /// Deduplicates the method's keyed calls (`#[lambda(idempotency_key = "…")]`) as
    /// `idempotency` says (feature `idempotency`). A keyed method served without it answers
    /// every call with [`NOT_CONFIGURED_ERROR_TYPE`](crate::idempotency::NOT_CONFIGURED_ERROR_TYPE)
    /// and does not run; a method without a key ignores it.
    #[cfg(feature = "idempotency")]
    pub fn idempotency(mut self, idempotency: crate::idempotency::Idempotency) -> Self {
        self.idempotency = Some(idempotency);
        self
    }

    /// Runs a buffered answer with what the idempotency hook reads.
    fn served<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "idempotency")]
        {
            crate::idempotency::scope(
                crate::idempotency::Served {
                    config: self.idempotency.clone(),
                    function: self.spec.function,
                },
                future,
            )
        }
        #[cfg(not(feature = "idempotency"))]
        {
            future
        }
    }

    /// Reads request envelopes from `claim_check` before the method runs, and answers a
    /// synchronous result over its threshold (6 MB by default) through it
    /// ([`claim_check`](crate::claim_check)). Configure it like the client's: the same
    /// bucket and key prefix.
    #[cfg(feature = "claim-check")]
    #[cfg_attr(docsrs, doc(cfg(feature = "claim-check")))]
    pub fn with_claim_check(mut self, claim_check: crate::claim_check::ClaimCheck) -> Self {
        self.claim_check = Some(claim_check);
        self
    }

    /// The method's static description (its default function name, invocation type, …).
    pub fn spec(&self) -> &MethodSpec {
        &self.spec
    }

    /// Whether the method streams its response.
    pub fn is_streaming(&self) -> bool {
        matches!(self.handle, Handle::Streamed(_))
    }

    /// Answers one payload, outside any invocation: [`InvocationContext::current`] is `None`
    /// in the method. A streaming method's chunks are read into one answer.
    pub async fn call(&self, payload: Bytes) -> Result<Vec<u8>, ErrorObject> {
        match &self.handle {
            Handle::Buffered(handle) => self.served(handle(payload)).await.map(Whole::into_bytes),
            Handle::Streamed(handle) => handle(payload).await?.collect().await,
        }
    }

    /// Answers one payload of the invocation `context`: the method reads it with
    /// [`InvocationContext::current`], the calls it makes carry the caller's trace on, and it
    /// runs in a `lambda.serve` span (the guide's observability chapter). A streaming method's chunks are read
    /// into one answer (as Lambda answers `Invoke` on a streaming function).
    pub async fn call_in(
        &self,
        context: InvocationContext,
        payload: Bytes,
    ) -> Result<Vec<u8>, ErrorObject> {
        match self.answer_in(context, payload).await {
            Answer::Buffered(answer) => answer,
            Answer::Streamed(chunks) => chunks.collect().await,
        }
    }

    /// Like [`call_in`](Self::call_in), a streaming method's chunks as they come: the method's
    /// stream is polled with the invocation's context and span, as the method itself.
    pub async fn answer_in(&self, context: InvocationContext, payload: Bytes) -> Answer {
        match self.answered_in(context, payload).await {
            Answered::Whole(answer) => Answer::Buffered(answer.map(Whole::into_bytes)),
            Answered::Streamed(chunks) => Answer::Streamed(chunks),
        }
    }

    /// Like [`answer_in`](Self::answer_in), the whole result kept as it came.
    pub(crate) async fn answered_in(&self, context: InvocationContext, payload: Bytes) -> Answered {
        match &self.handle {
            Handle::Buffered(handle) => {
                Answered::Whole(self.whole_in(&**handle, context, payload).await)
            }
            Handle::Streamed(handle) => self.streamed_in(&**handle, context, payload).await,
        }
    }

    /// Like [`answered_in`](Self::answered_in), for a method that does not stream: no
    /// streaming answer is compiled with it (a streaming method's handler answers with an
    /// error, which `server::run` never asks of it).
    #[cfg(feature = "server")]
    pub(crate) async fn answered_whole_in(
        &self,
        context: InvocationContext,
        payload: Bytes,
    ) -> Result<Whole, ErrorObject> {
        match &self.handle {
            Handle::Buffered(handle) => self.whole_in(&**handle, context, payload).await,
            Handle::Streamed(_) => Err(ErrorObject::new(
                INVOKE_ERROR_TYPE,
                format!(
                    "`{}` streams its response but was served as a method that does not",
                    self.spec.method
                ),
            )),
        }
    }

    /// What every answer begins with: the invocation's span (cold start recorded) and when it
    /// began.
    fn begin(&self, context: &InvocationContext) -> (tracing::Span, std::time::Instant) {
        let coldstart = self.cold.swap(false, std::sync::atomic::Ordering::Relaxed);
        let span = crate::serve::span::serving_span(&self.spec, context, coldstart);
        (span, std::time::Instant::now())
    }

    /// The payload, a claim-check envelope read back first (the method does not run when it
    /// cannot be: the failure is recorded on the span).
    #[cfg(feature = "claim-check")]
    async fn claim_checked(
        &self,
        span: &tracing::Span,
        began: std::time::Instant,
        tenant: Option<&str>,
        payload: Bytes,
    ) -> Result<Bytes, ErrorObject> {
        let Some(fetch) = crate::claim_check::serve::request(
            self.claim_check.as_ref(),
            &self.spec,
            tenant,
            &payload,
        ) else {
            return Ok(payload);
        };
        let fetched = tracing::Instrument::instrument(fetch, span.clone()).await;
        if let Err(object) = &fetched {
            crate::serve::span::record_served(span, Some(object), self.spec.method, began);
        }
        fetched
    }

    /// A buffered method's answer.
    async fn whole_in(
        &self,
        handle: &HandleFn,
        context: InvocationContext,
        payload: Bytes,
    ) -> Result<Whole, ErrorObject> {
        let (span, began) = self.begin(&context);
        #[cfg(feature = "claim-check")]
        let tenant = context.tenant_id().map(str::to_owned);
        #[cfg(feature = "claim-check")]
        let payload = self
            .claim_checked(&span, began, tenant.as_deref(), payload)
            .await?;
        #[cfg_attr(not(feature = "claim-check"), allow(unused_mut))]
        let mut answer = tracing::Instrument::instrument(
            context.scope(self.served(handle(payload))),
            span.clone(),
        )
        .await;
        // A result over the threshold goes to S3 and its envelope is answered instead (the
        // claim check works on the result's bytes: taking them copies nothing).
        #[cfg(feature = "claim-check")]
        if self.claim_check.is_some() {
            let mut bytes = answer.map(Whole::into_bytes);
            if let Some(store) = crate::claim_check::serve::result(
                self.claim_check.as_ref(),
                &self.spec,
                tenant.as_deref(),
                &mut bytes,
            ) {
                bytes = tracing::Instrument::instrument(store, span.clone()).await;
            }
            answer = bytes.map(Whole::Bytes);
        }
        crate::serve::span::record_served(&span, answer.as_ref().err(), self.spec.method, began);
        answer
    }

    /// A streaming method's answer: its chunks, or an error object before the first.
    async fn streamed_in(
        &self,
        handle: &StreamFn,
        context: InvocationContext,
        payload: Bytes,
    ) -> Answered {
        let (span, began) = self.begin(&context);
        #[cfg(feature = "claim-check")]
        let payload = match self
            .claim_checked(&span, began, context.tenant_id(), payload)
            .await
        {
            Ok(payload) => payload,
            Err(object) => return Answered::Whole(Err(object)),
        };
        let method = self.spec.method;
        let started =
            tracing::Instrument::instrument(context.clone().scope(handle(payload)), span.clone())
                .await;
        match started {
            Ok(chunks) => Answered::Streamed(ResponseChunks::new(InContext {
                chunks,
                context,
                span,
                ended: false,
                method,
                began,
            })),
            Err(object) => {
                crate::serve::span::record_served(&span, Some(&object), method, began);
                Answered::Whole(Err(object))
            }
        }
    }

    /// How `server::run` serves this handler.
    #[cfg(feature = "server")]
    pub(crate) fn runner(&self) -> Runner {
        self.runner
    }
}

/// A served stream polled inside its invocation's context and span; a panic while polling
/// ends it with the error object `lambda_runtime` gives a panic, instead of cutting it short.
struct InContext {
    chunks: ResponseChunks,
    context: InvocationContext,
    span: tracing::Span,
    ended: bool,
    method: &'static str,
    began: std::time::Instant,
}

/// The `errorType` `lambda_runtime` gives a panic.
pub(crate) const PANIC_ERROR_TYPE: &str =
    "&alloc::boxed::Box<dyn core::any::Any + core::marker::Send>";

/// A panic as `lambda_runtime` reports it: `Lambda panicked: <message>`.
pub(crate) fn panic_object(panic: &(dyn std::any::Any + Send)) -> ErrorObject {
    let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => format!("Lambda panicked: {message}"),
        (_, Some(message)) => format!("Lambda panicked: {message}"),
        _ => "Lambda panicked".to_owned(),
    };
    ErrorObject::new(PANIC_ERROR_TYPE, message)
}

impl Stream for InContext {
    type Item = Result<Bytes, ErrorObject>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let _entered = this.span.enter();
        let chunks = &mut this.chunks;
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            this.context
                .clone()
                .sync_scope(|| Pin::new(chunks).poll_next(cx))
        }))
        .unwrap_or_else(|panic| Poll::Ready(Some(Err(panic_object(&*panic)))));
        if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
            this.ended = true;
        }
        match &polled {
            Poll::Ready(Some(Err(object))) => {
                crate::serve::span::record_served(&this.span, Some(object), this.method, this.began)
            }
            Poll::Ready(None) => {
                crate::serve::span::record_served(&this.span, None, this.method, this.began)
            }
            _ => {}
        }
        polled
    }
}

impl fmt::Debug for MethodHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodHandler")
            .field("method", &self.spec.method)
            .field("function", &self.spec.function)
            .finish_non_exhaustive()
    }
}

/// How much of a payload that could not be decoded its [`PAYLOAD_ERROR_TYPE`] error carries
/// (the error object must stay under Lambda's 6 MB response limit).
pub(crate) const PAYLOAD_EXCERPT_LIMIT: usize = 4096;

/// Decodes a payload as the client encoded it; an empty payload reads as `null`.
///
/// A payload that does not decode (not JSON at all, or JSON of another shape) is a
/// [`PAYLOAD_ERROR_TYPE`] error object with what could not be read: `payloadLength` (its size
/// in bytes) and its first [`PAYLOAD_EXCERPT_LIMIT`] bytes, as `payload` (text) when they are
/// UTF-8, else as `payloadBase64`.
pub(crate) fn decode_payload<T: serde::de::DeserializeOwned>(
    method: &str,
    payload: &[u8],
) -> Result<T, ErrorObject> {
    let bytes: &[u8] = if payload.is_empty() { b"null" } else { payload };
    serde_json::from_slice(bytes).map_err(|e| {
        let reason = if payload.is_empty() {
            // The position is in the `null` read in its place: not worth showing.
            let text = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            let text = text.strip_suffix(&position).unwrap_or(&text);
            format!("the payload is empty (read as null): {text}")
        } else {
            e.to_string()
        };
        ErrorObject::from_parts(
            PAYLOAD_ERROR_TYPE,
            format!("could not decode the payload of `{method}`: {reason}"),
            Some(&unread_payload(payload)),
        )
    })
}

/// The fields of a payload error that carry the payload: `payloadLength` and its first
/// [`PAYLOAD_EXCERPT_LIMIT`] bytes (`payload` as text, or `payloadBase64`), as one JSON object.
fn unread_payload(payload: &[u8]) -> String {
    #[derive(serde::Serialize)]
    struct Unread<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<&'a str>,
        #[serde(rename = "payloadBase64", skip_serializing_if = "Option::is_none")]
        payload_base64: Option<String>,
        #[serde(rename = "payloadLength")]
        payload_length: usize,
    }
    let excerpt = &payload[..payload.len().min(PAYLOAD_EXCERPT_LIMIT)];
    // A character cut in two by the limit is left out; any other invalid byte sends the
    // excerpt as base64.
    let text = match std::str::from_utf8(excerpt) {
        Ok(text) => Some(text),
        Err(e) if e.error_len().is_none() && excerpt.len() < payload.len() => {
            std::str::from_utf8(&excerpt[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    let unread = Unread {
        payload: text,
        payload_base64: text
            .is_none()
            .then(|| aws_smithy_types::base64::encode(excerpt)),
        payload_length: payload.len(),
    };
    // Strings and a number always serialize.
    serde_json::to_string(&unread).unwrap_or_default()
}

/// Encodes a method's result as the client decodes it.
pub(crate) fn encode_result<T, E>(
    method: &str,
    result: Result<T, InvokeError<E>>,
) -> Result<Box<serde_json::value::RawValue>, ErrorObject>
where
    T: serde::Serialize,
    E: FunctionError + fmt::Display,
{
    match result {
        Ok(value) => serde_json::value::to_raw_value(&value).map_err(|e| {
            ErrorObject::new(
                PAYLOAD_ERROR_TYPE,
                format!("could not encode the result of `{method}`: {e}"),
            )
        }),
        Err(error) => Err(invoke_error_object(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};
    use std::borrow::Cow;

    #[derive(Debug, PartialEq)]
    struct Limit {
        limit: u64,
    }

    impl fmt::Display for Limit {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "over {}", self.limit)
        }
    }

    impl FunctionError for Limit {
        fn from_error_object(object: &ErrorObject) -> Option<Self> {
            #[derive(serde::Deserialize)]
            struct Fields {
                limit: u64,
            }
            let fields = object.deserialize_details::<Fields>().ok()?;
            Some(Limit {
                limit: fields.limit,
            })
        }
        fn error_type(&self) -> Cow<'_, str> {
            "Limit".into()
        }
        fn error_fields(&self) -> Map<String, Value> {
            let mut map = Map::new();
            map.insert("limit".into(), self.limit.into());
            map
        }
    }

    #[test]
    fn typed_errors_become_error_objects_with_fields() {
        let object = function_error_object(&Limit { limit: 5 });
        assert_eq!(
            object.json().unwrap(),
            serde_json::json!({"errorType": "Limit", "errorMessage": "over 5", "limit": 5})
        );
        assert_eq!(Limit::from_error_object(&object), Some(Limit { limit: 5 }));
    }

    #[test]
    fn fields_survive_a_runtime_that_sends_only_type_and_message() {
        // `Limit`'s fields are all required; `ErrorObject`'s own tests cover optional ones.
        let body = function_error_object(&Limit { limit: 7 });
        let diagnostic = serde_json::json!({
            "errorType": body.error_type(),
            "errorMessage": body.diagnostic_message(),
        });
        let object = ErrorObject::from_bytes(diagnostic.to_string());
        assert_eq!(Limit::from_error_object(&object), Some(Limit { limit: 7 }));
        assert_eq!(ErrorObject::new("T", "plain").diagnostic_message(), "plain");
    }

    #[test]
    fn payloads_decode_as_encoded_and_failures_are_payload_errors() {
        assert_eq!(decode_payload::<u32>("m", b"7").unwrap(), 7);
        assert_eq!(decode_payload::<Option<u32>>("m", b"").unwrap(), None);
        let error = decode_payload::<u32>("m", b"\"x\"").unwrap_err();
        assert_eq!(error.error_type(), Some(PAYLOAD_ERROR_TYPE));
        assert!(error.error_message().unwrap().contains("`m`"));
    }

    /// The error's JSON beside its message.
    fn fields_of_error<T: serde::de::DeserializeOwned + fmt::Debug>(payload: &[u8]) -> Value {
        let error = decode_payload::<T>("m", payload).unwrap_err();
        assert_eq!(error.error_type(), Some(PAYLOAD_ERROR_TYPE));
        Value::Object(error.fields())
    }

    #[test]
    fn a_payload_error_carries_what_could_not_be_read() {
        // JSON of another shape, stray bytes, an empty body, bytes that are not UTF-8.
        assert_eq!(
            fields_of_error::<u32>(b"\"x\""),
            serde_json::json!({"payload": "\"x\"", "payloadLength": 3})
        );
        assert_eq!(
            fields_of_error::<u32>(b"not json"),
            serde_json::json!({"payload": "not json", "payloadLength": 8})
        );
        let empty = decode_payload::<u32>("m", b"").unwrap_err();
        assert_eq!(
            empty.error_message(),
            Some(
                "could not decode the payload of `m`: the payload is empty (read as null): \
                  invalid type: null, expected u32"
            )
        );
        assert_eq!(
            Value::Object(empty.fields()),
            serde_json::json!({"payload": "", "payloadLength": 0})
        );
        assert_eq!(
            fields_of_error::<u32>(b"\xff\xfe7"),
            serde_json::json!({"payloadBase64": "//43", "payloadLength": 3})
        );
        // A long payload: its first bytes, and its length; a character cut by the limit is
        // left out.
        let mut long = vec![b'['; PAYLOAD_EXCERPT_LIMIT - 1];
        long.extend("é]".as_bytes());
        let fields = fields_of_error::<u32>(&long);
        assert_eq!(
            fields["payload"].as_str().unwrap().as_bytes(),
            &long[..PAYLOAD_EXCERPT_LIMIT - 1]
        );
        assert_eq!(fields["payloadLength"], PAYLOAD_EXCERPT_LIMIT + 2);
    }

    #[test]
    fn results_encode_and_other_errors_are_relayed_as_invoke_errors() {
        let ok: Result<u8, InvokeError<Limit>> = Ok(3);
        assert_eq!(encode_result("m", ok).unwrap().get(), "3");
        let typed: Result<u8, InvokeError<Limit>> = Err(Limit { limit: 1 }.into());
        assert_eq!(
            encode_result("m", typed).unwrap_err().error_type(),
            Some("Limit")
        );
        let rejected: Result<u8, InvokeError<Limit>> = Err(InvokeError::Rejected(Box::new(
            crate::error::Rejected::ClientContext("bad".into()),
        )));
        let body = encode_result("m", rejected).unwrap_err();
        assert_eq!(body.error_type(), Some(INVOKE_ERROR_TYPE));
        // The error and its sources, each message once.
        assert_eq!(
            body.error_message(),
            Some("request refused before sending: the client context could not be serialized: bad")
        );
    }
}
