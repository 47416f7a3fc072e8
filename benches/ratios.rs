//! The ratios BENCHMARKS.md reports, measured as pairs within one run: the contenders take
//! turns round by round (in a new random order each round) against the same local endpoint on
//! the same runtime, and each ratio is the median over rounds of the ratio within a round, so
//! drift of the machine between rounds cancels out.
//!
//! `cargo bench --features local --bench ratios` prints a Markdown table.
//! `LAMBDA_REMOTE_BENCH_SCALE=0.2` shortens every section (e.g. for a quick look).
//! `LAMBDA_REMOTE_BENCH_ONLY=DownloadGenerated:500` makes 500 calls of one kind and nothing
//! else, for a profiler (`valgrind --tool=callgrind`, `perf record`); `A,B:500` alternates
//! kinds call by call and prints each one's median. With `LAMBDA_REMOTE_BENCH_ONE_THREAD=1` as
//! well, on a current-thread runtime: instruction counts then repeat from process to process
//! (BENCHMARKS.md, issue 21).

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::local::LocalLambda;
use support::{
    CountingProxy, DOWNLOAD_PATH, Document, ECHO_PATH, HyperClient, ORDER_PATH, Receipt, Shop,
    ShopClient, UPLOAD_PATH, cpu_ns, hand_call, hand_call_explicit, hyper_post, median, shuffle,
};

struct Env {
    local: LocalLambda,
    generated: ShopClient,
    /// `local.sdk_client()`: what a hand-written caller would build.
    sdk: aws_sdk_lambda::Client,
    /// The SDK client inside `generated` (lambda-remote's timeouts, retry classifier and
    /// attempt interceptor), called by hand.
    configured: aws_sdk_lambda::Client,
    hyper: HyperClient,
    echo: std::net::SocketAddr,
    _echo_server: tokio::task::JoinHandle<()>,
    order_bytes: Bytes,
    document: Document,
    document_bytes: Bytes,
}

const ALL_KINDS: [Kind; 14] = [
    Kind::Generated,
    Kind::Hand,
    Kind::HandSameConfig,
    Kind::HandSameConfigExplicit,
    Kind::HyperFloor,
    Kind::EchoLocal,
    Kind::EchoAxum,
    Kind::UploadGenerated,
    Kind::UploadHand,
    Kind::UploadFloor,
    Kind::DownloadGenerated,
    Kind::DownloadHand,
    Kind::DownloadHandSameConfig,
    Kind::DownloadFloor,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Generated,
    Hand,
    HandSameConfig,
    HandSameConfigExplicit,
    HyperFloor,
    EchoLocal,
    EchoAxum,
    UploadGenerated,
    UploadHand,
    UploadFloor,
    DownloadGenerated,
    DownloadHand,
    DownloadHandSameConfig,
    DownloadFloor,
}

