//! The body of an `InvokeWithResponseStream` answer as the client reads it: payload chunks,
//! then how the invocation ended.
//!
//! Lambda answers with event-stream frames (`PayloadChunk`…, then one `InvokeComplete`).
//! An endpoint that answers the streaming path with the function's raw bytes instead
//! (`cargo lambda watch` 1.9.2 does: it serves that path as a function URL request to its default
//! function) is read as one stream of chunks that ends with its body: the
//! interceptor [`RawBody`] takes such a body away from the SDK before it tries to read frames
//! in it. In such a body, a chunk that is exactly the error `lambda_runtime` writes after the
//! function's last chunk ends the invocation with that error, as `InvokeComplete` would: so a
//! stream that fails before its first item fails the call, whichever way the endpoint answers.
//!
//! [`RemoteStream::start`] reads up to the response's first bytes (a failure before them is the
//! call's error); a [`StreamOutput`] reads the rest as items or bytes.

use std::sync::Arc;

use bytes::Bytes;

use crate::client::metadata::{LogTail, ResponseMetadata};
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::error::{FunctionFailure, InvokeError};
use crate::stream::BoxStream;
#[cfg(feature = "client")]
use sdk::*;

/// What only the client reads: the SDK's event stream or a raw body, and the start of a
/// streamed response. Without the `client` feature, nothing makes a [`RemoteStream`].
#[cfg(feature = "client")]
mod sdk {
    pub(super) use std::sync::Mutex;
    pub(super) use std::time::Duration;

    pub(super) use aws_sdk_lambda::error::SdkError;
    pub(super) use aws_sdk_lambda::types::InvokeWithResponseStreamResponseEvent as SdkEvent;
    pub(super) use aws_sdk_lambda::types::error::InvokeWithResponseStreamResponseEventError as SdkEventError;
    pub(super) use aws_smithy_runtime_api::box_error::BoxError;
    pub(super) use aws_smithy_runtime_api::client::interceptors::Intercept;
    pub(super) use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
    pub(super) use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
    pub(super) use aws_smithy_types::body::SdkBody;
    pub(super) use aws_smithy_types::config_bag::ConfigBag;
    pub(super) use aws_smithy_types::event_stream::RawMessage;
    pub(super) use bytes::BytesMut;

    pub(super) use crate::delivery::Redelivery;
    pub(super) use crate::error::TransportError;
}

#[cfg(feature = "client")]
/// The content type of an event-stream body.
pub(crate) const EVENT_STREAM_CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// What the next read of a streamed response gave (made only by the client's reader).
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) enum Event {
    /// A chunk of the function's response.
    Chunk(Bytes),
    /// The invocation ended: with the function's error, if it failed, and the log tail, if
    /// asked for.
    Complete {
        failure: Option<ErrorObject>,
        log_tail: Option<LogTail>,
    },
    /// The stream could not be read to its end.
    Failed(InvokeError),
}

#[cfg(feature = "client")]
/// Where the chunks come from.
pub(crate) enum Body {
    /// Event-stream frames, read by the SDK.
    Events(aws_sdk_lambda::primitives::event_stream::EventReceiver<SdkEvent, SdkEventError>),
    /// The function's raw bytes (an endpoint that does not frame them).
    Raw(SdkBody),
}

#[cfg(feature = "client")]
/// The reading side of one streamed response.
pub(crate) struct Reader {
    function: Arc<str>,
    body: Body,
    /// The longest wait for the next event (the method's timeout), if any.
    idle: Option<Duration>,
    ended: bool,
}

#[cfg(feature = "client")]
impl Reader {
    pub(crate) fn new(function: Arc<str>, body: Body, idle: Option<Duration>) -> Self {
        Self {
            function,
            body,
            idle,
            ended: false,
        }
    }

