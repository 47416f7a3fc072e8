//! Secrets never printed: `Debug` and `Display` of every `InvokeError` variant, of its whole
//! `source()` chain, and of the other public types a call returns, built from real responses
//! through the real SDK, never contain the log tail, the client context or the credentials —
//! decoded or in the base64 form they take on the wire.

mod support;

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use lambda_remote::{lambda_remote, CallOptions, FunctionError, InvokeError, Limits};
use support::raw::{response, Fault, RawServer};
use support::{Reply, Scripted, TEST_SECRET_KEY, TEST_SESSION_TOKEN};

const LOG_SECRET: &str = "DB_PASSWORD=hunter2-log-secret";
const CONTEXT_SECRET: &str = "tenant-api-key-context-secret";

#[derive(Debug, FunctionError)]
pub enum Boom {
    Boom,
}

impl fmt::Display for Boom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("boom")
    }
}

impl std::error::Error for Boom {}

#[lambda_remote]
pub trait Secretive {
    #[lambda(function = "secretive", log = "tail")]
    async fn call(&self, value: serde_json::Value) -> Result<u32, InvokeError<Boom>>;

    #[lambda(function = "secretive", log = "tail")]
    async fn store(
        &self,
        map: std::collections::HashMap<(u8, u8), u8>,
    ) -> Result<(), InvokeError<Boom>>;

    #[lambda(function = "secretive", log = "tail", timeout = "200ms")]
    async fn quick(&self, value: serde_json::Value) -> Result<u32, InvokeError<Boom>>;
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn context() -> serde_json::Value {
    serde_json::json!({"custom": {"api_key": CONTEXT_SECRET}})
}

fn options() -> CallOptions {
    CallOptions::new().log_tail().client_context(&context())
}

/// Every form the secrets take: decoded, and base64 as on the wire (whole, and a prefix that
/// a partial print would show).
fn forms() -> Vec<String> {
    let context_b64 = b64(&context().to_string());
    let log_b64 = b64(LOG_SECRET);
    vec![
        LOG_SECRET.into(),
        "hunter2".into(),
        log_b64[..16].into(),
        log_b64,
        CONTEXT_SECRET.into(),
        context_b64[..16].into(),
        context_b64,
        TEST_SECRET_KEY.into(),
        TEST_SESSION_TOKEN.into(),
    ]
}

/// Headers that carry every secret back: the log tail as Lambda sends it, and the client
/// context and session token reflected, so that printing any response header is caught.
fn secret_headers() -> Vec<(String, String)> {
    vec![
        ("X-Amz-Log-Result".into(), b64(LOG_SECRET)),
        ("X-Echo-Client-Context".into(), b64(&context().to_string())),
        ("X-Echo-Token".into(), TEST_SESSION_TOKEN.into()),
    ]
}

fn assert_no_secret(what: &str, printed: &str) {
    for form in forms() {
        assert!(
            !printed.contains(&form),
            "{what} prints a secret ({form}): {printed}"
        );
    }
}

fn assert_error_keeps_secrets<E: std::error::Error + 'static>(what: &str, error: &E) {
    assert_no_secret(what, &format!("{error}"));
    assert_no_secret(what, &format!("{error:?}"));
    assert_no_secret(what, &format!("{error:#?}"));
    let mut depth = 0;
    let mut source = error.source();
    while let Some(cause) = source {
        depth += 1;
        assert_no_secret(
            &format!("{what} source {depth}"),
            &format!("{cause} {cause:?} {cause:#?}"),
        );
        source = cause.source();
    }
}

fn scripted_reply(status: u16, body: &str) -> Reply {
    let mut reply = Reply::status(status, body.as_bytes().to_vec());
    for (name, value) in secret_headers() {
        reply = reply.header(&name, &value);
    }
    reply
}

async fn call_scripted(reply: Reply) -> InvokeError<Boom> {
    let server = Scripted::start(move |request| {
        assert!(
            request.header("X-Amz-Client-Context").is_some(),
            "the context is sent"
        );
        reply.clone()
    })
    .await;
    SecretiveClient::new(server.sdk())
        .call_with(&options(), serde_json::json!(1))
        .await
        .unwrap_err()
}

fn raw_headers() -> Vec<(&'static str, String)> {
    secret_headers()
        .into_iter()
        .map(|(name, value)| (&*String::leak(name), value))
        .collect()
}

async fn call_raw(fault: Fault, quick: bool) -> InvokeError<Boom> {
    let server = RawServer::start(fault).await;
    let client = SecretiveClient::new(support::sdk_client(&server.url));
    if quick {
        client
            .quick_with(&options(), serde_json::json!(1))
            .await
            .unwrap_err()
    } else {
        client
            .call_with(&options(), serde_json::json!(1))
            .await
            .unwrap_err()
    }
}

