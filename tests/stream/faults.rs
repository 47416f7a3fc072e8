//! What a streaming method does when the stream breaks, counted exactly: a raw server writes
//! real event-stream frames (as Lambda encodes them) and then misbehaves.
//!
//! Once the response has started, the function has run (or is running): nothing is ever sent
//! again, the items that arrived stay delivered, and the error says how many there were.
//! Before the response starts, a streaming call is sent again exactly as a buffered one is
//! (the guide's delivery chapter, `src/guide/delivery.md`).

use crate::support;

use std::time::Duration;

use lambda_remote::{
    ByteStream, CallOptions, Delivery, FunctionError, InvokeError, ResponseStream,
    error::Redelivery, lambda_remote,
};
use serde::{Deserialize, Serialize};
use support::event_stream::{chunk, complete};
use support::raw::{Fault, RawServer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub n: u64,
}

#[derive(Debug, PartialEq, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("stopped at {at}")]
    Stopped { at: u64 },
}

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(&self) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>>;

    #[lambda(function = "report-rows", invocation = "stream", timeout = "300ms")]
    async fn rows_bounded(&self) -> Result<ResponseStream<Row>, InvokeError>;

    #[lambda(function = "report-bytes", invocation = "stream")]
    async fn bytes(&self) -> Result<ByteStream, InvokeError>;
}

fn line(n: u64) -> Vec<u8> {
    format!("{{\"n\":{n}}}\n").into_bytes()
}

fn response(frames: &[Vec<u8>], end: bool) -> Vec<u8> {
    support::event_stream::response(frames, end, &[])
}

fn client(server: &RawServer) -> ReportsClient {
    ReportsClient::new(support::sdk_client(&server.url))
}

/// Both delivery modes, and the requests each must count: `[at most once, at least once]`.
const MODES: [Delivery; 2] = [Delivery::AtMostOnce, Delivery::AtLeastOnce];

/// Runs `case` once per delivery mode, each against a server of its own answering with
/// `fault`, through a client of that mode, and asserts that exactly `requests[i]` requests
/// reached the server in mode `MODES[i]`.
async fn in_both_modes<F, Fut>(fault: Fault, requests: [usize; 2], case: F)
where
    F: Fn(ReportsClient, Delivery) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for (delivery, expected) in MODES.into_iter().zip(requests) {
        let server = RawServer::start(fault.clone()).await;
        let client = ReportsClient::builder(support::sdk_client(&server.url))
            .delivery(delivery)
            .build()
            .unwrap();
        case(client, delivery).await;
        assert_eq!(server.requests(), expected, "{delivery:?}: requests");
    }
}

/// Reads to the end: the items, and the error the stream ended with.
async fn drain<T, E: FunctionError>(
    stream: &mut ResponseStream<T, E>,
) -> (Vec<T>, Option<InvokeError<E>>) {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => items.push(item),
            Err(error) => {
                assert!(stream.next().await.is_none(), "nothing after the error");
                return (items, Some(error));
            }
        }
    }
    (items, None)
}

