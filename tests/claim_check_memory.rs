//! The claim-checked request's client memory (issue 23, point 6: "client peak memory, not
//! counting the decoded value itself, ≤ 1.5× the body size"), counted by a global allocator in
//! a test binary of its own: a 20 MiB request through the generated client and the claim
//! check, against moto_server's S3 and the local endpoint. The function answers the length of
//! what arrived (the envelope) without reading the object, so every byte counted is the
//! client's. Allocation sizes are deterministic: no timing in the assertion.

#[path = "interop/tools.rs"]
#[allow(dead_code)]
mod tools;

#[path = "../benches/support/counting.rs"]
#[allow(dead_code)]
mod counting;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use bytes::Bytes;
use counting::{Counting, Window};
use lambda_remote::claim_check::ClaimCheck;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{InvokeError, lambda_remote};

#[global_allocator]
static GLOBAL: Counting = Counting;

const MIB: usize = 1024 * 1024;
const BUCKET: &str = "claims";

#[lambda_remote]
pub trait Bulk {
    /// Takes a document.
    #[lambda(function = "bulk-take")]
    async fn take(&self, document: String) -> Result<u64, InvokeError>;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mib_request_through_the_claim_check_peaks_under_one_and_a_half_bodies() {
    let log = std::env::temp_dir().join(format!(
        "lambda-remote-claim-check-memory-{}.log",
        std::process::id()
    ));
    let Some((_moto, addr)) = tools::moto_server(&log).await else {
        return;
    };
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "test"))
            .endpoint_url(format!("http://{addr}"))
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket(BUCKET).send().await.unwrap();
    let lambda = LocalLambda::builder()
        .function(Function::new(
            "bulk-take",
            Handler::new(|invocation| {
                let len = invocation.payload().len();
                async move { Ok(Bytes::from(len.to_string())) }
            }),
        ))
        .start()
        .await
        .unwrap();
    let client = BulkClient::builder(lambda.sdk_client())
        .claim_check(ClaimCheck::builder(s3.clone(), BUCKET).build())
        .build()
        .unwrap();
    // A first call, so that what is set up once (connections, credentials, endpoint rules)
    // is not counted in the measured one.
    let warm = client.take("A".repeat(7 * MIB)).await.unwrap();
    assert!(
        warm < 1024,
        "the first call sent an envelope of {warm} bytes too"
    );

    let document = "A".repeat(20 * MIB);
    let body = document.len() + 2; // the JSON string's quotes
    let window = Window::start();
    let arrived = client.take(document).await.unwrap();
    let peak = window.peak_above_live();
    eprintln!(
        "peak above live: {peak} bytes, {:.3}× the {body}-byte body; {} bytes allocated",
        peak as f64 / body as f64,
        window.allocated()
    );
    assert!(
        arrived < 1024,
        "the function received the {arrived}-byte envelope, not the body"
    );
    // The document itself was live before the call (moved into it): the peak above it is the
    // serialized body and everything the call allocated beside it.
    assert!(
        peak * 2 <= body * 3,
        "the call's peak heap is {peak} bytes, {:.3}× the {body}-byte body (at most 1.5×)",
        peak as f64 / body as f64
    );
    let left = s3.list_objects_v2().bucket(BUCKET).send().await.unwrap();
    assert_eq!(
        left.key_count(),
        Some(0),
        "the request objects were deleted"
    );
}
