//! One contract, both sides: the implementation of a `#[lambda_remote(server)]` trait is
//! served by the local endpoint and called through the generated client, the real SDK and
//! HTTP. Every method shape and error variant kind round-trips, including generated values.

use crate::contract;

use contract::{Order, Receipt, ShopClient, ShopError, ShopImpl, ShopServer, expected, total};
use lambda_remote::local::LocalLambda;
use lambda_remote::{InvokeError, error::INVOKE_ERROR_TYPE};
use proptest::prelude::*;

async fn served() -> (LocalLambda, ShopClient, ShopServer<ShopImpl>) {
    let server = ShopServer::new(ShopImpl::default());
    let lambda = LocalLambda::builder()
        .serve_all(server.handlers())
        .start()
        .await
        .expect("the endpoint starts");
    let client = ShopClient::new(lambda.sdk_client());
    (lambda, client, server)
}

#[tokio::test]
async fn every_method_shape_round_trips() {
    let (lambda, client, server) = served().await;
    use contract::Shop as _;
    assert_eq!(
        client.status().await.unwrap(),
        Receipt {
            sku: "status".into(),
            total: 0
        }
    );
    let order = Order {
        sku: "A-1".into(),
        qty: 3,
        note: Some("gift".into()),
    };
    assert_eq!(
        client.order(order.clone()).await.unwrap(),
        Receipt {
            sku: "A-1".into(),
            total: 300
        }
    );
    assert_eq!(client.quote("A-1".into(), 2, Some(5)).await.unwrap(), 195);
    assert_eq!(client.quote("A-1".into(), 2, None).await.unwrap(), 200);
    client.touch("A-1".into()).await.unwrap();
    client.audit("hello".into()).await.unwrap();
    lambda.drain_events().await;
    assert_eq!(
        server
            .implementation()
            .audits
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    assert_eq!(
        lambda.invocations("shop-order")[0].payload.as_ref(),
        br#"{"sku":"A-1","qty":3,"note":"gift"}"#
    );
    assert_eq!(lambda.invocations("shop-status")[0].payload.as_ref(), b"{}");
}

#[tokio::test]
async fn every_error_variant_kind_round_trips() {
    let (_lambda, client, _) = served().await;
    contract::assert_typed_errors_round_trip(&client).await;
    contract::assert_out_of_stock(&client).await;
}

#[tokio::test]
async fn panics_and_other_errors_arrive_unmapped_with_their_message() {
    let (_lambda, client, _) = served().await;
    use contract::Shop as _;
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
    match client.fail_untyped("mystery".into()).await.unwrap_err() {
        InvokeError::UnmappedFunction(failure) => {
            assert_eq!(failure.error_type(), Some(INVOKE_ERROR_TYPE));
            assert!(
                failure
                    .error_message()
                    .unwrap()
                    .contains("unknown scenario mystery")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    // With a catch-all variant, the same failures land there.
    match client.fail("panic".into()).await.unwrap_err() {
        InvokeError::Function {
            error: ShopError::Other(object),
            ..
        } => assert!(object.error_message().unwrap().contains("on fire")),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_payload_the_function_cannot_decode_is_an_unmapped_payload_error() {
    let (lambda, _, _) = served().await;
    let out = lambda
        .sdk_client()
        .invoke()
        .function_name("shop-quote")
        .payload(lambda_remote::aws_sdk_lambda::primitives::Blob::new(
            br#"{"sku":1}"#.to_vec(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(out.function_error(), Some("Unhandled"));
    let body: serde_json::Value = serde_json::from_slice(out.payload().unwrap().as_ref()).unwrap();
    assert_eq!(body["errorType"], lambda_remote::error::PAYLOAD_ERROR_TYPE);
    assert!(body["errorMessage"].as_str().unwrap().contains("`quote`"));
}

fn orders() -> impl Strategy<Value = Order> {
    (
        "\\PC{0,24}",
        any::<u32>().prop_map(|q| q % 1_000_000),
        proptest::option::of("\\PC{0,16}"),
    )
        .prop_map(|(sku, qty, note)| Order { sku, qty, note })
}

#[test]
fn generated_values_round_trip() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_lambda, client, _) = runtime.block_on(served());
    use contract::Shop as _;
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(order in orders(), discount in proptest::option::of(any::<u8>()), scenario in "(declined|stock|limit|issuer)")| {
        runtime.block_on(async {
            let receipt = client.order(order.clone()).await;
            if order.qty == 0 {
                let error = receipt.unwrap_err();
                let want = ShopError::OutOfStock(order.sku.clone());
                prop_assert_eq!(error.function_error(), Some(&want));
            } else {
                prop_assert_eq!(receipt.unwrap(), Receipt { sku: order.sku.clone(), total: total(order.qty, None) });
            }
            let qty = order.qty % 1000 + 1;
            prop_assert_eq!(client.quote(order.sku.clone(), qty, discount).await.unwrap(), total(qty, discount));
            let error = client.fail(scenario.clone()).await.unwrap_err();
            let want = expected(&scenario);
            prop_assert_eq!(error.function_error(), want.as_ref());
            Ok(())
        })?;
    });
}
