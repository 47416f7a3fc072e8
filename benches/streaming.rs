//! Streamed responses (`InvokeWithResponseStream`, issue 14): the client's peak memory while
//! it reads a 5, 20 and 50 MiB stream, its throughput against the hand-written SDK loop over
//! `event_stream.recv()`, and how far a function gets ahead of a reader that reads slowly.
//!
//! Method:
//! - The local endpoint runs in a child process of its own (this binary again, with
//!   `LAMBDA_REMOTE_BENCH_ROLE=server`, on 127.0.0.1:0; it prints its URL and serves until
//!   its stdin closes), so none of its allocations count. It serves the `Feed` contract below
//!   (`FeedServer`), with the streamed-response limit raised to 64 MiB and the streaming
//!   functions' timeout to 900 s (Lambda's maximum; a served method gets the default 3 s; `Function::serving` configures it).
//! - Memory: each kind and size runs in a fresh client process (`…ROLE=client`): a 1 MiB
//!   warm-up stream, then `CALLS` measured ones (one for `item_events`), each read to its end
//!   and dropped item by item. The counting allocator gives the peak of live heap above what
//!   was live when the stream began, and the bytes and allocations asked for; `VmHWM` is the
//!   process's peak RSS.
//! - Throughput: pair by pair (generated and hand-written), the two interleaved round by
//!   round in a new random order, in this (parent) process against the same child endpoint,
//!   on two worker threads and again on one thread (see `PAIRS` for the sizes); the median
//!   over rounds of the ratio within each round, in wall time and in the CPU time of this
//!   process (the client alone: the endpoint is another process).
//! - Slow reader: a function producing rows one by one through a channel of 16 and counting
//!   them (`produced`, asked through the contract), read 100 rows per 100 ms: how far
//!   production runs ahead of the reader, and the client's heap meanwhile.
//!
//! The contenders:
//! - `items`: `ResponseStream<Row>` of 100-byte rows (newline-delimited JSON), which the
//!   function writes 64 KiB at a time (lines cut across chunks);
//! - `item_events`: the same rows as a served `ResponseStream<Row>` sends them, one chunk (one
//!   `PayloadChunk` event) per row;
//! - `bytes`: `ByteStream` of 64 KiB chunks;
//! - each against the hand-written loop over `event_stream.recv()` that counts the chunks'
//!   bytes, or for rows splits the lines (`memchr`) and decodes each with `serde_json` as it
//!   goes.
//!
//! `cargo bench --features local --bench streaming` prints Markdown tables;
//! `-- memory`, `-- throughput` or `-- slow` runs one section; `LAMBDA_REMOTE_BENCH_SCALE=0.3`
//! shortens the throughput rounds (`=3` lengthens them); `LAMBDA_REMOTE_BENCH_PAIR=items`
//! (`item_events`, `bytes`) times that pair alone.

mod support;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::aws_sdk_lambda::types::InvokeWithResponseStreamResponseEvent as SdkEvent;
use lambda_remote::local::{Function, LocalLambda};
use lambda_remote::{
    ByteStream, InvokeError, MethodHandler, ResponseStream, client::Limits, lambda_remote,
};
use serde::{Deserialize, Serialize};
use support::counting::{Counting, Window, status_kib};
use support::{cpu_ns, median, shuffle};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One item of the row streams: [`ROW_BYTES`] bytes of JSON with its newline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub sku: String,
    pub qty: u32,
    pub customer: String,
    pub note: String,
}

const ROW_BYTES: usize = 100;
const MIB: usize = 1 << 20;
/// The function's write size for `items` and `bytes`.
const CHUNK: usize = 64 * 1024;
const SIZES_MIB: [usize; 3] = [5, 20, 50];
/// Measured streams per client process (after a 1 MiB warm-up), but see [`Kind::calls`].
const CALLS: usize = 3;

fn row(n: u64) -> Row {
    Row {
        id: format!("{n:012}"),
        sku: "SKU-0001-BLUE".to_owned(),
        qty: 3,
        customer: "c-1234567890".to_owned(),
        note: "delivered ok".to_owned(),
    }
}

