//! Typed response streaming, end to end: a `#[lambda(invocation = "stream")]` method called
//! through the generated client, the real SDK's `InvokeWithResponseStream` and HTTP, served
//! by the local endpoint from the implementation of the same trait.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use lambda_remote::local::{Flavor, LocalLambda};
use lambda_remote::{
    ByteStream, FunctionError, InvokeError, ResponseStream, lambda_remote, stream::StreamSender,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub n: u64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("the report stopped at row {at}")]
    Stopped { at: u64 },
    #[error("no such report")]
    NotFound,
}

#[lambda_remote(server)]
pub trait Reports {
    /// `count` rows; with `fail_at`, the stream ends with `Stopped` after that many rows.
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(
        &self,
        count: u64,
        fail_at: Option<u64>,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>>;

    /// `count` chunks of `size` bytes.
    #[lambda(function = "report-export", invocation = "stream", log = "tail")]
    async fn export(&self, count: u64, size: usize) -> Result<ByteStream, InvokeError>;

    /// Fails before streaming anything.
    #[lambda(function = "report-missing", invocation = "stream")]
    async fn missing(&self) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>>;

    /// `count` rows, all ready at once.
    #[lambda(function = "report-many", invocation = "stream")]
    async fn many(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError>;

    /// `count` rows, `pause_ms` apart.
    #[lambda(function = "report-paced", invocation = "stream")]

    async fn paced(&self, count: u64, pause_ms: u64) -> Result<ResponseStream<Row>, InvokeError>;

    /// Panics after `after` rows: in the stream itself (`in_stream`), or in the task sending
    /// them through a channel.
    #[lambda(function = "report-panics", invocation = "stream")]
    async fn panics(&self, after: u64, in_stream: bool)
    -> Result<ResponseStream<Row>, InvokeError>;

    /// `count` rows of `width` bytes sent one by one through a channel, counting what was
    /// produced.
    #[lambda(function = "report-slow", invocation = "stream", timeout = "30s")]
    async fn slow(&self, count: u64, width: usize) -> Result<ResponseStream<Row>, InvokeError>;
}

/// A function writing its newline-delimited JSON itself, cut anywhere: a line across two
/// chunks, blank lines, a line that is not a row, a last line without its newline.
#[lambda_remote(server)]
pub trait RawLines {
    #[lambda(function = "report-lines", invocation = "stream")]
    async fn lines(&self) -> Result<ByteStream, InvokeError>;
}

/// The caller's side of `report-lines`: rows.
#[lambda_remote]
pub trait Lines {
    #[lambda(function = "report-lines", invocation = "stream")]
    async fn lines(&self) -> Result<ResponseStream<Row>, InvokeError>;
}

struct RawLinesImpl;

impl RawLines for RawLinesImpl {
    async fn lines(&self) -> Result<ByteStream, InvokeError> {
        Ok(ByteStream::from_chunks([
            Bytes::from_static(b"{\"n\":0,\"text\":\"row 0\"}\n{\"n\":1,"),
            Bytes::from_static(b"\"text\":\"row 1\"}\n\n  \r\n"),
            Bytes::from_static(b"not a row\n{\"n\""),
            Bytes::from_static(b":2,\"text\":\"row 2\"}"),
        ]))
    }
}

#[derive(Default)]
struct ReportsImpl {
    produced: Arc<AtomicUsize>,
}

fn row(n: u64) -> Row {
    Row {
        n,
        text: format!("row {n}"),
    }
}

impl Reports for ReportsImpl {
    async fn rows(
        &self,
        count: u64,
        fail_at: Option<u64>,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>> {
        let (sender, stream): (StreamSender<Row, ReportError>, _) = ResponseStream::channel(4);
        tokio::spawn(async move {
            for n in 0..count {
                if Some(n) == fail_at {
                    let _ = sender.fail(ReportError::Stopped { at: n }).await;
                    return;
                }
                if sender.send(row(n)).await.is_err() {
                    return;
                }
            }
        });
        Ok(stream)
    }

    async fn export(&self, count: u64, size: usize) -> Result<ByteStream, InvokeError> {
        let chunks = (0..count).map(move |n| Bytes::from(vec![b'a' + (n % 26) as u8; size]));
        Ok(ByteStream::from_chunks(chunks))
    }

    async fn missing(&self) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>> {
        Err(ReportError::NotFound.into())
    }

    async fn many(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError> {
        Ok(ResponseStream::from_items((0..count).map(row)))
    }

    async fn paced(&self, count: u64, pause_ms: u64) -> Result<ResponseStream<Row>, InvokeError> {
        let (sender, stream) = ResponseStream::channel(4);
        tokio::spawn(async move {
            for n in 0..count {
                tokio::time::sleep(Duration::from_millis(pause_ms)).await;
                if sender.send(row(n)).await.is_err() {
                    return;
                }
            }
        });
        Ok(stream)
    }

    async fn panics(
        &self,
        after: u64,
        in_stream: bool,
    ) -> Result<ResponseStream<Row>, InvokeError> {
        if in_stream {
            let rows = futures_util::stream::iter(0..).map(move |n| {
                assert!(n < after, "row {n} is one too many");
                Ok::<_, InvokeError>(row(n))
            });
            return Ok(ResponseStream::from_stream(rows));
        }
        let (sender, stream) = ResponseStream::channel(4);
        tokio::spawn(async move {
            for n in 0..after {
                let _ = sender.send(row(n)).await;
            }
            panic!("the sender gives up");
        });
        Ok(stream)
    }

    async fn slow(&self, count: u64, width: usize) -> Result<ResponseStream<Row>, InvokeError> {
        let produced = self.produced.clone();
        let (sender, stream) = ResponseStream::channel(1);
        tokio::spawn(async move {
            for n in 0..count {
                let row = Row {
                    n,
                    text: "x".repeat(width),
                };
                if sender.send(row).await.is_err() {
                    return;
                }
                produced.fetch_add(1, Ordering::SeqCst);
            }
        });
        Ok(stream)
    }
}

async fn served() -> (LocalLambda, ReportsClient, Arc<AtomicUsize>) {
    let implementation = ReportsImpl::default();
    let produced = implementation.produced.clone();
    let lambda = LocalLambda::builder()
        .serve_all(ReportsServer::new(implementation).handlers())
        .start()
        .await
        .expect("the endpoint starts");
    let client = ReportsClient::new(lambda.sdk_client());
    (lambda, client, produced)
}

#[tokio::test]
async fn typed_items_arrive_in_order() {
    let (lambda, client, _) = served().await;
    let rows = client.rows(1000, None).await.unwrap();
    let rows = rows.collect_items().await.unwrap();
    assert_eq!(rows.len(), 1000);
    assert!(rows.iter().enumerate().all(|(i, r)| *r == row(i as u64)));
    assert_eq!(lambda.invocations("report-rows").len(), 1);
}

#[tokio::test]
async fn lines_are_read_across_chunks_and_a_line_that_does_not_decode_is_its_own_error() {
    let lambda = LocalLambda::builder()
        .serve_all(RawLinesServer::new(RawLinesImpl).handlers())
        .start()
        .await
        .expect("the endpoint starts");
    let mut rows = LinesClient::new(lambda.sdk_client()).lines().await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), row(0));
    assert_eq!(rows.next().await.unwrap().unwrap(), row(1));
    match rows.next().await.unwrap() {
        Err(InvokeError::Deserialize(error)) => assert_eq!(error.payload().as_ref(), b"not a row"),
        other => panic!("expected the line's decoding error, got {other:?}"),
    }
    assert_eq!(rows.next().await.unwrap().unwrap(), row(2));
    assert!(rows.next().await.is_none());
    assert_eq!(rows.received(), 3);
}

#[tokio::test]
async fn a_function_error_after_items_ends_the_stream_typed() {
    let (_lambda, client, _) = served().await;
    let mut rows = client.rows(10, Some(3)).await.unwrap();
    let mut got = Vec::new();
    let error = loop {
        match rows.next().await {
            Some(Ok(row)) => got.push(row),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the function's error"),
        }
    };
    assert_eq!(got, vec![row(0), row(1), row(2)]);
    assert_eq!(
        error.function_error(),
        Some(&ReportError::Stopped { at: 3 })
    );
    assert_eq!(rows.received(), 3);
    assert!(rows.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn an_error_before_the_stream_is_the_methods_error() {
    let (_lambda, client, _) = served().await;
    let error = client.missing().await.unwrap_err();
    assert_eq!(error.function_error(), Some(&ReportError::NotFound));
}

#[tokio::test]
async fn raw_chunks_and_the_log_tail_arrive() {
    let (_lambda, client, _) = served().await;
    let mut stream = client.export(5, 3000).await.unwrap();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, 15_000);
    let tail = stream.metadata().log_tail().expect("the log tail");
    assert!(tail.text().contains("END RequestId"), "{}", tail.text());
}

#[tokio::test]
async fn service_errors_come_before_the_stream() {
    let lambda = LocalLambda::builder().start().await.unwrap();
    let client = ReportsClient::new(lambda.sdk_client());
    let error = client.rows(1, None).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn a_slow_reader_slows_the_function() {
    // 100,000 rows of 1 KB: 100 MB, far more than the sockets' buffers hold.
    const ROWS: u64 = 100_000;
    let (_lambda, client, produced) = served().await;
    let mut rows = client.slow(ROWS, 1024).await.unwrap();
    for _ in 0..10 {
        rows.next().await.unwrap().unwrap();
    }
    // Wait until the function stops: when nothing holds it back, that is after every row.
    let mut last = usize::MAX;
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = produced.load(Ordering::SeqCst);
        if now == last {
            break;
        }
        last = now;
    }
    let ahead = produced.load(Ordering::SeqCst);
    assert_eq!(ahead, last, "the function is held back");
    // What the channel, the endpoint, the sockets and the SDK buffer: a few MB at most.
    assert!(
        ahead < 20_000,
        "the function ran {ahead} rows of 1 KB ahead of a reader that took 10"
    );
    // Reading on lets it go on.
    for _ in 0..1000 {
        rows.next().await.unwrap().unwrap();
    }
    assert_eq!(rows.received(), 1010);
    drop(rows);
}

#[tokio::test]
async fn a_panic_mid_stream_ends_it_with_an_error_not_silently() {
    let (_lambda, client, _) = served().await;
    for in_stream in [true, false] {
        let mut rows = client.panics(3, in_stream).await.unwrap();
        let mut got = 0;
        let error = loop {
            match rows.next().await {
                Some(Ok(_)) => got += 1,
                Some(Err(error)) => break error,
                None => panic!("in_stream = {in_stream}: the stream ended as if complete"),
            }
        };
        assert_eq!(got, 3, "in_stream = {in_stream}");
        let failure = error.failure().expect("a function error");
        let message = failure.error_message().unwrap();
        assert!(message.starts_with("Lambda panicked: "), "{message}");
        let expected = if in_stream {
            "row 3 is one too many"
        } else {
            "the task sending this stream panicked"
        };
        assert!(message.contains(expected), "{message}");
    }
}

/// As `cargo lambda watch` 1.9.2 answers the SDK's streaming path (the interop suite measures
/// the real one): the default function `_` runs with the payload inside a function URL event,
/// and its raw bytes are read as the stream.
#[tokio::test]
async fn cargo_lambda_raw_bytes_are_read_as_the_stream() {
    use lambda_remote::ErrorObject;
    use lambda_remote::local::{Function, Handler, Invocation};
    use lambda_remote::stream::ResponseChunks;
    // The default function: the rows the event's body asks for, failing at `fail_at`.
    let default = Handler::streaming(|invocation: Invocation| async move {
        let event: serde_json::Value = invocation.json()?;
        let body = event["body"].as_str().unwrap_or_default();
        let arguments: serde_json::Value = serde_json::from_str(body)?;
        let count = arguments["count"].as_u64().unwrap_or(0);
        let fail_at = arguments["fail_at"].as_u64();
        let chunks = (0..count).map(move |n| {
            if Some(n) == fail_at {
                let object = ReportError::Stopped { at: n };
                let object = lambda_remote::ErrorObject::with_fields(
                    "Stopped",
                    object.to_string(),
                    serde_json::json!({"at": n}).as_object().unwrap().clone(),
                );
                return Err(object);
            }
            let line = serde_json::to_vec(&row(n)).unwrap();
            Ok(Bytes::from([line, b"\n".to_vec()].concat()))
        });
        let chunks = futures_util::stream::iter(chunks).scan(false, |failed, chunk| {
            // Nothing after the error.
            let next = (!*failed).then_some(chunk.clone());
            *failed |= chunk.is_err();
            std::future::ready(next)
        });
        Ok::<_, ErrorObject>(ResponseChunks::new(chunks))
    });
    let lambda = LocalLambda::builder()
        .flavor(Flavor::CargoLambda)
        .function(Function::new("_", default))
        .start()
        .await
        .unwrap();
    let client = ReportsClient::new(lambda.sdk_client());
    let rows = client.rows(50, None).await.unwrap();
    assert_eq!(rows.collect_items().await.unwrap().len(), 50);
    let mut rows = client.rows(5, Some(2)).await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), row(0));
    assert_eq!(rows.next().await.unwrap().unwrap(), row(1));
    let error = rows.next().await.unwrap().unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&ReportError::Stopped { at: 2 })
    );
    // An error before the first chunk: 500 with the error object, the call's typed error.
    let error = client.rows(5, Some(0)).await.unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&ReportError::Stopped { at: 0 })
    );
    assert_eq!(lambda.invocations("_").len(), 3);

    // Without a default function: 404 "Default function disabled", nothing runs.
    let lambda = LocalLambda::builder()
        .flavor(Flavor::CargoLambda)
        .serve_all(ReportsServer::new(ReportsImpl::default()).handlers())
        .start()
        .await
        .unwrap();
    let client = ReportsClient::new(lambda.sdk_client());
    let error = client.rows(1, None).await.unwrap_err();
    let service = error.service_error().expect("a service error");
    assert_eq!(service.status(), 404);
    assert!(String::from_utf8_lossy(service.body()).contains("Default function disabled"));
    assert!(lambda.invocations("report-rows").is_empty());
}

