use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(&self, count: u64) -> Result<Vec<u64>, InvokeError>;
}

fn main() {}
