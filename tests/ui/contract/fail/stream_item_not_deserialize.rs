use lambda_remote::{lambda_remote, InvokeError, ResponseStream};

pub struct Row {
    pub n: u64,
}

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError>;
}

fn main() {}
