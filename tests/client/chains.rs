//! Every public error as a report prints it (`anyhow`, `eyre`: the error, then each
//! `source()`, one line each): one value of each `InvokeError` variant, built from a real call
//! through the SDK, and of the other public errors (`ConfigError`, `DispatchError`,
//! `InvalidTraceContext`, the served side's `PayloadError` as the caller receives it). No line
//! contains the line below it (an error shows its source's message or returns it from
//! `source()`, not both), and the last line is the root cause, asserted for each.

use crate::config::report;
use crate::support;

use std::error::Error;
use std::fmt;
use std::time::Duration;

use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Region};
use lambda_remote::client::Limits;
use lambda_remote::local::LocalLambda;
use lambda_remote::server::Dispatch;
use lambda_remote::{CallOptions, FunctionError, InvokeError, TraceContext, lambda_remote};
use support::raw::{Fault, RawServer, response};
use support::{Reply, Scripted};

#[derive(Debug, FunctionError)]
pub enum Boom {
    Boom,
}

impl fmt::Display for Boom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the boom error")
    }
}

impl Error for Boom {}

#[lambda_remote(server)]
pub trait Chained {
    #[lambda(function = "chained")]
    async fn call(&self, value: serde_json::Value) -> Result<u32, InvokeError<Boom>>;

    #[lambda(function = "chained")]
    async fn store(
        &self,
        map: std::collections::HashMap<(u8, u8), u8>,
    ) -> Result<(), InvokeError<Boom>>;

    #[lambda(function = "chained", timeout = "200ms")]
    async fn quick(&self, value: serde_json::Value) -> Result<u32, InvokeError<Boom>>;

    /// Served: takes a number.
    #[lambda(function = "typed")]
    async fn number(&self, n: u32) -> Result<u32, InvokeError>;
}

/// The same function, called with what it cannot decode.
#[lambda_remote]
pub trait Loose {
    #[lambda(function = "typed")]
    async fn number(&self, n: String) -> Result<u32, InvokeError>;
}

struct Served;

impl Chained for Served {
    async fn call(&self, _: serde_json::Value) -> Result<u32, InvokeError<Boom>> {
        Ok(1)
    }
    async fn store(
        &self,
        _: std::collections::HashMap<(u8, u8), u8>,
    ) -> Result<(), InvokeError<Boom>> {
        Ok(())
    }
    async fn quick(&self, _: serde_json::Value) -> Result<u32, InvokeError<Boom>> {
        Ok(1)
    }
    async fn number(&self, n: u32) -> Result<u32, InvokeError> {
        Ok(n)
    }
}

