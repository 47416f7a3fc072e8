//! Measures a served function and its hand-written twin (BENCHMARKS.md, "Function side
//! (issue 22)") against a Lambda Runtime API of its own on loopback:
//!
//! - `function-bench coldstart <binary>…`: process start to the first `GET …/invocation/next`,
//!   the median of 30 starts per binary (starts alternate between the binaries);
//! - `function-bench instructions <binary>…`: the CPU instructions of one invocation under
//!   `valgrind --tool=callgrind`, as the difference between a run of `N + K` invocations and
//!   one of `N`, divided by `K`, for a small payload and a 1 MB one. Every answer is checked
//!   against the expected receipt, so both binaries do the same work.
//!
//! The Runtime API here speaks just enough HTTP/1.1 for `lambda_runtime`: `GET …/next` answers
//! the next event (or closes the connection after the last one, which ends the function's
//! loop), `POST …/{id}/response` and `…/{id}/error` are read and answered `202`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// What the Runtime API serves and saw.
struct Api {
    payload: Vec<u8>,
    /// Events left to hand out.
    left: Mutex<usize>,
    /// The answers received, in order.
    answers: Mutex<Vec<(String, Vec<u8>)>>,
    /// Told the instant the first `/next` arrived.
    first_next: Mutex<Option<mpsc::Sender<Instant>>>,
    stopped: AtomicBool,
}

/// A Runtime API on a free loopback port; returns its address.
fn start_api(api: Arc<Api>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if api.stopped.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let api = api.clone();
            std::thread::spawn(move || connection(&api, stream));
        }
    });
    addr
}

/// Serves one connection's requests until it closes or the events run out.
fn connection(api: &Api, stream: TcpStream) {
    stream.set_nodelay(true).ok();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let arrived = Instant::now();
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or_default();
        if path.ends_with("/invocation/next") {
            if let Some(tell) = api.first_next.lock().unwrap().take() {
                let _ = tell.send(arrived);
            }
            let id = {
                let mut left = api.left.lock().unwrap();
                if *left == 0 {
                    // No more events: closing the connection ends the function's loop.
                    api.stopped.store(true, Ordering::SeqCst);
                    return;
                }
                *left -= 1;
                *left
            };
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
                + 900_000;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                 lambda-runtime-aws-request-id: req-{id}\r\n\
                 lambda-runtime-deadline-ms: {deadline}\r\n\
                 lambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:billing-charge\r\n\
                 lambda-runtime-trace-id: Root=1-00000000-000000000000000000000001;Parent=0000000000000001;Sampled=0\r\n\
                 content-length: {}\r\n\r\n",
                api.payload.len()
            );
            if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&api.payload).is_err()
            {
                return;
            }
        } else {
            api.answers.lock().unwrap().push((path.to_owned(), body));
            let answer = "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}\n";
            if writer.write_all(answer.as_bytes()).is_err() {
                return;
            }
        }
    }
}

/// The function's process, pointed at the Runtime API at `addr`.
fn function(program: &[String], addr: &str) -> Command {
    let mut command = Command::new(&program[0]);
    command
        .args(&program[1..])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", addr)
        .env("AWS_LAMBDA_FUNCTION_NAME", "billing-charge")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/billing-charge")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn api(payload: Vec<u8>, events: usize) -> (Arc<Api>, mpsc::Receiver<Instant>) {
    let (tell, told) = mpsc::channel();
    let api = Arc::new(Api {
        payload,
        left: Mutex::new(events),
        answers: Mutex::default(),
        first_next: Mutex::new(Some(tell)),
        stopped: AtomicBool::new(false),
    });
    (api, told)
}

/// Process start to the first `/next`, once.
fn cold_start(binary: &str) -> Duration {
    let (api, told) = api(Vec::new(), 0);
    let addr = start_api(api);
    let mut command = function(&[binary.to_owned()], &addr);
    let started = Instant::now();
    let mut child: Child = command.spawn().expect("start the function");
    let arrived = told
        .recv_timeout(Duration::from_secs(30))
        .expect("the function asked for its first event within 30 s");
    let _ = child.kill();
    let _ = child.wait();
    arrived - started
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    }
}

/// The payload of `lines` order lines, and the receipt the function must answer.
fn order(lines: usize) -> (Vec<u8>, serde_json::Value) {
    let lines: Vec<_> = (0..lines)
        .map(|i| serde_json::json!({"sku": format!("SKU-{i:06}"), "qty": 1 + i % 3}))
        .collect();
    let units: u64 = lines.iter().map(|l| l["qty"].as_u64().unwrap()).sum();
    let payload = serde_json::json!({"sku": "A-1", "qty": 2, "lines": lines});
    let receipt =
        serde_json::json!({"id": "r-A-1", "total_cents": (2 + units) * 250, "lines": lines});
    (serde_json::to_vec(&payload).unwrap(), receipt)
}

