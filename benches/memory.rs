//! Peak memory of a 5 MB request and a 5 MB response, generated client against the
//! hand-written SDK call.
//!
//! Method: the local endpoint runs in a child process of its own, so nothing of the server
//! counts. Each kind of call then runs in a fresh client process of its own (this binary
//! again, with `LAMBDA_REMOTE_BENCH_ROLE=client`), which:
//! 1. builds its client and prepares its inputs, then makes one warm-up call (connection,
//!    credentials, lazy statics);
//! 2. makes `CALLS` measured calls; before each, the counting allocator's peak is reset to
//!    the bytes live at that moment, so `peak - live` is the heap the call itself needed at
//!    its worst, and the bytes and allocations it asked for in total are counted too (bytes
//!    allocated show copies: every copy of a 5 MB buffer is 5 MB more);
//! 3. reports those with `VmHWM` (peak resident set) from `/proc/self/status`.
//!
//! `cargo bench --features local --bench memory` prints a Markdown table.

mod support;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use support::counting::{Counting, Window, status_kib};
use support::{Document, Shop, ShopClient, hand_call};

#[global_allocator]
static GLOBAL: Counting = Counting;

const CALLS: usize = 5;
const KINDS: [&str; 4] = [
    "request_5mb/generated",
    "request_5mb/hand_written",
    "response_5mb/generated",
    "response_5mb/hand_written",
];

/// What one client process measured.
#[derive(Debug, Default, Clone, Copy)]
struct Measured {
    peak_above_live: usize,
    allocated_per_call: usize,
    allocations_per_call: usize,
    vm_hwm_kib: usize,
}

fn client(kind: &str, endpoint: &str) -> Measured {
    let rt = support::runtime();
    rt.block_on(async {
        let config = aws_sdk_lambda::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::from_static("us-east-1"))
            .credentials_provider(Credentials::new("AKIDBENCH", "bench", None, None, "bench"))
            .endpoint_url(endpoint)
            .build();
        let sdk = aws_sdk_lambda::Client::from_conf(config);
        let generated = ShopClient::new(sdk.clone());
        let template = support::large_document();
        let call = |document: Document| {
            let (sdk, generated) = (&sdk, &generated);
            async move {
                match kind {
                    "request_5mb/generated" => {
                        assert_eq!(generated.upload(document).await.unwrap(), 1);
                    }
                    "request_5mb/hand_written" => {
                        let answer: u64 = hand_call(sdk, "bench-upload", &document).await.unwrap();
                        assert_eq!(answer, 1);
                        drop(document);
                    }
                    "response_5mb/generated" => {
                        drop(document);
                        let got = generated.download("large".into()).await.unwrap();
                        assert_eq!(got.body.len(), support::LARGE_BYTES);
                    }
                    "response_5mb/hand_written" => {
                        drop(document);
                        let got: Document =
                            hand_call(sdk, "bench-download", &"large").await.unwrap();
                        assert_eq!(got.body.len(), support::LARGE_BYTES);
                    }
                    // The small call of `ratios`'s per-call rows, for its allocations per
                    // call (run by hand: `LAMBDA_REMOTE_BENCH_ROLE=client`, BENCHMARKS.md
                    // issue 21); not in `KINDS`, whose table is about 5 MB payloads.
                    "order/generated" => {
                        drop(document);
                        black_box(generated.order(support::order()).await.unwrap());
                    }
                    "order/hand_written" => {
                        drop(document);
                        let receipt: support::Receipt =
                            hand_call(sdk, "bench-order", &support::order())
                                .await
                                .unwrap();
                        black_box(receipt);
                    }
                    other => panic!("unknown kind {other}"),
                }
            }
        };
        call(template.clone()).await;
        let mut measured = Measured::default();
        for _ in 0..CALLS {
            // The input exists before the call for every kind (dropped at once by the
            // response kinds), so the baseline is the same.
            let document = template.clone();
            let window = Window::start();
            call(document).await;
            measured.peak_above_live = measured.peak_above_live.max(window.peak_above_live());
            measured.allocated_per_call += window.allocated();
            measured.allocations_per_call += window.allocations();
        }
        measured.allocated_per_call /= CALLS;
        measured.allocations_per_call /= CALLS;
        measured.vm_hwm_kib = status_kib("VmHWM:");
        measured
    })
}

fn server() {
    let rt = support::runtime();
    let local = rt.block_on(support::local_lambda());
    println!("{}", local.endpoint_url());
    std::io::stdout().flush().unwrap();
    // Serve until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(local);
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    match std::env::var("LAMBDA_REMOTE_BENCH_ROLE").as_deref() {
        Ok("server") => return server(),
        Ok("client") => {
            let kind = std::env::var("LAMBDA_REMOTE_BENCH_KIND").unwrap();
            let endpoint = std::env::var("LAMBDA_REMOTE_BENCH_ENDPOINT").unwrap();
            let m = client(&kind, &endpoint);
            println!(
                "{} {} {} {}",
                m.peak_above_live, m.allocated_per_call, m.allocations_per_call, m.vm_hwm_kib
            );
            return;
        }
        _ => {}
    }

    let exe = std::env::current_exe().unwrap();
    let mut server = Command::new(&exe)
        .env("LAMBDA_REMOTE_BENCH_ROLE", "server")
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

    let mut results = Vec::new();
    for kind in KINDS {
        let output = Command::new(&exe)
            .env("LAMBDA_REMOTE_BENCH_ROLE", "client")
            .env("LAMBDA_REMOTE_BENCH_KIND", kind)
            .env("LAMBDA_REMOTE_BENCH_ENDPOINT", &endpoint)
            .stderr(Stdio::inherit())
            .output()
            .expect("the client process runs");
        assert!(output.status.success(), "{kind}: {}", output.status);
        let fields: Vec<usize> = String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(|f| f.parse().unwrap())
            .collect();
        results.push((
            kind,
            Measured {
                peak_above_live: fields[0],
                allocated_per_call: fields[1],
                allocations_per_call: fields[2],
                vm_hwm_kib: fields[3],
            },
        ));
    }
    drop(server.stdin.take());
    let _ = server.wait();

    println!("\n### Memory: 5 MB payloads, one client process per kind ({CALLS} calls each)\n");
    println!(
        "| kind | peak heap of a call | heap bytes allocated per call | allocations per call | process VmHWM |"
    );
    println!("|---|---|---|---|---|");
    for (kind, m) in &results {
        println!(
            "| {kind} | {:.1} MiB | {:.1} MiB | {} | {:.1} MiB |",
            mib(m.peak_above_live),
            mib(m.allocated_per_call),
            m.allocations_per_call,
            m.vm_hwm_kib as f64 / 1024.0
        );
    }
    println!("\n| ratio generated / hand-written | peak heap | bytes allocated | VmHWM |");
    println!("|---|---|---|---|");
    for (what, generated, hand) in [
        ("5 MB request", &results[0].1, &results[1].1),
        ("5 MB response", &results[2].1, &results[3].1),
    ] {
        println!(
            "| {what} | {:.3} | {:.3} | {:.3} |",
            generated.peak_above_live as f64 / hand.peak_above_live as f64,
            generated.allocated_per_call as f64 / hand.allocated_per_call as f64,
            generated.vm_hwm_kib as f64 / hand.vm_hwm_kib as f64,
        );
    }
}