/// One call of `kind`; returns the time it took. Inputs are prepared outside the timing.
async fn once(env: &Env, kind: Kind) -> Duration {
    match kind {
        Kind::UploadGenerated => {
            let document = env.document.clone();
            let start = Instant::now();
            black_box(env.generated.upload(document).await.unwrap());
            start.elapsed()
        }
        Kind::UploadHand => {
            let document = env.document.clone();
            let start = Instant::now();
            black_box(
                hand_call::<_, u64>(&env.sdk, "bench-upload", &document)
                    .await
                    .unwrap(),
            );
            drop(document);
            start.elapsed()
        }
        _ => {
            let start = Instant::now();
            match kind {
                Kind::Generated => {
                    black_box(env.generated.order(support::order()).await.unwrap());
                }
                Kind::Hand => {
                    black_box(
                        hand_call::<_, Receipt>(&env.sdk, "bench-order", &support::order())
                            .await
                            .unwrap(),
                    );
                }
                Kind::HandSameConfig => {
                    black_box(
                        hand_call::<_, Receipt>(&env.configured, "bench-order", &support::order())
                            .await
                            .unwrap(),
                    );
                }
                Kind::HandSameConfigExplicit => {
                    black_box(
                        hand_call_explicit::<_, Receipt>(
                            &env.configured,
                            "bench-order",
                            &support::order(),
                        )
                        .await
                        .unwrap(),
                    );
                }
                Kind::HyperFloor => {
                    let body = env.order_bytes.clone();
                    black_box(hyper_post(&env.hyper, env.local.addr(), ORDER_PATH, body).await);
                }
                Kind::EchoLocal => {
                    let body = env.order_bytes.clone();
                    black_box(hyper_post(&env.hyper, env.local.addr(), ECHO_PATH, body).await);
                }
                Kind::EchoAxum => {
                    let body = env.order_bytes.clone();
                    black_box(hyper_post(&env.hyper, env.echo, ECHO_PATH, body).await);
                }
                Kind::UploadFloor => {
                    let body = env.document_bytes.clone();
                    black_box(hyper_post(&env.hyper, env.local.addr(), UPLOAD_PATH, body).await);
                }
                Kind::DownloadGenerated => {
                    let document: Document = env.generated.download("large".into()).await.unwrap();
                    black_box(document);
                }
                Kind::DownloadHand => {
                    let document: Document = hand_call(&env.sdk, "bench-download", &"large")
                        .await
                        .unwrap();
                    black_box(document);
                }
                Kind::DownloadHandSameConfig => {
                    let document: Document = hand_call(&env.configured, "bench-download", &"large")
                        .await
                        .unwrap();
                    black_box(document);
                }
                Kind::DownloadFloor => {
                    let body = Bytes::from_static(b"\"large\"");
                    black_box(hyper_post(&env.hyper, env.local.addr(), DOWNLOAD_PATH, body).await);
                }
                Kind::UploadGenerated | Kind::UploadHand => unreachable!(),
            }
            start.elapsed()
        }
    }
}

/// Per round, the mean time of one call of each kind, in microseconds.
struct Rounds {
    kinds: Vec<Kind>,
    /// `times[k][r]`
    times: Vec<Vec<f64>>,
    /// `cpu[k][r]`: the CPU time all of the process's threads spent on the round's calls of
    /// kind `k` (client and endpoint alike), in microseconds per call.
    cpu: Vec<Vec<f64>>,
}

impl Rounds {
    fn of(&self, kind: Kind) -> &[f64] {
        let index = self
            .kinds
            .iter()
            .position(|k| *k == kind)
            .expect("measured");
        &self.times[index]
    }

    /// The median over rounds of `a / b` within each round, with the smallest and largest.
    fn ratio(&self, a: Kind, b: Kind) -> (f64, f64, f64) {
        let mut ratios: Vec<f64> = self
            .of(a)
            .iter()
            .zip(self.of(b))
            .map(|(a, b)| a / b)
            .collect();
        let m = median(&mut ratios);
        (m, ratios[0], ratios[ratios.len() - 1])
    }

    /// The median over rounds of the CPU-time ratio `a / b` within each round.
    fn cpu_ratio(&self, a: Kind, b: Kind) -> f64 {
        let index = |kind: Kind| self.kinds.iter().position(|k| *k == kind).unwrap();
        let mut ratios: Vec<f64> = self.cpu[index(a)]
            .iter()
            .zip(&self.cpu[index(b)])
            .map(|(a, b)| a / b)
            .collect();
        median(&mut ratios)
    }

    fn median_us(&self, kind: Kind) -> f64 {
        median(&mut self.of(kind).to_vec())
    }
}

/// `rounds` rounds (after one discarded warm-up round) of `calls` sequential calls per kind.
async fn paired(env: &Env, kinds: &[Kind], rounds: usize, calls: usize) -> Rounds {
    let mut times = vec![Vec::with_capacity(rounds); kinds.len()];
    let mut cpu = vec![Vec::with_capacity(rounds); kinds.len()];
    for round in 0..=rounds {
        let mut order: Vec<usize> = (0..kinds.len()).collect();
        shuffle(&mut order, round);
        for k in order {
            let mut total = Duration::ZERO;
            let cpu_before = cpu_ns();
            for _ in 0..calls {
                total += once(env, kinds[k]).await;
            }
            let cpu_spent = cpu_ns().saturating_sub(cpu_before);
            if round > 0 {
                times[k].push(total.as_secs_f64() * 1e6 / calls as f64);
                cpu[k].push(cpu_spent as f64 / 1e3 / calls as f64);
            }
        }
    }
    Rounds {
        kinds: kinds.to_vec(),
        times,
        cpu,
    }
}