/// The rows in a stream of `bytes`.
fn rows_in(bytes: u64) -> u64 {
    bytes / ROW_BYTES as u64
}

/// The function's side.
#[lambda_remote(server)]
pub trait Feed {
    /// The rows of `bytes`, one chunk per row: what a served `ResponseStream` sends.
    #[lambda(function = "bench-row-events", invocation = "stream")]
    async fn row_events(&self, bytes: u64) -> Result<ResponseStream<Row>, InvokeError>;

    /// The same rows' newline-delimited JSON, written 64 KiB at a time (as a function that
    /// buffers its output sends it); read by the caller as rows through [`Rows`].
    #[lambda(function = "bench-rows", invocation = "stream")]
    async fn rows_written(&self, bytes: u64) -> Result<ByteStream, InvokeError>;

    /// `bytes` in 64 KiB chunks.
    #[lambda(function = "bench-chunks", invocation = "stream")]
    async fn chunks(&self, bytes: u64) -> Result<ByteStream, InvokeError>;

    /// `count` rows sent one by one through a channel of 16, counting those produced.
    #[lambda(function = "bench-paced", invocation = "stream")]
    async fn paced(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError>;

    /// How many rows `paced` has produced so far (all calls together).
    #[lambda(function = "bench-produced")]
    async fn produced(&self) -> Result<u64, InvokeError>;
}

/// The caller's side of `bench-rows`: rows.
#[lambda_remote]
pub trait Rows {
    #[lambda(function = "bench-rows", invocation = "stream")]
    async fn rows(&self, bytes: u64) -> Result<ResponseStream<Row>, InvokeError>;
}

struct FeedImpl {
    /// The rows of the largest stream as newline-delimited JSON.
    ndjson: Bytes,
    block: Bytes,
    produced: Arc<AtomicU64>,
}

impl FeedImpl {
    fn new() -> Self {
        let largest = SIZES_MIB.iter().max().copied().unwrap_or(0) * MIB;
        let mut ndjson = Vec::with_capacity(largest);
        for n in 0..rows_in(largest as u64) {
            serde_json::to_writer(&mut ndjson, &row(n)).expect("a row serializes");
            ndjson.push(b'\n');
        }
        assert_eq!(ndjson.len(), rows_in(largest as u64) as usize * ROW_BYTES);
        Self {
            ndjson: Bytes::from(ndjson),
            block: Bytes::from(vec![b'x'; CHUNK]),
            produced: Arc::default(),
        }
    }
}

impl Feed for FeedImpl {
    async fn row_events(&self, bytes: u64) -> Result<ResponseStream<Row>, InvokeError> {
        Ok(ResponseStream::from_items((0..rows_in(bytes)).map(row)))
    }

    async fn rows_written(&self, bytes: u64) -> Result<ByteStream, InvokeError> {
        let body = self.ndjson.slice(..rows_in(bytes) as usize * ROW_BYTES);
        let len = body.len();
        Ok(ByteStream::from_chunks(
            (0..len)
                .step_by(CHUNK)
                .map(move |at| body.slice(at..(at + CHUNK).min(len))),
        ))
    }

    async fn chunks(&self, bytes: u64) -> Result<ByteStream, InvokeError> {
        let block = self.block.clone();
        Ok(ByteStream::from_chunks(std::iter::repeat_n(
            block,
            bytes as usize / CHUNK,
        )))
    }

