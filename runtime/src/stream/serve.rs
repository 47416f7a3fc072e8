//! Serving a stream: a [`ResponseStream`]'s items encoded as lines of JSON (the items ready
//! together in one chunk), a [`ByteStream`]'s chunks as they are, an error as its error
//! object after the chunks before it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use serde::Serialize;

use crate::error::InvokeError;
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::serve::method::{PAYLOAD_ERROR_TYPE, ResponseChunks, invoke_error_object};
use crate::stream::byte_stream::ByteStream;
use crate::stream::response_stream::ResponseStream;

/// A streaming method's result as the function's side sends it.
#[diagnostic::on_unimplemented(
    message = "a served streaming method must succeed with `ResponseStream<Item, E>` (items `Serialize`) or `ByteStream<E>`, not `{Self}`",
    label = "the items of this stream cannot be sent"
)]
pub trait ServedStream {
    /// The chunks to send: each item a line of JSON (or the bytes as they are), then the
    /// error the stream ended with, if any.
    #[doc(hidden)]
    fn into_chunks(self, method: &'static str) -> ResponseChunks;
}

impl<T, E> ServedStream for ResponseStream<T, E>
where
    T: Serialize + Send + 'static,
    E: FunctionError + fmt::Display + Send + 'static,
{
    fn into_chunks(self, method: &'static str) -> ResponseChunks {
        ResponseChunks::new(ServedItems {
            stream: self,
            method,
            encoded: 0,
            error: None,
            held: Vec::new(),
        })
    }
}

/// The most bytes of items sent as one chunk: the items ready together (produced faster than
/// they are sent) go in one chunk, one event, up to this size; an item that is alone is sent
/// at once.
const MAX_BATCH: usize = 64 * 1024;

/// A stream being served: each item a line of JSON, the items ready together in one chunk,
/// an error sent as its error object (after the items before it), nothing after it.
struct ServedItems<T, E> {
    stream: ResponseStream<T, E>,
    method: &'static str,
    /// How many items were encoded, for the message of one that cannot be.
    encoded: u64,
    /// The error to send after the chunk of the items before it.
    error: Option<ErrorObject>,
    /// The line of an item that did not fit in the last chunk: the start of the next.
    held: Vec<u8>,
}

impl<T, E> ServedItems<T, E> {
    /// Appends `item` as a line to `batch`; `batch` is left as it was on failure.
    fn encode(&mut self, item: &T, batch: &mut Vec<u8>) -> Result<(), ErrorObject>
    where
        T: Serialize,
    {
        self.encoded += 1;
        let start = batch.len();
        match serde_json::to_writer(&mut *batch, item) {
            Ok(()) => {
                batch.push(b'\n');
                Ok(())
            }
            Err(e) => {
                batch.truncate(start);
                Err(ErrorObject::new(
                    PAYLOAD_ERROR_TYPE,
                    format!(
                        "could not encode item {} of `{}`: {e}",
                        self.encoded, self.method
                    ),
                ))
            }
        }
    }
}

impl<T, E> Stream for ServedItems<T, E>
where
    T: Serialize,
    E: FunctionError + fmt::Display,
{
    type Item = Result<Bytes, ErrorObject>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(error) = this.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        let mut batch = std::mem::take(&mut this.held);
        let failed = loop {
            // A panic producing an item ends the stream with the panic's error after the items
            // before it, which would be lost if it unwound through here.
            let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Pin::new(&mut this.stream).poll_next(cx)
            }));
            let polled = match polled {
                Ok(polled) => polled,
                Err(panic) => {
                    this.stream.done = true;
                    break crate::serve::method::panic_object(&*panic);
                }
            };
            match polled {
                Poll::Ready(Some(Ok(item))) => {
                    let before = batch.len();
                    if let Err(object) = this.encode(&item, &mut batch) {
                        this.stream.done = true;
                        break object;
                    }
                    // A line that does not fit goes in the next chunk.
                    if before > 0 && batch.len() > MAX_BATCH {
                        this.held = batch.split_off(before);
                        return Poll::Ready(Some(Ok(Bytes::from(batch))));
                    }
                    if batch.len() >= MAX_BATCH {
                        return Poll::Ready(Some(Ok(Bytes::from(batch))));
                    }
                }
                Poll::Ready(Some(Err(error))) => break invoke_error_object(&error),
                // The end, or no item ready: what is ready goes now.
                Poll::Ready(None) | Poll::Pending if !batch.is_empty() => {
                    return Poll::Ready(Some(Ok(Bytes::from(batch))));
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        };
        if batch.is_empty() {
            return Poll::Ready(Some(Err(failed)));
        }
        this.error = Some(failed);
        Poll::Ready(Some(Ok(Bytes::from(batch))))
    }
}

impl<E> ServedStream for ByteStream<E>
where
    E: FunctionError + fmt::Display + Send + 'static,
{
    fn into_chunks(self, _method: &'static str) -> ResponseChunks {
        ResponseChunks::new(ServedBytes(self))
    }
}

struct ServedBytes<E>(ByteStream<E>);

impl<E: FunctionError + fmt::Display> Stream for ServedBytes<E> {
    type Item = Result<Bytes, ErrorObject>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match Pin::new(&mut this.0).poll_next(cx) {
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(invoke_error_object(&error)))),
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Encodes a streaming method's result: its chunks, or the error it failed with before the
/// first.
pub(crate) fn encode_stream<S, E>(
    method: &'static str,
    result: Result<S, InvokeError<E>>,
) -> Result<ResponseChunks, ErrorObject>
where
    S: ServedStream,
    E: FunctionError + fmt::Display,
{
    match result {
        Ok(stream) => Ok(stream.into_chunks(method)),
        Err(error) => Err(invoke_error_object(&error)),
    }
}
