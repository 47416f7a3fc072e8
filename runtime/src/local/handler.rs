//! What a registered function is: an async Rust handler and the invocation it receives; it
//! fails with Lambda's error object, [`ErrorObject`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::log::ExecutionLog;
use crate::error::object::ErrorObject;
use crate::invocation::InvocationType;
use crate::serve::context::InvocationContext;
use crate::serve::method::ResponseChunks;

pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = Result<Bytes, ErrorObject>> + Send>>;

type StreamFuture = Pin<Box<dyn Future<Output = Result<ResponseChunks, ErrorObject>> + Send>>;

/// An async function body: takes an [`Invocation`], returns the response payload or a
/// [`ErrorObject`]. Cheap to clone.
///
/// An empty payload is answered as `null`, like a Lambda function that returns nothing. A
/// handler runs in the task that serves the request, under a panic guard that covers the
/// whole call (also a panic before it returns its future): a panic becomes a function error
/// shaped as `lambda_runtime` reports it, not a dead endpoint. A caller that goes away before
/// the handler ends does not stop it: the rest of its run continues as a task of its own,
/// until it ends or the function's timeout.
///
/// A streaming handler ([`Handler::streaming`]) answers with chunks: the endpoint sends them
/// as they come to `InvokeWithResponseStream` callers, and reads them into one payload for
/// `Invoke` callers, as Lambda does.
#[derive(Clone)]
pub struct Handler(Kind);

#[derive(Clone)]
enum Kind {
    Buffered(Arc<dyn Fn(Invocation) -> HandlerFuture + Send + Sync>),
    Streamed(Arc<dyn Fn(Invocation) -> StreamFuture + Send + Sync>),
}

impl Handler {
    /// A handler working on raw bytes.
    pub fn new<F, Fut>(handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Bytes, ErrorObject>> + Send + 'static,
    {
        Self(Kind::Buffered(Arc::new(move |invocation| {
            Box::pin(handler(invocation))
        })))
    }

    /// A handler that streams its response: the chunks it returns are sent as they come;
    /// an `Err` among them ends the stream with that function error.
    pub fn streaming<F, Fut>(handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ResponseChunks, ErrorObject>> + Send + 'static,
    {
        Self(Kind::Streamed(Arc::new(move |invocation| {
            Box::pin(handler(invocation))
        })))
    }

    /// A typed handler: the payload is decoded from JSON into `In` (failing like
    /// `lambda_runtime` does when it cannot) and the `Out` it returns is encoded as JSON. For
    /// the context (log, client context…) use [`Handler::new`] with [`Invocation::json`].
    pub fn json<In, Out, F, Fut>(handler: F) -> Self
    where
        In: DeserializeOwned,
        Out: Serialize,
        F: Fn(In) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Out, ErrorObject>> + Send + 'static,
    {
        Self::new(move |invocation: Invocation| {
            let output = invocation.json::<In>().map(&handler);
            async move {
                let output = output?.await?;
                Ok(Bytes::from(serde_json::to_vec(&output)?))
            }
        })
    }

    /// A handler serving a contract method (from a generated `<Trait>Server`): buffered, or
    /// streaming for a streaming method.
    pub fn serving(method: crate::serve::method::MethodHandler) -> Self {
        if method.is_streaming() {
            return Self::streaming(move |invocation: Invocation| {
                let method = method.clone();
                let payload = Bytes::copy_from_slice(invocation.payload());
                let context = invocation.context();
                async move {
                    match method.answer_in(context, payload).await {
                        crate::serve::method::Answer::Streamed(chunks) => Ok(chunks),
                        crate::serve::method::Answer::Buffered(Ok(body)) => {
                            Ok(ResponseChunks::new(futures_util::stream::iter([Ok(
                                Bytes::from(body),
                            )])))
                        }
                        crate::serve::method::Answer::Buffered(Err(object)) => Err(object),
                    }
                }
            });
        }
        Self::new(move |invocation: Invocation| {
            let method = method.clone();
            let payload = Bytes::copy_from_slice(invocation.payload());
            let context = invocation.context();
            async move { method.call_in(context, payload).await.map(Bytes::from) }
        })
    }

    /// The whole answer (a streaming handler's chunks read into one payload).
    pub(crate) fn call(&self, invocation: Invocation) -> HandlerFuture {
        match &self.0 {
            Kind::Buffered(handler) => handler(invocation),
            Kind::Streamed(handler) => {
                let chunks = handler(invocation);
                Box::pin(async move { chunks.await?.collect().await.map(Bytes::from) })
            }
        }
    }

    /// The answer as chunks (a buffered handler's answer as one chunk).
    pub(crate) fn call_streaming(&self, invocation: Invocation) -> StreamFuture {
        match &self.0 {
            Kind::Streamed(handler) => handler(invocation),
            Kind::Buffered(handler) => {
                let body = handler(invocation);
                Box::pin(async move {
                    let body = body.await?;
                    Ok(ResponseChunks::new(futures_util::stream::iter([Ok(body)])))
                })
            }
        }
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handler")
    }
}

/// One run of a handler: the payload and the context Lambda gives a function.
#[derive(Debug)]
pub struct Invocation {
    pub(crate) request_id: String,
    /// Formatted on first use: most handlers never ask.
    pub(crate) invoked_function_arn: std::sync::OnceLock<String>,
    /// The qualifier the caller named, for the ARN.
    pub(crate) qualifier: Option<String>,
    pub(crate) deadline: SystemTime,
    pub(crate) function_name: String,
    pub(crate) executed_version: String,
    pub(crate) invocation_type: InvocationType,
    pub(crate) payload: Bytes,
    pub(crate) client_context: Option<Value>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) durable_execution_name: Option<String>,
    pub(crate) log: ExecutionLog,
}

impl Invocation {
    /// The request payload: JSON, `{}` when the caller sent none (as sent, with
    /// [`Flavor::CargoLambda`](super::Flavor::CargoLambda)).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload decoded from JSON; on failure the error `lambda_runtime` reports.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ErrorObject> {
        serde_json::from_slice(&self.payload).map_err(|e| {
            ErrorObject::new(
                "&lambda_runtime::deserializer::DeserializeError",
                format!(
                    "failed to deserialize the incoming data into the function's payload type: {e}\n"
                ),
            )
        })
    }

