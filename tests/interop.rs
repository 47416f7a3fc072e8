//! Interop suite: the generated client against the real local tools, not our emulation of them.
//!
//! - `cargo_lambda_watch`: `cargo lambda watch` (cargo-lambda 1.9.2) serves the Invoke and
//!   Runtime APIs; the contract's functions run on the real `lambda_runtime` in processes of
//!   their own, and each run is counted (one line in a file per run).
//! - `cargo_lambda_watch_context`: what a served method sees of its invocation's context under
//!   `cargo lambda watch` (`InvocationContext`): request id, invoked ARN, client context, tenant
//!   id and deadline.
//! - `cargo_lambda_watch_streaming`: streaming methods (`InvokeWithResponseStream`) against
//!   `cargo lambda watch`, which serves the SDK's streaming path as a function URL request to
//!   its default function (see `streaming_against_cargo_lambda`): the items, the typed errors
//!   before and after them, a panic, the raw bytes, and exactly what came on the wire.
//! - `cargo_lambda_watch_undecodable_payloads`: payloads a served method cannot decode (an
//!   empty body, stray bytes, bytes that are not UTF-8, JSON of another shape), posted as they
//!   are through `cargo lambda watch`: each is a `lambda_remote::PayloadError` with what could
//!   not be read, and the method never runs.
//! - `moto_server`: moto's server (5.2.1): CreateFunction, then invocations with Docker off
//!   (nothing runs; the payload is echoed), and an unknown function; moto has no streaming
//!   route (404 for every streaming call).
//!
//! A missing tool skips its test with `interop: SKIPPED — …` printed, or fails it under
//! `LAMBDA_REMOTE_INTEROP=require` (as `.ci/run` sets). Run with
//! `cargo test --all-features --test interop -- --nocapture` to see what was used or skipped.
//!
//! How the functions run: by default `cargo lambda watch --only-lambda-apis` serves the APIs and
//! the suite starts this test executable itself as each function (the ignored test
//! `function_process`), so nothing is compiled beyond this test. `cargo lambda watch` still
//! reads the crate whose binaries are the functions (`tests/interop/function`, serving the same
//! contract): it answers only for their names. With `LAMBDA_REMOTE_INTEROP_FUNCTIONS=cargo`,
//! cargo-lambda itself runs those binaries (`cargo run --bin <function>`), as a user's
//! `cargo lambda watch` would; the suite builds them first, which costs a build of their own
//! dependency graph (features differ from the test's: about 3 minutes on 2 cores, once).

#[path = "interop/contract.rs"]
mod contract;
mod support;
#[path = "interop/tools.rs"]
mod tools;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use contract::{
    End, GreetError, Guest, Interop as _, InteropClient, InteropImpl, InteropServer, Rows,
    RowsError, row,
};
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::aws_sdk_lambda::types::{FunctionCode, Runtime};
use lambda_remote::{CallOptions, FunctionError, InvokeError, ResponseStream};
use tools::Group;

/// Names the contract method a `function_process` serves.
const FUNCTION_ENV: &str = "INTEROP_FUNCTION";

/// `cargo`: cargo-lambda runs the function crate's binaries instead of the suite.
const FUNCTIONS_ENV: &str = "LAMBDA_REMOTE_INTEROP_FUNCTIONS";

/// How long any one test may take before it is failed (the tools are stopped either way).
const TEST_LIMIT: Duration = Duration::from_secs(120);

/// A scratch directory for logs and the runs file, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "lambda-remote-interop-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How many times the functions ran with this line (`<method> <argument>`), and in all.
fn runs(file: &std::path::Path, line: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    (
        text.lines().filter(|l| *l == line).count(),
        text.lines().count(),
    )
}

/// The Lambda function process of `cargo_lambda_watch`, which starts this executable with
/// `INTEROP_FUNCTION` and the Lambda environment set. Alone, it does nothing.
#[test]
#[ignore = "a function process started by cargo_lambda_watch; alone it does nothing"]
fn function_process() {
    let Ok(method) = std::env::var(FUNCTION_ENV) else {
        println!("{FUNCTION_ENV} is not set: not started as a function, nothing to do");
        return;
    };
    let server = InteropServer::new(InteropImpl);
    let handler = match method.as_str() {
        "greet" => server.greet(),
        "explode" => server.explode(),
        "rows" => server.rows(),
        "context" => server.context(),
        other => panic!("no such method to serve: {other}"),
    };
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(lambda_remote::server::run(handler))
        .expect("the function runs until it is stopped");
}

