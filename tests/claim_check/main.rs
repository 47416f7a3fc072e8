//! The claim check (issue 23) against moto_server's S3: the early check of the SDK against
//! moto (`early`), … Each test is skipped with a message when moto_server is missing, or
//! fails under `LAMBDA_REMOTE_INTEROP=require`.

#[path = "../interop/tools.rs"]
#[allow(dead_code)]
mod tools;

mod early;
#[allow(dead_code)]
mod s3proxy;

use std::net::SocketAddr;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};

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
