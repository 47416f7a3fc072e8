//! `InvokeWithResponseStream` answers as Lambda encodes them, for raw servers: event-stream
//! frames, one HTTP chunk each.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};

fn frame(event_type: &'static str, content_type: &'static str, payload: &[u8]) -> Vec<u8> {
    let message = Message::new(payload.to_vec())
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
    let mut out = Vec::new();
    write_message_to(&message, &mut out).unwrap();
    out
}

/// A `PayloadChunk` event.
pub fn chunk(payload: &[u8]) -> Vec<u8> {
    frame("PayloadChunk", "application/octet-stream", payload)
}

/// An `InvokeComplete` event with this JSON.
pub fn complete(json: &str) -> Vec<u8> {
    frame("InvokeComplete", "application/json", json.as_bytes())
}

/// A 200 event-stream response, chunked, one HTTP chunk per frame, with `headers` added; `end`
/// adds the last (empty) chunk, without it the body is cut where the frames stop.
pub fn response(frames: &[Vec<u8>], end: bool, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
x-amzn-requestid: req-1\r\nx-amz-executed-version: $LATEST\r\ntransfer-encoding: chunked\r\n",
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    for frame in frames {
        out.extend_from_slice(format!("{:x}\r\n", frame.len()).as_bytes());
        out.extend_from_slice(frame);
        out.extend_from_slice(b"\r\n");
    }
    if end {
        out.extend_from_slice(b"0\r\n\r\n");
    }
    out
}
