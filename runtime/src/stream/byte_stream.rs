//! [`ByteStream`]: a streaming method's raw bytes, chunk by chunk as they arrive (or produced
//! by the function's implementation and by fakes).

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::client::metadata::ResponseMetadata;
use crate::error::function::FunctionError;
use crate::error::{FunctionFailure, InvokeError};
use crate::stream::BoxStream;
use crate::stream::channel::{StreamSender, channel};
use crate::stream::read::{
    Event, RUNTIME_ERROR_MARK, RemoteStream, StreamOutput, runtime_error, with_received,
};

/// The function's raw response bytes, chunk by chunk as they arrive: what a
/// `#[lambda(invocation = "stream")]` method returning `ByteStream` gives. Ends like a
/// [`ResponseStream`]: `None`, or one error (the function's, typed; or a transport failure
/// saying how many chunks had arrived).
///
/// [`ResponseStream`]: crate::stream::response_stream::ResponseStream
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
    ///
    /// [`ResponseStream::channel`]: crate::stream::response_stream::ResponseStream::channel
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
    ///
    /// [`ResponseStream::metadata`]: crate::stream::response_stream::ResponseStream::metadata
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
                    idempotency_key: None,
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
