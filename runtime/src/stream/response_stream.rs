//! What a streaming method returns: [`ResponseStream`] (typed items, one JSON value per line)
//! and [`ByteStream`] (the function's raw bytes), read as they arrive.
//!
//! The same types are what the function's implementation returns: the server encodes each
//! item as one line of JSON, the client decodes the lines back.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf as _, Bytes, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::metadata::ResponseMetadata;
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::error::InvokeError;
use crate::error::{DeserializeError, FunctionFailure};
use crate::serve::method::{invoke_error_object, ResponseChunks, PAYLOAD_ERROR_TYPE};
use crate::stream::read::{prelude, runtime_error, Event, Prelude, Reader, RUNTIME_ERROR_MARK};

type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

/// Items a function's implementation produces, or its error.
type Items<T, E> = BoxStream<Result<T, InvokeError<E>>>;

/// A streamed response as Lambda sent it, before it is read as items or bytes. Made by the
/// generated client; not a public API.
#[doc(hidden)]
pub struct RemoteStream {
    events: BoxStream<Event>,
    function: Arc<str>,
    metadata: ResponseMetadata,
}

impl RemoteStream {
    /// Waits for the start of the response: its first bytes (past `lambda_runtime`'s
    /// metadata prelude, which is dropped) or its end. A function error or a failure before
    /// any byte is the call's error; anything else starts the stream.
    pub(crate) async fn start(
        mut reader: Reader,
        function: Arc<str>,
        metadata: ResponseMetadata,
    ) -> Result<Self, InvokeError> {
        let mut held = BytesMut::new();
        let mut decided = false;
        let first = loop {
            match reader.next().await {
                Some(Event::Chunk(chunk)) => {
                    held.extend_from_slice(&chunk);
                    if !decided {
                        match prelude(&held) {
                            Prelude::Undecided => continue,
                            Prelude::Absent => decided = true,
                            Prelude::Ends(end) => {
                                decided = true;
                                let _ = held.split_to(end);
                            }
                        }
                    }
                    if held.is_empty() {
                        continue;
                    }
                    if held.starts_with(RUNTIME_ERROR_MARK) {
                        if let Some(object) = runtime_error(&held) {
                            return Err(failure(&function, object, metadata));
                        }
                    }
                    break Some(Event::Chunk(held.split().freeze()));
                }
                Some(Event::Complete {
                    failure: Some(object),
                    log_tail,
                }) => {
                    let mut metadata = metadata;
                    metadata.log_tail = log_tail;
                    return Err(failure(&function, object, metadata));
                }
                Some(Event::Failed(error)) => {
                    return Err(with_received(error, 0, held.freeze()));
                }
                end => {
                    // The end, with bytes that were still being judged: they are the response.
                    let head = (!held.is_empty()).then(|| Event::Chunk(held.split().freeze()));
                    let events = futures_util::stream::iter(head.into_iter().chain(end));
                    return Ok(Self {
                        events: Box::pin(events),
                        function,
                        metadata,
                    });
                }
            }
        };
        // The reader is boxed: `unfold` moves its state into each event's future and back.
        let rest = futures_util::stream::unfold(Box::new(reader), |mut reader| async move {
            reader.next().await.map(|event| (event, reader))
        });
        let events = futures_util::StreamExt::chain(futures_util::stream::iter(first), rest);
        Ok(Self {
            events: Box::pin(events),
            function,
            metadata,
        })
    }

    /// The metadata of the response's start (status, executed version, request id).
    pub(crate) fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

/// The return type of a streaming method's success: [`ResponseStream`] or [`ByteStream`].
#[diagnostic::on_unimplemented(
    message = "a streaming method must succeed with `ResponseStream<Item, E>` or `ByteStream<E>`, not `{Self}`",
    label = "write `Result<lambda_remote::ResponseStream<YourItem, E>, lambda_remote::InvokeError<E>>` instead"
)]
pub trait StreamOutput: Sized {
    /// The typed function error the stream ends with when the function fails.
    type Function: FunctionError;

    /// Reads a streamed response. Called by the generated client.
    #[doc(hidden)]
    fn from_remote(remote: RemoteStream) -> Self;
}

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
    done: bool,
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

