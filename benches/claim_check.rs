//! The claim check's costs (BENCHMARKS.md, "Claim check (issue 23)").
//!
//! `cargo bench --features claim-check,local,server --bench claim_check` (needs moto_server
//! 5.2.1; skipped with a message without it) measures, against moto_server's S3 and the
//! local endpoint:
//! - a 50 MiB request (`take`) and a 50 MiB result (`give`) through the generated client and
//!   the served trait with a claim check, against the same through the hand-written sequence
//!   (`put_object` + `invoke` with the key + `get_object`, and the `delete_object` of each
//!   object once read, as the claim check does) on the same servers, with aws-sdk-s3 and
//!   aws-sdk-lambda written by hand. The four kinds run in a shuffled order in each round, so
//!   a slow moment of the machine hits all of them; medians over the rounds. The function
//!   side runs in a child process of its own, so that only the client's heap is counted: a
//!   counting global allocator gives each call's peak heap above what was live before it
//!   (minus what the decoded value holds), and the bytes it asked for in total (every copy
//!   of a 50 MiB body is 50 MiB more).
//! - `LAMBDA_REMOTE_BENCH_SMALL=with|without` (and `LAMBDA_REMOTE_BENCH_CALLS`, default 600):
//!   that many sequential small calls of one method, in one process, on the local endpoint,
//!   with a claim check configured on both sides or without; for `valgrind --tool=callgrind`:
//!   instructions per call = (total at 600 − total at 100) / 500. The claim check's S3
//!   client points at a closed loopback port, so a call that touched S3 would fail.

mod support;

#[path = "../tests/interop/tools.rs"]
#[allow(dead_code)]
mod tools;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::claim_check::ClaimCheck;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};
use support::counting::{Counting, Window, status_kib};

#[global_allocator]
static GLOBAL: Counting = Counting;

const MIB: usize = 1024 * 1024;
/// The document's length: 50 MiB, each way.
const BODY: usize = 50 * MIB;
const BUCKET: &str = "bench-claims";
const PREFIX: &str = "bench/claim-check/";
const HAND_PREFIX: &str = "bench/hand/";

#[lambda_remote(server)]
pub trait Bulk {
    /// Takes a document, answers its length.
    #[lambda(function = "bulk-take")]
    async fn take(&self, document: String) -> Result<u64, InvokeError>;

    /// Answers a document of `len` bytes.
    #[lambda(function = "bulk-give")]
    async fn give(&self, len: usize) -> Result<String, InvokeError>;

    /// A small call: answers `n + 1`.
    #[lambda(function = "bulk-small")]
    async fn small(&self, n: u64) -> Result<u64, InvokeError>;
}

struct BulkImpl;

impl Bulk for BulkImpl {
    async fn take(&self, document: String) -> Result<u64, InvokeError> {
        Ok(document.len() as u64)
    }

    async fn give(&self, len: usize) -> Result<String, InvokeError> {
        Ok("A".repeat(len))
    }

    async fn small(&self, n: u64) -> Result<u64, InvokeError> {
        Ok(n + 1)
    }
}

/// The hand-written request's body, as the served `take` reads it.
#[derive(Serialize, Deserialize)]
struct TakeArgs {
    document: String,
}

/// What the hand-written functions and calls pass instead of a body.
#[derive(Serialize, Deserialize)]
struct Key {
    key: String,
}