/// The instructions `binary` executes to serve `events` invocations of `payload`, under
/// callgrind, every answer checked against `receipt`.
fn instructions(binary: &str, payload: &[u8], receipt: &serde_json::Value, events: usize) -> u64 {
    let (api, _told) = api(payload.to_vec(), events);
    let addr = start_api(api.clone());
    let out = std::env::temp_dir().join(format!(
        "lambda-remote-callgrind-{}-{events}.out",
        std::process::id()
    ));
    let program = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        format!("--callgrind-out-file={}", out.display()),
        binary.to_owned(),
    ];
    let status = function(&program, &addr)
        .status()
        .expect("run valgrind (apt-get install valgrind)");
    // The function ends with the error of its closed Runtime API connection.
    let _ = status;
    let answers = api.answers.lock().unwrap();
    assert_eq!(answers.len(), events, "{binary}: every event answered");
    for (path, body) in answers.iter() {
        assert!(path.ends_with("/response"), "{binary} answered {path}");
        let answer: serde_json::Value = serde_json::from_slice(body).expect("a JSON answer");
        assert_eq!(&answer, receipt, "{binary}: the expected receipt");
    }
    let text = std::fs::read_to_string(&out).expect("callgrind's output");
    // KEEP_CALLGRIND=<dir> keeps the outputs, for callgrind_annotate.
    match std::env::var_os("KEEP_CALLGRIND") {
        Some(dir) => {
            let kept = std::path::Path::new(&dir).join(format!(
                "{}-{}-{events}.out",
                name(binary),
                payload.len()
            ));
            let _ = std::fs::rename(&out, kept);
        }
        None => {
            let _ = std::fs::remove_file(&out);
        }
    }
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .expect("callgrind's totals line")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, binaries) = args
        .split_first()
        .expect("usage: function-bench coldstart|instructions <binary>…");
    match command.as_str() {
        "coldstart" => {
            let runs: usize = std::env::var("RUNS")
                .ok()
                .and_then(|r| r.parse().ok())
                .unwrap_or(30);
            let mut times = vec![Vec::new(); binaries.len()];
            for _ in 0..runs {
                for (binary, times) in binaries.iter().zip(&mut times) {
                    times.push(cold_start(binary));
                }
            }
            println!(
                "| binary | median of {runs} starts, µs | min µs | max µs |\n|---|---|---|---|"
            );
            for (binary, times) in binaries.iter().zip(times) {
                let (min, max) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
                println!(
                    "| {} | {} | {} | {} |",
                    name(binary),
                    median(times).as_micros(),
                    min.as_micros(),
                    max.as_micros()
                );
            }
            // The same start counted in instructions (repeatable on a loaded machine): a run
            // given no event, from exec to the end that the refused first `/next` brings.
            println!(
                "\n| binary | instructions from start to the first `/next` and exit |\n|---|---|"
            );
            let (_, receipt) = order(0);
            for binary in binaries {
                println!(
                    "| {} | {} |",
                    name(binary),
                    instructions(binary, b"{}", &receipt, 0)
                );
            }
        }
        "instructions" => {
            let base: usize = env_or("BASE", 10);
            let extra: usize = env_or("EXTRA", 40);
            println!(
                "| binary | payload | instructions per invocation (({base}+{extra}) − {base}) / {extra} |\n|---|---|---|"
            );
            // 1 MB: 38,000 order lines of ~27 bytes; the receipt echoes them.
            // PAYLOADS=small or PAYLOADS=1mb measures one of them.
            let only = std::env::var("PAYLOADS").unwrap_or_default();
            for (label, lines) in [("small", 0usize), ("1 MB", 38_000)] {
                if !only.is_empty() && !label.to_lowercase().replace(' ', "").starts_with(&only) {
                    continue;
                }
                let (payload, receipt) = order(lines);
                for binary in binaries {
                    let n = instructions(binary, &payload, &receipt, base);
                    let m = instructions(binary, &payload, &receipt, base + extra);
                    println!(
                        "| {} | {label}, {} bytes | {} |",
                        name(binary),
                        payload.len(),
                        (m - n) / extra as u64
                    );
                }
            }
        }
        other => panic!("unknown command {other}: coldstart or instructions"),
    }
}

fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn name(binary: &str) -> &str {
    binary.rsplit('/').next().unwrap_or(binary)
}