/// A function error as the stream reports it.
fn failure(function: &str, object: ErrorObject, metadata: ResponseMetadata) -> InvokeError {
    InvokeError::UnmappedFunction(Box::new(FunctionFailure {
        function: function.to_owned(),
        error_header: None,
        object,
        metadata,
    }))
}

/// Non-blank lines in `buffer`: the items about to be delivered before a failure.
fn count_lines(buffer: &[u8]) -> u64 {
    buffer
        .split(|&b| b == b'\n')
        .filter(|line| !trim(line).is_empty())
        .count() as u64
}

/// A transport failure of a stream, with the items that arrived and the bytes of a partial
/// item.
fn with_received(error: InvokeError, received: u64, partial: Bytes) -> InvokeError {
    let mark = |mut e: Box<crate::error::TransportError>| {
        e.received = Some(received);
        if e.body.is_none() && !partial.is_empty() {
            e.body = Some(partial.clone());
        }
        e
    };
    match error {
        InvokeError::Transport(e) => InvokeError::Transport(mark(e)),
        InvokeError::Timeout(e) => InvokeError::Timeout(mark(e)),
        other => other,
    }
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
        let mut batch = Vec::new();
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
                    if let Err(object) = this.encode(&item, &mut batch) {
                        this.stream.done = true;
                        break object;
                    }
                    if batch.len() >= MAX_BATCH {
                        return Poll::Ready(Some(Ok(Bytes::from(batch))));
                    }
                }
                Poll::Ready(Some(Err(error))) => break invoke_error_object(&error),
                // The end, or no item ready: what is ready goes now.
                Poll::Ready(None) | Poll::Pending if !batch.is_empty() => {
                    return Poll::Ready(Some(Ok(Bytes::from(batch))))
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

/// The sending half of [`ResponseStream::channel`] (or [`ByteStream::channel`]). Dropping it
/// ends the stream; dropped by a panic (the task sending panicked), it ends the stream with
/// an error instead, so that a reader never takes a cut stream for a whole one.
pub struct StreamSender<T, E = Infallible> {
    sender: tokio::sync::mpsc::Sender<Result<T, InvokeError<E>>>,
    panicked: Arc<std::sync::atomic::AtomicBool>,
}

/// A channel's two ends: the sender, and its items (then an error if the sender panicked).
fn channel<T, E>(capacity: usize) -> (StreamSender<T, E>, Items<T, E>)
where
    T: Send + 'static,
    E: Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(capacity.max(1));
    let panicked = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = panicked.clone();
    let items = futures_util::stream::unfold(Some(receiver), move |receiver| {
        let flag = flag.clone();
        async move {
            let mut receiver = receiver?;
            match receiver.recv().await {
                Some(item) => Some((item, Some(receiver))),
                None if flag.load(std::sync::atomic::Ordering::SeqCst) => {
                    let object = crate::serve::method::panic_object(
                        &"the task sending this stream panicked before ending it",
                    );
                    let error = failure("", object, ResponseMetadata::default());
                    Some((Err(error.map_function_error(|never| match never {})), None))
                }
                None => None,
            }
        }
    });
    (StreamSender { sender, panicked }, Box::pin(items))
}

impl<T, E> Drop for StreamSender<T, E> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.panicked
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The reader of a stream went away: nothing more can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamClosed;

impl fmt::Display for StreamClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response stream's reader went away")
    }
}

impl std::error::Error for StreamClosed {}

impl<T, E> StreamSender<T, E> {
    /// Sends one item, waiting while the reader is behind.
    pub async fn send(&self, item: T) -> Result<(), StreamClosed> {
        self.sender.send(Ok(item)).await.map_err(|_| StreamClosed)
    }

    /// Ends the stream with `error` (a typed error `E` converts).
    pub async fn fail(self, error: impl Into<InvokeError<E>>) -> Result<(), StreamClosed> {
        self.sender
            .send(Err(error.into()))
            .await
            .map_err(|_| StreamClosed)
    }
}

impl<T, E> fmt::Debug for StreamSender<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSender")
            .field("closed", &self.sender.is_closed())
            .finish()
    }
}

/// The function's raw response bytes, chunk by chunk as they arrive: what a
/// `#[lambda(invocation = "stream")]` method returning `ByteStream` gives. Ends like a
/// [`ResponseStream`]: `None`, or one error (the function's, typed; or a transport failure
/// saying how many chunks had arrived).
pub struct ByteStream<E = Infallible> {
    source: ByteSource<E>,
    metadata: ResponseMetadata,
    received: u64,
    done: bool,
}

