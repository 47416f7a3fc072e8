//! The same contract served by the real `lambda_runtime` behind a minimal Lambda (an Invoke
//! endpoint in front of a Runtime API, both on loopback), called through the generated client.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets.

mod contract;
mod support;

use contract::{Order, Receipt, Shop as _, ShopClient, ShopImpl, ShopServer};
use lambda_remote::{InvokeError, MethodHandler};
use support::runtime_api::MiniLambda;

/// Serves `handler` on `lambda_runtime` behind a fresh mini Lambda; returns a client for it.
async fn serve(handler: MethodHandler) -> (MiniLambda, ShopClient) {
    let lambda = MiniLambda::start().await;
    // SAFETY of the environment: this binary holds a single test, so nothing reads the
    // environment concurrently.
    unsafe_env(&[
        ("AWS_LAMBDA_RUNTIME_API", &lambda.runtime_api.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", handler.spec().function),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
    ]);
    tokio::spawn(lambda_remote::server::run(handler));
    let client = ShopClient::new(support::sdk_client(&lambda.invoke_url));
    (lambda, client)
}

fn unsafe_env(pairs: &[(&str, &str)]) {
    for (key, value) in pairs {
        std::env::set_var(key, value);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_served_by_lambda_runtime_round_trip() {
    let server = ShopServer::new(ShopImpl::default());

    let (_lambda, client) = serve(server.order()).await;
    let receipt = client
        .order(Order {
            sku: "A-1".into(),
            qty: 2,
            note: None,
        })
        .await
        .unwrap();
    assert_eq!(
        receipt,
        Receipt {
            sku: "A-1".into(),
            total: 200
        }
    );
    contract::assert_out_of_stock(&client).await;

    let (_lambda, client) = serve(server.quote()).await;
    assert_eq!(client.quote("A".into(), 3, Some(1)).await.unwrap(), 299);

    let (_lambda, client) = serve(server.fail()).await;
    contract::assert_typed_errors_round_trip(&client).await;

    let (_lambda, client) = serve(server.fail_untyped()).await;
    match client.fail_untyped("panic".into()).await.unwrap_err() {
        InvokeError::UnmappedFunction(failure) => {
            assert!(
                failure
                    .error_message()
                    .unwrap()
                    .contains("the shop is on fire"),
                "{failure:?}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }

    let (_lambda, client) = serve(server.status()).await;
    assert_eq!(client.status().await.unwrap().sku, "status");
}