/// As moto's server (5.2.1) answers it: no route, Werkzeug's 404 page, which says nothing
/// about the function.
#[tokio::test]
async fn moto_has_no_streaming_route() {
    let lambda = LocalLambda::builder()
        .flavor(Flavor::Moto)
        .start()
        .await
        .unwrap();
    let client = ReportsClient::new(lambda.sdk_client());
    let error = client.rows(1, None).await.unwrap_err();
    let service = error.service_error().expect("a service error");
    assert_eq!((service.status(), service.code()), (404, None));
    assert!(!error.is_not_found(), "{error:?}");
}

/// The payloads of the `PayloadChunk` events of one raw `InvokeWithResponseStream` call, in
/// order.
async fn events_of(lambda: &LocalLambda, function: &str, payload: &str) -> Vec<Bytes> {
    use lambda_remote::aws_sdk_lambda::primitives::Blob;
    use lambda_remote::aws_sdk_lambda::types::InvokeWithResponseStreamResponseEvent as Event;
    let mut output = lambda
        .sdk_client()
        .invoke_with_response_stream()
        .function_name(function)
        .payload(Blob::new(payload.as_bytes().to_vec()))
        .send()
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(event) = output.event_stream.recv().await.unwrap() {
        if let Event::PayloadChunk(chunk) = event {
            events.push(Bytes::copy_from_slice(chunk.payload().unwrap().as_ref()));
        }
    }
    events
}

