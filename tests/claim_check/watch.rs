//! The served side under the real `cargo lambda watch` (cargo-lambda 1.9.2) with moto's S3:
//! the `echo` method runs on the real `lambda_runtime` in a process of its own (this test
//! executable, `function_process`), configured from the environment
//! (`ClaimCheck::from_env`), and counts its runs in a file. `cargo lambda watch` answers only
//! for the binaries of `tests/interop/function`, so the method is served as `interop-greet`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use lambda_remote::InvokeError;
use lambda_remote::claim_check::{
    ClaimCheck, ClaimCheckErrorKind, ENV_BUCKET, ENV_KEY_PREFIX, Side,
};

use crate::contract::{Docs as _, DocsClient, DocsImpl, DocsServer, echoed};
use crate::tools::{self, Group};
use crate::{BUCKET, MB, PREFIX, doc};

/// The S3 endpoint the function process reads and writes through.
const S3_URL_ENV: &str = "CLAIM_CHECK_TEST_S3_URL";
/// Set for the function process: the file it appends one line to per run.
pub const RUNS_FILE_ENV: &str = "CLAIM_CHECK_TEST_RUNS_FILE";

/// The function process `cargo_lambda_watch` starts. Alone, it does nothing.
#[test]
#[ignore = "a function process started by cargo_lambda_watch; alone it does nothing"]
fn function_process() {
    let Ok(url) = std::env::var(S3_URL_ENV) else {
        println!("{S3_URL_ENV} is not set: not started as a function, nothing to do");
        return;
    };
    let claim_check = ClaimCheck::from_env(crate::s3_client(&url)).expect("the environment");
    let handler = DocsServer::new(DocsImpl::default())
        .echo()
        .with_claim_check(claim_check);
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(lambda_remote::server::run(handler))
        .expect("the function runs until it is stopped");
}

fn runs(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargo_lambda_watch_with_motos_s3() {
    let Some(_) = tools::find(
        "cargo-lambda",
        "cargo",
        &["lambda", "--version"],
        "pip install cargo-lambda==1.9.2",
    ) else {
        return;
    };
    let Some(world) = crate::World::start("watch", |c| c).await else {
        return;
    };
    let scratch = std::env::temp_dir().join(format!(
        "lambda-remote-claim-check-watch-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&scratch).unwrap();
    let runs_file = scratch.join("runs.txt");
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/function");
    let (watch, addr) = tools::cargo_lambda_watch(&crate_dir, &scratch.join("watch.log")).await;
    let mut function = Command::new(std::env::current_exe().unwrap());
    function
        .args([
            "--exact",
            "watch::function_process",
            "--ignored",
            "--nocapture",
        ])
        .env(S3_URL_ENV, &world.proxy.url)
        .env(ENV_BUCKET, BUCKET)
        .env(ENV_KEY_PREFIX, PREFIX)
        .env(RUNS_FILE_ENV, &runs_file)
        .env("AWS_LAMBDA_FUNCTION_NAME", "interop-greet")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "4096")
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            format!("http://{addr}/.rt/interop-greet"),
        );
    let mut function = Group::spawn("interop-greet", function, &scratch.join("function.log"));

    let client = DocsClient::builder(crate::support::sdk_client(&format!("http://{addr}")))
        .claim_check(world.claim_check())
        .function("echo", "interop-greet")
        .build()
        .unwrap();
    let answer = tokio::time::timeout(
        Duration::from_secs(120),
        client.echo(doc('w', 7 * MB), 7 * MB),
    )
    .await
    .expect("in time");
    function.check_running();
    assert_eq!(
        answer.unwrap(),
        echoed(&doc('w', 7 * MB), 7 * MB),
        "{}",
        function.log()
    );
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(world.s3("res/"), [1, 1, 1]);
    assert_eq!(runs(&runs_file), 1);

    // The function cannot read the request: a typed error, the method never runs.
    world.proxy.reset();
    world
        .proxy
        .refuse(|method, path| method == http::Method::GET && path.starts_with("/claims/cc/req/"));
    let error = client.echo(doc('x', 7 * MB), 1).await.unwrap_err();
    match &error {
        InvokeError::ClaimCheck(e) => {
            assert_eq!(
                (e.side(), e.kind()),
                (Side::Function, &ClaimCheckErrorKind::Get)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(world.s3("req/"), [1, 1, 1]);
    assert_eq!(runs(&runs_file), 1);
    assert_eq!(world.keys().await, Vec::<String>::new());
    drop(function);
    drop(watch);
    let _ = std::fs::remove_dir_all(&scratch);
}
