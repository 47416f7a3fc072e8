//! Idempotency keys on DynamoDB (BENCHMARKS.md, "Idempotency (issue 24)"): store requests per
//! new and per repeated keyed call, counted where they arrive (a proxy in front of
//! moto_server), and the latency a key adds, as a ratio to the same call without a key.
//!
//! `cargo bench --features local,idempotency-dynamodb --bench idempotency` (needs
//! moto_server 5.2.1; `IDEMPOTENCY_BENCH_CALLS` calls per arm, 200 by default). Arms run
//! interleaved, one call of each in turn, so that a slow moment of the machine hits all three.

#[path = "../tests/idempotency/contract.rs"]
#[allow(dead_code)]
mod contract;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../tests/interop/tools.rs"]
#[allow(dead_code)]
mod tools;

use std::time::{Duration, Instant};

use contract::{Counting, Orders as _, OrdersClient, OrdersServer};
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use lambda_remote::idempotency::Idempotency;
use lambda_remote::idempotency::dynamodb::{self, DynamoDbStore, aws_sdk_dynamodb};
use lambda_remote::local::LocalLambda;
use support::proxy::LossyProxy;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn p90(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() * 9 / 10]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let calls: u64 = std::env::var("IDEMPOTENCY_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let dir = std::env::temp_dir().join(format!("lambda-remote-bench-idem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Some((_moto, addr)) = tools::moto_server(&dir.join("moto.log")).await else {
        return;
    };
    let proxy = LossyProxy::start(addr).await;
    let aws = lambda_remote::aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&proxy.url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "bench"))
        .load()
        .await;
    let dynamo = aws_sdk_dynamodb::Client::new(&aws);
    dynamodb::create_table(&dynamo, "idempotency")
        .await
        .unwrap();
    let implementation = Counting::default();
    let server = OrdersServer::new(implementation.clone());
    let idempotency = Idempotency::new(DynamoDbStore::new(dynamo, "idempotency"));
    let lambda = LocalLambda::builder()
        .serve(server.charge().idempotency(idempotency))
        .serve(server.plain())
        .start()
        .await
        .unwrap();
    let client = OrdersClient::new(support::sdk_client(&lambda.endpoint_url()));

    // Warm up every path (connections, first table access).
    client.charge(u64::MAX, 1).await.unwrap();
    client.plain(u64::MAX, 1).await.unwrap();

    let (mut plain, mut new, mut repeated) = (Vec::new(), Vec::new(), Vec::new());
    let (mut new_requests, mut repeated_requests) = (0, 0);
    for n in 0..calls {
        let at = Instant::now();
        client.plain(n, 5).await.unwrap();
        plain.push(at.elapsed());

        let before = proxy.requests();
        let at = Instant::now();
        client.charge(n, 5).await.unwrap();
        new.push(at.elapsed());
        new_requests += proxy.requests() - before;

        let before = proxy.requests();
        let at = Instant::now();
        client.charge(n, 5).await.unwrap();
        repeated.push(at.elapsed());
        repeated_requests += proxy.requests() - before;
    }
    assert_eq!(implementation.runs("charge", 0), 1);
    let calls_f = calls as f64;
    let (mp, mn, mr) = (
        median(plain.clone()),
        median(new.clone()),
        median(repeated.clone()),
    );
    println!("calls per arm: {calls}");
    println!(
        "store requests at moto: new key {:.2} per call, repeated key {:.2} per call",
        new_requests as f64 / calls_f,
        repeated_requests as f64 / calls_f
    );
    println!("| arm | median | p90 | median / unkeyed |");
    println!("|---|---|---|---|");
    for (name, median, p90) in [
        ("unkeyed", mp, p90(plain)),
        ("keyed, new key", mn, p90(new)),
        ("keyed, repeated key", mr, p90(repeated)),
    ] {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.2} |",
            median.as_secs_f64() * 1e3,
            p90.as_secs_f64() * 1e3,
            median.as_secs_f64() / mp.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
