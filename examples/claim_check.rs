//! A 50 MB request and a 50 MB result through one method: the S3 claim check (feature
//! `claim-check`) against moto_server's S3 and the local endpoint serving the trait. Skipped,
//! with a message, when `moto_server` is not installed (`pip install 'moto[server]==5.2.1'`).
//!
//! ```sh
//! cargo run --all-features --example claim_check
//! ```

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use lambda_remote::claim_check::ClaimCheck;
use lambda_remote::local::{Function, LocalLambda};
use lambda_remote::{InvokeError, lambda_remote};

#[lambda_remote(server)]
pub trait Archive {
    /// Takes a document of any size and answers one of `answer_len` bytes.
    #[lambda(function = "archive-transform")]
    async fn transform(&self, document: String, answer_len: usize) -> Result<String, InvokeError>;
}

struct MyArchive;

impl Archive for MyArchive {
    async fn transform(&self, document: String, answer_len: usize) -> Result<String, InvokeError> {
        let first = document.chars().next().unwrap_or('-').to_ascii_uppercase();
        Ok(std::iter::repeat_n(first, answer_len).collect())
    }
}

/// An S3 client for moto on `url`: path-style addressing, any static credentials.
fn s3_client(url: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "example", "example", None, None, "example",
        ))
        .endpoint_url(url)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// moto_server on a free loopback port, killed on drop.
struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(child) = child else {
        println!(
            "claim_check: SKIPPED — moto_server not installed (pip install 'moto[server]==5.2.1')"
        );
        return Ok(());
    };
    let _moto = Moto(child);
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if start.elapsed() > Duration::from_secs(60) {
            return Err("moto_server did not start within 60 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let s3 = s3_client(&url);
    s3.create_bucket().bucket("archive").send().await?;
    let claim_check = ClaimCheck::builder(s3.clone(), "archive")
        .key_prefix("archive/claim-check/")
        .build();

    // The function's side: the served method, with the same claim check.
    let handler = ArchiveServer::new(MyArchive)
        .transform()
        .with_claim_check(claim_check.clone());
    let lambda = LocalLambda::builder()
        .function(Function::serving(handler).timeout(Duration::from_secs(300)))
        .start()
        .await?;

    // The caller's side.
    let client = ArchiveClient::builder(lambda.sdk_client())
        .claim_check(claim_check)
        .build()?;
    const MB: usize = 1024 * 1024;
    let document: String = std::iter::repeat_n('a', 50 * MB).collect();
    let started = Instant::now();
    let answer = client.transform(document, 50 * MB).await?;
    assert_eq!(answer.len(), 50 * MB);
    assert!(answer.bytes().all(|b| b == b'A'));
    let sent = lambda.invocations("archive-transform")[0].payload.len();
    let left = s3
        .list_objects_v2()
        .bucket("archive")
        .send()
        .await?
        .key_count();
    println!(
        "claim_check: 50 MB in, 50 MB out in {:.1?}; Lambda saw a {sent}-byte envelope; \
         objects left in the bucket: {}",
        started.elapsed(),
        left.unwrap_or_default()
    );
    assert_eq!(left.unwrap_or_default(), 0);
    Ok(())
}
