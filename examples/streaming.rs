//! Typed response streaming: one trait, a function that streams rows as it produces them, and
//! a client that reads them as they arrive — through the real SDK's
//! `InvokeWithResponseStream` and HTTP, against the local endpoint.
//!
//! ```sh
//! cargo run --all-features --example streaming
//! ```

use std::time::Duration;

use lambda_remote::local::LocalLambda;
use lambda_remote::{ByteStream, FunctionError, InvokeError, ResponseStream, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub n: u64,
    pub square: u64,
}

#[derive(Debug, PartialEq, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("the report stopped at row {at}: {why}")]
    Stopped { at: u64, why: String },
}

#[lambda_remote(server)]
pub trait Reports {
    /// Rows as they are computed; past `limit`, the report stops with a typed error.
    #[lambda(function = "report-squares", invocation = "stream", timeout = "10s")]
    async fn squares(
        &self,
        count: u64,
        limit: u64,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>>;

    /// A CSV export, as raw bytes.
    #[lambda(function = "report-csv", invocation = "stream", log = "tail")]
    async fn csv(&self, count: u64) -> Result<ByteStream, InvokeError>;
}

/// The function's side.
struct Squares;

impl Reports for Squares {
    async fn squares(
        &self,
        count: u64,
        limit: u64,
    ) -> Result<ResponseStream<Row, ReportError>, InvokeError<ReportError>> {
        let (sender, rows) = ResponseStream::channel(8);
        tokio::spawn(async move {
            for n in 0..count {
                if n == limit {
                    let why = format!("the limit is {limit} rows");
                    let _ = sender.fail(ReportError::Stopped { at: n, why }).await;
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await; // the work
                if sender.send(Row { n, square: n * n }).await.is_err() {
                    return; // the caller went away
                }
            }
        });
        Ok(rows)
    }

    async fn csv(&self, count: u64) -> Result<ByteStream, InvokeError> {
        let lines = (0..count).map(|n| bytes::Bytes::from(format!("{n},{}\n", n * n)));
        Ok(ByteStream::from_chunks(lines))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lambda = LocalLambda::builder()
        .serve_all(ReportsServer::new(Squares).handlers())
        .start()
        .await?;
    let client = ReportsClient::new(lambda.sdk_client());

    // Every row, read as it arrives.
    let mut rows = client.squares(100, 1000).await?;
    let mut sum = 0;
    while let Some(row) = rows.next().await {
        sum += row?.square;
    }
    assert_eq!(sum, (0..100u64).map(|n| n * n).sum::<u64>());
    println!("100 rows, sum of squares {sum}");

    // A function that stops: the rows it sent, then its typed error.
    let mut rows = client.squares(100, 10).await?;
    let mut received = 0;
    let error = loop {
        match rows.next().await {
            Some(Ok(_)) => received += 1,
            Some(Err(error)) => break error,
            None => return Err("the stream ended without the function's error".into()),
        }
    };
    assert_eq!(received, 10);
    match error.function_error() {
        Some(ReportError::Stopped { at: 10, why }) => println!("10 rows, then: {why}"),
        _ => return Err(format!("unexpected error: {error}").into()),
    }

    // Raw bytes, and the log tail once the stream has ended.
    let csv = client.csv(5).await?.collect_bytes().await?;
    assert_eq!(csv.as_ref(), b"0,0\n1,1\n2,4\n3,9\n4,16\n");
    print!("{}", String::from_utf8_lossy(&csv));
    let mut export = client.csv(1).await?;
    while export.next().await.transpose()?.is_some() {}
    let tail = export.metadata().log_tail().ok_or("no log tail")?;
    assert!(tail.text().contains("REPORT RequestId"));
    println!("log tail: {} bytes", tail.as_bytes().len());
    Ok(())
}