fn transport(error: &InvokeError<impl std::fmt::Debug>) -> &lambda_remote::error::TransportError {
    match error {
        InvokeError::Transport(e) | InvokeError::Timeout(e) => e,
        other => panic!("expected a transport failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_complete_stream_ends_with_every_item() {
    let frames = [
        chunk(&line(0)),
        chunk(&[line(1), line(2)].concat()),
        complete("{}"),
    ];
    let server = RawServer::start(Fault::Write(response(&frames, true))).await;
    let mut rows = client(&server).rows().await.unwrap();
    let (items, error) = drain(&mut rows).await;
    assert_eq!(items, vec![Row { n: 0 }, Row { n: 1 }, Row { n: 2 }]);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rows.metadata().request_id(), Some("req-1"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn items_split_across_chunks_are_joined() {
    let all = [line(7), line(8)].concat();
    let frames: Vec<Vec<u8>> = all.chunks(3).map(chunk).chain([complete("{}")]).collect();
    let server = RawServer::start(Fault::Write(response(&frames, true))).await;
    let rows = client(&server).rows().await.unwrap();
    assert_eq!(
        rows.collect_items().await.unwrap(),
        vec![Row { n: 7 }, Row { n: 8 }]
    );
}

#[tokio::test]
async fn a_connection_lost_mid_stream_says_how_many_items_arrived_and_is_not_sent_again() {
    let frames = [chunk(&line(0)), chunk(&line(1)), chunk(&line(2))];
    let fault = Fault::Write(response(&frames, false));
    in_both_modes(fault, [1, 1], |client, delivery| async move {
        let mut rows = client.rows().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items.len(), 3, "{delivery:?}");
        let error = error.expect("the stream ends with the failure");
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        let failure = transport(&error);
        assert_eq!(failure.items_received(), Some(3));
        assert_eq!(failure.redelivery(), Redelivery::IfIdempotent);
        assert!(error.to_string().contains("after 3 items"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_partial_item_travels_in_the_error() {
    let frames = [chunk(&[line(0), line(1), b"{\"n\":".to_vec()].concat())];
    let fault = Fault::Write(response(&frames, false));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items, vec![Row { n: 0 }, Row { n: 1 }]);
        let error = error.unwrap();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        let failure = transport(&error);
        assert_eq!(failure.items_received(), Some(2));
        assert_eq!(
            failure.partial_body().map(|b| b.as_ref()),
            Some(&b"{\"n\":"[..])
        );
    })
    .await;
}

#[tokio::test]
async fn a_stream_that_ends_without_invoke_complete_is_a_transport_error() {
    let frames = [chunk(&line(0)), chunk(&line(1))];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items.len(), 2);
        let error = error.unwrap();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(transport(&error).items_received(), Some(2));
        assert!(
            error
                .to_string()
                .contains("without Lambda's InvokeComplete event"),
            "{error}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_stalled_stream_times_out_after_the_methods_timeout() {
    let frames = [chunk(&line(0)), chunk(&line(1))];
    let fault = Fault::Stall(response(&frames, false), Duration::from_secs(30));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows_bounded().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items.len(), 2);
        let error = error.unwrap();
        assert!(matches!(error, InvokeError::Timeout(_)), "{error:?}");
        assert_eq!(transport(&error).items_received(), Some(2));
    })
    .await;
}

#[tokio::test]
async fn no_first_byte_within_the_timeout_is_the_calls_timeout() {
    // The method's timeout bounds the whole call, retries included: one request in both
    // modes.
    let fault = Fault::Stall(Vec::new(), Duration::from_secs(30));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let error = client.rows_bounded().await.unwrap_err();
        assert!(matches!(error, InvokeError::Timeout(_)), "{error:?}");
    })
    .await;
}

#[tokio::test]
async fn a_frame_that_is_no_event_keeps_its_bytes() {
    let mut frames = vec![chunk(&line(0))];
    // A frame whose checksum is wrong.
    let mut broken = chunk(&line(1));
    let last = broken.len() - 1;
    broken[last] ^= 0xff;
    frames.push(broken);
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items.len(), 1);
        let error = error.unwrap();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(transport(&error).items_received(), Some(1));
    })
    .await;
}