    /// The next event; `None` after the end (a `Complete` or a `Failed` was the last).
    pub(crate) async fn next(&mut self) -> Option<Event> {
        if self.ended {
            return None;
        }
        let event = match self.idle {
            Some(idle) => match tokio::time::timeout(idle, self.read()).await {
                Ok(event) => event,
                Err(_) => Event::Failed(InvokeError::Timeout(Box::new(self.transport(
                    "no part of the response stream arrived within the method's timeout",
                    None,
                    None,
                )))),
            },
            None => self.read().await,
        };
        if !matches!(event, Event::Chunk(_)) {
            self.ended = true;
        }
        Some(event)
    }

    async fn read(&mut self) -> Event {
        match &mut self.body {
            Body::Events(receiver) => match receiver.recv().await {
                Ok(Some(SdkEvent::PayloadChunk(update))) => Event::Chunk(
                    update
                        .payload
                        .map(|blob| Bytes::from(blob.into_inner()))
                        .unwrap_or_default(),
                ),
                Ok(Some(SdkEvent::InvokeComplete(complete))) => Event::Complete {
                    failure: complete_failure(
                        complete.error_code.as_deref(),
                        complete.error_details.as_deref(),
                    ),
                    log_tail: complete.log_result.as_deref().map(LogTail::from_header),
                },
                // An event this SDK does not know: nothing of the response is in it.
                Ok(Some(_)) => Event::Chunk(Bytes::new()),
                Ok(None) => Event::Failed(InvokeError::Transport(Box::new(self.transport(
                    "the response stream ended without Lambda's InvokeComplete event",
                    None,
                    None,
                )))),
                Err(error) => Event::Failed(self.failed(error)),
            },
            Body::Raw(body) => {
                use http_body_util::BodyExt as _;
                loop {
                    match body.frame().await {
                        None => {
                            return Event::Complete {
                                failure: None,
                                log_tail: None,
                            };
                        }
                        Some(Ok(frame)) => match frame.into_data() {
                            Ok(data) => match data
                                .starts_with(RUNTIME_ERROR_MARK)
                                .then(|| runtime_error(&data))
                                .flatten()
                            {
                                Some(object) => {
                                    return Event::Complete {
                                        failure: Some(object),
                                        log_tail: None,
                                    };
                                }
                                // Not the error alone (split, or after data in the same
                                // chunk): left to the stream's reader (a `ResponseStream`
                                // finds it in its lines).
                                None => return Event::Chunk(data),
                            },
                            // Trailers carry nothing of the response.
                            Err(_) => continue,
                        },
                        Some(Err(error)) => {
                            return Event::Failed(InvokeError::Transport(Box::new(
                                self.transport(
                                    "the connection was lost in the middle of the response stream",
                                    None,
                                    Some(error),
                                ),
                            )));
                        }
                    }
                }
            }
        }
    }

    fn failed(&self, error: SdkError<SdkEventError, RawMessage>) -> InvokeError {
        let (what, body) = match &error {
            SdkError::DispatchFailure(_) => (
                "the connection was lost in the middle of the response stream",
                None,
            ),
            SdkError::ResponseError(context) => (
                "the response stream held a frame that is not an event",
                match context.raw() {
                    RawMessage::Invalid(bytes) => bytes.clone(),
                    RawMessage::Decoded(message) => Some(message.payload().clone()),
                    _ => None,
                },
            ),
            SdkError::ServiceError(_) => ("Lambda ended the response stream with an error", None),
            SdkError::TimeoutError(_) => {
                return InvokeError::Timeout(Box::new(self.transport(
                    "the response stream timed out",
                    None,
                    error.into_source().ok(),
                )));
            }
            _ => ("the response stream could not be read", None),
        };
        InvokeError::Transport(Box::new(self.transport(
            what,
            body,
            error.into_source().ok(),
        )))
    }

    fn transport(
        &self,
        what: &'static str,
        body: Option<Bytes>,
        source: Option<BoxError>,
    ) -> TransportError {
        TransportError {
            function: self.function.to_string(),
            idempotency_key: None,
            what,
            // The function ran, or is running: sending the request again runs it again.
            redelivery: Redelivery::IfIdempotent,
            body,
            source,
            received: None,
        }
    }
}