    async fn paced(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError> {
        let produced = self.produced.clone();
        let (sender, stream) = ResponseStream::channel(16);
        tokio::spawn(async move {
            for n in 0..count {
                if sender.send(row(n)).await.is_err() {
                    return;
                }
                produced.fetch_add(1, Ordering::SeqCst);
            }
        });
        Ok(stream)
    }

    async fn produced(&self) -> Result<u64, InvokeError> {
        Ok(self.produced.load(Ordering::SeqCst))
    }
}

/// Serves `method` as `LocalLambdaBuilder::serve` does, with the function timeout at 900 s:
/// a served method gets Lambda's default 3 s, which a slow reader of 50 MiB outlasts.
fn served(method: MethodHandler) -> Function {
    Function::serving(method).timeout(Duration::from_secs(900))
}

async fn endpoint() -> LocalLambda {
    let mut builder =
        LocalLambda::builder().limits(Limits::default().with_streamed_response(64 * MIB));
    for method in FeedServer::new(FeedImpl::new()).handlers() {
        builder = if method.is_streaming() {
            builder.function(served(method))
        } else {
            builder.serve(method)
        };
    }
    builder.start().await.expect("the local endpoint starts")
}

/// The contenders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ItemsGenerated,
    ItemsHand,
    ItemEventsGenerated,
    ItemEventsHand,
    BytesGenerated,
    BytesHand,
}

const KINDS: [Kind; 6] = [
    Kind::ItemsGenerated,
    Kind::ItemsHand,
    Kind::ItemEventsGenerated,
    Kind::ItemEventsHand,
    Kind::BytesGenerated,
    Kind::BytesHand,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::ItemsGenerated => "items/generated",
            Kind::ItemsHand => "items/hand_written",
            Kind::ItemEventsGenerated => "item_events/generated",
            Kind::ItemEventsHand => "item_events/hand_written",
            Kind::BytesGenerated => "bytes/generated",
            Kind::BytesHand => "bytes/hand_written",
        }
    }

    fn parse(name: &str) -> Self {
        KINDS
            .into_iter()
            .find(|k| k.name() == name)
            .unwrap_or_else(|| panic!("unknown kind {name}"))
    }

    /// Streams measured per client process: one for `item_events`, which reads 50 MiB in
    /// about 7 s (one event per row).
    fn calls(self) -> usize {
        match self {
            Kind::ItemEventsGenerated | Kind::ItemEventsHand => 1,
            _ => CALLS,
        }
    }

    /// The bytes of response a stream of `bytes` carries.
    fn expected(self, bytes: u64) -> u64 {
        match self {
            Kind::BytesGenerated | Kind::BytesHand => bytes / CHUNK as u64 * CHUNK as u64,
            _ => rows_in(bytes) * ROW_BYTES as u64,
        }
    }
}

struct Clients {
    sdk: aws_sdk_lambda::Client,
    feed: FeedClient,
    rows: RowsClient,
}

impl Clients {
    fn new(sdk: aws_sdk_lambda::Client) -> Self {
        Self {
            feed: FeedClient::new(sdk.clone()),
            rows: RowsClient::new(sdk.clone()),
            sdk,
        }
    }

    /// A client of its own, as an application configures one, pointed at `endpoint`.
    fn of(endpoint: &str) -> Self {
        let config = aws_sdk_lambda::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::from_static("us-east-1"))
            .credentials_provider(Credentials::new("AKIDBENCH", "bench", None, None, "bench"))
            .endpoint_url(endpoint)
            .build();
        Self::new(aws_sdk_lambda::Client::from_conf(config))
    }

    /// Reads one stream of `bytes` as `kind`, to its end, dropping what it reads as it goes;
    /// the bytes of response read.
    async fn read(&self, kind: Kind, bytes: u64) -> u64 {
        match kind {
            Kind::ItemsGenerated => {
                read_rows(self.rows.rows(bytes).await.expect("the stream starts")).await
            }
            Kind::ItemEventsGenerated => {
                read_rows(
                    self.feed
                        .row_events(bytes)
                        .await
                        .expect("the stream starts"),
                )
                .await
            }
            Kind::BytesGenerated => {
                let mut stream = self.feed.chunks(bytes).await.expect("the stream starts");
                let mut total = 0;
                while let Some(chunk) = stream.next().await {
                    total += black_box(chunk.expect("a chunk")).len() as u64;
                }
                total
            }
            Kind::ItemsHand => hand_rows(&self.sdk, "bench-rows", bytes).await,
            Kind::ItemEventsHand => hand_rows(&self.sdk, "bench-row-events", bytes).await,
            Kind::BytesHand => {
                let mut total = 0;
                hand_stream(&self.sdk, "bench-chunks", bytes, |chunk| {
                    total += black_box(chunk).len() as u64;
                })
                .await;
                total
            }
        }
    }
}

