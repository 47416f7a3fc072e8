//! The frames of an `InvokeWithResponseStream` answer, as Lambda encodes them
//! (`application/vnd.amazon.eventstream`): `PayloadChunk` events, then one `InvokeComplete`.
//! Written by the local endpoint and by the typed mocks.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use serde_json::{Map, Value};

/// The HTTP content type of the answer.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

fn event(event_type: &'static str, content_type: &'static str, payload: Bytes) -> Bytes {
    let message = Message::new(payload)
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(event_type.into()),
        ))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String(content_type.into()),
        ));
    let mut frame = Vec::with_capacity(message.payload().len() + 96);
    // Encoding fails only for headers over the format's limits (these are fixed and short)
    // or a payload over 4 GB (chunks are cut at `MAX_CHUNK`).
    write_message_to(&message, &mut frame).expect("a payload event is always encodable");
    Bytes::from(frame)
}

/// The largest payload of one `PayloadChunk` event; longer chunks are sent as several.
#[cfg(feature = "local")]
pub(crate) const MAX_CHUNK: usize = 1 << 20;

/// A `PayloadChunk` event carrying `chunk` (at most [`MAX_CHUNK`] bytes).
pub(crate) fn payload_chunk(chunk: Bytes) -> Bytes {
    event("PayloadChunk", "application/octet-stream", chunk)
}

/// The `InvokeComplete` event: the function's error (its `errorType` as `ErrorCode`, the
/// whole error object as `ErrorDetails`) and the base64 log tail, when there are.
pub(crate) fn invoke_complete(error: Option<&Value>, log_result: Option<String>) -> Bytes {
    let mut body = Map::new();
    if let Some(error) = error {
        let code = error
            .get("errorType")
            .and_then(Value::as_str)
            .unwrap_or("Unhandled");
        body.insert("ErrorCode".into(), Value::String(code.to_owned()));
        body.insert("ErrorDetails".into(), Value::String(error.to_string()));
    }
    if let Some(log) = log_result {
        body.insert("LogResult".into(), Value::String(log));
    }
    let payload = serde_json::to_vec(&Value::Object(body)).unwrap_or_default();
    event("InvokeComplete", "application/json", Bytes::from(payload))
}