#[cfg(feature = "client")]
/// The function error `InvokeComplete` reports, if any. `ErrorDetails` is read as an error
/// object when it is one (`{"errorType": …, "errorMessage": …}`), else as the message of an
/// error of type `ErrorCode`.
pub(crate) fn complete_failure(code: Option<&str>, details: Option<&str>) -> Option<ErrorObject> {
    let code = code.filter(|c| !c.is_empty())?;
    let details = details.unwrap_or_default();
    let object = ErrorObject::from_bytes(Bytes::copy_from_slice(details.as_bytes()));
    if object.error_type().is_some() {
        return Some(object);
    }
    Some(ErrorObject::new(code, details))
}

#[cfg(feature = "client")]
/// What the start of a streamed response says about `lambda_runtime`'s metadata prelude.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Prelude {
    /// Not enough bytes yet to tell.
    Undecided,
    /// The response does not start with a prelude.
    Absent,
    /// The response starts with a prelude of this many bytes (its 8 NUL bytes included).
    Ends(usize),
}

#[cfg(feature = "client")]
/// The most bytes read before deciding that a response starts with no prelude.
const MAX_PRELUDE: usize = 64 * 1024;

#[cfg(feature = "client")]
/// Whether `start` (the first bytes of a streamed response) begins with the metadata prelude
/// `lambda_runtime` writes before a streamed body — `{"statusCode":…,"headers":…,"cookies":…}`
/// then 8 NUL bytes — which Lambda's `InvokeWithResponseStream` passes on to the caller as
/// the first payload bytes (it is meant for function URLs).
pub(crate) fn prelude(start: &[u8]) -> Prelude {
    const SEPARATOR: [u8; 8] = [0; 8];
    match start.first() {
        None => return Prelude::Undecided,
        Some(b'{') => {}
        Some(_) => return Prelude::Absent,
    }
    if let Some(at) = start.windows(8).position(|w| w == SEPARATOR) {
        let object =
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&start[..at]);
        return match object {
            Ok(object) if object.contains_key("statusCode") => Prelude::Ends(at + 8),
            _ => Prelude::Absent,
        };
    }
    // The prelude is one line of JSON: a newline first means a response of lines.
    if start.contains(&b'\n') || start.len() > MAX_PRELUDE {
        return Prelude::Absent;
    }
    Prelude::Undecided
}

/// The start of the error `lambda_runtime` (1.5) writes into a streamed response when the
/// function's stream fails: it means these as HTTP trailers but sends them as the last chunk.
pub(crate) const RUNTIME_ERROR_MARK: &[u8] = b"Lambda-Runtime-Function-Error-Type:";

/// Reads `Lambda-Runtime-Function-Error-Type: T\r\nLambda-Runtime-Function-Error-Body: B\r\n`
/// (`B` base64): the error object in `B` when it is one, else an error of type `T` whose
/// message is `B` decoded. `None` when `bytes` is not exactly that.
pub(crate) fn runtime_error(bytes: &[u8]) -> Option<ErrorObject> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let error_type = lines
        .next()?
        .strip_prefix("Lambda-Runtime-Function-Error-Type:")?
        .trim();
    let body = lines
        .next()?
        .strip_prefix("Lambda-Runtime-Function-Error-Body:")?
        .trim();
    if lines.any(|rest| !rest.trim().is_empty()) {
        return None;
    }
    let decoded = aws_smithy_types::base64::decode(body).ok()?;
    let object = ErrorObject::from_bytes(Bytes::from(decoded.clone()));
    if object.error_type().is_some() {
        return Some(object);
    }
    Some(ErrorObject::new(
        error_type,
        String::from_utf8_lossy(&decoded).into_owned(),
    ))
}

#[cfg(feature = "client")]
/// Takes a successful response's body away from the SDK when it is not an event stream, so
/// that it is read as the function's raw bytes (see the module's documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct RawBody(pub(crate) Arc<Mutex<Option<SdkBody>>>);

