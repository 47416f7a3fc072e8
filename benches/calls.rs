//! Criterion benchmarks of the generated client against the hand-written SDK call, on the
//! local endpoint over loopback. Each group measures its contenders in the same run:
//!
//! - `per_call`: one small struct, generated vs hand-written vs hand-written on the generated
//!   client's own SDK configuration vs plain hyper POSTing the same bytes (the loopback floor);
//! - `endpoint`: plain hyper POSTing the same bytes to the local endpoint and to a bare axum
//!   echo server;
//! - `fanout`: 1,000 calls in flight through one client (clones share one connection pool);
//! - `large`: a 5 MB request and a 5 MB response.
//!
//! `cargo bench --features local --bench calls`; the paired ratios BENCHMARKS.md reports come
//! from `--bench ratios`, which interleaves the contenders round by round.

mod support;

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput};
use lambda_remote::aws_sdk_lambda;
use lambda_remote::local::LocalLambda;
use support::{
    DOWNLOAD_PATH, Document, ECHO_PATH, HyperClient, ORDER_PATH, Receipt, Shop, ShopClient,
    UPLOAD_PATH, hand_call, hyper_post,
};
use tokio::runtime::Runtime;

struct Env {
    local: LocalLambda,
    generated: ShopClient,
    /// `local.sdk_client()`: what a hand-written caller would build.
    sdk: aws_sdk_lambda::Client,
    hyper: HyperClient,
    order_bytes: Bytes,
}

impl Env {
    fn start(rt: &Runtime) -> Self {
        let local = rt.block_on(support::local_lambda());
        let generated = ShopClient::new(local.sdk_client());
        let sdk = local.sdk_client();
        Self {
            generated,
            sdk,
            hyper: support::hyper_client(),
            order_bytes: Bytes::from(serde_json::to_vec(&support::order()).unwrap()),
            local,
        }
    }
}

fn per_call(c: &mut Criterion, rt: &Runtime, env: &Env) {
    let mut group = c.benchmark_group("per_call");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated", |b| {
        b.to_async(rt)
            .iter(|| async { env.generated.order(support::order()).await.unwrap() })
    });
    group.bench_function("hand_written", |b| {
        b.to_async(rt).iter(|| async {
            hand_call::<_, Receipt>(&env.sdk, "bench-order", &support::order())
                .await
                .unwrap()
        })
    });
    let configured = env.generated.invoker().sdk_client().clone();
    group.bench_function("hand_written_same_sdk_config", |b| {
        b.to_async(rt).iter(|| async {
            hand_call::<_, Receipt>(&configured, "bench-order", &support::order())
                .await
                .unwrap()
        })
    });
    group.bench_function("hyper_floor", |b| {
        b.to_async(rt).iter(|| async {
            hyper_post(
                &env.hyper,
                env.local.addr(),
                ORDER_PATH,
                env.order_bytes.clone(),
            )
            .await
        })
    });
    group.finish();
}

fn endpoint(c: &mut Criterion, rt: &Runtime, env: &Env) {
    let (echo, server) = rt.block_on(support::axum_echo());
    let mut group = c.benchmark_group("endpoint");
    group.throughput(Throughput::Elements(1));
    group.bench_function("local_lambda", |b| {
        b.to_async(rt).iter(|| async {
            hyper_post(
                &env.hyper,
                env.local.addr(),
                ECHO_PATH,
                env.order_bytes.clone(),
            )
            .await
        })
    });
    group.bench_function("axum_echo", |b| {
        b.to_async(rt).iter(|| async {
            hyper_post(&env.hyper, echo, ECHO_PATH, env.order_bytes.clone()).await
        })
    });
    group.finish();
    server.abort();
}

const FAN_OUT: usize = 1000;

async fn fan_out_generated(client: &ShopClient) {
    let calls: Vec<_> = (0..FAN_OUT)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.order(support::order()).await })
        })
        .collect();
    for call in calls {
        black_box(call.await.unwrap().unwrap());
    }
}

