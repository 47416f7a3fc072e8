//! Streaming methods of every shape: typed items, raw bytes, a typed error, a log tail, a
//! timeout, delivery, several arguments, an alias of the stream type, on a trait with a
//! server and a trait-object handle.

use lambda_remote::{lambda_remote, ByteStream, FunctionError, InvokeError, ResponseStream};

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub n: u64,
}

#[derive(Debug, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("no such report")]
    NotFound,
}

pub type Rows = ResponseStream<Row, ReportError>;

#[lambda_remote(server, dyn_trait)]
pub trait Reports {
    #[lambda(
        function = "report-rows",
        invocation = "stream",
        log = "tail",
        timeout = "30s"
    )]
    async fn rows(&self, from: u64, to: u64) -> Result<Rows, InvokeError<ReportError>>;

    #[lambda(
        function = "report-export",
        invocation = "stream",
        delivery = "at_least_once"
    )]
    async fn export(&self, id: u64) -> Result<ByteStream, InvokeError>;

    #[lambda(function = "report-count")]
    async fn count(&self) -> Result<u64, InvokeError>;
}

struct Local;

impl Reports for Local {
    async fn rows(&self, from: u64, to: u64) -> Result<Rows, InvokeError<ReportError>> {
        if from > to {
            return Err(ReportError::NotFound.into());
        }
        Ok(ResponseStream::from_items((from..to).map(|n| Row { n })))
    }

    async fn export(&self, _id: u64) -> Result<ByteStream, InvokeError> {
        Ok(ByteStream::from_chunks([bytes::Bytes::from_static(b"abc")]))
    }

    async fn count(&self) -> Result<u64, InvokeError> {
        Ok(0)
    }
}

async fn read(client: &ReportsClient) -> Result<u64, InvokeError<ReportError>> {
    let mut rows = client.rows(0, 10).await?;
    let mut sum = 0;
    while let Some(row) = rows.next().await {
        sum += row?.n;
    }
    let options = lambda_remote::CallOptions::new();
    let invoked = client
        .export_with(&options, 7)
        .await
        .map_err(|e| e.map_function_error(|n| match n {}))?;
    let _bytes = invoked
        .output
        .collect_bytes()
        .await
        .map_err(|e| e.map_function_error(|n| match n {}))?;
    Ok(sum)
}

fn main() {
    let _ = ReportsServer::new(Local).handlers();
    let _ = read;
    let _handle: Option<DynReports> = None;
}