/// Asserts that no line of `error`'s report contains the line below it, and that the last
/// one is `root` (or, for the messages of other crates, contains it): the report's lines.
fn assert_chain(what: &str, error: &(dyn Error + 'static), root: &str) -> Vec<String> {
    let lines = report(error);
    for pair in lines.windows(2) {
        assert!(
            !pair[0].contains(&pair[1]),
            "{what}: {:?} repeats its source {:?}; the report: {lines:#?}",
            pair[0],
            pair[1]
        );
    }
    let last = lines.last().unwrap();
    assert!(
        last == root || last.contains(root),
        "{what}: the chain ends in {last:?}, not in the root cause {root:?}: {lines:#?}"
    );
    lines
}

/// [`assert_chain`] for a variant, and its report has `lines` lines (unless 0).
fn check(
    seen: &mut Vec<&'static str>,
    what: &'static str,
    error: &InvokeError<Boom>,
    root: &str,
    lines: usize,
) -> Vec<String> {
    let report = assert_chain(what, error, root);
    if lines > 0 {
        assert_eq!(report.len(), lines, "{what}: {report:#?}");
    }
    seen.push(what);
    report
}

async fn scripted(reply: Reply) -> InvokeError<Boom> {
    let server = Scripted::start(move |_| reply.clone()).await;
    ChainedClient::new(server.sdk())
        .call(serde_json::json!(1))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn every_invoke_error_variant_prints_each_message_once_down_to_its_root_cause() {
    let mut seen = Vec::new();
    let error = scripted(
        Reply::ok(r#"{"errorType":"Boom","errorMessage":"m"}"#)
            .header("X-Amz-Function-Error", "Unhandled"),
    )
    .await;
    assert!(matches!(error, InvokeError::Function { .. }), "{error:?}");
    check(
        &mut seen,
        "Function",
        &error,
        "function `chained` failed: the boom error",
        1,
    );

    let error = scripted(
        Reply::ok(r#"{"errorType":"Other","errorMessage":"it broke"}"#)
            .header("X-Amz-Function-Error", "Unhandled"),
    )
    .await;
    assert!(
        matches!(error, InvokeError::UnmappedFunction(_)),
        "{error:?}"
    );
    check(
        &mut seen,
        "UnmappedFunction",
        &error,
        "function `chained` failed: Other: it broke",
        1,
    );

    let error = scripted(Reply::service_error(
        404,
        "ResourceNotFoundException",
        "Function not found: chained",
    ))
    .await;
    assert!(matches!(error, InvokeError::Service(_)), "{error:?}");
    check(
        &mut seen,
        "Service",
        &error,
        "invocation refused: Lambda answered 404 ResourceNotFoundException: Function not found: chained",
        1,
    );

    let error = scripted(Reply::ok("not json")).await;
    assert!(matches!(error, InvokeError::Deserialize(_)), "{error:?}");
    check(
        &mut seen,
        "Deserialize",
        &error,
        "expected ident at line 1 column 2",
        2,
    );

    // Half a body, then the connection closes: hyper's error, down to the I/O error.
    let server = RawServer::start(Fault::Write(response("200 OK", &[], b"12", 50))).await;
    let error = ChainedClient::new(support::sdk_client(&server.url))
        .call(serde_json::json!(1))
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    let lines = check(
        &mut seen,
        "Transport",
        &error,
        "end of file before message length reached",
        0,
    );
    assert_eq!(
        lines[0],
        "invoking `chained`: the response was cut short or unreadable"
    );

    let server = RawServer::start(Fault::Stall(
        response("200 OK", &[], b"", 10),
        Duration::from_secs(3),
    ))
    .await;
    let error = ChainedClient::new(support::sdk_client(&server.url))
        .quick(serde_json::json!(1))
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Timeout(_)), "{error:?}");
    let lines = check(
        &mut seen,
        "Timeout",
        &error,
        "operation timeout (all attempts including retries) occurred after 200ms",
        2,
    );
    assert_eq!(lines[0], "invoking `chained`: the call timed out");

    let server = Scripted::start(|_| Reply::ok("1")).await;
    let unserializable: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
    let error = ChainedClient::new(server.sdk())
        .store(unserializable)
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Serialize(_)), "{error:?}");
    check(&mut seen, "Serialize", &error, "key must be a string", 2);

    let limited = ChainedClient::builder(server.sdk())
        .limits(Limits::default().with_client_context(16))
        .build()
        .unwrap();
    let context = serde_json::json!({"custom": {"k": "a value longer than sixteen bytes"}});
    let error = limited
        .call_with(
            &CallOptions::new().client_context(&context),
            serde_json::json!(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Rejected(_)), "{error:?}");
    check(
        &mut seen,
        "Rejected",
        &error,
        "request refused before sending: the client context is 72 bytes of base64; Lambda takes at most 16",
        1,
    );
    let error = ChainedClient::new(server.sdk())
        .call_with(
            &CallOptions::new().qualifier("no spaces"),
            serde_json::json!(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Rejected(_)), "{error:?}");
    let lines = assert_chain(
        "Rejected::Name",
        &error,
        "invalid character ` ` at position 2 (counting from 0) in the qualifier",
    );
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert_eq!(server.requests(), 0);

    let sdk = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .build(),
    );
    let error = ChainedClient::new(sdk)
        .call(serde_json::json!(1))
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Config(_)), "{error:?}");
    check(
        &mut seen,
        "Config",
        &error,
        "there was no identity resolver for it",
        2,
    );
    assert_eq!(server.requests(), 0);

    assert_eq!(
        seen,
        [
            "Function",
            "UnmappedFunction",
            "Service",
            "Deserialize",
            "Transport",
            "Timeout",
            "Serialize",
            "Rejected",
            "Config"
        ]
    );
}

#[tokio::test]
async fn the_other_public_errors_print_each_message_once() {
    // The client's own configuration, refused when it is built.
    let server = Scripted::start(|_| Reply::ok("1")).await;
    let error = ChainedClient::builder(server.sdk())
        .function("call", "not a name!")
        .build()
        .unwrap_err();
    let lines = assert_chain("ConfigError::InvalidName", &error, "not a name!");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let error = ChainedClient::builder(server.sdk())
        .function("nope", "other")
        .build()
        .unwrap_err();
    assert_chain(
        "ConfigError::UnknownMethod",
        &error,
        "`Chained` has no method `nope`",
    );

    // Which method one binary serves.
    let error = Dispatch::new(ChainedServer::new(Served).handlers())
        .select("elsewhere")
        .unwrap_err();
    assert_chain(
        "DispatchError",
        &error,
        "no method serves the Lambda function `elsewhere`",
    );

    let error = TraceContext::new().with_traceparent("00-bad").unwrap_err();
    assert_chain("InvalidTraceContext", &error, "invalid traceparent");

    // The served side's payload error, as the caller receives it.
    let lambda = LocalLambda::builder()
        .serve(ChainedServer::new(Served).number())
        .start()
        .await
        .unwrap();
    let error = LooseClient::new(lambda.sdk_client())
        .number("seven".into())
        .await
        .unwrap_err();
    let failure = error.failure().expect("a function error");
    assert_eq!(failure.error_type(), Some("lambda_remote::PayloadError"));
    let lines = assert_chain("PayloadError", &error, "lambda_remote::PayloadError: ");
    assert_eq!(lines.len(), 1, "{lines:#?}");
}