#[tokio::test]
async fn invoke_complete_errors_are_typed_or_kept_whole() {
    let typed = r#"{"ErrorCode":"Stopped","ErrorDetails":"{\"errorType\":\"Stopped\",\"errorMessage\":\"stopped at 1\",\"at\":1}","LogResult":"bG9nIHRhaWw="}"#;
    let frames = [chunk(&line(0)), complete(typed)];
    in_both_modes(
        Fault::Write(response(&frames, true)),
        [1, 1],
        |client, _| async move {
            let mut rows = client.rows().await.unwrap();
            let (items, error) = drain(&mut rows).await;
            assert_eq!(items, vec![Row { n: 0 }]);
            let error = error.unwrap();
            assert_eq!(
                error.function_error(),
                Some(&ReportError::Stopped { at: 1 })
            );
            assert_eq!(error.redelivery(), Redelivery::Never);
            let tail = error.failure().unwrap().metadata().log_tail().unwrap();
            assert_eq!(tail.text(), "log tail");
            assert_eq!(rows.metadata().log_tail().unwrap().text(), "log tail");
        },
    )
    .await;

    let plain =
        r#"{"ErrorCode":"Sandbox.Timedout","ErrorDetails":"Task timed out after 3.00 seconds"}"#;
    let frames = [chunk(&line(0)), complete(plain)];
    in_both_modes(
        Fault::Write(response(&frames, true)),
        [1, 1],
        |client, _| async move {
            let mut rows = client.rows().await.unwrap();
            let (items, error) = drain(&mut rows).await;
            assert_eq!(items.len(), 1);
            let error = error.unwrap();
            assert!(
                matches!(error, InvokeError::UnmappedFunction(_)),
                "{error:?}"
            );
            let failure = error.failure().expect("a function error");
            assert_eq!(failure.error_type(), Some("Sandbox.Timedout"));
            assert_eq!(
                failure.error_message(),
                Some("Task timed out after 3.00 seconds")
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_line_that_does_not_decode_keeps_its_bytes_and_the_rest_is_read() {
    let frames = [
        chunk(&[line(0), b"not json\n".to_vec(), line(2)].concat()),
        complete("{}"),
    ];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows().await.unwrap();
        assert_eq!(rows.next().await.unwrap().unwrap(), Row { n: 0 });
        match rows.next().await.unwrap().unwrap_err() {
            InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), b"not json"),
            other => panic!("expected the undecodable line, got {other:?}"),
        }
        assert_eq!(rows.next().await.unwrap().unwrap(), Row { n: 2 });
        assert!(rows.next().await.is_none());
        assert_eq!(rows.received(), 2);
    })
    .await;
}

#[tokio::test]
async fn byte_streams_count_chunks_and_end_with_the_functions_error() {
    let frames = [
        chunk(b"abc"),
        chunk(b"def"),
        complete(r#"{"ErrorCode":"Boom","ErrorDetails":"it broke"}"#),
    ];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut bytes = client.bytes().await.unwrap();
        assert_eq!(bytes.next().await.unwrap().unwrap().as_ref(), b"abc");
        assert_eq!(bytes.next().await.unwrap().unwrap().as_ref(), b"def");
        let error = bytes.next().await.unwrap().unwrap_err();
        assert_eq!(error.failure().unwrap().error_type(), Some("Boom"));
        assert!(bytes.next().await.is_none());
        assert_eq!(bytes.received(), 2);
    })
    .await;

    let fault = Fault::Write(response(&[chunk(b"abc")], false));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut bytes = client.bytes().await.unwrap();
        assert_eq!(bytes.next().await.unwrap().unwrap().as_ref(), b"abc");
        let error = bytes.next().await.unwrap().unwrap_err();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(transport(&error).items_received(), Some(1));
        assert!(bytes.next().await.is_none());
    })
    .await;
}

#[tokio::test]
async fn before_the_response_starts_a_stream_is_sent_again_as_its_delivery_says() {
    // The request was written and the connection closed: at most once it is not sent again,
    // at least once it is, up to the three attempts.
    in_both_modes(Fault::Close, [1, 3], |client, _| async move {
        let error = client.rows().await.unwrap_err();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    })
    .await;
    // The same through `CallOptions::delivery` on an at-most-once client.
    let server = RawServer::start(Fault::Close).await;
    let options = CallOptions::new().delivery(Delivery::AtLeastOnce);
    let error = client(&server).rows_with(&options).await.unwrap_err();
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert_eq!(server.requests(), 3, "at least once: three attempts");

    // A throttle is retried in both modes: the function did not run.
    let body = br#"{"Type":"User","message":"Rate exceeded","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}"#;
    let throttled = support::raw::response(
        "429 Too Many Requests",
        &[("x-amzn-errortype", "TooManyRequestsException")],
        body,
        body.len(),
    );
    in_both_modes(Fault::Write(throttled), [3, 3], |client, _| async move {
        let error = client.rows().await.unwrap_err();
        assert!(error.is_throttled(), "{error:?}");
        let service = error.service_error().expect("a service error");
        assert_eq!(service.body().as_ref(), body);
    })
    .await;
}