/// How many rows the events hold (one per line).
fn rows_in(events: &[Bytes]) -> usize {
    events
        .iter()
        .map(|event| event.iter().filter(|&&b| b == b'\n').count())
        .sum()
}

/// The documented batching (the guide's streaming chapter, `src/guide/streaming.md`): each
/// event holds as many of the ready lines, in order, as fit in 64 KiB. The sizes of the events
/// `lines` go in.
fn batched(lines: &[Vec<u8>]) -> Vec<usize> {
    const MAX_EVENT: usize = 64 * 1024;
    let mut sizes = vec![0];
    for line in lines {
        let last = sizes.last_mut().unwrap();
        if *last > 0 && *last + line.len() > MAX_EVENT {
            sizes.push(line.len());
        } else {
            *last += line.len();
        }
    }
    sizes
}

#[tokio::test]
async fn items_ready_together_go_in_events_of_at_most_64_kib() {
    let (lambda, _client, _) = served().await;
    // 10,000 rows ready at once (287,780 bytes of lines).
    let events = events_of(&lambda, "report-many", "10000").await;
    let lines: Vec<Vec<u8>> = (0..10_000)
        .map(|n| [serde_json::to_vec(&row(n)).unwrap(), b"\n".to_vec()].concat())
        .collect();
    assert_eq!(lines.concat().len(), 287_780);
    let sizes: Vec<usize> = events.iter().map(Bytes::len).collect();
    for (i, size) in sizes.iter().enumerate() {
        assert!(
            *size <= 64 * 1024,
            "event {i} holds {size} bytes: {sizes:?}"
        );
    }
    // Five events: four full ones (the next line would not fit), then the rest.
    assert_eq!(sizes, batched(&lines));
    assert_eq!(sizes, [65_524, 65_511, 65_511, 65_511, 25_723]);
    // Every event ends at the end of a line, and the rows are all there, in order.
    assert!(events.iter().all(|event| event.ends_with(b"\n")));
    assert_eq!(events.concat(), lines.concat());
    assert_eq!(rows_in(&events), 10_000);
}

#[tokio::test]
async fn items_produced_one_at_a_time_are_sent_at_once() {
    let (lambda, _client, _) = served().await;
    // 2,000 rows through a channel of 4: the rows ready together, up to the channel's 4.
    let events = events_of(&lambda, "report-rows", r#"{"count":2000,"fail_at":null}"#).await;
    assert_eq!(rows_in(&events), 2000);
    assert!(
        events.len() <= 500,
        "{} events for 2,000 rows",
        events.len()
    );
    // Rows produced one at a time, 20 ms apart, each wait longer than sending takes: one
    // event per row, sent as soon as it is produced.
    let events = events_of(&lambda, "report-paced", r#"{"count":5,"pause_ms":20}"#).await;
    let expected: Vec<Vec<u8>> = (0..5)
        .map(|n| [serde_json::to_vec(&row(n)).unwrap(), b"\n".to_vec()].concat())
        .collect();
    assert_eq!(events, expected);
}