    /// The decoded `X-Amz-Client-Context` JSON; Lambda passes it to synchronous calls only.
    pub fn client_context(&self) -> Option<&Value> {
        self.client_context.as_ref()
    }

    /// The tenant this run is for (`X-Amz-Tenant-Id`), on a tenant-isolated function
    /// ([`Function::tenant_isolated`](super::Function::tenant_isolated)); `None` otherwise.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }

    /// The name of the durable execution this run belongs to, on a durable function
    /// ([`Function::durable`](super::Function::durable)): the caller's, or the request id.
    pub fn durable_execution_name(&self) -> Option<&str> {
        self.durable_execution_name.as_deref()
    }

    /// How the caller invoked the function.
    pub fn invocation_type(&self) -> InvocationType {
        self.invocation_type
    }

    /// The version running: `$LATEST` or a published version number.
    pub fn executed_version(&self) -> &str {
        &self.executed_version
    }

    /// The bare name of the function.
    pub fn function_name(&self) -> &str {
        &self.function_name
    }

    /// The request id (the same for every attempt of an event).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The ARN the function was invoked by, with the qualifier when the caller named one.
    pub fn invoked_function_arn(&self) -> &str {
        self.invoked_function_arn.get_or_init(|| {
            super::function_ref::function_arn(&self.function_name, self.qualifier.as_deref())
        })
    }

    /// The time by which the function must answer (its start plus its timeout).
    pub fn deadline(&self) -> SystemTime {
        self.deadline
    }

    /// The context a served contract method reads with [`InvocationContext::current`].
    pub(crate) fn context(&self) -> InvocationContext {
        let mut context = InvocationContext::new(&*self.request_id, self.invoked_function_arn())
            .with_deadline(self.deadline);
        if let Some(tenant_id) = &self.tenant_id {
            context = context.with_tenant_id(tenant_id.clone());
        }
        match &self.client_context {
            Some(client_context) => context.with_client_context(client_context.clone()),
            None => context,
        }
    }

    /// Appends a line to the execution log, whose last 4 KB a `Tail` caller receives.
    pub fn log(&self, line: impl AsRef<str>) {
        self.log.line(line.as_ref());
    }
}