/// What `lambda_runtime` writes before a streamed body, and Lambda passes on.
fn prelude() -> Vec<u8> {
    let mut bytes =
        br#"{"statusCode":200,"headers":{"content-type":"application/octet-stream"},"cookies":[]}"#
            .to_vec();
    bytes.extend_from_slice(&[0; 8]);
    bytes
}

#[tokio::test]
async fn lambda_runtimes_metadata_prelude_is_not_part_of_the_response() {
    // As `lambda_runtime` sends it: the prelude, the separator, then the body, each its own
    // chunk; and all in one chunk.
    let split = prelude().len() - 8;
    let frames = [
        chunk(&prelude()[..split]),
        chunk(&[0; 8]),
        chunk(&line(0)),
        chunk(&line(1)),
        complete("{}"),
    ];
    let together = [
        chunk(&[prelude(), line(0), line(1)].concat()),
        complete("{}"),
    ];
    for frames in [&frames[..], &together[..]] {
        let fault = Fault::Write(response(frames, true));
        in_both_modes(fault, [1, 1], |client, _| async move {
            let rows = client.rows().await.unwrap();
            assert_eq!(
                rows.collect_items().await.unwrap(),
                vec![Row { n: 0 }, Row { n: 1 }]
            );
        })
        .await;
    }
    let frames = [chunk(&prelude()), chunk(b"raw"), complete("{}")];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let bytes = client.bytes().await.unwrap();
        assert_eq!(bytes.collect_bytes().await.unwrap().as_ref(), b"raw");
    })
    .await;
}

#[tokio::test]
async fn lambda_runtimes_error_text_before_any_item_is_the_calls_error() {
    use base64::Engine as _;
    let body = r#"{"errorType":"Stopped","errorMessage":"stopped at 0","at":0}"#;
    let text = format!(
        "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n",
        base64::engine::general_purpose::STANDARD.encode(body)
    );
    let frames = [chunk(&prelude()), chunk(text.as_bytes()), complete("{}")];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let error = client.rows().await.unwrap_err();
        assert_eq!(
            error.function_error(),
            Some(&ReportError::Stopped { at: 0 })
        );
        assert_eq!(
            error.failure().unwrap().object().raw().as_ref(),
            body.as_bytes()
        );
    })
    .await;

    // After items, the same text ends the stream with the typed error.
    let frames = [
        chunk(&prelude()),
        chunk(&line(0)),
        chunk(text.as_bytes()),
        complete("{}"),
    ];
    let fault = Fault::Write(response(&frames, true));
    in_both_modes(fault, [1, 1], |client, _| async move {
        let mut rows = client.rows().await.unwrap();
        let (items, error) = drain(&mut rows).await;
        assert_eq!(items, vec![Row { n: 0 }]);
        assert_eq!(
            error.unwrap().function_error(),
            Some(&ReportError::Stopped { at: 0 })
        );
    })
    .await;
}

#[tokio::test]
async fn text_that_only_looks_like_lambda_runtimes_error_is_delivered_not_dropped() {
    let text = b"Lambda-Runtime-Function-Error-Type: X\r\nnot the body line\r\n".to_vec();
    let frames = [chunk(&line(0)), chunk(&text), complete("{}")];
    let server = RawServer::start(Fault::Write(response(&frames, true))).await;
    let mut rows = client(&server).rows().await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), Row { n: 0 });
    let mut kept = Vec::new();
    while let Some(item) = rows.next().await {
        match item.unwrap_err() {
            InvokeError::Deserialize(e) => kept.extend_from_slice(e.payload()),
            other => panic!("expected the text as undecodable lines, got {other:?}"),
        }
    }
    let kept = String::from_utf8(kept).unwrap();
    assert!(
        kept.contains("Lambda-Runtime-Function-Error-Type: X"),
        "{kept}"
    );
    assert!(kept.contains("not the body line"), "{kept}");
}
