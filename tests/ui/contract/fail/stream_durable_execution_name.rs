use lambda_remote::{lambda_remote, InvokeError, ResponseStream};

#[lambda_remote]
pub trait Reports {
    #[lambda(
        function = "report-rows",
        invocation = "stream",
        durable_execution_name = "rows-{id}"
    )]
    async fn rows(&self, id: u64) -> Result<ResponseStream<u64>, InvokeError>;
}

fn main() {}