#[tokio::test]
async fn no_variant_prints_a_log_tail_a_client_context_or_credentials() {
    let headers = raw_headers();
    let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut errors: Vec<(&str, InvokeError<Boom>)> = vec![
        (
            "Function",
            call_scripted(
                scripted_reply(200, r#"{"errorType":"Boom","errorMessage":"m"}"#)
                    .header("X-Amz-Function-Error", "Unhandled"),
            )
            .await,
        ),
        (
            "UnmappedFunction",
            call_scripted(
                scripted_reply(200, r#"{"errorType":"Other","errorMessage":"m"}"#)
                    .header("X-Amz-Function-Error", "Unhandled"),
            )
            .await,
        ),
        (
            "Service",
            call_scripted(
                scripted_reply(429, r#"{"message":"slow"}"#)
                    .header("x-amzn-ErrorType", "TooManyRequestsException"),
            )
            .await,
        ),
        (
            "Deserialize",
            call_scripted(scripted_reply(200, "not json")).await,
        ),
        (
            "Transport",
            call_raw(
                Fault::Write(response("200 OK", &header_refs, b"12", 50)),
                false,
            )
            .await,
        ),
        (
            "Timeout",
            call_raw(
                Fault::Delay(
                    Duration::from_secs(3),
                    response("200 OK", &header_refs, b"1", 1),
                ),
                true,
            )
            .await,
        ),
    ];
    // Serialize: a map with non-string keys does not serialize to JSON.
    let server = Scripted::start(|_| Reply::ok("1")).await;
    let client = SecretiveClient::new(server.sdk());
    let unserializable: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
    errors.push((
        "Serialize",
        client
            .store_with(&options(), unserializable)
            .await
            .unwrap_err(),
    ));
    // Rejected: a client context over the limit, holding the secret.
    let limited = SecretiveClient::builder(server.sdk())
        .limits(Limits {
            client_context: 16,
            ..Limits::default()
        })
        .build()
        .unwrap();
    errors.push((
        "Rejected",
        limited
            .call_with(&options(), serde_json::json!(1))
            .await
            .unwrap_err(),
    ));
    assert_eq!(server.requests(), 0, "a rejected call sends nothing");

    let kinds: Vec<&str> = errors.iter().map(|(kind, _)| *kind).collect();
    for (kind, error) in &errors {
        let matches_kind = matches!(
            (kind, error),
            (&"Function", InvokeError::Function { .. })
                | (&"UnmappedFunction", InvokeError::UnmappedFunction(_))
                | (&"Service", InvokeError::Service(_))
                | (&"Deserialize", InvokeError::Deserialize(_))
                | (&"Transport", InvokeError::Transport(_))
                | (&"Timeout", InvokeError::Timeout(_))
                | (&"Serialize", InvokeError::Serialize(_))
                | (&"Rejected", InvokeError::Rejected(_))
        );
        assert!(matches_kind, "{kind}: {error:?}");
        assert_error_keeps_secrets(kind, error);
        if let Some(metadata) = error.metadata() {
            assert_no_secret(kind, &format!("{metadata:?}"));
        }
    }
    assert_eq!(kinds.len(), 8);

    // The log tail did arrive, and the caller can read it on purpose.
    let tail = errors[0]
        .1
        .metadata()
        .and_then(|m| m.log_tail())
        .expect("a log tail");
    assert_eq!(tail.text(), LOG_SECRET);
    assert_no_secret("LogTail", &format!("{tail:?}"));
    assert_no_secret("CallOptions", &format!("{:?} {:#?}", options(), options()));
    assert_no_secret("client", &format!("{client:?}"));
}

#[tokio::test]
async fn a_success_with_a_log_tail_prints_none_of_it() {
    let server = Scripted::start(|_| scripted_reply(200, "7")).await;
    let invoked = SecretiveClient::new(server.sdk())
        .call_with(&options(), serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(invoked.output, 7);
    assert_eq!(invoked.metadata.log_tail().unwrap().text(), LOG_SECRET);
    assert_no_secret("Invoked", &format!("{invoked:?} {invoked:#?}"));
}

#[lambda_remote]
pub trait SecretiveStream {
    #[lambda(function = "secretive", invocation = "stream", log = "tail")]
    async fn rows(
        &self,
        value: serde_json::Value,
    ) -> Result<lambda_remote::ResponseStream<u32, Boom>, InvokeError<Boom>>;
}

#[tokio::test]
async fn a_stream_and_its_errors_print_none_of_them() {
    use support::event_stream::{chunk, complete, response};
    let headers: Vec<(&str, String)> = raw_headers();
    let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let log = b64(LOG_SECRET);
    let failed = format!(
        r#"{{"ErrorCode":"Boom","ErrorDetails":"{{\"errorType\":\"Boom\",\"errorMessage\":\"boom\"}}","LogResult":"{log}"}}"#
    );
    let ended = format!(r#"{{"LogResult":"{log}"}}"#);
    let cases = [
        (
            "function error",
            response(&[chunk(b"1\n"), complete(&failed)], true, &headers),
        ),
        (
            "error before items",
            response(&[complete(&failed)], true, &headers),
        ),
        (
            "cut",
            response(&[chunk(b"1\n"), chunk(b"2")], false, &headers),
        ),
        (
            "success",
            response(&[chunk(b"1\n"), complete(&ended)], true, &headers),
        ),
    ];
    for (what, bytes) in cases {
        let server = RawServer::start(Fault::Write(bytes)).await;
        let client = SecretiveStreamClient::new(support::sdk_client(&server.url));
        let options = options();
        let mut stream = match client.rows_with(&options, serde_json::json!(1)).await {
            Ok(invoked) => {
                assert_no_secret(what, &format!("{invoked:?} {invoked:#?}"));
                invoked.output
            }
            Err(error) => {
                assert!(error.failure().unwrap().metadata().log_tail().is_some());
                assert_error_keeps_secrets(what, &error);
                continue;
            }
        };
        let mut ended_with_error = false;
        while let Some(item) = stream.next().await {
            if let Err(error) = item {
                assert_error_keeps_secrets(what, &error);
                ended_with_error = true;
            }
        }
        assert_eq!(ended_with_error, what != "success", "{what}");
        if what != "cut" {
            assert_eq!(stream.metadata().log_tail().unwrap().text(), LOG_SECRET);
        }
        assert_no_secret(what, &format!("{stream:?} {stream:#?}"));
    }
}
