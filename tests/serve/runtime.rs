//! The same contract served by the real `lambda_runtime` behind a minimal Lambda (an Invoke
//! endpoint in front of a Runtime API, both on loopback), called through the generated client.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets.

mod contract;
#[path = "../support/mod.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use contract::{Order, Receipt, Shop as _, ShopClient, ShopImpl, ShopServer};
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::{ErrorObject, InvokeError, MethodHandler};
use serde_json::json;
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
        // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes the
        // environment while this sets it.
        unsafe { std::env::set_var(key, value) };
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

    undecodable_payloads_are_payload_errors().await;
}

/// Every payload a served method cannot decode — not JSON at all (an empty body, stray bytes,
/// bytes that are not UTF-8) or JSON of another shape — is the same `lambda_remote::PayloadError`
/// with what could not be read, and the method does not run.
async fn undecodable_payloads_are_payload_errors() {
    let audits = Arc::new(AtomicUsize::new(0));
    let server = ShopServer::new(ShopImpl {
        audits: audits.clone(),
    });
    let (lambda, _) = serve(server.audit()).await;
    let sdk = support::sdk_client(&lambda.invoke_url);
    let cases: [(&[u8], &str, serde_json::Value); 5] = [
        (
            b"",
            "the payload is empty (read as null): invalid type: null, expected a string",
            json!({"payload": "", "payloadLength": 0}),
        ),
        (
            b"stray bytes",
            "expected value at line 1 column 1",
            json!({"payload": "stray bytes", "payloadLength": 11}),
        ),
        (
            b"\xff\xfe\x00",
            "expected value at line 1 column 1",
            json!({"payloadBase64": "//4A", "payloadLength": 3}),
        ),
        (
            b"\"line\" trailing",
            "trailing characters at line 1 column 8",
            json!({"payload": "\"line\" trailing", "payloadLength": 15}),
        ),
        (
            br#"{"line":1}"#,
            "invalid type: map, expected a string at line 1 column 0",
            json!({"payload": r#"{"line":1}"#, "payloadLength": 10}),
        ),
    ];
    for (payload, reason, fields) in cases {
        let out = sdk
            .invoke()
            .function_name("shop-audit")
            .payload(Blob::new(payload))
            .send()
            .await
            .unwrap();
        assert_eq!(out.function_error(), Some("Unhandled"), "{payload:?}");
        let object = ErrorObject::from_bytes(out.payload().unwrap().as_ref().to_vec());
        assert_eq!(
            object.error_type(),
            Some(lambda_remote::error::PAYLOAD_ERROR_TYPE),
            "{payload:?}: {object}"
        );
        assert_eq!(
            object.error_message(),
            Some(format!("could not decode the payload of `audit`: {reason}").as_str()),
            "{payload:?}"
        );
        assert_eq!(serde_json::Value::Object(object.fields()), fields);
    }
    assert_eq!(audits.load(Ordering::SeqCst), 0, "the method never ran");
    // A payload it can read runs it, once.
    let out = sdk
        .invoke()
        .function_name("shop-audit")
        .payload(Blob::new(&b"\"line\""[..]))
        .send()
        .await
        .unwrap();
    assert_eq!(out.function_error(), None);
    assert_eq!(out.payload().unwrap().as_ref(), b"null");
    assert_eq!(audits.load(Ordering::SeqCst), 1);
}