const FAN_OUT: usize = 1000;

#[derive(Clone)]
enum FanClient {
    Generated(ShopClient),
    Hand(aws_sdk_lambda::Client),
    Hyper(Box<(HyperClient, std::net::SocketAddr, Bytes)>),
}

/// `FAN_OUT` calls in flight at once through clones of one client; the time until all end.
async fn fan_out(client: &FanClient) -> Duration {
    let start = Instant::now();
    let calls: Vec<_> = (0..FAN_OUT)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                match client {
                    FanClient::Generated(client) => {
                        black_box(client.order(support::order()).await.unwrap());
                    }
                    FanClient::Hand(sdk) => {
                        black_box(
                            hand_call::<_, Receipt>(&sdk, "bench-order", &support::order())
                                .await
                                .unwrap(),
                        );
                    }
                    FanClient::Hyper(hyper) => {
                        let (client, addr, body) = *hyper;
                        black_box(hyper_post(&client, addr, ORDER_PATH, body).await);
                    }
                }
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
    start.elapsed()
}

struct Row {
    what: String,
    ratio: (f64, f64, f64),
    /// The same ratio in CPU time of the whole process (client and endpoint).
    cpu: f64,
    target: &'static str,
    detail: String,
}

fn print_rows(title: &str, rows: &[Row]) {
    println!("\n### {title}\n");
    println!(
        "| measurement | median ratio | target | range over rounds | CPU-time ratio | medians |"
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | **{:.3}** | {} | {:.3} – {:.3} | {:.3} | {} |",
            row.what, row.ratio.0, row.target, row.ratio.1, row.ratio.2, row.cpu, row.detail
        );
    }
}

fn scaled(n: usize, scale: f64) -> usize {
    ((n as f64 * scale).round() as usize).max(3)
}

impl Env {
    async fn start() -> Self {
        let local = support::local_lambda().await;
        let generated = ShopClient::new(local.sdk_client());
        let (echo, echo_server) = support::axum_echo().await;
        let document = support::large_document();
        Env {
            configured: generated.invoker().sdk_client().clone(),
            generated,
            sdk: local.sdk_client(),
            hyper: support::hyper_client(),
            echo,
            _echo_server: echo_server,
            order_bytes: Bytes::from(serde_json::to_vec(&support::order()).unwrap()),
            document_bytes: Bytes::from(serde_json::to_vec(&document).unwrap()),
            document,
            local,
        }
    }
}

/// `LAMBDA_REMOTE_BENCH_ONLY=A,B:N`: N rounds of one call of each kind, then each one's median.
async fn only(env: &Env, only: &str) {
    let (names, calls) = only.split_once(':').unwrap_or((only, "100"));
    let kinds: Vec<Kind> = names
        .split(',')
        .map(|name| {
            *ALL_KINDS
                .iter()
                .find(|k| format!("{k:?}") == name)
                .unwrap_or_else(|| panic!("no kind {name}; one of {ALL_KINDS:?}"))
        })
        .collect();
    let calls: usize = calls.parse().expect("a number of calls");
    if std::env::var_os("LAMBDA_REMOTE_BENCH_SIZES").is_some() {
        print_future_sizes(env);
    }
    let mut times = vec![Vec::with_capacity(calls); kinds.len()];
    for _ in 0..calls {
        for (k, kind) in kinds.iter().enumerate() {
            times[k].push(once(env, *kind).await.as_secs_f64() * 1e6);
        }
    }
    for (kind, times) in kinds.iter().zip(&mut times) {
        println!("{kind:?}: median {:.1} µs per call", median(times));
    }
}

