use lambda_remote::{lambda_remote, FunctionError, InvokeError, ResponseStream};

#[derive(Debug, thiserror::Error, FunctionError)]
pub enum ReportError {
    #[error("no such report")]
    NotFound,
}

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(&self, count: u64) -> Result<ResponseStream<u64>, InvokeError<ReportError>>;
}

fn main() {}
