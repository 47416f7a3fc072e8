//! A streaming method served by the real `lambda_runtime` (its streaming response) behind a
//! minimal Lambda that relays the runtime's body as `InvokeWithResponseStream` events, as
//! Lambda does — `lambda_runtime`'s metadata prelude and its in-band error text included —
//! and called through the generated client.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets.

#[path = "../support/mod.rs"]
mod support;

use lambda_remote::{FunctionError, InvokeError, MethodHandler, ResponseStream, lambda_remote};
use serde::{Deserialize, Serialize};
use support::runtime_api::MiniLambda;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub n: u64,
}

#[derive(Debug, PartialEq, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("the report stopped at row {at}")]
    Stopped { at: u64, reason: Option<String> },
    #[error("no such report")]
    NotFound,
}

#[lambda_remote(server)]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(
        &self,
        count: u64,
        fail_at: Option<u64>,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>>;

    /// Panics while producing row `after`.
    #[lambda(function = "report-panics", invocation = "stream")]
    async fn panics(&self, after: u64) -> Result<ResponseStream<Row>, InvokeError>;

    /// A whole answer of a contract that streams: `server::run` serves it the way that
    /// answers streams too.
    #[lambda(function = "report-count")]
    async fn count(&self, report: u64) -> Result<u64, InvokeError<ReportError>>;
}

struct Local;

impl Reports for Local {
    async fn rows(
        &self,
        count: u64,
        fail_at: Option<u64>,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>> {
        if count == 0 {
            return Err(ReportError::NotFound.into());
        }
        let (sender, stream) = ResponseStream::channel(2);
        tokio::spawn(async move {
            for n in 0..count {
                if Some(n) == fail_at {
                    let error = ReportError::Stopped {
                        at: n,
                        reason: Some("quota".into()),
                    };
                    let _ = sender.fail(error).await;
                    return;
                }
                if sender.send(Row { n }).await.is_err() {
                    return;
                }
            }
        });
        Ok(stream)
    }

    async fn panics(&self, after: u64) -> Result<ResponseStream<Row>, InvokeError> {
        use futures_util::StreamExt as _;
        let rows = futures_util::stream::iter(0..).map(move |n| {
            assert!(n < after, "row {n} is one too many");
            Ok::<_, InvokeError>(Row { n })
        });
        Ok(ResponseStream::from_stream(rows))
    }

    async fn count(&self, report: u64) -> Result<u64, InvokeError<ReportError>> {
        match report {
            0 => Err(ReportError::Stopped {
                at: 7,
                reason: None,
            }
            .into()),
            report => Ok(report * 100),
        }
    }
}

async fn serve(handler: MethodHandler) -> (MiniLambda, ReportsClient) {
    let lambda = MiniLambda::start().await;
    // SAFETY of the environment: this binary holds a single test, so nothing reads the
    // environment concurrently.
    for (key, value) in [
        ("AWS_LAMBDA_RUNTIME_API", lambda.runtime_api.to_string()),
        (
            "AWS_LAMBDA_FUNCTION_NAME",
            handler.spec().function.to_owned(),
        ),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
    ] {
        // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes the
        // environment while this sets it.
        unsafe { std::env::set_var(key, value) };
    }
    tokio::spawn(lambda_remote::server::run(handler));
    let client = ReportsClient::new(support::sdk_client(&lambda.invoke_url));
    (lambda, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_method_served_by_lambda_runtime_round_trips() {
    let (_lambda, client) = serve(ReportsServer::new(Local).rows()).await;

    let rows = client.rows(500, None).await.unwrap();
    let rows = rows.collect_items().await.unwrap();
    assert_eq!(rows.len(), 500);
    assert!(rows.iter().enumerate().all(|(i, row)| row.n == i as u64));

    let mut rows = client.rows(10, Some(4)).await.unwrap();
    let mut got = Vec::new();
    let error = loop {
        match rows.next().await.expect("the stream ends with the error") {
            Ok(row) => got.push(row.n),
            Err(error) => break error,
        }
    };
    assert_eq!(got, vec![0, 1, 2, 3]);
    assert_eq!(
        error.function_error(),
        Some(&ReportError::Stopped {
            at: 4,
            reason: Some("quota".into())
        })
    );
    assert!(rows.next().await.is_none());

    let error = client.rows(0, None).await.unwrap_err();
    assert_eq!(error.function_error(), Some(&ReportError::NotFound));

    // A panic in the middle of the stream ends it with an error, not as if it were whole.
    let (_panicking, panics) = serve(ReportsServer::new(Local).panics()).await;
    let mut rows = panics.panics(2).await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), Row { n: 0 });
    assert_eq!(rows.next().await.unwrap().unwrap(), Row { n: 1 });
    let error = rows
        .next()
        .await
        .expect("an error, not the end")
        .unwrap_err();
    let message = error.failure().unwrap().error_message().unwrap().to_owned();
    assert!(message.contains("row 2 is one too many"), "{message}");
    assert!(rows.next().await.is_none());

    // A method of the same contract that does not stream answers whole, typed errors and
    // their fields included.
    let (_counting, counts) = serve(ReportsServer::new(Local).count()).await;
    assert_eq!(counts.count(3).await.unwrap(), 300);
    let error = counts.count(0).await.unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&ReportError::Stopped {
            at: 7,
            reason: None
        })
    );

    // What the client read past: the raw events start with lambda_runtime's prelude.
    use lambda_remote::aws_sdk_lambda::primitives::Blob;
    use lambda_remote::aws_sdk_lambda::types::InvokeWithResponseStreamResponseEvent as Event;
    let mut output = client
        .invoker()
        .sdk_client()
        .invoke_with_response_stream()
        .function_name("report-rows")
        .payload(Blob::new(br#"{"count":1,"fail_at":null}"#.to_vec()))
        .send()
        .await
        .unwrap();
    let mut raw = Vec::new();
    while let Some(event) = output.event_stream.recv().await.unwrap() {
        if let Event::PayloadChunk(chunk) = event {
            raw.extend_from_slice(chunk.payload().unwrap().as_ref());
        }
    }
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("{\"statusCode\":200"), "{text:?}");
    assert!(text.ends_with("\0\0\0\0\0\0\0\0{\"n\":0}\n"), "{text:?}");
}
