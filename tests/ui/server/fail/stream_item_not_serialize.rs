use lambda_remote::{lambda_remote, InvokeError, ResponseStream};

#[derive(serde::Deserialize)]
pub struct Row {
    pub n: u64,
}

#[lambda_remote(server)]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError>;
}

fn main() {}
