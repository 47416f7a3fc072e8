//! A misspelt invocation type on a method that returns a stream is one mistake: one error, at
//! the value; the method is not also told to add `invocation = "stream"`.

use lambda_remote::{lambda_remote, InvokeError, ResponseStream};

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "streaming")]
    async fn rows(&self, count: u64) -> Result<ResponseStream<u64>, InvokeError>;
}

fn main() {}
