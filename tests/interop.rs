//! Interop suite: the generated client against the real local tools, not our emulation of them.
//!
//! - `cargo_lambda_watch`: `cargo lambda watch` (cargo-lambda 1.9.2) serves the Invoke and
//!   Runtime APIs; the contract's functions run on the real `lambda_runtime` in processes of
//!   their own, and each run is counted (one line in a file per run).
//! - `moto_server`: moto's server (5.2.1): CreateFunction, then invocations with Docker off
//!   (nothing runs; the payload is echoed), and an unknown function.
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

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use contract::{GreetError, Guest, Interop as _, InteropClient, InteropImpl, InteropServer};
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::aws_sdk_lambda::types::{FunctionCode, Runtime};
use lambda_remote::{CallOptions, InvokeError};
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
        other => panic!("no such method to serve: {other}"),
    };
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(lambda_remote::server::run(handler))
        .expect("the function runs until it is stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch() {
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
    tokio::time::timeout(limit, against_cargo_lambda())
        .await
        .expect("the cargo-lambda interop test finishes in time");
}

async fn against_cargo_lambda() {
    let scratch = Scratch::new("cargo-lambda");
    let runs_file = scratch.path("runs.txt");
    let functions = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/function");

    let cargo_runs_functions = std::env::var(FUNCTIONS_ENV).as_deref() == Ok("cargo");
    if cargo_runs_functions {
        let status = Command::new("cargo")
            .args(["build", "--bins", "--manifest-path"])
            .arg(functions.join("Cargo.toml"))
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
        .arg(functions.join("Cargo.toml"))
        .current_dir(&functions)
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
            .env(
                "AWS_LAMBDA_RUNTIME_API",
                format!("http://{addr}/.rt/{name}"),
            );
        Group::spawn(name, command, &scratch.path(&format!("{name}.log")))
    };
    let mut functions = Vec::new();
    if !cargo_runs_functions {
        functions.push(function("interop-greet", "greet"));
        functions.push(function("interop-panic", "explode"));
    }

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

    // The function processes served every call and are still up.
    for function in &mut functions {
        function.check_running();
    }
    watch.check_running();
    println!(
        "interop: cargo lambda watch: 7 calls, 7 requests, 6 runs, each call's runs exactly as \
         expected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_server() {
    let Some(_) = tools::find(
        "moto_server",
        "moto_server",
        &["--help"],
        "pip install 'moto[server]==5.2.1'",
    ) else {
        return;
    };
    tokio::time::timeout(TEST_LIMIT, against_moto())
        .await
        .expect("the moto interop test finishes in time");
}

/// The role moto requires CreateFunction to name: it must exist in moto's IAM.
const ROLE: &str = "arn:aws:iam::123456789012:role/lambda-remote-interop";

async fn against_moto() {
    let scratch = Scratch::new("moto");
    let port = tools::free_port();
    let mut server = Command::new("moto_server");
    server.args(["-H", "127.0.0.1", "-p"]).arg(port.to_string());
    let mut server = Group::spawn("moto_server", server, &scratch.path("moto.log"));
    let addr = tools::wait_for_port(&mut server, port, Duration::from_secs(60)).await;
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

    // Docker off: moto runs nothing.
    let (status, body) = tools::post(
        addr,
        "/moto-api/config",
        &[("Content-Type", "application/json")],
        r#"{"lambda": {"use_docker": false}}"#,
    )
    .await;
    assert_eq!(status, 201, "moto's config: {body}");

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
    println!("interop: moto_server: 9 calls and CreateFunction, 10 requests, nothing run");
}
