//! With default features off and `mocks` alone, as a test's dev-dependency may take it, a typed
//! mock answers a call: `mocks` brings the tokio sleep the SDK's retries need (without it,
//! `Client::from_conf` panics: "An async sleep implementation is required for retry to work").

use lambda_remote::mock::{self, MockMethod};
use lambda_remote::{InvokeError, lambda_remote};

#[lambda_remote]
pub trait Stock {
    #[lambda(function = "stock-count")]
    async fn count(&self, sku: String) -> Result<u32, InvokeError>;
}

#[tokio::test(flavor = "current_thread")]
async fn a_typed_mock_answers_with_mocks_alone() {
    let counted = MockMethod::of(StockClient::count)
        .for_function("stock-count")
        .returns(&7)
        .unwrap();
    let client = StockClient::new(mock::sdk_client(&[&counted]));
    assert_eq!(client.count("sku-1".into()).await.unwrap(), 7);
    assert_eq!(counted.num_calls(), 1);
}