/// `LAMBDA_REMOTE_BENCH_SIZES=1` (with `LAMBDA_REMOTE_BENCH_ONLY`): the size of each call's
/// future before it is first polled, which is what the caller's own future holds and copies
/// when it moves it (BENCHMARKS.md, issue 21).
fn print_future_sizes(env: &Env) {
    let order = support::order();
    let generated = env.generated.order(support::order());
    let hand = hand_call::<_, Receipt>(&env.sdk, "bench-order", &order);
    let sdk = env
        .sdk
        .invoke()
        .function_name("bench-order")
        .payload(aws_sdk_lambda::primitives::Blob::new(Vec::new()))
        .send();
    println!(
        "future sizes: generated `order` {} B, hand-written `hand_call` {} B, the SDK's `InvokeFluentBuilder::send` {} B",
        std::mem::size_of_val(&generated),
        std::mem::size_of_val(&hand),
        std::mem::size_of_val(&sdk),
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let scale: f64 = std::env::var("LAMBDA_REMOTE_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let sections: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |section: &str| sections.is_empty() || sections.iter().any(|s| s == section);
    let started = Instant::now();

    // `LAMBDA_REMOTE_BENCH_ONE_THREAD=1` (with `LAMBDA_REMOTE_BENCH_ONLY`): a current-thread
    // runtime, so that instruction counts under callgrind repeat from process to process.
    let rt = if std::env::var_os("LAMBDA_REMOTE_BENCH_ONE_THREAD").is_some() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    } else {
        support::runtime()
    };
    rt.block_on(async {
        let env = Env::start().await;
        if let Ok(kinds) = std::env::var("LAMBDA_REMOTE_BENCH_ONLY") {
            return only(&env, &kinds).await;
        }
        if wanted("per_call") {
            per_call(&env, scale, "two worker threads").await;
        }
        if wanted("fanout") {
            fanout(&env, scale).await;
        }
        if wanted("large") {
            large(&env, scale).await;
        }
    });
    drop(rt);

    if wanted("per_call") && std::env::var("LAMBDA_REMOTE_BENCH_ONLY").is_err() {
        // The same on one thread: client, endpoint and connections on a current-thread
        // runtime, so a call is its CPU work alone, without cross-thread wake-ups (whose
        // latency on a shared 2-core VM is most of the noise).
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        rt.block_on(async {
            let env = Env::start().await;
            per_call(&env, scale, "one thread").await;
        });
    }
    println!("\nratios: done in {:.0} s", started.elapsed().as_secs_f64());
}

/// Per-call overhead and the endpoint against bare axum.
async fn per_call(env: &Env, scale: f64, runtime: &str) {
    let kinds = [
        Kind::Generated,
        Kind::Hand,
        Kind::HandSameConfig,
        Kind::HandSameConfigExplicit,
        Kind::HyperFloor,
        Kind::EchoLocal,
        Kind::EchoAxum,
    ];
    let rounds = paired(env, &kinds, scaled(500, scale), 20).await;
    let us = |k| format!("{:.1} µs", rounds.median_us(k));
    print_rows(
        &format!("Per call: one small struct, sequential calls ({runtime})"),
        &[
            Row {
                what: "generated / hand-written".into(),
                ratio: rounds.ratio(Kind::Generated, Kind::Hand),
                cpu: rounds.cpu_ratio(Kind::Generated, Kind::Hand),
                target: "≤ 1.03",
                detail: format!("{} vs {}", us(Kind::Generated), us(Kind::Hand)),
            },
            Row {
                what: "generated / hand-written on the generated client's SDK config".into(),
                ratio: rounds.ratio(Kind::Generated, Kind::HandSameConfig),
                cpu: rounds.cpu_ratio(Kind::Generated, Kind::HandSameConfig),
                target: "(diagnostic)",
                detail: format!("{} vs {}", us(Kind::Generated), us(Kind::HandSameConfig)),
            },
            Row {
                what:
                    "generated / the same, naming the invocation type as the generated client does"
                        .into(),
                ratio: rounds.ratio(Kind::Generated, Kind::HandSameConfigExplicit),
                cpu: rounds.cpu_ratio(Kind::Generated, Kind::HandSameConfigExplicit),
                target: "(diagnostic)",
                detail: format!(
                    "{} vs {}",
                    us(Kind::Generated),
                    us(Kind::HandSameConfigExplicit)
                ),
            },
            Row {
                what: "generated / hyper floor".into(),
                ratio: rounds.ratio(Kind::Generated, Kind::HyperFloor),
                cpu: rounds.cpu_ratio(Kind::Generated, Kind::HyperFloor),
                target: "(report)",
                detail: format!("{} vs {}", us(Kind::Generated), us(Kind::HyperFloor)),
            },
            Row {
                what: "hand-written / hyper floor".into(),
                ratio: rounds.ratio(Kind::Hand, Kind::HyperFloor),
                cpu: rounds.cpu_ratio(Kind::Hand, Kind::HyperFloor),
                target: "(report)",
                detail: format!("{} vs {}", us(Kind::Hand), us(Kind::HyperFloor)),
            },
            Row {
                what: "endpoint: local endpoint / bare axum echo (plain hyper client)".into(),
                ratio: rounds.ratio(Kind::EchoLocal, Kind::EchoAxum),
                cpu: rounds.cpu_ratio(Kind::EchoLocal, Kind::EchoAxum),
                target: "≤ 1.3",
                detail: format!("{} vs {}", us(Kind::EchoLocal), us(Kind::EchoAxum)),
            },
        ],
    );
}

/// Fan-out: 1,000 in flight, throughput; and the connections opened.
async fn fanout(env: &Env, scale: f64) {
    let clients = [
        FanClient::Generated(env.generated.clone()),
        FanClient::Hand(env.sdk.clone()),
        FanClient::Hyper(Box::new((
            env.hyper.clone(),
            env.local.addr(),
            env.order_bytes.clone(),
        ))),
    ];
    let fan_rounds = scaled(20, scale);
    let mut times = vec![Vec::new(); clients.len()];
    let mut cpu = vec![Vec::new(); clients.len()];
    for round in 0..=fan_rounds {
        let mut order: Vec<usize> = (0..clients.len()).collect();
        shuffle(&mut order, round);
        for k in order {
            let cpu_before = cpu_ns();
            let took = fan_out(&clients[k]).await;
            let cpu_spent = cpu_ns().saturating_sub(cpu_before);
            if round > 0 {
                times[k].push(took.as_secs_f64());
                cpu[k].push(cpu_spent as f64);
            }
        }
    }
    // Calls per CPU-second, generated over hand-written: the median of the per-round ratios.
    let cpu_throughput_ratio = |a: usize, b: usize| {
        let mut r: Vec<f64> = cpu[a].iter().zip(&cpu[b]).map(|(ca, cb)| cb / ca).collect();
        median(&mut r)
    };
    let tput = |k: usize| {
        let mut t: Vec<f64> = times[k].iter().map(|s| FAN_OUT as f64 / s).collect();
        median(&mut t)
    };
    let throughput_ratio = |a: usize, b: usize| {
        let mut r: Vec<f64> = times[a]
            .iter()
            .zip(&times[b])
            .map(|(ta, tb)| tb / ta)
            .collect();
        let m = median(&mut r);
        (m, r[0], r[r.len() - 1])
    };

    // Connections opened: fresh clients behind counting proxies, same batches.
    let proxy_generated = CountingProxy::start(env.local.addr()).await;
    let proxy_hand = CountingProxy::start(env.local.addr()).await;
    let counted = [
        FanClient::Generated(ShopClient::new(support::sdk_client_via(
            &env.local,
            proxy_generated.addr(),
        ))),
        FanClient::Hand(support::sdk_client_via(&env.local, proxy_hand.addr())),
    ];
    let batches = 5;
    let mut after_first = [0; 2];
    for batch in 0..batches {
        for (k, client) in counted.iter().enumerate() {
            fan_out(client).await;
            if batch == 0 {
                after_first[k] = [&proxy_generated, &proxy_hand][k].accepted();
            }
        }
    }
    let connections = [proxy_generated.accepted(), proxy_hand.accepted()];
    print_rows(
        "Fan-out: 1,000 calls in flight through one client",
        &[
            Row {
                what: "throughput generated / hand-written".into(),
                ratio: throughput_ratio(0, 1),
                cpu: cpu_throughput_ratio(0, 1),
                target: "≥ 0.97",
                detail: format!("{:.0}/s vs {:.0}/s", tput(0), tput(1)),
            },
            Row {
                what: "throughput hyper floor / hand-written (endpoint headroom)".into(),
                ratio: throughput_ratio(2, 1),
                cpu: cpu_throughput_ratio(2, 1),
                target: "(report)",
                detail: format!("{:.0}/s vs {:.0}/s", tput(2), tput(1)),
            },
        ],
    );
    println!(
        "\nConnections opened ({batches} batches of {FAN_OUT} in flight, fresh clients behind \
         counting proxies): generated {} ({} after the first batch), hand-written {} ({} after \
         the first batch).",
        connections[0], after_first[0], connections[1], after_first[1]
    );
    drop(counted);
}

/// Large payloads: 5 MB each way.
async fn large(env: &Env, scale: f64) {
    let kinds = [
        Kind::UploadGenerated,
        Kind::UploadHand,
        Kind::UploadFloor,
        Kind::DownloadGenerated,
        Kind::DownloadHand,
        Kind::DownloadHandSameConfig,
        Kind::DownloadFloor,
    ];
    let rounds = paired(env, &kinds, scaled(100, scale), 1).await;
    let ms = |k| format!("{:.2} ms", rounds.median_us(k) / 1000.0);
    print_rows(
        "Large payloads: 5 MB",
        &[
            Row {
                what: "5 MB request: generated / hand-written".into(),
                ratio: rounds.ratio(Kind::UploadGenerated, Kind::UploadHand),
                cpu: rounds.cpu_ratio(Kind::UploadGenerated, Kind::UploadHand),
                target: "≤ 1.10",
                detail: format!("{} vs {}", ms(Kind::UploadGenerated), ms(Kind::UploadHand)),
            },
            Row {
                what: "5 MB request: hand-written / hyper floor".into(),
                ratio: rounds.ratio(Kind::UploadHand, Kind::UploadFloor),
                cpu: rounds.cpu_ratio(Kind::UploadHand, Kind::UploadFloor),
                target: "(report)",
                detail: format!("{} vs {}", ms(Kind::UploadHand), ms(Kind::UploadFloor)),
            },
            Row {
                what: "5 MB response: generated / hand-written".into(),
                ratio: rounds.ratio(Kind::DownloadGenerated, Kind::DownloadHand),
                cpu: rounds.cpu_ratio(Kind::DownloadGenerated, Kind::DownloadHand),
                target: "≤ 1.10",
                detail: format!(
                    "{} vs {}",
                    ms(Kind::DownloadGenerated),
                    ms(Kind::DownloadHand)
                ),
            },
            Row {
                what:
                    "5 MB response: generated / hand-written on the generated client's SDK config"
                        .into(),
                ratio: rounds.ratio(Kind::DownloadGenerated, Kind::DownloadHandSameConfig),
                cpu: rounds.cpu_ratio(Kind::DownloadGenerated, Kind::DownloadHandSameConfig),
                target: "(diagnostic)",
                detail: format!(
                    "{} vs {}",
                    ms(Kind::DownloadGenerated),
                    ms(Kind::DownloadHandSameConfig)
                ),
            },
            Row {
                what: "5 MB response: hand-written / hyper floor".into(),
                ratio: rounds.ratio(Kind::DownloadHand, Kind::DownloadFloor),
                cpu: rounds.cpu_ratio(Kind::DownloadHand, Kind::DownloadFloor),
                target: "(report)",
                detail: format!("{} vs {}", ms(Kind::DownloadHand), ms(Kind::DownloadFloor)),
            },
        ],
    );
}
