use lambda_remote::{lambda_remote, ByteStream, InvokeError, ResponseStream};

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows")]
    async fn rows(&self, count: u64) -> Result<ResponseStream<u64>, InvokeError>;

    #[lambda(function = "report-export", invocation = "event")]
    async fn export(&self, id: u64) -> Result<ByteStream, InvokeError>;
}

fn main() {}
