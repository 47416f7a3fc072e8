//! The size of a streamed response: Lambda's default limit is 200 MB since July 2025 (it was
//! 20 MB). A 25 MB stream passes through the local endpoint with the default `Limits`, and a
//! stream over a limit ends with `Function.ResponseSizeTooLarge` after what fit.

use std::time::Duration;

use bytes::Bytes;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{
    ByteStream, InvokeError, client::Limits, lambda_remote, stream::ResponseChunks,
};

const MIB: usize = 1024 * 1024;

#[lambda_remote]
pub trait Export {
    /// `size` bytes, in chunks of at most 1 MiB.
    #[lambda(function = "export", invocation = "stream", timeout = "60s")]
    async fn export(&self, size: usize) -> Result<ByteStream, InvokeError>;
}

/// `export`, streaming `size` bytes of `x` in chunks of at most 1 MiB.
fn export() -> Function {
    let handler = Handler::streaming(|invocation| {
        let size: usize = serde_json::from_slice(invocation.payload()).unwrap();
        async move {
            let chunks = (0..size.div_ceil(MIB)).map(move |n| {
                let len = MIB.min(size - n * MIB);
                Ok(Bytes::from(vec![b'x'; len]))
            });
            Ok(ResponseChunks::new(futures_util::stream::iter(chunks)))
        }
    });
    Function::new("export", handler).timeout(Duration::from_secs(60))
}

/// Reads `stream` to its end: the bytes received, and the error that ended it, if any.
async fn drain(mut stream: ByteStream) -> (usize, Option<InvokeError>) {
    let mut received = 0;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                assert!(chunk.iter().all(|b| *b == b'x'));
                received += chunk.len();
            }
            Err(error) => return (received, Some(error)),
        }
    }
    (received, None)
}

#[test]
fn the_default_limit_is_200_mb() {
    assert_eq!(Limits::STREAMED_RESPONSE, 200 * MIB);
    assert_eq!(Limits::default().streamed_response, 200 * MIB);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_25_mb_stream_passes_through_the_local_endpoint() {
    let lambda = LocalLambda::builder()
        .function(export())
        .start()
        .await
        .unwrap();
    let client = ExportClient::new(lambda.sdk_client());
    let size = 25 * MIB;
    let (received, error) = drain(client.export(size).await.unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(received, size);
    assert_eq!(lambda.invocations("export").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_over_the_limit_ends_with_response_size_too_large() {
    let limits = Limits::default().with_streamed_response(3 * MIB);
    let lambda = LocalLambda::builder()
        .limits(limits)
        .function(export())
        .start()
        .await
        .unwrap();
    let client = ExportClient::new(lambda.sdk_client());

    let (received, error) = drain(client.export(3 * MIB).await.unwrap()).await;
    assert!(error.is_none(), "exactly the limit passes: {error:?}");
    assert_eq!(received, 3 * MIB);

    let (received, error) = drain(client.export(3 * MIB + 1).await.unwrap()).await;
    assert_eq!(received, 3 * MIB, "every chunk that fit");
    let error = error.expect("the stream ends with an error");
    let InvokeError::UnmappedFunction(failure) = &error else {
        panic!("a function error, got {error:?}");
    };
    assert_eq!(failure.error_type(), Some("Function.ResponseSizeTooLarge"));
    assert_eq!(lambda.invocations("export").len(), 2);
}