async fn read_rows(mut stream: ResponseStream<Row>) -> u64 {
    let mut rows = 0;
    while let Some(row) = stream.next().await {
        black_box(row.expect("a row"));
        rows += 1;
    }
    rows * ROW_BYTES as u64
}

/// The hand-written call: `InvokeWithResponseStream`, then `event_stream.recv()` until
/// `InvokeComplete`, each chunk's payload given to `on_chunk` and dropped.
async fn hand_stream(
    sdk: &aws_sdk_lambda::Client,
    function: &str,
    bytes: u64,
    mut on_chunk: impl FnMut(&[u8]),
) {
    let payload = serde_json::to_vec(&bytes).expect("serializes");
    let mut output = sdk
        .invoke_with_response_stream()
        .function_name(function)
        .payload(Blob::new(payload))
        .send()
        .await
        .expect("the stream starts");
    while let Some(event) = output.event_stream.recv().await.expect("an event") {
        match event {
            SdkEvent::PayloadChunk(chunk) => {
                if let Some(payload) = chunk.payload() {
                    on_chunk(payload.as_ref());
                }
            }
            SdkEvent::InvokeComplete(complete) => {
                assert!(complete.error_code().is_none(), "{complete:?}");
                return;
            }
            _ => {}
        }
    }
    panic!("the stream ended without InvokeComplete");
}

/// The hand-written rows: [`hand_stream`], the lines split out of the chunks with `memchr`
/// (a line may straddle two) and each decoded with `serde_json` as it arrives.
async fn hand_rows(sdk: &aws_sdk_lambda::Client, function: &str, bytes: u64) -> u64 {
    let mut pending: Vec<u8> = Vec::new();
    let mut rows = 0u64;
    hand_stream(sdk, function, bytes, |chunk| {
        pending.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(end) = memchr::memchr(b'\n', &pending[start..]) {
            let line = &pending[start..start + end];
            if !line.is_empty() {
                let row: Row = serde_json::from_slice(line).expect("a row");
                black_box(row);
                rows += 1;
            }
            start += end + 1;
        }
        pending.drain(..start);
    })
    .await;
    assert!(pending.is_empty(), "a partial row at the end");
    rows * ROW_BYTES as u64
}

