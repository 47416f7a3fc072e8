//! [`ResponseStream`]: a streaming method's typed items, one JSON value per line, decoded as
//! they arrive (or produced by the function's implementation and by fakes).

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf as _, Bytes, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::client::metadata::ResponseMetadata;
use crate::error::function::FunctionError;
use crate::error::{DeserializeError, FunctionFailure, InvokeError};
use crate::stream::BoxStream;
use crate::stream::channel::{StreamSender, channel};
use crate::stream::read::{
    Event, RUNTIME_ERROR_MARK, RemoteStream, StreamOutput, runtime_error, with_received,
};

/// How a remote stream ends once its buffered lines are read.
enum End {
    Done,
    Failed(InvokeError),
}

/// A stream of typed items, one JSON value per line (newline-delimited JSON): what a
/// `#[lambda(invocation = "stream")]` method returns, and what its implementation builds.
///
/// Read it with [`next`](Self::next) (or as a [`futures_core::Stream`]). Each item is decoded
/// as soon as its line has arrived; the next chunk is read only when the items before it
/// were taken, so a slow reader slows the function's transfer instead of filling memory.
///
/// The stream ends with `None` after the last item, or with one `Err` after which it yields
/// nothing more:
/// - the function failed after sending some items: the typed error `E` (or
///   [`InvokeError::UnmappedFunction`]), with the log tail when the call asked for it;
/// - the connection was lost, or the endpoint stopped answering within the method's
///   timeout: [`InvokeError::Transport`] or [`InvokeError::Timeout`], whose
///   [`TransportError::items_received`](crate::TransportError::items_received) says how many
///   items had arrived.
///
/// A line that does not decode into `T` is an [`InvokeError::Deserialize`] holding the line's
/// bytes; the items after it are still read.
pub struct ResponseStream<T, E = Infallible> {
    source: Source<T, E>,
    metadata: ResponseMetadata,
    received: u64,
    pub(super) done: bool,
}

enum Source<T, E> {
    /// Items the function's implementation (or a fake) produces.
    Items(BoxStream<Result<T, InvokeError<E>>>),
    /// Lines arriving from Lambda.
    Remote(Box<Lines<T>>),
}

struct Lines<T> {
    remote: RemoteStream,
    buffer: BytesMut,
    /// How far `buffer` is known to hold no newline.
    scanned: usize,
    /// From `lambda_runtime`'s error mark to the end of the stream.
    error_chunk: Option<BytesMut>,
    decode: fn(&[u8]) -> serde_json::Result<T>,
    end: Option<End>,
}

impl<T> Lines<T> {
    /// The length of the next complete line at the start of `buffer`, without its newline;
    /// the caller reads the line in place, then advances `buffer` past its newline (no
    /// `Bytes` is made per line: only a line that does not decode is copied, into its error).
    fn next_line(&mut self) -> Option<usize> {
        match memchr::memchr(b'\n', &self.buffer[self.scanned..]) {
            Some(i) => {
                let at = self.scanned + i;
                self.scanned = 0;
                Some(at)
            }
            None => {
                self.scanned = self.buffer.len();
                None
            }
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        match &mut self.error_chunk {
            Some(error) => error.extend_from_slice(chunk),
            None => self.buffer.extend_from_slice(chunk),
        }
    }
}

fn trim(line: &[u8]) -> &[u8] {
    line.trim_ascii()
}

impl<T: DeserializeOwned, E: FunctionError> StreamOutput for ResponseStream<T, E> {
    type Function = E;

    fn from_remote(remote: RemoteStream) -> Self {
        let metadata = remote.metadata().clone();
        Self {
            source: Source::Remote(Box::new(Lines {
                remote,
                buffer: BytesMut::new(),
                scanned: 0,
                error_chunk: None,
                decode: |line| serde_json::from_slice(line),
                end: None,
            })),
            metadata,
            received: 0,
            done: false,
        }
    }
}

impl<T, E> ResponseStream<T, E> {
    /// A stream of the items `stream` yields; an `Err` ends it (a typed error `E` converts,
    /// as in `Err(MyError::Declined)?`). For the function's implementation and for fakes.
    pub fn from_stream<S, X>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, X>> + Send + 'static,
        X: Into<InvokeError<E>>,
        T: Send + 'static,
        E: Send + 'static,
    {
        use futures_util::StreamExt as _;
        Self::from_source(Source::Items(Box::pin(
            stream.map(|item| item.map_err(Into::into)),
        )))
    }

    /// A stream of `items`, all sent.
    pub fn from_items<I>(items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        Self::from_source(Source::Items(Box::pin(futures_util::stream::iter(
            items.into_iter().map(Ok),
        ))))
    }

    /// A stream fed through a channel of `capacity` items: the function's implementation
    /// returns the stream and sends from a task of its own; [`StreamSender::send`] waits
    /// while the reader is `capacity` items behind.
    pub fn channel(capacity: usize) -> (StreamSender<T, E>, Self)
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let (sender, items) = channel(capacity);
        (sender, Self::from_source(Source::Items(items)))
    }

    fn from_source(source: Source<T, E>) -> Self {
        Self {
            source,
            metadata: ResponseMetadata::default(),
            received: 0,
            done: false,
        }
    }

