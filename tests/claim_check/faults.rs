//! FAULTS.md's claim-check rows: each fault, what the caller gets, what reached S3, whether
//! the method ran.

use bytes::Bytes;
use lambda_remote::InvokeError;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::claim_check::{
    CLAIM_CHECK_ERROR_TYPE, ClaimCheckError, ClaimCheckErrorKind, Reference, Side,
};
use lambda_remote::local::LocalLambda;

use crate::contract::{Docs as _, DocsClient};
use crate::{BUCKET, MB, World, doc};

fn claim_check_error<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, InvokeError<E>>,
) -> Box<ClaimCheckError> {
    match result {
        Err(InvokeError::ClaimCheck(error)) => error,
        other => panic!("not a claim-check error: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_put_fails_nothing_is_invoked() {
    let Some(world) = World::start("put-fails", |c| c).await else {
        return;
    };
    world
        .proxy
        .refuse(|method, path| method == http::Method::PUT && path.starts_with("/claims/cc/req/"));
    let error = claim_check_error(world.client().echo(doc('p', 7 * MB), 1).await);
    assert_eq!(error.side(), Side::Client);
    assert_eq!(error.kind(), &ClaimCheckErrorKind::Put);
    assert!(error.key().unwrap().starts_with("cc/req/"));
    // The SDK's error is the source.
    let source = std::error::Error::source(&*error).unwrap();
    assert!(
        format!("{}", aws_sdk_s3::error::DisplayErrorContext(source)).contains("AccessDenied"),
        "{source:?}"
    );
    assert_eq!(world.s3("req/"), [1, 0, 0]);
    assert_eq!(world.lambda.all_invocations().len(), 0);
    assert_eq!(world.runs().await, [0; 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invocation_fails_after_the_put_the_object_is_deleted() {
    let Some(world) = World::start("invoke-fails", |c| c).await else {
        return;
    };
    // A function that does not exist: a service error (the function did not run), final.
    let client = DocsClient::builder(world.lambda.sdk_client())
        .claim_check(world.claim_check())
        .function("echo", "docs-missing")
        .build()
        .unwrap();
    let error = client.echo(doc('i', 7 * MB), 1).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(world.s3("req/"), [1, 0, 1]);
    assert_eq!(world.keys().await, Vec::<String>::new());
    assert_eq!(world.runs().await, [0; 5]);
    // A transport failure after the request was written (the function may still be running):
    // left to the lifecycle rule — roundtrip.rs, `a_retry_resends_the_same_reference…`.
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_function_cannot_read_the_object_the_method_never_runs() {
    let Some(world) = World::start("get-fails", |c| c).await else {
        return;
    };
    world
        .proxy
        .refuse(|method, path| method == http::Method::GET && path.starts_with("/claims/cc/req/"));
    let error = claim_check_error(world.client().echo(doc('g', 7 * MB), 1).await);
    assert_eq!(error.side(), Side::Function);
    assert_eq!(error.kind(), &ClaimCheckErrorKind::Get);
    assert!(error.key().unwrap().starts_with("cc/req/"));
    let failure = error.failure().unwrap();
    assert_eq!(failure.error_type(), Some(CLAIM_CHECK_ERROR_TYPE));
    assert!(
        failure.error_message().unwrap().contains("AccessDenied"),
        "{failure:?}"
    );
    assert_eq!(world.runs().await, [0; 5]);
    // Read once (refused); the outcome is final: the client deleted it.
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.keys().await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_function_refuses_an_object_over_its_maximum_or_outside_its_prefix() {
    for (test, kind, setup) in [
        (
            "too-large",
            ClaimCheckErrorKind::TooLarge {
                size: serde_json::to_vec(
                    &serde_json::json!({"doc": doc('o', 7 * MB), "result_len": 1}),
                )
                .unwrap()
                .len() as u64,
                max: MB as u64,
            },
            (|c: lambda_remote::claim_check::ClaimCheckBuilder| c.max_object_size(MB as u64))
                as fn(_) -> _,
        ),
        ("outside", ClaimCheckErrorKind::Outside, |c| {
            c.key_prefix("other/")
        }),
    ] {
        let Some(world) = World::start(test, setup).await else {
            return;
        };
        let error = claim_check_error(world.client().echo(doc('o', 7 * MB), 1).await);
        assert_eq!(
            (error.side(), error.kind()),
            (Side::Function, &kind),
            "{test}"
        );
        assert_eq!(world.runs().await, [0; 5], "{test}");
        // Nothing read; deleted by the client.
        assert_eq!(world.s3("req/"), [1, 0, 1], "{test}");
    }
}

/// An envelope sent as it is, through the raw SDK, to the served `echo`.
async fn send_raw(world: &World, envelope: Vec<u8>) -> (Option<String>, serde_json::Value) {
    let output = world
        .lambda
        .sdk_client()
        .invoke()
        .function_name("docs-echo")
        .payload(Blob::new(envelope))
        .send()
        .await
        .unwrap();
    let body = serde_json::from_slice(output.payload().unwrap().as_ref()).unwrap();
    (output.function_error().map(str::to_owned), body)
}

/// An object under the request prefix, written straight to moto; its reference.
async fn planted(world: &World, dir: &str, body: &[u8]) -> Reference {
    let key = format!("cc/{dir}{}", "0123456789abcdef".repeat(2));
    world
        .admin
        .put_object()
        .bucket(BUCKET)
        .key(&key)
        .body(body.to_vec().into())
        .send()
        .await
        .unwrap();
    reference(&key, body)
}

fn reference(key: &str, body: &[u8]) -> Reference {
    use sha2::Digest as _;
    let envelope = serde_json::json!({"lambdaRemoteClaimCheck": {
        "v": 1, "s3BucketName": BUCKET, "s3Key": key, "size": body.len(),
        "sha256": aws_smithy_types::base64::encode(sha2::Sha256::digest(body)),
    }});
    Reference::from_envelope(&serde_json::to_vec(&envelope).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_function_refuses_a_changed_truncated_foreign_or_unknown_reference() {
    let Some(world) = World::start("request-checks", |c| c).await else {
        return;
    };
    let body = br#"{"doc":"abc","result_len":1}"#;
    let good = planted(&world, "req/", body).await;
    // Sanity: the planted reference itself is read and served.
    let (error, answer) = send_raw(&world, good.to_envelope()).await;
    assert_eq!((error, answer), (None, serde_json::json!("3:a")));

    let mut changed = good.clone();
    changed.sha256 = reference("x", br#"{"doc":"abd","result_len":1}"#).sha256;
    let mut truncated = good.clone();
    truncated.size += 10;
    let mut bucket = good.clone();
    bucket.bucket = "elsewhere".into();
    let mut escape = good.clone();
    escape.key = "cc/req/../../secrets/0123456789abcdef0123456789abcdef".into();
    let mut result_key = good.clone();
    result_key.key = good.key.replace("/req/", "/res/");
    let mut tenant = good.clone();
    tenant.key = good.key.replace("cc/", "cc/tenant/61636d65/");
    let cases: [(&str, Vec<u8>, &str, usize); 7] = [
        ("changed", changed.to_envelope(), "checksum", 1),
        ("truncated", truncated.to_envelope(), "size", 1),
        ("bucket", bucket.to_envelope(), "outside", 0),
        ("escape", escape.to_envelope(), "outside", 0),
        ("result key", result_key.to_envelope(), "outside", 0),
        (
            "tenant key without the tenant",
            tenant.to_envelope(),
            "outside",
            0,
        ),
        (
            "version",
            br#"{"lambdaRemoteClaimCheck":{"v":2}}"#.to_vec(),
            "envelope",
            0,
        ),
    ];
    for (case, envelope, code, gets) in cases {
        world.proxy.reset();
        let (error, answer) = send_raw(&world, envelope).await;
        assert_eq!(error.as_deref(), Some("Unhandled"), "{case}");
        assert_eq!(
            answer["errorType"], CLAIM_CHECK_ERROR_TYPE,
            "{case}: {answer}"
        );
        assert_eq!(answer["claimCheck"], code, "{case}: {answer}");
        assert_eq!(world.proxy.count(http::Method::GET, "/"), gets, "{case}");
    }
    assert_eq!(world.runs().await, [1, 0, 0, 0, 0]);
}

/// A function answering `envelope` (a result reference) to every call.
async fn answering(envelope: Vec<u8>) -> LocalLambda {
    let envelope = Bytes::from(envelope);
    LocalLambda::builder()
        .handler("docs-echo", move |_| {
            let envelope = envelope.clone();
            async move { Ok(envelope) }
        })
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_object_missing_or_corrupted_is_a_typed_error_keeping_the_reference() {
    let Some(world) = World::start("result-checks", |c| c).await else {
        return;
    };
    let body = br#""the result""#;
    let good = planted(&world, "res/", body).await;
    let mut missing = good.clone();
    missing.key = good.key.replace("0123", "9999");
    let mut changed = good.clone();
    changed.sha256 = reference("x", br#""the resulT""#).sha256;
    let mut truncated = good.clone();
    truncated.size -= 1;
    let mut outside = good.clone();
    outside.key = good.key.replace("/res/", "/req/");
    let cases = [
        ("missing", missing, ClaimCheckErrorKind::Missing, 1),
        (
            "changed",
            changed.clone(),
            ClaimCheckErrorKind::Checksum {
                expected: changed.sha256.clone(),
                actual: good.sha256.clone(),
            },
            1,
        ),
        (
            "truncated",
            truncated,
            ClaimCheckErrorKind::Size {
                expected: body.len() as u64 - 1,
                actual: body.len() as u64,
            },
            1,
        ),
        ("outside", outside, ClaimCheckErrorKind::Outside, 0),
    ];
    for (case, reference, kind, gets) in cases {
        world.proxy.reset();
        let envelope = reference.to_envelope();
        let lambda = answering(envelope.clone()).await;
        let client = DocsClient::builder(lambda.sdk_client())
            .claim_check(world.claim_check())
            .build()
            .unwrap();
        let error = claim_check_error(client.echo("abc".into(), 1).await);
        assert_eq!(
            (error.side(), error.kind()),
            (Side::Client, &kind),
            "{case}"
        );
        assert_eq!(
            error.reference().map(Bytes::as_ref),
            Some(&envelope[..]),
            "{case}"
        );
        // Read (or refused) and kept: no DeleteObject.
        assert_eq!(world.s3("res/"), [0, gets, 0], "{case}");
    }
    // The good reference, for contrast: read and deleted.
    world.proxy.reset();
    let lambda = answering(good.to_envelope()).await;
    let client = DocsClient::builder(lambda.sdk_client())
        .claim_check(world.claim_check())
        .build()
        .unwrap();
    assert_eq!(client.echo("abc".into(), 1).await.unwrap(), "the result");
    assert_eq!(world.s3("res/"), [0, 1, 1]);
}