/// The endpoint's child process; ended (stdin closed, then killed) when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this binary"))
            .env("LAMBDA_REMOTE_BENCH_ROLE", "server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server process starts");
        let mut url = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut url)
            .expect("the server prints its URL");
        let url = url.trim().to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
        Self { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server() {
    let rt = support::runtime();
    let local = rt.block_on(endpoint());
    println!("{}", local.endpoint_url());
    std::io::stdout().flush().expect("stdout");
    // Serve until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(local);
}

/// What one client process measured.
#[derive(Debug, Default, Clone, Copy)]
struct Measured {
    peak_above_live: usize,
    allocated_per_call: usize,
    allocations_per_call: usize,
    rss_before_kib: usize,
    vm_hwm_kib: usize,
}

fn client(kind: Kind, bytes: u64, endpoint: &str) -> Measured {
    let rt = support::runtime();
    rt.block_on(async {
        let clients = Clients::of(endpoint);
        let rss_before_kib = status_kib("VmRSS:");
        // The warm-up (connection, credentials, lazy statics): a 1 MiB stream.
        let warm_up = MIB as u64;
        assert_eq!(clients.read(kind, warm_up).await, kind.expected(warm_up));
        let mut measured = Measured {
            rss_before_kib,
            ..Measured::default()
        };
        let calls = kind.calls();
        for _ in 0..calls {
            let window = Window::start();
            let read = clients.read(kind, bytes).await;
            measured.peak_above_live = measured.peak_above_live.max(window.peak_above_live());
            measured.allocated_per_call += window.allocated();
            measured.allocations_per_call += window.allocations();
            assert_eq!(read, kind.expected(bytes));
        }
        measured.allocated_per_call /= calls;
        measured.allocations_per_call /= calls;
        measured.vm_hwm_kib = status_kib("VmHWM:");
        measured
    })
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / MIB as f64
}

fn memory(server: &Server) {
    let exe = std::env::current_exe().expect("this binary");
    let mut results = Vec::new();
    for kind in KINDS {
        for size in SIZES_MIB {
            let output = Command::new(&exe)
                .env("LAMBDA_REMOTE_BENCH_ROLE", "client")
                .env("LAMBDA_REMOTE_BENCH_KIND", kind.name())
                .env("LAMBDA_REMOTE_BENCH_BYTES", (size * MIB).to_string())
                .env("LAMBDA_REMOTE_BENCH_ENDPOINT", &server.url)
                .stderr(Stdio::inherit())
                .output()
                .expect("the client process runs");
            assert!(
                output.status.success(),
                "{}: {}",
                kind.name(),
                output.status
            );
            let f: Vec<usize> = String::from_utf8_lossy(&output.stdout)
                .split_whitespace()
                .map(|f| f.parse().expect("a number"))
                .collect();
            let measured = Measured {
                peak_above_live: f[0],
                allocated_per_call: f[1],
                allocations_per_call: f[2],
                rss_before_kib: f[3],
                vm_hwm_kib: f[4],
            };
            results.push((kind, size, measured));
        }
    }

    println!(
        "\n### Memory of the client reading one streamed response (one process per kind and size; {CALLS} streams each, 1 for item_events, after a 1 MiB warm-up)\n"
    );
    println!(
        "| kind | response | peak heap of a call | process VmHWM (VmRSS before the first call) | heap allocated per response byte | allocations per MiB |"
    );
    println!("|---|---|---|---|---|---|");
    for (kind, size, m) in &results {
        let bytes = kind.expected((size * MIB) as u64) as f64;
        println!(
            "| {} | {size} MiB | {:.2} MiB | {:.1} MiB ({:.1}) | {:.2} | {:.0} |",
            kind.name(),
            mib(m.peak_above_live),
            m.vm_hwm_kib as f64 / 1024.0,
            m.rss_before_kib as f64 / 1024.0,
            m.allocated_per_call as f64 / bytes,
            m.allocations_per_call as f64 / (bytes / MIB as f64),
        );
    }
    let of = |kind: Kind, size: usize| {
        results
            .iter()
            .find(|(k, s, _)| *k == kind && *s == size)
            .map(|(_, _, m)| *m)
            .expect("measured")
    };
    let (small, large) = (SIZES_MIB[0], SIZES_MIB[SIZES_MIB.len() - 1]);
    println!("\n| kind | peak heap {large} MiB / {small} MiB | VmHWM {large} MiB / {small} MiB |");
    println!("|---|---|---|");
    for kind in KINDS {
        let (s, l) = (of(kind, small), of(kind, large));
        println!(
            "| {} | {:.3} | {:.3} |",
            kind.name(),
            l.peak_above_live as f64 / s.peak_above_live as f64,
            l.vm_hwm_kib as f64 / s.vm_hwm_kib as f64,
        );
    }
    println!("\n| generated / hand-written, {large} MiB | peak heap | VmHWM | heap allocated |");
    println!("|---|---|---|---|");
    for (what, generated, hand) in [
        ("items", Kind::ItemsGenerated, Kind::ItemsHand),
        (
            "item_events",
            Kind::ItemEventsGenerated,
            Kind::ItemEventsHand,
        ),
        ("bytes", Kind::BytesGenerated, Kind::BytesHand),
    ] {
        let (g, h) = (of(generated, large), of(hand, large));
        println!(
            "| {what} | {:.3} | {:.3} | {:.3} |",
            g.peak_above_live as f64 / h.peak_above_live as f64,
            g.vm_hwm_kib as f64 / h.vm_hwm_kib as f64,
            g.allocated_per_call as f64 / h.allocated_per_call as f64,
        );
    }
}

/// A pair of contenders timed against each other.
struct Pair {
    name: &'static str,
    what: &'static str,
    generated: Kind,
    hand: Kind,
    /// The size of each stream.
    mib: usize,
    /// Streams read per contender and round (so that a round of `bytes` lasts long enough
    /// to time).
    streams: usize,
}

const PAIRS: [Pair; 3] = [
    Pair {
        name: "items",
        what: "items: 50 MiB of 100-byte rows in 64 KiB chunks",
        generated: Kind::ItemsGenerated,
        hand: Kind::ItemsHand,
        mib: 50,
        streams: 1,
    },
    Pair {
        name: "item_events",
        what: "item_events: 2 MiB of 100-byte rows, one per event",
        generated: Kind::ItemEventsGenerated,
        hand: Kind::ItemEventsHand,
        mib: 2,
        streams: 1,
    },
    Pair {
        name: "bytes",
        what: "bytes: 4 × 50 MiB in 64 KiB chunks",
        generated: Kind::BytesGenerated,
        hand: Kind::BytesHand,
        mib: 50,
        streams: 4,
    },
];

/// The throughput rounds, pair by pair (each pair's two contenders take turns, in a new
/// random order each round), on the benchmarks' two-worker runtime, or with `one_thread` on
/// a current-thread runtime: there the client's streams are its CPU work alone, without the
/// cross-thread wake-ups (hyper's connection task and the reader on different workers)
/// whose latency on a shared 2-core VM is most of the noise.
fn throughput(server: &Server, scale: f64, one_thread: bool) {
    let rounds = ((15.0 * scale).round() as usize).max(3);
    let rt = if one_thread {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    } else {
        support::runtime()
    };
    // `LAMBDA_REMOTE_BENCH_PAIR=items` (or `item_events`, `bytes`): that pair alone.
    let only = std::env::var("LAMBDA_REMOTE_BENCH_PAIR").ok();
    let pairs: Vec<&Pair> = PAIRS
        .iter()
        .filter(|pair| only.as_deref().is_none_or(|only| only == pair.name))
        .collect();
    // Per pair: [generated, hand-written] seconds of wall time and of CPU time, per round.
    let results: Vec<[[Vec<f64>; 2]; 2]> = rt.block_on(async {
        let clients = Clients::of(&server.url);
        let mut results = Vec::new();
        for pair in &pairs {
            let bytes = (pair.mib * MIB) as u64;
            let mut wall: [Vec<f64>; 2] = Default::default();
            let mut cpu: [Vec<f64>; 2] = Default::default();
            // Round 0 warms up and is discarded.
            for round in 0..=rounds {
                let mut order = [0, 1];
                shuffle(&mut order, round);
                for k in order {
                    let kind = [pair.generated, pair.hand][k];
                    let (started, cpu_before) = (Instant::now(), cpu_ns());
                    for _ in 0..pair.streams {
                        assert_eq!(clients.read(kind, bytes).await, kind.expected(bytes));
                    }
                    let (elapsed, spent) = (started.elapsed(), cpu_ns() - cpu_before);
                    if round > 0 {
                        wall[k].push(elapsed.as_secs_f64());
                        cpu[k].push(spent as f64 / 1e9);
                    }
                }
            }
            results.push([wall, cpu]);
        }
        results
    });
    let ratio = |series: &[Vec<f64>; 2]| {
        let mut ratios: Vec<f64> = series[0]
            .iter()
            .zip(&series[1])
            .map(|(g, h)| g / h)
            .collect();
        let m = median(&mut ratios);
        (m, ratios[0], ratios[ratios.len() - 1])
    };
    let runtime = if one_thread {
        "the client on one thread"
    } else {
        "the client on two worker threads"
    };
    println!("\n### Throughput: {rounds} rounds per pair, {runtime}\n");
    println!(
        "| stream | median ratio, time generated / hand-written | range over rounds | client CPU-time ratio | median throughput, generated vs hand-written |"
    );
    println!("|---|---|---|---|---|");
    for (pair, [wall, cpu]) in pairs.iter().zip(&results) {
        let (m, lo, hi) = ratio(wall);
        let (c, _, _) = ratio(cpu);
        let mib_per_s = |times: &Vec<f64>, kind: Kind| {
            let read = kind.expected((pair.mib * MIB) as u64) as f64 * pair.streams as f64;
            read / MIB as f64 / median(&mut times.clone())
        };
        println!(
            "| {} | **{m:.3}** | {lo:.3} – {hi:.3} | {c:.3} | {:.0} vs {:.0} MiB/s |",
            pair.what,
            mib_per_s(&wall[0], pair.generated),
            mib_per_s(&wall[1], pair.hand),
        );
    }
}

/// A reader that takes 100 rows every 100 ms (about 100 KB/s) of a 50 MiB stream the
/// function produces through a channel of 16, against the endpoint's process: how many rows
/// the function has produced beyond those read, and the client's heap meanwhile.
fn slow_reader(server: &Server) {
    let rt = support::runtime();
    rt.block_on(async {
        let clients = Clients::of(&server.url);
        let total = rows_in((50 * MIB) as u64);
        // For scale, and to warm up: the same stream read as fast as it can be.
        let before = clients.feed.produced().await.expect("a count");
        let started = Instant::now();
        let fast = read_rows(clients.feed.paced(total).await.expect("starts")).await;
        let fast_time = started.elapsed();
        assert_eq!(fast, total * ROW_BYTES as u64);
        let base = clients.feed.produced().await.expect("a count");
        assert_eq!(base - before, total);

        let window = Window::start();
        let mut stream = clients.feed.paced(total).await.expect("starts");
        let mut taken = 0u64;
        let mut samples = Vec::new();
        let started = Instant::now();
        for step in 1..=20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            for _ in 0..100 {
                black_box(stream.next().await.expect("a row").expect("a row"));
                taken += 1;
            }
            if step % 5 == 0 {
                let produced = clients.feed.produced().await.expect("a count") - base;
                samples.push((started.elapsed(), taken, produced - taken));
            }
        }
        let peak = window.peak_above_live();
        drop(stream);
        println!(
            "\n### Slow reader: 100 rows per 100 ms from a {total}-row (50 MiB) stream, one row per event\n"
        );
        println!(
            "Read as fast as it can, the same stream takes {:.2} s. Read slowly:\n",
            fast_time.as_secs_f64()
        );
        println!("| after | rows read | rows produced beyond those read | as bytes of response |");
        println!("|---|---|---|---|");
        for (at, taken, ahead) in samples {
            println!(
                "| {:.1} s | {taken} | {ahead} | {:.2} MiB |",
                at.as_secs_f64(),
                mib(ahead as usize * ROW_BYTES)
            );
        }
        println!(
            "\nPeak heap of the client during the slow read: {:.2} MiB above what was live before it.",
            mib(peak)
        );
    });
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    match std::env::var("LAMBDA_REMOTE_BENCH_ROLE").as_deref() {
        Ok("server") => return server(),
        Ok("client") => {
            let kind = Kind::parse(&std::env::var("LAMBDA_REMOTE_BENCH_KIND").expect("a kind"));
            let bytes = std::env::var("LAMBDA_REMOTE_BENCH_BYTES")
                .expect("a size")
                .parse()
                .expect("a number");
            let endpoint = std::env::var("LAMBDA_REMOTE_BENCH_ENDPOINT").expect("an endpoint");
            let m = client(kind, bytes, &endpoint);
            println!(
                "{} {} {} {} {}",
                m.peak_above_live,
                m.allocated_per_call,
                m.allocations_per_call,
                m.rss_before_kib,
                m.vm_hwm_kib
            );
            return;
        }
        _ => {}
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
    let server = Server::start();
    if wanted("memory") {
        memory(&server);
    }
    if wanted("throughput") {
        throughput(&server, scale, false);
        throughput(&server, scale, true);
    }
    if wanted("slow") {
        slow_reader(&server);
    }
    drop(server);
    println!(
        "\nstreaming: done in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}