    /// How many items were taken so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// What the response said about the invocation: status, executed version and request id
    /// from its start; the log tail (when asked for) once the stream has ended. Empty for a
    /// stream that did not come from Lambda.
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

impl<T, E: FunctionError> ResponseStream<T, E> {
    /// The next item; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, InvokeError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the whole stream: every item, or the error it ended with (or the first line that
    /// did not decode).
    pub async fn collect_items(mut self) -> Result<Vec<T>, InvokeError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_remote(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, InvokeError<E>>>> {
        let Source::Remote(lines) = &mut self.source else {
            unreachable!("called for remote streams only")
        };
        loop {
            if let Some(at) = lines.next_line() {
                let line = &lines.buffer[..at];
                if trim(line).is_empty() {
                    lines.buffer.advance(at + 1);
                    continue;
                }
                // Held until the end, where it is read as the error (or, if it is not one,
                // as lines again: then it is delivered as what it is).
                if lines.end.is_none()
                    && lines.error_chunk.is_none()
                    && line.starts_with(RUNTIME_ERROR_MARK)
                {
                    // The mark's line and everything after it.
                    lines.error_chunk = Some(lines.buffer.split());
                    continue;
                }
                let decoded = match (lines.decode)(line) {
                    Ok(item) => {
                        self.received += 1;
                        Ok(item)
                    }
                    Err(source) => Err(InvokeError::Deserialize(Box::new(DeserializeError {
                        function: lines.remote.function.to_string(),
                        idempotency_key: None,
                        payload: Bytes::copy_from_slice(line),
                        metadata: self.metadata.clone(),
                        source,
                    }))),
                };
                lines.buffer.advance(at + 1);
                return Poll::Ready(Some(decoded));
            }
            if let Some(end) = lines.end.take() {
                self.done = true;
                return Poll::Ready(match end {
                    End::Done => None,
                    End::Failed(error) => Some(Err(error.typed())),
                });
            }
            match Pin::new(&mut lines.remote.events).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Event::Chunk(chunk))) => lines.push(&chunk),
                Poll::Ready(Some(Event::Complete { failure, log_tail })) => {
                    self.metadata.log_tail = log_tail;
                    let mut failure = failure;
                    if let Some(error_chunk) = lines.error_chunk.take() {
                        match runtime_error(&error_chunk) {
                            Some(object) => failure = failure.or(Some(object)),
                            // Not the runtime's error after all: read it as lines.
                            None => lines.buffer.extend_from_slice(&error_chunk),
                        }
                    }
                    // The last line may end without a newline.
                    if !lines.buffer.is_empty() {
                        lines.buffer.extend_from_slice(b"\n");
                    }
                    lines.end = Some(match failure {
                        Some(object) => {
                            End::Failed(InvokeError::UnmappedFunction(Box::new(FunctionFailure {
                                function: lines.remote.function.to_string(),
                                idempotency_key: None,
                                error_header: None,
                                object,
                                metadata: self.metadata.clone(),
                            })))
                        }
                        None => End::Done,
                    });
                }
                Poll::Ready(Some(Event::Failed(error))) => {
                    // The complete lines before the failure are still delivered; the partial
                    // one travels in the error.
                    let mut partial = lines.buffer.split_off(lines.buffer.len());
                    if let Some(at) = lines.buffer.iter().rposition(|&b| b == b'\n') {
                        partial = lines.buffer.split_off(at + 1);
                    } else {
                        std::mem::swap(&mut partial, &mut lines.buffer);
                    }
                    if let Some(error_chunk) = lines.error_chunk.take() {
                        partial.extend_from_slice(&error_chunk);
                    }
                    lines.scanned = 0;
                    lines.end = Some(End::Failed(with_received(
                        error,
                        self.received + count_lines(&lines.buffer),
                        partial.freeze(),
                    )));
                }
                Poll::Ready(None) => lines.end = Some(End::Done),
            }
        }
    }
}

/// Non-blank lines in `buffer`: the items about to be delivered before a failure.
fn count_lines(buffer: &[u8]) -> u64 {
    buffer
        .split(|&b| b == b'\n')
        .filter(|line| !trim(line).is_empty())
        .count() as u64
}

impl<T, E: FunctionError> Stream for ResponseStream<T, E> {
    type Item = Result<T, InvokeError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match &mut this.source {
            Source::Items(items) => match items.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(item))) => {
                    this.received += 1;
                    Poll::Ready(Some(Ok(item)))
                }
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    Poll::Ready(Some(Err(error)))
                }
                Poll::Ready(None) => {
                    this.done = true;
                    Poll::Ready(None)
                }
                Poll::Pending => Poll::Pending,
            },
            Source::Remote(_) => this.poll_remote(cx),
        }
    }
}

impl<T, E> fmt::Debug for ResponseStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseStream")
            .field(
                "source",
                &match self.source {
                    Source::Items(_) => "items",
                    Source::Remote(_) => "lambda",
                },
            )
            .field("received", &self.received)
            .field("done", &self.done)
            .field("metadata", &self.metadata)
            .finish()
    }
}
