//! Streamed responses: reading an `InvokeWithResponseStream` body ([`read`]), the stream
//! types a streaming method returns ([`response_stream`]), and the event-stream frames the
//! local endpoint and the mocks write ([`frames`]).

#[cfg(any(feature = "local", feature = "mocks"))]
pub(crate) mod frames;
pub(crate) mod read;
pub(crate) mod response_stream;