enum ByteSource<E> {
    Items(BoxStream<Result<Bytes, InvokeError<E>>>),
    Remote(Box<RemoteStream>),
}

impl<E: FunctionError> StreamOutput for ByteStream<E> {
    type Function = E;

    fn from_remote(remote: RemoteStream) -> Self {
        let metadata = remote.metadata().clone();
        Self {
            source: ByteSource::Remote(Box::new(remote)),
            metadata,
            received: 0,
            done: false,
        }
    }
}

impl<E> ByteStream<E> {
    /// The chunks `stream` yields; an `Err` ends it.
    pub fn from_stream<S, X>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, X>> + Send + 'static,
        X: Into<InvokeError<E>>,
        E: Send + 'static,
    {
        use futures_util::StreamExt as _;
        Self::from_source(ByteSource::Items(Box::pin(
            stream.map(|item| item.map_err(Into::into)),
        )))
    }

    /// A stream of `chunks`, all sent.
    pub fn from_chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Bytes>,
        I::IntoIter: Send + 'static,
        E: Send + 'static,
    {
        Self::from_source(ByteSource::Items(Box::pin(futures_util::stream::iter(
            chunks.into_iter().map(Ok),
        ))))
    }

    /// A stream fed through a channel of `capacity` chunks (see [`ResponseStream::channel`]).
    pub fn channel(capacity: usize) -> (StreamSender<Bytes, E>, Self)
    where
        E: Send + 'static,
    {
        let (sender, items) = channel(capacity);
        (sender, Self::from_source(ByteSource::Items(items)))
    }

    fn from_source(source: ByteSource<E>) -> Self {
        Self {
            source,
            metadata: ResponseMetadata::default(),
            received: 0,
            done: false,
        }
    }

    /// How many chunks were taken so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// What the response said about the invocation (see [`ResponseStream::metadata`]).
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

impl<E: FunctionError> ByteStream<E> {
    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, InvokeError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the whole stream into memory.
    pub async fn collect_bytes(mut self) -> Result<Bytes, InvokeError<E>> {
        let mut all = BytesMut::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all.freeze())
    }
}

impl<E: FunctionError> Stream for ByteStream<E> {
    type Item = Result<Bytes, InvokeError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let remote = match &mut this.source {
            ByteSource::Items(items) => {
                let polled = items.as_mut().poll_next(cx);
                match &polled {
                    Poll::Ready(Some(Ok(_))) => this.received += 1,
                    Poll::Ready(_) => this.done = true,
                    Poll::Pending => {}
                }
                return polled;
            }
            ByteSource::Remote(remote) => remote,
        };
        loop {
            let event = match Pin::new(&mut remote.events).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(event) => event,
            };
            let failure = match event {
                Some(Event::Chunk(chunk)) if chunk.is_empty() => continue,
                Some(Event::Chunk(chunk)) => match chunk
                    .starts_with(RUNTIME_ERROR_MARK)
                    .then(|| runtime_error(&chunk))
                    .flatten()
                {
                    Some(object) => object,
                    None => {
                        this.received += 1;
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                },
                Some(Event::Complete {
                    failure: Some(object),
                    log_tail,
                }) => {
                    this.metadata.log_tail = log_tail;
                    object
                }
                Some(Event::Complete {
                    failure: None,
                    log_tail,
                }) => {
                    this.metadata.log_tail = log_tail;
                    this.done = true;
                    return Poll::Ready(None);
                }
                Some(Event::Failed(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(with_received(
                        error,
                        this.received,
                        Bytes::new(),
                    )
                    .typed())));
                }
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
            };
            this.done = true;
            return Poll::Ready(Some(Err(InvokeError::UnmappedFunction(Box::new(
                FunctionFailure {
                    function: remote.function.to_string(),
                    error_header: None,
                    object: failure,
                    metadata: this.metadata.clone(),
                },
            ))
            .typed())));
        }
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field(
                "source",
                &match self.source {
                    ByteSource::Items(_) => "chunks",
                    ByteSource::Remote(_) => "lambda",
                },
            )
            .field("received", &self.received)
            .field("done", &self.done)
            .field("metadata", &self.metadata)
            .finish()
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