fn s3_client(url: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
        .endpoint_url(url)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

fn lambda_client(endpoint: &str) -> aws_sdk_lambda::Client {
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
        .region(aws_sdk_lambda::config::Region::from_static("us-east-1"))
        .credentials_provider(aws_sdk_lambda::config::Credentials::new(
            "bench", "bench", None, None, "bench",
        ))
        .endpoint_url(endpoint)
        .build();
    aws_sdk_lambda::Client::from_conf(config)
}

static HAND_KEYS: AtomicU64 = AtomicU64::new(0);

/// A new key of the hand-written sequence.
fn hand_key(what: &str) -> String {
    format!(
        "{HAND_PREFIX}{what}/{}-{}",
        std::process::id(),
        HAND_KEYS.fetch_add(1, Ordering::Relaxed)
    )
}

/// The object's bytes, as a hand-written caller reads them.
async fn hand_get(s3: &aws_sdk_s3::Client, key: &str) -> Bytes {
    s3.get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .expect("get_object")
        .body
        .collect()
        .await
        .expect("the object's body")
        .into_bytes()
}

/// The function side, in a process of its own: the served trait with a claim check, and the
/// two hand-written functions (`hand-take`: reads the request object named by the key;
/// `hand-give`: puts its result in an object and answers the key).
fn server(moto: &str) {
    let rt = support::runtime();
    let local = rt.block_on(async {
        let s3 = s3_client(moto);
        let claim_check = ClaimCheck::builder(s3.clone(), BUCKET)
            .key_prefix(PREFIX)
            .build();
        let served = BulkServer::new(BulkImpl);
        let long = Duration::from_secs(600);
        let take_s3 = s3.clone();
        let give_s3 = s3;
        LocalLambda::builder()
            .function(
                Function::serving(served.take().with_claim_check(claim_check.clone()))
                    .timeout(long),
            )
            .function(
                Function::serving(served.give().with_claim_check(claim_check.clone()))
                    .timeout(long),
            )
            .function(
                Function::new(
                    "hand-take",
                    Handler::new(move |invocation| {
                        let s3 = take_s3.clone();
                        let key: Key = serde_json::from_slice(invocation.payload()).unwrap();
                        async move {
                            let body = hand_get(&s3, &key.key).await;
                            let args: TakeArgs = serde_json::from_slice(&body).unwrap();
                            Ok(Bytes::from(args.document.len().to_string()))
                        }
                    }),
                )
                .timeout(long),
            )
            .function(
                Function::new(
                    "hand-give",
                    Handler::new(move |invocation| {
                        let s3 = give_s3.clone();
                        let len: usize = serde_json::from_slice(invocation.payload()).unwrap();
                        async move {
                            let body = serde_json::to_vec(&"A".repeat(len)).unwrap();
                            let key = hand_key("res");
                            s3.put_object()
                                .bucket(BUCKET)
                                .key(&key)
                                .body(ByteStream::from(body))
                                .send()
                                .await
                                .expect("put_object");
                            Ok(Bytes::from(serde_json::to_vec(&Key { key }).unwrap()))
                        }
                    }),
                )
                .timeout(long),
            )
            .start()
            .await
            .expect("the local endpoint starts")
    });
    println!("{}", local.endpoint_url());
    std::io::stdout().flush().unwrap();
    // Serve until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(local);
}

const KINDS: [&str; 4] = [
    "request/claim_check",
    "request/hand_written",
    "result/claim_check",
    "result/hand_written",
];

/// One call of one kind: its wall time, the peak heap above what was live before it minus
/// what the decoded value holds, the heap bytes it asked for, and the resident peak.
#[derive(Debug, Clone, Copy)]
struct Sample {
    seconds: f64,
    peak_minus_value: usize,
    allocated: usize,
    /// The resident set's peak during the call above the resident set before it, minus the
    /// decoded value: what was touched (a `Vec`'s capacity beyond its length is counted by
    /// the allocator, not here).
    resident_minus_value: usize,
}

fn client(endpoint: &str, moto: &str, rounds: usize) {
    let rt = support::runtime();
    rt.block_on(async {
        let s3 = s3_client(moto);
        let sdk = lambda_client(endpoint);
        let generated = BulkClient::builder(sdk.clone())
            .claim_check(
                ClaimCheck::builder(s3.clone(), BUCKET)
                    .key_prefix(PREFIX)
                    .build(),
            )
            .build()
            .unwrap();
        let template = "a".repeat(BODY);
        let one = |kind: usize, document: Option<String>| {
            let (s3, sdk, generated) = (&s3, &sdk, &generated);
            async move {
                match KINDS[kind] {
                    "request/claim_check" => {
                        let got = generated.take(document.unwrap()).await.unwrap();
                        assert_eq!(got, BODY as u64);
                        0
                    }
                    "request/hand_written" => {
                        let body = serde_json::to_vec(&TakeArgs {
                            document: document.unwrap(),
                        })
                        .unwrap();
                        let key = hand_key("req");
                        s3.put_object()
                            .bucket(BUCKET)
                            .key(&key)
                            .body(ByteStream::from(body))
                            .send()
                            .await
                            .expect("put_object");
                        let output = sdk
                            .invoke()
                            .function_name("hand-take")
                            .payload(Blob::new(
                                serde_json::to_vec(&Key { key: key.clone() }).unwrap(),
                            ))
                            .send()
                            .await
                            .expect("invoke");
                        assert!(output.function_error().is_none());
                        let got: u64 =
                            serde_json::from_slice(output.payload().unwrap().as_ref()).unwrap();
                        assert_eq!(got, BODY as u64);
                        s3.delete_object()
                            .bucket(BUCKET)
                            .key(&key)
                            .send()
                            .await
                            .expect("delete_object");
                        0
                    }
                    "result/claim_check" => {
                        let got = generated.give(BODY).await.unwrap();
                        assert_eq!(got.len(), BODY);
                        let held = got.capacity();
                        black_box(got);
                        held
                    }
                    "result/hand_written" => {
                        let output = sdk
                            .invoke()
                            .function_name("hand-give")
                            .payload(Blob::new(serde_json::to_vec(&BODY).unwrap()))
                            .send()
                            .await
                            .expect("invoke");
                        assert!(output.function_error().is_none());
                        let key: Key =
                            serde_json::from_slice(output.payload().unwrap().as_ref()).unwrap();
                        let body = hand_get(s3, &key.key).await;
                        let got: String = serde_json::from_slice(&body).unwrap();
                        drop(body);
                        s3.delete_object()
                            .bucket(BUCKET)
                            .key(&key.key)
                            .send()
                            .await
                            .expect("delete_object");
                        assert_eq!(got.len(), BODY);
                        let held = got.capacity();
                        black_box(got);
                        held
                    }
                    other => panic!("unknown kind {other}"),
                }
            }
        };
        // Warm-up: every kind once (connections, credentials, lazy statics).
        for kind in 0..KINDS.len() {
            one(kind, Some(template.clone())).await;
        }
        let mut order: Vec<usize> = (0..KINDS.len()).collect();
        for round in 0..rounds {
            support::shuffle(&mut order, round);
            for &kind in &order {
                // The request kinds' input exists before the call (the caller's, not the
                // call's); the result kinds have none.
                let document = (kind < 2).then(|| template.clone());
                // Resident: the kernel's high-water mark reset (`clear_refs` 5), then read
                // after the call, above the resident set before it.
                std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
                let resident_before = status_kib("VmRSS:");
                let window = Window::start();
                let at = Instant::now();
                let value = one(kind, document).await;
                let seconds = at.elapsed().as_secs_f64();
                let resident_peak = status_kib("VmHWM:").saturating_sub(resident_before) * 1024;
                let sample = Sample {
                    seconds,
                    peak_minus_value: window.peak_above_live().saturating_sub(value),
                    allocated: window.allocated(),
                    resident_minus_value: resident_peak.saturating_sub(value),
                };
                println!(
                    "{} {} {} {} {}",
                    kind,
                    sample.seconds,
                    sample.peak_minus_value,
                    sample.allocated,
                    sample.resident_minus_value
                );
            }
        }
        // Nothing left behind by either side.
        let left = s3
            .list_objects_v2()
            .bucket(BUCKET)
            .send()
            .await
            .unwrap()
            .key_count()
            .unwrap_or_default();
        assert_eq!(left, 0, "objects left in the bucket");
    });
}

/// Small calls for callgrind: the same method with and without a claim check.
fn small(with: bool, calls: u64) {
    let rt = support::runtime();
    rt.block_on(async {
        // Never contacted: a call that touched S3 would fail on the closed port.
        let closed = format!("http://127.0.0.1:{}", tools::free_port());
        let claim_check = ClaimCheck::builder(s3_client(&closed), BUCKET)
            .key_prefix(PREFIX)
            .build();
        let served = BulkServer::new(BulkImpl).small();
        let served = if with {
            served.with_claim_check(claim_check.clone())
        } else {
            served
        };
        let local = LocalLambda::builder()
            .function(Function::serving(served))
            .start()
            .await
            .unwrap();
        let builder = BulkClient::builder(local.sdk_client());
        let client = if with {
            builder.claim_check(claim_check).build().unwrap()
        } else {
            builder.build().unwrap()
        };
        for n in 0..calls {
            assert_eq!(black_box(client.small(n).await.unwrap()), n + 1);
        }
    });
}

fn median(samples: &[Sample], of: impl Fn(&Sample) -> f64) -> f64 {
    let mut values: Vec<f64> = samples.iter().map(of).collect();
    support::median(&mut values)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Ok(with) = std::env::var("LAMBDA_REMOTE_BENCH_SMALL") {
        let calls = std::env::var("LAMBDA_REMOTE_BENCH_CALLS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(600);
        return small(with == "with", calls);
    }
    let moto_env = std::env::var("LAMBDA_REMOTE_BENCH_MOTO");
    match std::env::var("LAMBDA_REMOTE_BENCH_ROLE").as_deref() {
        Ok("server") => return server(&moto_env.unwrap()),
        Ok("client") => {
            let endpoint = std::env::var("LAMBDA_REMOTE_BENCH_ENDPOINT").unwrap();
            let rounds = std::env::var("LAMBDA_REMOTE_BENCH_ROUNDS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(7);
            return client(&endpoint, &moto_env.unwrap(), rounds);
        }
        _ => {}
    }

    let rt = support::runtime();
    let dir = std::env::temp_dir().join(format!("lambda-remote-bench-cc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Some((_moto, addr)) = rt.block_on(tools::moto_server(&dir.join("moto.log"))) else {
        return;
    };
    let moto = format!("http://{addr}");
    rt.block_on(async {
        s3_client(&moto)
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .unwrap();
    });

    let exe = std::env::current_exe().unwrap();
    let mut server = Command::new(&exe)
        .env("LAMBDA_REMOTE_BENCH_ROLE", "server")
        .env("LAMBDA_REMOTE_BENCH_MOTO", &moto)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process starts");
    let mut endpoint = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut endpoint)
        .unwrap();
    let endpoint = endpoint.trim().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint:?}");

    let output = Command::new(&exe)
        .env("LAMBDA_REMOTE_BENCH_ROLE", "client")
        .env("LAMBDA_REMOTE_BENCH_MOTO", &moto)
        .env("LAMBDA_REMOTE_BENCH_ENDPOINT", &endpoint)
        .stderr(Stdio::inherit())
        .output()
        .expect("the client process runs");
    drop(server.stdin.take());
    let _ = server.wait();
    assert!(output.status.success(), "client: {}", output.status);

    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); KINDS.len()];
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let kind: usize = fields[0].parse().unwrap();
        samples[kind].push(Sample {
            seconds: fields[1].parse().unwrap(),
            peak_minus_value: fields[2].parse().unwrap(),
            allocated: fields[3].parse().unwrap(),
            resident_minus_value: fields[4].parse().unwrap(),
        });
    }
    let body = [
        serde_json::to_vec(&TakeArgs {
            document: "a".repeat(BODY),
        })
        .unwrap()
        .len(),
        serde_json::to_vec(&"A".repeat(BODY)).unwrap().len(),
    ];
    let rounds = samples[0].len();
    println!("\n### Claim check: 50 MiB each way, {rounds} rounds (medians)\n");
    println!(
        "| kind | time | peak heap of the call − decoded value (÷ body) | resident peak − decoded value (÷ body) | heap bytes allocated per call |"
    );
    println!("|---|---|---|---|---|");
    for (kind, name) in KINDS.iter().enumerate() {
        let peak = median(&samples[kind], |s| s.peak_minus_value as f64);
        let resident = median(&samples[kind], |s| s.resident_minus_value as f64);
        println!(
            "| {name} | {:.3} s | {:.1} MiB ({:.3}) | {:.1} MiB ({:.3}) | {:.1} MiB |",
            median(&samples[kind], |s| s.seconds),
            peak / MIB as f64,
            peak / body[kind / 2] as f64,
            resident / MIB as f64,
            resident / body[kind / 2] as f64,
            median(&samples[kind], |s| s.allocated as f64) / MIB as f64,
        );
    }
    println!("\n| claim check / hand-written (medians) | time |");
    println!("|---|---|");
    for (what, cc, hand) in [("50 MiB request", 0, 1), ("50 MiB result", 2, 3)] {
        println!(
            "| {what} | {:.3} |",
            median(&samples[cc], |s| s.seconds) / median(&samples[hand], |s| s.seconds)
        );
    }
    // Per round, the ratio of the two arms (each round's two calls were close in time).
    for (what, cc, hand) in [("request", 0, 1), ("result", 2, 3)] {
        let mut ratios: Vec<f64> = samples[cc]
            .iter()
            .zip(&samples[hand])
            .map(|(c, h)| c.seconds / h.seconds)
            .collect();
        println!(
            "\n{what}: median of the per-round ratios {:.3} ({ratios:.3?})",
            support::median(&mut ratios)
        );
    }
}