async fn fan_out_hand(sdk: &aws_sdk_lambda::Client) {
    let calls: Vec<_> = (0..FAN_OUT)
        .map(|_| {
            let sdk = sdk.clone();
            tokio::spawn(async move {
                hand_call::<_, Receipt>(&sdk, "bench-order", &support::order()).await
            })
        })
        .collect();
    for call in calls {
        black_box(call.await.unwrap().unwrap());
    }
}

async fn fan_out_hyper(env: &Env) {
    let calls: Vec<_> = (0..FAN_OUT)
        .map(|_| {
            let (client, addr, body) =
                (env.hyper.clone(), env.local.addr(), env.order_bytes.clone());
            tokio::spawn(async move { hyper_post(&client, addr, ORDER_PATH, body).await })
        })
        .collect();
    for call in calls {
        black_box(call.await.unwrap());
    }
}

fn fanout(c: &mut Criterion, rt: &Runtime, env: &Env) {
    let mut group = c.benchmark_group("fanout");
    group
        .throughput(Throughput::Elements(FAN_OUT as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("generated_1000_in_flight", |b| {
        b.to_async(rt).iter(|| fan_out_generated(&env.generated))
    });
    group.bench_function("hand_written_1000_in_flight", |b| {
        b.to_async(rt).iter(|| fan_out_hand(&env.sdk))
    });
    group.bench_function("hyper_floor_1000_in_flight", |b| {
        b.to_async(rt).iter(|| fan_out_hyper(env))
    });
    group.finish();
}

fn large(c: &mut Criterion, rt: &Runtime, env: &Env) {
    let document = support::large_document();
    let document_bytes = Bytes::from(serde_json::to_vec(&document).unwrap());
    let name_bytes = Bytes::from_static(b"\"large\"");
    let mut group = c.benchmark_group("large");
    group
        .throughput(Throughput::Bytes(document_bytes.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    // The document is cloned outside the timing for both contenders and dropped inside it
    // for both: the generated method takes it by value, the hand-written call by reference.
    group.bench_function("request_5mb/generated", |b| {
        b.to_async(rt).iter_batched(
            || document.clone(),
            |document| async { env.generated.upload(document).await.unwrap() },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("request_5mb/hand_written", |b| {
        b.to_async(rt).iter_batched(
            || document.clone(),
            |document| async move {
                let answer = hand_call::<_, u64>(&env.sdk, "bench-upload", &document)
                    .await
                    .unwrap();
                drop(document);
                answer
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("request_5mb/hyper_floor", |b| {
        b.to_async(rt).iter(|| {
            hyper_post(
                &env.hyper,
                env.local.addr(),
                UPLOAD_PATH,
                document_bytes.clone(),
            )
        })
    });
    group.bench_function("response_5mb/generated", |b| {
        b.to_async(rt).iter(|| async {
            let document: Document = env.generated.download("large".into()).await.unwrap();
            document
        })
    });
    group.bench_function("response_5mb/hand_written", |b| {
        b.to_async(rt).iter(|| async {
            let document: Document = hand_call(&env.sdk, "bench-download", &"large")
                .await
                .unwrap();
            document
        })
    });
    group.bench_function("response_5mb/hyper_floor", |b| {
        b.to_async(rt).iter(|| {
            hyper_post(
                &env.hyper,
                env.local.addr(),
                DOWNLOAD_PATH,
                name_bytes.clone(),
            )
        })
    });
    group.finish();
}

fn main() {
    let rt = support::runtime();
    let _context = rt.enter();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    {
        let env = Env::start(&rt);
        per_call(&mut criterion, &rt, &env);
        endpoint(&mut criterion, &rt, &env);
        fanout(&mut criterion, &rt, &env);
    }
    {
        // A fresh endpoint: it records every payload it receives, 5 MB each here.
        let env = Env::start(&rt);
        large(&mut criterion, &rt, &env);
    }
    criterion.final_summary();
}
