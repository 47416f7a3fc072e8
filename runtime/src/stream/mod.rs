//! Streamed responses, read and sent: reading an `InvokeWithResponseStream` body ([`read`]),
//! the two stream types a streaming method returns ([`response_stream`]: typed items, one JSON
//! value per line; [`byte_stream`]: raw chunks), serving them ([`serve`]), the channel a
//! function's implementation feeds them through ([`channel`]), and the event-stream frames the
//! local endpoint and the mocks write ([`frames`]).

use std::pin::Pin;

use futures_core::Stream;

pub(crate) mod byte_stream;
pub(crate) mod channel;
#[cfg(any(feature = "local", feature = "mocks"))]
pub(crate) mod frames;
pub(crate) mod read;
pub(crate) mod response_stream;
pub(crate) mod serve;

/// A boxed stream, as every stream type here holds its source.
pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;