#[cfg(feature = "client")]
impl RawBody {
    /// The body taken, if one was.
    pub(crate) fn take(&self) -> Option<SdkBody> {
        self.0.lock().ok()?.take()
    }
}

#[cfg(feature = "client")]
impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "lambda_remote::RawBody"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        if !response.status().is_success() {
            return Ok(());
        }
        let content_type = response
            .headers()
            .get("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with(EVENT_STREAM_CONTENT_TYPE) {
            return Ok(());
        }
        let body = response.take_body();
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(body);
        }
        Ok(())
    }
}

/// A streamed response as Lambda sent it, before it is read as items or bytes. Made by the
/// generated client; not a public API.
#[doc(hidden)]
pub struct RemoteStream {
    pub(super) events: BoxStream<Event>,
    pub(super) function: Arc<str>,
    metadata: ResponseMetadata,
}

impl RemoteStream {
    #[cfg(feature = "client")]
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
                    if held.starts_with(RUNTIME_ERROR_MARK)
                        && let Some(object) = runtime_error(&held)
                    {
                        return Err(failure(&function, object, metadata));
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
///
/// [`ResponseStream`]: crate::stream::response_stream::ResponseStream
/// [`ByteStream`]: crate::stream::byte_stream::ByteStream
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

/// A function error as the stream reports it.
pub(super) fn failure(
    function: &str,
    object: ErrorObject,
    metadata: ResponseMetadata,
) -> InvokeError {
    InvokeError::UnmappedFunction(Box::new(FunctionFailure {
        function: function.to_owned(),
        idempotency_key: None,
        error_header: None,
        object,
        metadata,
    }))
}

/// A transport failure of a stream, with the items that arrived and the bytes of a partial
/// item.
pub(super) fn with_received(error: InvokeError, received: u64, partial: Bytes) -> InvokeError {
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

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    #[test]
    fn invoke_complete_details_are_read_as_an_error_object_or_a_message() {
        let object = complete_failure(
            Some("Unhandled"),
            Some(r#"{"errorType":"Declined","errorMessage":"no","limit":3}"#),
        )
        .unwrap();
        assert_eq!(object.error_type(), Some("Declined"));
        assert_eq!(object.fields()["limit"], 3);
        let plain = complete_failure(Some("Sandbox.Timedout"), Some("Task timed out")).unwrap();
        assert_eq!(plain.error_type(), Some("Sandbox.Timedout"));
        assert_eq!(plain.error_message(), Some("Task timed out"));
        assert!(complete_failure(None, Some("x")).is_none());
        assert!(complete_failure(Some(""), None).is_none());
    }

    /// The stopped stream's error as `lambda_runtime` (1.5) writes it after the last chunk.
    fn runtime_error_chunk() -> String {
        format!(
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n",
            aws_smithy_types::base64::encode(
                r#"{"errorType":"Stopped","errorMessage":"stopped at 0"}"#
            )
        )
    }

    /// A reader of a raw body arriving in these chunks.
    fn raw_reader(chunks: Vec<&'static [u8]>) -> Reader {
        let frames = chunks.into_iter().map(|chunk| {
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from_static(chunk)))
        });
        let body = SdkBody::from_body_1_x(http_body_util::StreamBody::new(
            futures_util::stream::iter(frames),
        ));
        Reader::new(Arc::from("f"), Body::Raw(body), None)
    }

    #[tokio::test]
    async fn a_raw_chunk_that_is_lambda_runtimes_error_ends_the_invocation_with_it() {
        let error: &'static [u8] = runtime_error_chunk().leak().as_bytes();
        let mut reader = raw_reader(vec![b"{\"n\":0}\n", error, b"ignored"]);
        assert!(
            matches!(reader.next().await, Some(Event::Chunk(c)) if c.as_ref() == b"{\"n\":0}\n")
        );
        match reader.next().await {
            Some(Event::Complete {
                failure: Some(object),
                log_tail: None,
            }) => assert_eq!(object.error_type(), Some("Stopped")),
            _ => panic!("the error chunk ends the invocation"),
        }
        assert!(reader.next().await.is_none(), "nothing after the end");

        // The error alone, first: the invocation ends before any chunk.
        let mut reader = raw_reader(vec![error]);
        assert!(matches!(
            reader.next().await,
            Some(Event::Complete {
                failure: Some(_),
                ..
            })
        ));
    }

    #[tokio::test]
    async fn raw_data_that_only_holds_the_error_stays_a_chunk() {
        // After data in the same chunk, or split: left to the lines' reader.
        let error: &'static [u8] = runtime_error_chunk().leak().as_bytes();
        let merged: &'static [u8] = [b"{\"n\":0}\n".as_slice(), error].concat().leak();
        let mut reader = raw_reader(vec![merged]);
        assert!(matches!(reader.next().await, Some(Event::Chunk(c)) if c.as_ref() == merged));
        let (first, second) = error.split_at(20);
        let mut reader = raw_reader(vec![first, second]);
        assert!(matches!(reader.next().await, Some(Event::Chunk(c)) if c.as_ref() == first));
        assert!(matches!(reader.next().await, Some(Event::Chunk(c)) if c.as_ref() == second));
        assert!(matches!(
            reader.next().await,
            Some(Event::Complete { failure: None, .. })
        ));
        // Text that starts like the mark but is not the error: a chunk.
        let mut reader = raw_reader(vec![b"Lambda-Runtime-Function-Error-Type: but not\n"]);
        assert!(matches!(reader.next().await, Some(Event::Chunk(_))));
    }

    #[test]
    fn the_metadata_prelude_is_recognised_and_nothing_else() {
        let prelude_bytes =
            b"{\"statusCode\":200,\"headers\":{\"content-type\":\"application/octet-stream\"},\"cookies\":[]}";
        let mut with_data = prelude_bytes.to_vec();
        with_data.extend_from_slice(&[0; 8]);
        let end = with_data.len();
        with_data.extend_from_slice(b"{\"n\":1}\n");
        assert_eq!(prelude(&with_data), Prelude::Ends(end));
        assert_eq!(prelude(&with_data[..end]), Prelude::Ends(end));
        assert_eq!(prelude(&with_data[..end - 3]), Prelude::Undecided);
        assert_eq!(prelude(b""), Prelude::Undecided);
        assert_eq!(prelude(b"{\"n\":1}\n{\"n\":2}"), Prelude::Absent);
        assert_eq!(prelude(b"{\"n\":1"), Prelude::Undecided);
        assert_eq!(prelude(b"raw bytes"), Prelude::Absent);
        let mut not_prelude = b"{\"n\":1}".to_vec();
        not_prelude.extend_from_slice(&[0; 8]);
        assert_eq!(prelude(&not_prelude), Prelude::Absent);
        assert_eq!(prelude(&vec![b'{'; MAX_PRELUDE + 1]), Prelude::Absent);
    }

    #[test]
    fn lambda_runtime_error_chunks_are_recognised_exactly() {
        let typed = format!(
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n",
            aws_smithy_types::base64::encode(r#"{"errorType":"Declined","errorMessage":"no"}"#)
        );
        let object = runtime_error(typed.as_bytes()).unwrap();
        assert_eq!(object.error_type(), Some("Declined"));
        let text = format!(
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n",
            aws_smithy_types::base64::encode("disk full")
        );
        let object = runtime_error(text.as_bytes()).unwrap();
        assert_eq!(object.error_type(), Some("Runtime.StreamError"));
        assert_eq!(object.error_message(), Some("disk full"));
        assert!(runtime_error(b"Lambda-Runtime-Function-Error-Type: X\r\n").is_none());
        assert!(runtime_error(format!("{text}more").as_bytes()).is_none());
        assert!(runtime_error(b"{\"a\":1}\n").is_none());
    }
}
