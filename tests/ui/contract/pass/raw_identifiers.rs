//! Raw identifiers as argument and method names: the payload keys and the function's method
//! name drop the `r#`, and `r#loop` gets `loop_with`.

use lambda_remote::{lambda_remote, CallOptions, InvokeError};

#[lambda_remote]
pub trait Parser {
    #[lambda(function = "parser-match")]
    async fn r#match(&self, r#type: String, r#in: Vec<u8>) -> Result<bool, InvokeError>;

    #[lambda(function = "parser-loop")]
    async fn r#loop(&self, r#async: u32) -> Result<(), InvokeError>;
}

#[allow(dead_code)]
async fn use_it(client: &ParserClient) -> Result<(), InvokeError> {
    client.r#match("a".into(), vec![1]).await?;
    client.r#loop(3).await?;
    client.loop_with(&CallOptions::new(), 3).await?;
    client
        .match_with(&CallOptions::new(), "a".into(), vec![])
        .await?;
    Ok(())
}

fn main() {}
