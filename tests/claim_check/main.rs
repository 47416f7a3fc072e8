//! The claim check (issue 23) against moto_server's S3 and the local endpoint serving the
//! `#[lambda_remote(server)]` trait of `contract.rs`: the early check of the SDK against
//! moto (`early`), both directions and the deletion rules (`roundtrip`), the faults
//! (`faults`). S3 requests are counted where they arrive (`s3proxy`), method runs where the
//! method runs. Each test is skipped with a message when moto_server is missing, or fails
//! under `LAMBDA_REMOTE_INTEROP=require`.

#[path = "../interop/tools.rs"]
#[allow(dead_code)]
mod tools;

mod contract;
mod durable;
mod early;
mod faults;
mod roundtrip;
#[allow(dead_code)]
mod s3proxy;
#[path = "../support/mod.rs"]
mod support;
mod watch;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use contract::{DocsClient, DocsImpl, DocsServer};
use lambda_remote::claim_check::{ClaimCheck, ClaimCheckBuilder};
use lambda_remote::local::{Function, LocalLambda};

/// An S3 client on `url` with static credentials, path-style addressing and the SDK's default
/// checksums.
pub fn s3_client(url: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .endpoint_url(url)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// moto_server on a free loopback port with its log in a temporary file; `None` (skipped) when
/// moto is missing.
pub async fn moto(test: &str) -> Option<(tools::Group, SocketAddr)> {
    let log = std::env::temp_dir().join(format!(
        "lambda-remote-claim-check-{test}-{}.log",
        std::process::id()
    ));
    tools::moto_server(&log).await
}

/// The bucket every test uses.
pub const BUCKET: &str = "claims";
/// The key prefix both sides are configured with.
pub const PREFIX: &str = "cc/";

/// moto's S3 behind a counting proxy, a bucket in it, and the `Docs` trait served with a
/// claim check on the local endpoint.
pub struct World {
    pub lambda: LocalLambda,
    pub server: Arc<DocsServer<DocsImpl>>,
    /// Both sides' S3 requests go through it.
    pub proxy: s3proxy::S3Proxy,
    /// Straight to moto, not counted: for the tests' own looks at the bucket.
    pub admin: aws_sdk_s3::Client,
    _moto: tools::Group,
}

impl World {
    /// The world, the function's claim check set up by `function` (from the defaults: the
    /// bucket, the prefix, S3 through the proxy).
    pub async fn start(
        test: &str,
        function: impl FnOnce(ClaimCheckBuilder) -> ClaimCheckBuilder,
    ) -> Option<Self> {
        Self::start_with(test, false, function).await
    }

    /// [`start`](Self::start), the functions tenant-isolated when `tenants`.
    pub async fn start_with(
        test: &str,
        tenants: bool,
        function: impl FnOnce(ClaimCheckBuilder) -> ClaimCheckBuilder,
    ) -> Option<Self> {
        let (moto, addr) = moto(test).await?;
        let proxy = s3proxy::S3Proxy::start(addr).await;
        let admin = s3_client(&format!("http://{addr}"));
        admin.create_bucket().bucket(BUCKET).send().await.unwrap();
        let claim_check =
            function(ClaimCheck::builder(s3_client(&proxy.url), BUCKET).key_prefix(PREFIX)).build();
        let server = Arc::new(DocsServer::new(DocsImpl::default()));
        let mut builder = LocalLambda::builder();
        for handler in server.handlers() {
            // Lambda's default 3 s is short for 7 MB through moto and an unoptimised build.
            let function = Function::serving(handler.with_claim_check(claim_check.clone()))
                .timeout(Duration::from_secs(120));
            builder = builder.function(if tenants {
                function.tenant_isolated()
            } else {
                function
            });
        }
        let lambda = builder
            .event_retry_delays(Duration::from_millis(10), Duration::from_millis(10))
            .start()
            .await
            .unwrap();
        proxy.reset();
        Some(Self {
            lambda,
            server,
            proxy,
            admin,
            _moto: moto,
        })
    }

    /// The client's claim check: the same bucket and prefix, S3 through the proxy.
    pub fn claim_check(&self) -> ClaimCheck {
        ClaimCheck::builder(s3_client(&self.proxy.url), BUCKET)
            .key_prefix(PREFIX)
            .build()
    }

    /// A client of the served trait with the claim check.
    pub fn client(&self) -> DocsClient {
        DocsClient::builder(self.lambda.sdk_client())
            .claim_check(self.claim_check())
            .build()
            .unwrap()
    }

    /// Each method's runs.
    pub async fn runs(&self) -> [usize; 5] {
        self.lambda.drain_events().await;
        self.server.implementation().runs()
    }

    /// `[PutObject, GetObject, DeleteObject]` requests on keys under `cc/<path>`.
    pub fn s3(&self, path: &str) -> [usize; 3] {
        let prefix = format!("/{BUCKET}/{PREFIX}{path}");
        [
            self.proxy.count(http::Method::PUT, &prefix),
            self.proxy.count(http::Method::GET, &prefix),
            self.proxy.count(http::Method::DELETE, &prefix),
        ]
    }

    /// The keys in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        let listed = self
            .admin
            .list_objects_v2()
            .bucket(BUCKET)
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect()
    }
}

/// A document of `len` bytes of `first`.
pub fn doc(first: char, len: usize) -> String {
    std::iter::repeat_n(first, len).collect()
}

pub const MB: usize = 1024 * 1024;