/// Runs `test` against `cargo lambda watch` within the suite's limit (five times longer when
/// cargo-lambda builds the function crate itself), or skips it when the tool is missing (fails
/// under `LAMBDA_REMOTE_INTEROP=require`).
async fn with_cargo_lambda(what: &str, test: impl Future<Output = ()>) {
    let Some(_) = tools::find(
        "cargo-lambda",
        "cargo",
        &["lambda", "--version"],
        "pip install cargo-lambda==1.9.2",
    ) else {
        return;
    };
    let limit = match std::env::var(FUNCTIONS_ENV).as_deref() {
        Ok("cargo") => TEST_LIMIT * 5, // the function crate may have to be built first
        _ => TEST_LIMIT,
    };
    tokio::time::timeout(limit, test).await.expect(what);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch() {
    with_cargo_lambda(
        "the cargo-lambda interop test finishes in time",
        against_cargo_lambda(),
    )
    .await;
}

/// The name cargo-lambda gives its default function: the one it runs for a request that is
/// no Invoke of a named function (a function URL request, say).
const DEFAULT_FUNCTION: &str = "_";

/// The runtime API cargo-lambda serves function `name` on: `/.rt/<name>`, or `/.rt` for its
/// default function (the address its banner tells a function started by hand to use).
fn runtime_api(addr: SocketAddr, name: &str) -> String {
    if name == DEFAULT_FUNCTION {
        format!("http://{addr}/.rt")
    } else {
        format!("http://{addr}/.rt/{name}")
    }
}

/// `cargo lambda watch` on a free loopback port, its functions running (see the module's
/// documentation), each run counted in `runs_file`. Dropping it stops them all.
struct CargoLambda {
    watch: Group,
    functions: Vec<Group>,
    addr: SocketAddr,
    runs_file: PathBuf,
    /// Held for its removal, after the processes are stopped (fields drop in order).
    _scratch: Scratch,
}

impl CargoLambda {
    /// Starts `cargo lambda watch` and the functions `(function name, method)` it serves.
    async fn start(test: &str, served: &[(&str, &str)]) -> Self {
        let scratch = Scratch::new(test);
        let runs_file = scratch.path("runs.txt");
        let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/function");

        let cargo_runs_functions = std::env::var(FUNCTIONS_ENV).as_deref() == Ok("cargo");
        if cargo_runs_functions {
            let status = Command::new("cargo")
                .args(["build", "--bins", "--manifest-path"])
                .arg(crate_dir.join("Cargo.toml"))
                .status()
                .expect("cargo build");
            assert!(status.success(), "the function crate builds");
        }

        let port = tools::free_port();
        let mut watch = Command::new("cargo");
        watch
            .args(["lambda", "watch", "--ignore-changes"])
            .args(["--invoke-address", "127.0.0.1", "--invoke-port"])
            .arg(port.to_string())
            .arg("--manifest-path")
            .arg(crate_dir.join("Cargo.toml"))
            .current_dir(&crate_dir)
            .env("RUST_LOG", "info");
        if cargo_runs_functions {
            let mut runs_env = std::ffi::OsString::from(format!("{}=", contract::RUNS_FILE_ENV));
            runs_env.push(&runs_file);
            watch.arg("--env-var").arg(runs_env);
        } else {
            watch.arg("--only-lambda-apis");
        }
        let mut watch = Group::spawn("cargo lambda watch", watch, &scratch.path("watch.log"));
        let addr = tools::wait_for_port(&mut watch, port, Duration::from_secs(60)).await;

        // The functions, as cargo-lambda would start them (its environment, its runtime API).
        let exe = std::env::current_exe().expect("this test executable");
        let function = |name: &str, method: &str| {
            let mut command = Command::new(&exe);
            command
                .args(["--exact", "function_process", "--ignored", "--nocapture"])
                .env(FUNCTION_ENV, method)
                .env(contract::RUNS_FILE_ENV, &runs_file)
                .env("AWS_LAMBDA_FUNCTION_NAME", name)
                .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
                .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "4096")
                .env("AWS_LAMBDA_RUNTIME_API", runtime_api(addr, name));
            Group::spawn(name, command, &scratch.path(&format!("{name}.log")))
        };
        let mut functions = Vec::new();
        if !cargo_runs_functions {
            for (name, method) in served {
                functions.push(function(name, method));
            }
        }
        CargoLambda {
            watch,
            functions,
            addr,
            runs_file,
            _scratch: scratch,
        }
    }

    /// Panics, with its output, if the tool or a function process has exited.
    fn check_running(&mut self) {
        for function in &mut self.functions {
            function.check_running();
        }
        self.watch.check_running();
    }
}

