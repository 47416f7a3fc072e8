//! A durable execution whose request went through the claim check: a repeated call (the same
//! durable execution name, the same arguments) sends the same envelope — its key derived from
//! the execution and the body — so Lambda finds the execution it started instead of refusing
//! a different payload, and one object holds the body.

use std::time::Duration;

use lambda_remote::CallOptions;
use lambda_remote::claim_check::ClaimCheck;
use lambda_remote::local::{Function, Handler, LocalLambda};

use crate::contract::{DocsClient, DocsImpl, DocsServer, echoed};
use crate::{BUCKET, MB, PREFIX, doc, moto, s3_client, s3proxy};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_durable_call_sends_the_same_reference_and_puts_one_object() {
    let Some((_moto, addr)) = moto("durable").await else {
        return;
    };
    let proxy = s3proxy::S3Proxy::start(addr).await;
    let admin = s3_client(&format!("http://{addr}"));
    admin.create_bucket().bucket(BUCKET).send().await.unwrap();
    let claim_check = ClaimCheck::builder(s3_client(&proxy.url), BUCKET)
        .key_prefix(PREFIX)
        .build();
    let server = DocsServer::new(DocsImpl::default());
    let echo = Handler::serving(server.echo().with_claim_check(claim_check.clone()));
    // A durable function is invoked through a version or an alias: `live`, on version 1.
    let lambda = LocalLambda::builder()
        .function(
            Function::new("docs-echo", echo.clone())
                .version("1", echo)
                .alias("live", "1")
                .durable()
                .timeout(Duration::from_secs(120)),
        )
        .start()
        .await
        .unwrap();
    let client = DocsClient::builder(lambda.sdk_client())
        .claim_check(claim_check)
        .build()
        .unwrap();
    let options = CallOptions::new()
        .qualifier("live")
        .durable_execution_name("bulk-7");
    let expected = echoed(&doc('d', 7 * MB), 10);

    let first = client
        .echo_with(&options, doc('d', 7 * MB), 10)
        .await
        .unwrap();
    let second = client
        .echo_with(&options, doc('d', 7 * MB), 10)
        .await
        .unwrap();
    assert_eq!(first.output, expected);
    assert_eq!(second.output, expected);
    // The execution ran once: the second call found it (the same payload).
    assert_eq!(lambda.invocations("docs-echo").len(), 1);
    assert_eq!(server.implementation().runs(), [1, 0, 0, 0, 0]);
    // Two PutObjects of the request, on the same key (the second rewrites the same bytes);
    // one GetObject (the one run); nothing deleted (a durable execution's request is left to
    // the lifecycle rule: replays read it again).
    let puts: Vec<String> = proxy
        .arrived()
        .into_iter()
        .filter(|a| a.method == http::Method::PUT)
        .map(|a| a.path)
        .collect();
    assert_eq!(puts.len(), 2, "{puts:?}");
    assert_eq!(puts[0], puts[1]);
    assert_eq!(
        proxy.count(http::Method::GET, &format!("/{BUCKET}/{PREFIX}req/")),
        1
    );
    assert_eq!(proxy.count(http::Method::DELETE, "/"), 0);
    let keys = |listed: aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output| {
        listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let listed = keys(admin.list_objects_v2().bucket(BUCKET).send().await.unwrap());
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(format!("/{BUCKET}/{}", listed[0]), puts[0]);
    let envelope = &lambda.invocations("docs-echo")[0].payload;
    let reference = lambda_remote::claim_check::Reference::from_envelope(envelope).unwrap();
    assert_eq!(reference.key, listed[0]);

    // Another execution with the same body: another key, another object.
    let other = CallOptions::new()
        .qualifier("live")
        .durable_execution_name("bulk-8");
    client
        .echo_with(&other, doc('d', 7 * MB), 10)
        .await
        .unwrap();
    let listed = keys(admin.list_objects_v2().bucket(BUCKET).send().await.unwrap());
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(server.implementation().runs(), [2, 0, 0, 0, 0]);
}
