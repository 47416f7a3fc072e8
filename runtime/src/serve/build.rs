//! Building a [`MethodHandler`]: each constructor chooses how `server::run` serves the handler
//! (feature `server`), so that a binary whose handlers never stream compiles no streaming
//! answer: the choice is a function the handler holds, named only where such a handler is
//! built (BENCHMARKS.md, "Function side (issue 22)").

use std::future::Future;

use bytes::Bytes;

use crate::error::object::ErrorObject;
use crate::serve::method::{MethodHandler, ResponseChunks, Runner};
use crate::spec::MethodSpec;

/// `server::run`'s way for handlers that never stream.
#[cfg(feature = "server")]
const WHOLE: Runner = crate::serve::lambda_runtime::WHOLE;
/// `server::run`'s way for any handler.
#[cfg(feature = "server")]
const ANY: Runner = crate::serve::lambda_runtime::ANY;
#[cfg(not(feature = "server"))]
const WHOLE: Runner = ();
#[cfg(not(feature = "server"))]
const ANY: Runner = ();

impl MethodHandler {
    /// A handler for `spec` answering with `handle`.
    pub fn new<F, Fut>(spec: MethodSpec, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<u8>, ErrorObject>> + Send + 'static,
    {
        Self::buffered(spec, WHOLE, handle)
    }

    /// A handler for the streaming method `spec`, answering with the chunks `handle` gives
    /// (or an error object before the first).
    pub fn streaming<F, Fut>(spec: MethodSpec, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ResponseChunks, ErrorObject>> + Send + 'static,
    {
        Self::streamed(spec, ANY, handle)
    }
}

/// A generated server's handler (`__private::json_handler`) answering with the JSON `handle`
/// encodes (`__private::encode_result`), of a contract with a streaming method: served the way for any handler. (Two functions, this one and
/// [`whole_json_handler`], not a flag: each names only its own way.)
pub fn json_handler<F, Fut>(spec: MethodSpec, handle: F) -> MethodHandler
where
    F: Fn(Bytes) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Box<serde_json::value::RawValue>, ErrorObject>> + Send + 'static,
{
    MethodHandler::json(spec, ANY, handle)
}

/// [`json_handler`] for a contract whose methods never stream: `server::run` serves it
/// without compiling a streaming answer.
pub fn whole_json_handler<F, Fut>(spec: MethodSpec, handle: F) -> MethodHandler
where
    F: Fn(Bytes) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Box<serde_json::value::RawValue>, ErrorObject>> + Send + 'static,
{
    MethodHandler::json(spec, WHOLE, handle)
}
