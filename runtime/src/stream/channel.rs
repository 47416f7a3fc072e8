//! The channel a function's implementation feeds a stream through: [`StreamSender`].

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

use crate::client::metadata::ResponseMetadata;
use crate::error::InvokeError;
use crate::stream::BoxStream;
use crate::stream::read::failure;

/// Items a function's implementation produces, or its error.
pub(super) type Items<T, E> = BoxStream<Result<T, InvokeError<E>>>;

/// The sending half of [`ResponseStream::channel`] (or [`ByteStream::channel`]). Dropping it
/// ends the stream; dropped by a panic (the task sending panicked), it ends the stream with
/// an error instead, so that a reader never takes a cut stream for a whole one.
///
/// [`ResponseStream::channel`]: crate::stream::response_stream::ResponseStream::channel
/// [`ByteStream::channel`]: crate::stream::byte_stream::ByteStream::channel
pub struct StreamSender<T, E = Infallible> {
    sender: tokio::sync::mpsc::Sender<Result<T, InvokeError<E>>>,
    panicked: Arc<std::sync::atomic::AtomicBool>,
}

/// A channel's two ends: the sender, and its items (then an error if the sender panicked).
pub(super) fn channel<T, E>(capacity: usize) -> (StreamSender<T, E>, Items<T, E>)
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