async fn against_cargo_lambda() {
    let mut tool = CargoLambda::start(
        "cargo-lambda",
        &[("interop-greet", "greet"), ("interop-panic", "explode")],
    )
    .await;
    let (addr, runs_file) = (tool.addr, tool.runs_file.clone());

    let (sdk, attempts) = support::counting_sdk_client(&format!("http://{addr}"));
    let client = InteropClient::new(sdk);
    let mut sent = 0;
    let mut one_request = || {
        sent += 1;
        assert_eq!(attempts.get(), sent, "exactly one request per call");
    };

    // A result.
    assert_eq!(
        client.greet(Guest::new("Ada")).await.unwrap(),
        "Hello, Ada!"
    );
    one_request();
    assert_eq!(runs(&runs_file, "greet Ada"), (1, 1));

    // A typed function error, with fields: answered 500 by cargo-lambda, never retried.
    let error = client.greet(Guest::new("Mallory")).await.unwrap_err();
    one_request();
    assert_eq!(
        error.function_error(),
        Some(&GreetError::NotWelcome {
            name: "Mallory".into(),
            reason: "known to tamper".into()
        }),
        "{error:?}"
    );
    assert_eq!(error.metadata().map(|m| m.status()), Some(500));
    assert_eq!(
        runs(&runs_file, "greet Mallory"),
        (1, 2),
        "ran exactly once"
    );

    // A typed function error without fields.
    let error = client.greet(Guest::new("")).await.unwrap_err();
    one_request();
    assert_eq!(
        error.function_error(),
        Some(&GreetError::Nobody),
        "{error:?}"
    );
    assert_eq!(runs(&runs_file, "greet "), (1, 3), "ran exactly once");

    // An event: cargo-lambda runs it at once and answers 200 with the result.
    let invoked = client
        .greet_later_with(&CallOptions::new(), Guest::new("Eve"))
        .await
        .unwrap();
    one_request();
    assert_eq!(invoked.metadata.status(), 200);
    assert_eq!(runs(&runs_file, "greet Eve"), (1, 4));

    // A dry run: cargo-lambda ignores the invocation type, so the function runs.
    let invoked = client
        .check_greet_with(&CallOptions::new(), Guest::new("Dora"))
        .await
        .unwrap();
    one_request();
    assert_eq!(invoked.metadata.status(), 200);
    assert_eq!(runs(&runs_file, "greet Dora"), (1, 5));

    // A panic: an unmapped function error with lambda_runtime's message, run once.
    let error = client.explode("boom".into()).await.unwrap_err();
    one_request();
    let InvokeError::UnmappedFunction(failure) = &error else {
        panic!("a panic is an unmapped function error, got {error:?}");
    };
    assert_eq!(
        failure.error_message(),
        Some("Lambda panicked: exploded on purpose: boom")
    );
    assert_eq!(failure.metadata().status(), 500);
    assert_eq!(runs(&runs_file, "explode boom"), (1, 6), "ran exactly once");

    // An unknown function: cargo-lambda's 404 "Missing function" is not found, not retried.
    let error = client.missing().await.unwrap_err();
    one_request();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.service_error().map(|e| e.status()), Some(404));
    assert_eq!(runs(&runs_file, "").1, 6, "nothing else ran");

    // A streaming call: cargo-lambda serves the SDK's streaming path as a function URL
    // request to its default function (see `streaming_against_cargo_lambda`). Here none runs:
    // with `--only-lambda-apis` cargo-lambda queues the request for one and never answers,
    // and only the call's timeout ends it; when cargo-lambda runs the binaries, a crate of
    // several has no default function: 404.
    let started = std::time::Instant::now();
    let result = within(
        "a streaming call with no default function",
        client.rows_with(
            &CallOptions::new().timeout(Duration::from_secs(2)),
            Rows::new(1, End::Complete),
        ),
    )
    .await;
    one_request();
    let error = result.expect_err("no stream");
    if std::env::var(FUNCTIONS_ENV).as_deref() == Ok("cargo") {
        assert_eq!(
            error.service_error().map(|e| e.status()),
            Some(404),
            "{error:?}"
        );
    } else {
        assert!(error.is_timeout(), "{error:?}");
        let waited = started.elapsed();
        assert!(
            (Duration::from_secs(2)..Duration::from_secs(5)).contains(&waited),
            "ended by the call's timeout, after {waited:?}"
        );
    }
    assert_eq!(runs(&runs_file, "").1, 6, "nothing else ran");

    // The function processes served every call and are still up.
    tool.check_running();
    println!(
        "interop: cargo lambda watch: 8 calls, 8 requests, 6 runs, each call's runs exactly as \
         expected; the streaming call found no default function"
    );
    println!(
        "interop: cargo lambda watch: 8 calls, 8 requests, 6 runs, each call's runs exactly as \
         expected; the streaming call found no default function"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch_undecodable_payloads() {
    with_cargo_lambda(
        "the cargo-lambda payload interop test finishes in time",
        undecodable_payloads_against_cargo_lambda(),
    )
    .await;
}

/// Posts `body` as it is to the Invoke path of `function`, once (no retries): the status and
/// the body of the answer.
async fn invoke_raw(addr: SocketAddr, function: &str, body: &'static [u8]) -> (u16, Vec<u8>) {
    use http_body_util::{BodyExt as _, Full};
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<bytes::Bytes>>();
    let request = hyper::Request::post(format!(
        "http://{addr}/2015-03-31/functions/{function}/invocations"
    ))
    .body(Full::new(bytes::Bytes::from_static(body)))
    .expect("a request");
    let response = client.request(request).await.expect("an answer");
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.expect("a body");
    (status, body.to_bytes().to_vec())
}

/// Payloads the served method cannot decode, sent through the real `cargo lambda watch` to a
/// function on the real `lambda_runtime`: each is the same `lambda_remote::PayloadError` with
/// what could not be read, and the method never runs.
async fn undecodable_payloads_against_cargo_lambda() {
    let mut tool = CargoLambda::start("cargo-lambda-payloads", &[("interop-greet", "greet")]).await;
    let (addr, runs_file) = (tool.addr, tool.runs_file.clone());
    let cases: [(&'static [u8], &str, serde_json::Value); 4] = [
        (
            b"",
            "the payload is empty (read as null): invalid type: null, expected struct Guest",
            serde_json::json!({"payload": "", "payloadLength": 0}),
        ),
        (
            b"stray bytes",
            "expected value at line 1 column 1",
            serde_json::json!({"payload": "stray bytes", "payloadLength": 11}),
        ),
        (
            b"\xff\xfe\x00",
            "expected value at line 1 column 1",
            serde_json::json!({"payloadBase64": "//4A", "payloadLength": 3}),
        ),
        (
            br#"{"nom":"Ada"}"#,
            "missing field `name` at line 1 column 13",
            serde_json::json!({"payload": r#"{"nom":"Ada"}"#, "payloadLength": 13}),
        ),
    ];
    for (payload, reason, fields) in cases {
        let (status, body) = invoke_raw(addr, "interop-greet", payload).await;
        // cargo-lambda answers a function error with 500 and the error object.
        assert_eq!(
            status,
            500,
            "{payload:?}: {}",
            String::from_utf8_lossy(&body)
        );
        let object = lambda_remote::ErrorObject::from_bytes(body);
        assert_eq!(
            object.error_type(),
            Some(lambda_remote::error::PAYLOAD_ERROR_TYPE),
            "{payload:?}: {object}"
        );
        assert_eq!(
            object.error_message(),
            Some(format!("could not decode the payload of `greet`: {reason}").as_str()),
            "{payload:?}"
        );
        assert_eq!(serde_json::Value::Object(object.fields()), fields);
    }
    assert_eq!(runs(&runs_file, "").1, 0, "the method never ran");
    // A payload it can read runs it, once.
    let (status, body) = invoke_raw(addr, "interop-greet", br#"{"name":"Ada"}"#).await;
    assert_eq!((status, body.as_slice()), (200, &br#""Hello, Ada!""#[..]));
    assert_eq!(runs(&runs_file, "greet Ada"), (1, 1));
    tool.check_running();
    println!("interop: cargo lambda watch: 4 undecodable payloads, 4 PayloadErrors, no run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch_context() {
    with_cargo_lambda(
        "the cargo-lambda context interop test finishes in time",
        context_under_cargo_lambda(),
    )
    .await;
}

/// What a served method sees of its invocation under `cargo lambda watch` (1.9.2): the client
/// context is dropped, the invoked ARN is `function-arn`, the tenant id is not passed on, and
/// the deadline arrives as `600000` (the timeout, not an epoch time) — which
/// `InvocationContext::deadline()` reports as no deadline rather than 1970. The same facts are
/// read from cargo-lambda's Runtime API by hand, as a bare `lambda_runtime` function gets them.
async fn context_under_cargo_lambda() {
    let mut tool =
        CargoLambda::start("cargo-lambda-context", &[("interop-context", "context")]).await;
    let (addr, runs_file) = (tool.addr, tool.runs_file.clone());
    let (sdk, attempts) = support::counting_sdk_client(&format!("http://{addr}"));
    let client = InteropClient::new(sdk);

    let options = CallOptions::new()
        .client_context(&serde_json::json!({"custom": {"caller": "interop"}}))
        .tenant_id("acme/blue");
    let seen = client
        .context_with(&options, "ctx".into())
        .await
        .unwrap()
        .output;
    assert_eq!(attempts.get(), 1, "one request");
    assert_eq!(runs(&runs_file, "context ctx"), (1, 1), "ran once");
    assert!(!seen.request_id.is_empty(), "{seen:?}");
    assert_eq!(seen.invoked_function_arn, "function-arn", "{seen:?}");
    assert_eq!(seen.client_context, None, "the client context is dropped");
    assert_eq!(seen.tenant_id, None, "the tenant id is not passed on");
    assert_eq!(
        (seen.deadline_ms, seen.time_left_ms),
        (None, None),
        "600000 is no deadline"
    );

    // What cargo-lambda hands the runtime, read from its Runtime API by hand (as a bare
    // `lambda_runtime` function would read it): for `interop-greet`, whose process is not
    // started here, so the invocation waits for whoever asks for it.
    if std::env::var(FUNCTIONS_ENV).as_deref() != Ok("cargo") {
        let call = tokio::spawn({
            let client = client.clone();
            let options = options.clone();
            async move { client.greet_with(&options, Guest::new("Runtime")).await }
        });
        let api = "/.rt/interop-greet/2018-06-01/runtime/invocation";
        let next = within(
            "the runtime API's next invocation",
            tools::request_raw(addr, "GET", &format!("{api}/next"), &[], b""),
        )
        .await;
        assert_eq!(next.status, 200, "{next:?}");
        assert_eq!(next.header("lambda-runtime-deadline-ms"), Some("600000"));
        assert_eq!(
            next.header("lambda-runtime-invoked-function-arn"),
            Some("function-arn")
        );
        assert_eq!(next.header("lambda-runtime-client-context"), None);
        assert_eq!(next.header("lambda-runtime-aws-tenant-id"), None);
        let id = next
            .header("lambda-runtime-aws-request-id")
            .expect("a request id")
            .to_owned();
        let answered = tools::post_raw(addr, &format!("{api}/{id}/response"), &[], b"\"hi\"").await;
        // Lambda's Runtime API answers 202; cargo-lambda 200.
        assert_eq!(answered.status, 200, "{answered:?}");
        let greeting = within("the call the runtime answered", call)
            .await
            .expect("the call's task")
            .unwrap()
            .output;
        assert_eq!(greeting, "hi");
        assert_eq!(attempts.get(), 2, "one request per call");
        assert_eq!(runs(&runs_file, "").1, 1, "no function process ran it");
    }

    tool.check_running();
    println!(
        "interop: cargo lambda watch: a served method sees invoked ARN `function-arn`, no client \
         context, no tenant id, and no deadline (600000 sent)"
    );
}

/// How long one streaming call, read to its end, may take against a local tool.
const STEP_LIMIT: Duration = Duration::from_secs(20);

/// `step` within [`STEP_LIMIT`], or a failure naming it: a hang fails the step it is in.
async fn within<T>(what: &str, step: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP_LIMIT, step)
        .await
        .unwrap_or_else(|_| panic!("{what}: no end within {STEP_LIMIT:?} (a hang)"))
}

/// Reads `stream` to its end: the items, then the error that ended it, if one did. Nothing may
/// follow the end.
async fn drain<T, E: FunctionError>(
    stream: &mut ResponseStream<T, E>,
) -> (Vec<T>, Option<InvokeError<E>>) {
    let mut items = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(item)) => items.push(item),
            Some(Err(error)) => break Some(error),
            None => break None,
        }
    };
    assert!(stream.next().await.is_none(), "nothing after the end");
    (items, error)
}

/// The NDJSON body `interop-rows` streams for rows `0..count`.
fn ndjson(count: u64) -> Vec<u8> {
    let mut body = Vec::new();
    for n in 0..count {
        body.extend(serde_json::to_vec(&row(n)).unwrap());
        body.push(b'\n');
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch_streaming() {
    with_cargo_lambda(
        "the cargo-lambda streaming interop test finishes in time",
        streaming_against_cargo_lambda(),
    )
    .await;
}

/// The path the SDK sends `InvokeWithResponseStream` to.
fn streaming_path(function: &str) -> String {
    format!("/2021-11-15/functions/{function}/response-streaming-invocations")
}

/// What `cargo lambda watch` (1.9.2) makes of the SDK's `InvokeWithResponseStream`.
///
/// It routes its own streaming invocations at `/2015-03-31/functions/{name}/response-streaming-
/// invocations`, not at the path the SDK uses (`/2021-11-15/…`): that request falls through to
/// its function URL emulation, which sends an API Gateway v2 HTTP event (the payload in its
/// `body`) to its *default* function `_`, whatever function the path names, and answers with
/// the function's raw streamed bytes. The default function here is `interop-rows` started as
/// cargo-lambda's banner says (`AWS_LAMBDA_RUNTIME_API=…/.rt`); its `Rows` reads the event's
/// body, and records that it came in one. With `LAMBDA_REMOTE_INTEROP_FUNCTIONS=cargo`
/// cargo-lambda has no default function for a crate of several binaries: 404.
async fn streaming_against_cargo_lambda() {
    if std::env::var(FUNCTIONS_ENV).as_deref() == Ok("cargo") {
        return streaming_without_default_function().await;
    }
    let mut tool = CargoLambda::start("cargo-lambda-stream", &[(DEFAULT_FUNCTION, "rows")]).await;
    let (addr, runs_file) = (tool.addr, tool.runs_file.clone());

    // On the wire: 200, the function's bytes as it streamed them, chunked, without
    // lambda_runtime's metadata prelude (cargo-lambda strips it); a failure mid-stream is the
    // text lambda_runtime writes after the last chunk.
    let payload = serde_json::to_vec(&Rows::new(5, End::Fail { after: 2 })).unwrap();
    let raw = within(
        "the raw streaming request",
        tools::post_raw(addr, &streaming_path("interop-rows"), &[], &payload),
    )
    .await;
    assert_eq!(raw.status, 200, "{raw:?}");
    assert_eq!(raw.header("content-type"), Some("application/octet-stream"));
    assert_eq!(raw.header("transfer-encoding"), Some("chunked"));
    assert_eq!(
        raw.header("lambda-runtime-function-response-mode"),
        Some("streaming")
    );
    assert!(!raw.trailers, "no HTTP trailers");
    let (rows, error) = raw.body.split_at(ndjson(2).len().min(raw.body.len()));
    assert_eq!(rows, ndjson(2).as_slice(), "{raw:?}");
    let error = std::str::from_utf8(error).expect("the error is text");
    let encoded = error
        .strip_prefix(
            "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
             Lambda-Runtime-Function-Error-Body: ",
        )
        .and_then(|rest| rest.strip_suffix("\r\n"))
        .unwrap_or_else(|| panic!("lambda_runtime's error text, got {error:?}"));
    let object: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64"),
    )
    .expect("the error object");
    assert_eq!(object["errorType"], "Stopped", "{object}");
    assert_eq!(
        runs(
            &runs_file,
            "rows 5 Fail { after: 2 } (in a function URL event)"
        ),
        (1, 1)
    );

    let (sdk, attempts) = support::counting_sdk_client(&format!("http://{addr}"));
    let client = InteropClient::new(sdk);
    let mut sent = 0;
    let mut one_request = || {
        sent += 1;
        assert_eq!(attempts.get(), sent, "exactly one request per call");
    };

    // Every row, in order, then the end.
    let mut rows = within("7 rows", client.rows(Rows::new(7, End::Complete)))
        .await
        .unwrap();
    let (items, error) = within("7 rows, read", drain(&mut rows)).await;
    one_request();
    assert!(error.is_none(), "{error:?}");
    assert_eq!(items, (0..7).map(row).collect::<Vec<_>>());
    assert_eq!(rows.received(), 7);
    assert_eq!(rows.metadata().status(), 200);
    assert_eq!(
        runs(&runs_file, "rows 7 Complete (in a function URL event)"),
        (1, 2)
    );

    // A typed error after 3 rows: exactly those rows, then the error with its fields.
    let mut rows = within(
        "3 rows, then an error",
        client.rows(Rows::new(5, End::Fail { after: 3 })),
    )
    .await
    .unwrap();
    let (items, error) = within("3 rows, then an error: read", drain(&mut rows)).await;
    one_request();
    assert_eq!(items, (0..3).map(row).collect::<Vec<_>>());
    let error = error.expect("the stream ends with the function's error");
    assert_eq!(
        error.function_error(),
        Some(&RowsError::Stopped {
            at: 3,
            why: "stopped on purpose".into()
        }),
        "{error:?}"
    );
    assert_eq!(rows.received(), 3);
    assert_eq!(
        runs(
            &runs_file,
            "rows 5 Fail { after: 3 } (in a function URL event)"
        ),
        (1, 3)
    );

    // The stream fails before its first row: the call's error, as over Lambda's event stream.
    let error = within(
        "an error before the first row",
        client.rows(Rows::new(4, End::Fail { after: 0 })),
    )
    .await
    .expect_err("a stream that fails before its first item fails the call");
    one_request();
    assert_eq!(
        error.function_error(),
        Some(&RowsError::Stopped {
            at: 0,
            why: "stopped on purpose".into()
        }),
        "{error:?}"
    );
    assert_eq!(error.metadata().map(|m| m.status()), Some(200));
    assert_eq!(
        runs(
            &runs_file,
            "rows 4 Fail { after: 0 } (in a function URL event)"
        ),
        (1, 4)
    );

    // A typed error instead of a stream: lambda_runtime reports it, cargo-lambda answers 500
    // with the error object, and the call fails with the typed error.
    let error = within("refused", client.rows(Rows::new(3, End::Refuse)))
        .await
        .expect_err("refused");
    one_request();
    assert_eq!(
        error.function_error(),
        Some(&RowsError::Refused),
        "{error:?}"
    );
    assert_eq!(error.metadata().map(|m| m.status()), Some(500));
    assert_eq!(
        runs(&runs_file, "rows 3 Refuse (in a function URL event)"),
        (1, 5)
    );

    // A panic inside the served stream after 2 rows: the served stream catches it and ends
    // with lambda_runtime's panic error (as its error text after the rows), so the client
    // reads 2 rows and that error — not a clean end (lambda_runtime's own sending task would
    // have died silently).
    let mut rows = within(
        "a panic",
        client.rows(Rows::new(4, End::Panic { after: 2 })),
    )
    .await
    .unwrap();
    let (items, error) = within("a panic, read", drain(&mut rows)).await;
    one_request();
    assert_eq!(items, vec![row(0), row(1)]);
    let error = error.expect("the panic ends the stream with an error");
    let message = error
        .failure()
        .and_then(|f| f.error_message())
        .unwrap_or_default();
    assert!(
        message.starts_with("Lambda panicked: ")
            && message.contains("panicked on purpose at row 2"),
        "{error:?}"
    );
    assert_eq!(
        runs(
            &runs_file,
            "rows 4 Panic { after: 2 } (in a function URL event)"
        ),
        (1, 6)
    );

    // The same function as raw bytes: exactly the NDJSON it sent, then the end; or the bytes
    // before the typed error, then the error.
    let bytes = within("raw, 3 rows", client.rows_raw(Rows::new(3, End::Complete)))
        .await
        .unwrap();
    let bytes = within("raw, 3 rows: read", bytes.collect_bytes())
        .await
        .unwrap();
    one_request();
    assert_eq!(bytes.as_ref(), ndjson(3).as_slice());
    assert_eq!(
        runs(&runs_file, "rows 3 Complete (in a function URL event)"),
        (1, 7)
    );
    let mut bytes = within(
        "raw, 1 row, then an error",
        client.rows_raw(Rows::new(3, End::Fail { after: 1 })),
    )
    .await
    .unwrap();
    let mut received = Vec::new();
    let error = loop {
        match within("raw, 1 row, then an error: read", bytes.next()).await {
            Some(Ok(chunk)) => received.extend_from_slice(&chunk),
            Some(Err(error)) => break error,
            None => panic!("the raw stream ended without the function's error"),
        }
    };
    one_request();
    assert_eq!(received, ndjson(1));
    assert_eq!(
        error.function_error(),
        Some(&RowsError::Stopped {
            at: 1,
            why: "stopped on purpose".into()
        }),
        "{error:?}"
    );
    assert!(bytes.next().await.is_none(), "nothing after the error");
    assert_eq!(
        runs(
            &runs_file,
            "rows 3 Fail { after: 1 } (in a function URL event)"
        ),
        (1, 8)
    );

    // A function that exists nowhere: cargo-lambda ignores the name and runs its default
    // function, which answers.
    let rows = within(
        "a missing function",
        client.missing_stream(Rows::new(1, End::Complete)),
    )
    .await
    .unwrap();
    let items = within("a missing function: read", rows.collect_items())
        .await
        .unwrap();
    one_request();
    assert_eq!(items, vec![row(0)]);
    assert_eq!(
        runs(&runs_file, "rows 1 Complete (in a function URL event)"),
        (1, 9)
    );
    assert_eq!(runs(&runs_file, "").1, 9, "nothing else ran");

    tool.check_running();
    println!(
        "interop: cargo lambda watch, streaming: 1 raw request and 8 calls, 8 requests, 9 runs, \
         each in a function URL event to the default function; 7 rows; 3 rows then a typed \
         error; a typed error for the call; 500 typed; a panic read as 2 rows and the panic's error; \
         3 rows' bytes; 1 row's bytes then a typed error; a missing function answered (1 row)"
    );
}

/// With cargo-lambda running the crate's binaries (`LAMBDA_REMOTE_INTEROP_FUNCTIONS=cargo`), a
/// crate of several functions has no default function: the SDK's streaming request gets 404
/// `{"title":"Default function disabled",…}` before anything runs.
async fn streaming_without_default_function() {
    let mut tool = CargoLambda::start("cargo-lambda-stream", &[]).await;
    let (sdk, attempts) = support::counting_sdk_client(&format!("http://{}", tool.addr));
    let client = InteropClient::new(sdk);
    let error = within(
        "no default function",
        client.rows(Rows::new(1, End::Complete)),
    )
    .await
    .expect_err("no default function");
    assert_eq!(attempts.get(), 1);
    let service = error.service_error().expect("a service error");
    assert_eq!((service.status(), service.code()), (404, None), "{error:?}");
    let body = String::from_utf8_lossy(service.body());
    assert!(body.contains("Default function disabled"), "{body}");
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(runs(&tool.runs_file, "").1, 0, "nothing ran");
    tool.check_running();
    println!("interop: cargo lambda watch, streaming: 404 Default function disabled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_server() {
    let scratch = Scratch::new("moto");
    let Some((server, addr)) = tools::moto_server(&scratch.path("moto.log")).await else {
        return;
    };
    tokio::time::timeout(TEST_LIMIT, against_moto(server, addr))
        .await
        .expect("the moto interop test finishes in time");
}

/// The page moto's server (Werkzeug) answers 404 with, for a path it has no route for.
const MOTO_NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n\
     <h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL \
     manually please check your spelling and try again.</p>\n";

/// What moto reads the service of a request from (without it, a request for a path it does not
/// route fails with 500).
const MOTO_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 \
     Credential=AKIDTEST/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0";

/// moto (5.2.1) routes no `InvokeWithResponseStream` (`/2021-11-15/functions/{name}/response-
/// streaming-invocations`), for a created function or not, with Docker or without: Werkzeug's
/// 404 page (`text/html`, no `x-amzn-ErrorType`, no request id). The client makes that a
/// service error at once (one request, no hang), 404 without a code, of kind `Other`: a web
/// page says the endpoint has no such operation, not that the function does not exist.
fn moto_no_stream(error: &InvokeError<RowsError>) {
    let service = error.service_error().expect("a service error");
    assert_eq!(
        (service.status(), service.code(), service.request_id()),
        (404, None, None),
        "{error:?}"
    );
    assert_eq!(service.body().as_ref(), MOTO_NOT_FOUND_PAGE.as_bytes());
    assert!(!error.is_not_found(), "{error:?}");
    assert_eq!(
        service.kind(),
        &lambda_remote::error::ServiceErrorKind::Other
    );
}

/// The role moto requires CreateFunction to name: it must exist in moto's IAM.
const ROLE: &str = "arn:aws:iam::123456789012:role/lambda-remote-interop";

async fn against_moto(mut server: Group, addr: SocketAddr) {
    let url = format!("http://{addr}");

    let (sdk, attempts) = support::counting_sdk_client(&url);
    let client = InteropClient::new(sdk.clone());
    let mut sent = 0;
    let mut requests = |n: usize| {
        sent += n;
        assert_eq!(attempts.get(), sent, "exactly one request per call");
    };

    // An unknown function, with moto's default configuration (Docker on; the function is
    // looked up before Docker would be needed): 404 ResourceNotFoundException.
    let error = client.missing().await.unwrap_err();
    requests(1);
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(
        error.service_error().and_then(|e| e.code()),
        Some("ResourceNotFoundException")
    );
    let error = client.greet(Guest::new("Ada")).await.unwrap_err();
    requests(1);
    assert!(error.is_not_found(), "not created yet: {error:?}");

    // InvokeWithResponseStream: moto (5.2.1) has no route for it (see `moto_no_stream`).
    let error = within(
        "moto: a streaming call, unknown function",
        client.missing_stream(Rows::new(1, End::Complete)),
    )
    .await
    .expect_err("moto does not stream");
    requests(1);
    moto_no_stream(&error);
    let raw = within(
        "moto: the raw streaming request",
        tools::post_raw(
            addr,
            &streaming_path("interop-missing"),
            &[("Authorization", MOTO_AUTHORIZATION)],
            b"{}",
        ),
    )
    .await;
    assert_eq!(raw.status, 404, "{raw:?}");
    assert_eq!(raw.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(raw.header("x-amzn-errortype"), None);
    assert_eq!(raw.header("x-amzn-requestid"), None);
    assert_eq!(raw.body, MOTO_NOT_FOUND_PAGE.as_bytes());

    // A payload that is not a JSON object (here a string) crashes moto's Invoke (5.2.1 reads
    // the qualifier from the body as if it were an object): a 500 with an HTML page and no
    // error code. The function may have run, as far as the client can tell: not retried.
    let error = client.explode("boom".into()).await.unwrap_err();
    requests(1);
    let service = error.service_error().expect("a service error");
    assert_eq!((service.status(), service.code()), (500, None), "{error:?}");

    // CreateFunction: moto requires the role to exist in its IAM (a Query-protocol call).
    let (status, body) = tools::post(
        addr,
        "/",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/iam/aws4_request, \
                 SignedHeaders=host, Signature=0",
            ),
        ],
        "Action=CreateRole&Version=2010-05-08&RoleName=lambda-remote-interop\
         &AssumeRolePolicyDocument=%7B%7D",
    )
    .await;
    assert_eq!(status, 200, "CreateRole: {body}");
    let zip = tools::zip_one_file("bootstrap", b"#!/bin/sh\nexit 1\n");
    let created = sdk
        .create_function()
        .function_name("interop-greet")
        .runtime(Runtime::Providedal2023)
        .handler("bootstrap")
        .role(ROLE)
        .code(
            FunctionCode::builder()
                .zip_file(Blob::new(zip.clone()))
                .build(),
        )
        .send()
        .await
        .expect("CreateFunction");
    requests(1);
    assert_eq!(created.function_name(), Some("interop-greet"));
    assert_eq!(created.code_size(), i64::try_from(zip.len()).unwrap());
    let created = sdk
        .create_function()
        .function_name("interop-rows")
        .runtime(Runtime::Providedal2023)
        .handler("bootstrap")
        .role(ROLE)
        .code(FunctionCode::builder().zip_file(Blob::new(zip)).build())
        .send()
        .await
        .expect("CreateFunction");
    requests(1);
    assert_eq!(created.function_name(), Some("interop-rows"));

    // Created or not, the streaming path is not found.
    let error = within(
        "moto: a streaming call, created function",
        client.rows(Rows::new(3, End::Complete)),
    )
    .await
    .expect_err("moto does not stream");
    requests(1);
    moto_no_stream(&error);

    // Docker off: moto runs nothing.
    let (status, body) = tools::post(
        addr,
        "/moto-api/config",
        &[("Content-Type", "application/json")],
        r#"{"lambda": {"use_docker": false}}"#,
    )
    .await;
    assert_eq!(status, 201, "moto's config: {body}");

    // Nor with Docker off.
    let error = within(
        "moto: a streaming call, Docker off",
        client.rows(Rows::new(3, End::Complete)),
    )
    .await
    .expect_err("moto does not stream");
    requests(1);
    moto_no_stream(&error);

    // RequestResponse: 200 and the payload echoed, which a `String` result does not decode
    // from: the raw payload is kept.
    let error = client.greet(Guest::new("Ada")).await.unwrap_err();
    requests(1);
    let InvokeError::Deserialize(failure) = &error else {
        panic!("moto echoes the payload, got {error:?}");
    };
    assert_eq!(failure.payload().as_ref(), br#"{"name":"Ada"}"#);
    assert_eq!(failure.metadata().status(), 200);

    // The result moto answers instead of the echo, queued through its API: decoded.
    let (status, body) = tools::post(
        addr,
        "/moto-api/static/lambda-simple/response",
        &[("Content-Type", "application/json")],
        r#"{"results": ["\"Hello, Ada!\""], "region": "us-east-1"}"#,
    )
    .await;
    assert_eq!(status, 201, "moto's lambda-simple results: {body}");
    let invoked = client
        .greet_with(&CallOptions::new(), Guest::new("Ada"))
        .await
        .unwrap();
    requests(1);
    assert_eq!(invoked.output, "Hello, Ada!");
    assert_eq!(invoked.metadata.status(), 200);

    // Event: 202, Ok(()).
    let invoked = client
        .greet_later_with(&CallOptions::new(), Guest::new("Eve"))
        .await
        .unwrap();
    requests(1);
    assert_eq!(invoked.metadata.status(), 202);

    // DryRun: 204, Ok(()).
    let invoked = client
        .check_greet_with(&CallOptions::new(), Guest::new("Dora"))
        .await
        .unwrap();
    requests(1);
    assert_eq!(invoked.metadata.status(), 204);

    // With Docker off, moto (5.2.1) no longer checks that the function exists: an unknown
    // function is echoed too (200 `{}`), which `()` does not decode from.
    let error = client.missing().await.unwrap_err();
    requests(1);
    let InvokeError::Deserialize(failure) = &error else {
        panic!("moto without Docker echoes an unknown function's payload, got {error:?}");
    };
    assert_eq!(failure.payload().as_ref(), b"{}");
    assert_eq!(failure.metadata().status(), 200);

    server.check_running();
    println!(
        "interop: moto_server: 12 calls (3 streaming: 404, not found) and 2 CreateFunction, \
         14 requests, nothing run"
    );
}
