//! Both directions through the generated client and the served trait on the local endpoint,
//! moto's S3 behind a counting proxy: what is put, read and deleted, exactly, and what the
//! method sees.

use lambda_remote::claim_check::{ClaimCheckErrorKind, Reference, Side, TAG_KEY};
use lambda_remote::error::Rejected;
use lambda_remote::{Delivery, InvokeError};

use crate::contract::{DocError, Docs as _, DocsClient, echoed};
use crate::{BUCKET, MB, PREFIX, World, doc};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_request_and_a_large_result_round_trip_typed() {
    let Some(world) = World::start("roundtrip", |c| c).await else {
        return;
    };
    let client = world.client();
    // 7 MB each way: both over Lambda's 6 MB.
    let answer = client.echo(doc('a', 7 * MB), 7 * MB).await.unwrap();
    assert_eq!(answer, echoed(&doc('a', 7 * MB), 7 * MB));
    // One PutObject of the request (by the client), one GetObject of it (by the function);
    // one PutObject of the result (by the function), one GetObject of it (by the client); the
    // client deleted both.
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.s3("res/"), [1, 1, 1]);
    assert_eq!(world.runs().await, [1, 0, 0, 0, 0]);
    assert_eq!(
        *world.server.implementation().seen.lock().unwrap(),
        [7 * MB]
    );
    assert_eq!(world.keys().await, Vec::<String>::new());
    // What Lambda received was the envelope, not the body.
    let sent = &world.lambda.invocations("docs-echo")[0].payload;
    assert!(Reference::is_envelope(sent));
    let reference = Reference::from_envelope(sent).unwrap();
    assert_eq!(reference.bucket, BUCKET);
    assert!(reference.key.starts_with("cc/req/"), "{}", reference.key);
    assert_eq!(reference.key.len(), "cc/req/".len() + 32);
    let body =
        serde_json::to_vec(&serde_json::json!({"doc": doc('a', 7 * MB), "result_len": 7 * MB}))
            .unwrap();
    assert_eq!(reference.size, body.len() as u64);
    assert!(sent.len() < 300, "{}", sent.len());
    // The body is hashed once per side: the puts carry its SHA-256 as their checksum and do
    // not sign the payload (which would hash it again), the gets do not ask S3 for its
    // checksum (the SDK would validate it: again), the reader checks the SHA-256 itself.
    let arrived = world.proxy.arrived();
    let header = |a: &crate::s3proxy::Arrived, name: &str| {
        a.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    };
    let puts: Vec<_> = arrived
        .iter()
        .filter(|a| a.method == http::Method::PUT)
        .collect();
    assert_eq!(puts.len(), 2);
    for put in &puts {
        assert_eq!(
            header(put, "x-amz-content-sha256").as_deref(),
            Some("UNSIGNED-PAYLOAD")
        );
        assert!(header(put, "x-amz-checksum-sha256").is_some());
    }
    assert_eq!(
        header(puts[0], "x-amz-checksum-sha256"),
        Some(reference.sha256.clone())
    );
    let gets: Vec<_> = arrived
        .iter()
        .filter(|a| a.method == http::Method::GET)
        .collect();
    assert_eq!(gets.len(), 2);
    for get in gets {
        assert_eq!(header(get, "x-amz-checksum-mode"), None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_under_the_threshold_touches_no_s3_and_a_typed_error_stays_inline() {
    let Some(world) = World::start("small", |c| c).await else {
        return;
    };
    let client = world.client();
    assert_eq!(
        client.echo(doc('b', 1000), 10).await.unwrap(),
        echoed(&doc('b', 1000), 10)
    );
    // Just under the limit, both ways: still inline.
    let near = 6 * MB - 64;
    assert_eq!(
        client.echo(doc('c', near), near).await.unwrap().len(),
        near + 8
    );
    assert_eq!(world.proxy.arrived(), []);
    assert_eq!(
        world.lambda.invocations("docs-echo")[0].payload.as_ref(),
        format!(r#"{{"doc":"{}","result_len":10}}"#, doc('b', 1000)).as_bytes()
    );
    // A typed error: inline (the result of 7 MB was never made).
    let error = client.echo(String::new(), 7 * MB).await.unwrap_err();
    assert_eq!(error.function_error(), Some(&DocError::Empty));
    assert_eq!(world.proxy.arrived(), []);
    assert_eq!(world.runs().await, [3, 0, 0, 0, 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_error_after_an_offloaded_request_stays_inline_and_the_request_is_deleted() {
    let Some(world) = World::start("typed", |c| c).await else {
        return;
    };
    // The document is empty: a threshold of 0 on the client offloads every request.
    let client = DocsClient::builder(world.lambda.sdk_client())
        .claim_check(
            lambda_remote::claim_check::ClaimCheck::builder(
                crate::s3_client(&world.proxy.url),
                BUCKET,
            )
            .key_prefix(PREFIX)
            .threshold(0)
            .build(),
        )
        .build()
        .unwrap();
    let error = client.echo(String::new(), 1).await.unwrap_err();
    assert_eq!(error.function_error(), Some(&DocError::Empty));
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.s3("res/"), [0, 0, 0]);
    assert_eq!(world.runs().await, [1, 0, 0, 0, 0]);
    assert_eq!(world.keys().await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_keeps_the_limit_and_always_offloads_even_a_small_body() {
    let Some(world) = World::start("modes", |c| c).await else {
        return;
    };
    let client = world.client();
    // never: over the limit, refused before sending, as without a claim check.
    let error = client.never(doc('n', 7 * MB)).await.unwrap_err();
    assert!(
        matches!(&error, InvokeError::Rejected(r) if matches!(**r, Rejected::PayloadTooLarge { .. })),
        "{error:?}"
    );
    assert_eq!(client.never(doc('n', 10)).await.unwrap(), 10);
    assert_eq!(world.proxy.arrived(), []);
    // always: 5 bytes each way through S3.
    assert_eq!(client.always("small".into()).await.unwrap(), "SMALL");
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.s3("res/"), [1, 1, 1]);
    assert_eq!(world.runs().await, [0, 1, 1, 0, 0]);
    // always, on a client without a claim check: refused, nothing sent.
    let bare = DocsClient::new(world.lambda.sdk_client());
    let error = bare.always("small".into()).await.unwrap_err();
    match &error {
        InvokeError::ClaimCheck(e) => {
            assert_eq!(e.side(), Side::Client);
            assert_eq!(e.kind(), &ClaimCheckErrorKind::NotConfigured);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(world.lambda.invocations("docs-always").len(), 1);
    assert_eq!(world.runs().await, [0, 1, 1, 0, 0]);
    assert_eq!(world.keys().await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_request_is_read_by_every_retry_and_left_to_the_lifecycle_rule() {
    let Some(world) = World::start("event", |c| c).await else {
        return;
    };
    let client = world.client();
    // 2 MB: over the 1 MB Event limit. The method fails: Lambda runs it twice more.
    client
        .event(format!("fail{}", doc('e', 2 * MB)))
        .await
        .unwrap();
    assert_eq!(world.runs().await, [0, 0, 0, 3, 0]);
    assert_eq!(world.s3("req/"), [1, 3, 0]);
    let keys = world.keys().await;
    assert_eq!(keys.len(), 1);
    assert!(keys[0].starts_with("cc/req/"), "{keys:?}");
    // The tag the lifecycle rule matches.
    let tags = world
        .admin
        .get_object_tagging()
        .bucket(BUCKET)
        .key(&keys[0])
        .send()
        .await
        .unwrap();
    let tags: Vec<_> = tags
        .tag_set()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(tags, [(TAG_KEY, "request")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_objects_live_under_its_own_prefix() {
    let Some(world) = World::start_with("tenant", true, |c| c).await else {
        return;
    };
    let client = DocsClient::builder(world.lambda.sdk_client())
        .claim_check(world.claim_check())
        .tenant_id("acme")
        .build()
        .unwrap();
    let answer = client.echo(doc('t', 7 * MB), 7 * MB).await.unwrap();
    assert_eq!(answer.len(), 7 * MB + 8);
    // hex("acme") = 61636d65
    assert_eq!(world.s3("tenant/61636d65/req/"), [1, 1, 1]);
    assert_eq!(world.s3("tenant/61636d65/res/"), [1, 1, 1]);
    assert_eq!(world.proxy.arrived().len(), 6);
}

/// A retry re-sends the same reference: one PutObject whatever the number of attempts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_resends_the_same_reference_and_never_uploads_twice() {
    let Some(world) = World::start("retry", |c| c).await else {
        return;
    };
    for (delivery, runs, s3) in [
        // Sent again after the lost answer: the function reads the object twice; the
        // outcome is final (a success), the client deletes it.
        (Delivery::AtLeastOnce, 2, [1, 2, 1]),
        // Not sent again: the outcome (a transport failure after the request was written)
        // says the function may still be running and reading it: left to the lifecycle rule.
        (Delivery::AtMostOnce, 1, [1, 1, 0]),
    ] {
        world.proxy.reset();
        let before = world.runs().await[0];
        let lossy = crate::support::proxy::LossyProxy::start(world.lambda.addr()).await;
        lossy.lose_next(1);
        let client = DocsClient::builder(crate::support::sdk_client(&lossy.url))
            .claim_check(world.claim_check())
            .delivery(delivery)
            .build()
            .unwrap();
        let result = client.echo(doc('r', 7 * MB), 3).await;
        match delivery {
            Delivery::AtLeastOnce => assert_eq!(result.unwrap(), echoed(&doc('r', 7 * MB), 3)),
            _ => assert!(
                matches!(result, Err(InvokeError::Transport(_))),
                "{result:?}"
            ),
        }
        assert_eq!(lossy.requests(), runs, "{delivery:?}");
        assert_eq!(world.runs().await[0] - before, runs, "{delivery:?}");
        assert_eq!(world.s3("req/"), s3, "{delivery:?}");
        // Every attempt carried the same envelope.
        let sent: Vec<_> = world
            .lambda
            .invocations("docs-echo")
            .iter()
            .rev()
            .take(runs)
            .map(|i| i.payload.clone())
            .collect();
        assert!(
            sent.iter()
                .all(|p| p == &sent[0] && Reference::is_envelope(p))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_methods_request_is_offloaded_and_its_response_streams() {
    let Some(world) = World::start("stream", |c| c).await else {
        return;
    };
    let client = world.client();
    let mut stream = client.lines(doc('s', 7 * MB), 3).await.unwrap();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item.unwrap());
    }
    assert_eq!(items, [7 * MB, 0, 1, 2]);
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.s3("res/"), [0, 0, 0]);
    assert_eq!(world.runs().await, [0, 0, 0, 0, 1]);
}
