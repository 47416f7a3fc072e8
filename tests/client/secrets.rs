//! Secrets never printed: `Debug` and `Display` of every `InvokeError` variant, of its whole
//! `source()` chain, and of the other public types a call returns, built from real responses
//! through the real SDK, never contain the log tail, the client context or the credentials —
//! decoded or in the base64 form they take on the wire (the header as sent, and the secret
//! encoded at each of base64's three alignments). Nor does anything lambda-remote records in
//! tracing: every span's fields and every event, at every level, are collected while the calls
//! run and searched the same way.

#[path = "../support/mod.rs"]
mod support;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use lambda_remote::{CallOptions, FunctionError, InvokeError, client::Limits, lambda_remote};
use support::raw::{Fault, RawServer, response};
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

/// The base64 of `secret` wherever it sits in an encoded text: at each of the three byte
/// offsets modulo 3, the characters that depend on the secret alone.
fn b64_inside(secret: &str) -> Vec<String> {
    (0..3)
        .map(|offset| {
            let encoded = b64(&format!("{}{secret}", "x".repeat(offset)));
            let start = if offset == 0 { 0 } else { 4 };
            encoded[start..encoded.len() - 4].to_owned()
        })
        .collect()
}

/// Every `X-Amz-Client-Context` the scripted servers received, as sent.
static SENT_CONTEXTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Everything recorded in tracing during one test, one entry per span opened, span recorded
/// into and event, each with its target: `(target, "span <name>: <fields>")`.
type Recorded = Arc<Mutex<Vec<(String, String)>>>;

/// Records everything (all levels, all targets) on this thread until the guard is dropped: a
/// `#[tokio::test]` runs the calls, and the servers' tasks, on its one thread.
fn record() -> (Recorded, tracing::subscriber::DefaultGuard) {
    use tracing_subscriber::layer::SubscriberExt as _;
    let recorded = Recorded::default();
    let subscriber = tracing_subscriber::registry().with(Record(recorded.clone()));
    (recorded, tracing::subscriber::set_default(subscriber))
}

/// A layer writing what it sees into the entries it holds.
struct Record(Recorded);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
}

impl Record {
    fn push(&self, metadata: &tracing::Metadata<'_>, entry: String) {
        let target = metadata.target().to_owned();
        self.0.lock().unwrap().push((target, entry));
    }
}

impl<S> tracing_subscriber::Layer<S> for Record
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut entry = format!("span {}:", attrs.metadata().name());
        attrs.record(&mut Fields(&mut entry));
        self.push(attrs.metadata(), entry);
    }
    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let Some(span) = context.span(id) else {
            return;
        };
        let mut entry = format!("record {}:", span.name());
        values.record(&mut Fields(&mut entry));
        self.push(span.metadata(), entry);
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut entry = "event:".to_owned();
        event.record(&mut Fields(&mut entry));
        self.push(event.metadata(), entry);
    }
}

/// What lambda-remote's own crates recorded: their spans' fields and their events. (The SDK
/// records more at `TRACE`: `aws_smithy_runtime` and `aws_sigv4` print whole requests and
/// responses, headers included — the client context and the log tail with them.)
fn recorded_by_lambda_remote(recorded: &Recorded) -> String {
    recorded
        .lock()
        .unwrap()
        .iter()
        .filter(|(target, _)| target.starts_with("lambda_remote"))
        .map(|(target, entry)| format!("{target} {entry}\n"))
        .collect()
}

fn context() -> serde_json::Value {
    serde_json::json!({"custom": {"api_key": CONTEXT_SECRET}})
}

fn options() -> CallOptions {
    CallOptions::new().log_tail().client_context(&context())
}

/// Every form the secrets take: decoded, and base64 as on the wire (whole, a prefix that a
/// partial print would show, the client context header exactly as sent, and each secret
/// encoded inside a longer text).
fn forms() -> Vec<String> {
    let context_b64 = b64(&context().to_string());
    let log_b64 = b64(LOG_SECRET);
    let mut forms = vec![
        LOG_SECRET.into(),
        "hunter2".into(),
        log_b64[..16].into(),
        log_b64,
        CONTEXT_SECRET.into(),
        context_b64[..16].into(),
        context_b64,
        TEST_SECRET_KEY.into(),
        TEST_SESSION_TOKEN.into(),
    ];
    forms.extend(b64_inside(LOG_SECRET));
    forms.extend(b64_inside(CONTEXT_SECRET));
    forms.extend(SENT_CONTEXTS.lock().unwrap().iter().cloned());
    forms
}

#[test]
fn the_base64_forms_are_found_inside_an_encoded_text() {
    for prefix in ["", "a", "ab", "abc"] {
        let encoded = b64(&format!("{prefix}{{\"key\":\"{CONTEXT_SECRET}\"}}"));
        let found = b64_inside(CONTEXT_SECRET)
            .iter()
            .filter(|form| encoded.contains(form.as_str()))
            .count();
        assert_eq!(found, 1, "{prefix:?}: {encoded}");
    }
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
        let sent = request
            .header("X-Amz-Client-Context")
            .expect("the context is sent");
        SENT_CONTEXTS.lock().unwrap().push(sent.to_owned());
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
    let (recorded, _recording) = record();
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
        // The headers (log tail, reflected context and token) arrive; the body stalls.
        (
            "Timeout",
            call_raw(
                Fault::Stall(
                    response("200 OK", &header_refs, b"", 10),
                    Duration::from_secs(3),
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
        .limits(Limits::default().with_client_context(16))
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
    // Config: an endpoint URL that is not one. The SDK's message for it prints the whole
    // request, its client context header among it.
    let misconfigured = SecretiveClient::new(support::sdk_client("not a url"));
    errors.push((
        "Config",
        misconfigured
            .call_with(&options(), serde_json::json!(1))
            .await
            .unwrap_err(),
    ));

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
                | (&"Config", InvokeError::Config(_))
        );
        assert!(matches_kind, "{kind}: {error:?}");
        assert_error_keeps_secrets(kind, error);
        if let Some(metadata) = error.metadata() {
            assert_no_secret(kind, &format!("{metadata:?}"));
        }
    }
    assert_eq!(kinds.len(), 10);
    assert_eq!(
        SENT_CONTEXTS.lock().unwrap().len(),
        6,
        "the context header of each scripted request (the 429 is sent three times)"
    );

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
    // One span per call that was sent, and the Config call's (refused by the SDK): not the
    // Serialize and Rejected calls.
    assert_tracing_keeps_secrets(&recorded, 8);
}

/// Nothing lambda-remote recorded in tracing holds a secret, and it recorded `calls`
/// `Lambda.Invoke` or `Lambda.InvokeWithResponseStream` spans (the search is not vacuous).
fn assert_tracing_keeps_secrets(recorded: &Recorded, calls: usize) {
    let recorded = recorded_by_lambda_remote(recorded);
    assert_eq!(
        recorded.matches(" span Lambda.Invoke:").count()
            + recorded
                .matches(" span Lambda.InvokeWithResponseStream:")
                .count(),
        calls,
        "{recorded}"
    );
    assert_no_secret("tracing", &recorded);
}

#[tokio::test]
async fn a_success_with_a_log_tail_prints_none_of_it() {
    let (recorded, _recording) = record();
    let server = Scripted::start(|_| scripted_reply(200, "7")).await;
    let invoked = SecretiveClient::new(server.sdk())
        .call_with(&options(), serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(invoked.output, 7);
    assert_eq!(invoked.metadata.log_tail().unwrap().text(), LOG_SECRET);
    assert_no_secret("Invoked", &format!("{invoked:?} {invoked:#?}"));
    assert_tracing_keeps_secrets(&recorded, 1);
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
    let (recorded, _recording) = record();
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
    assert_tracing_keeps_secrets(&recorded, 4);
}

/// Every event recorded on this thread, with its level and target.
#[derive(Clone, Default)]
struct Leveled(Arc<Mutex<Vec<(tracing::Level, String, String)>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Leveled {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut entry = String::new();
        event.record(&mut Fields(&mut entry));
        let metadata = event.metadata();
        let record = (*metadata.level(), metadata.target().to_owned(), entry);
        self.0.lock().unwrap().push(record);
    }
}

/// The guide's warning (observability chapter, "Secrets, and the SDK's own logging"): at
/// `TRACE`, the SDK's `aws_smithy_runtime` logs whole requests and responses, headers
/// included — the client context as sent and the log tail as received — while nothing any
/// crate records at `DEBUG` or above holds a secret.
#[tokio::test]
async fn the_sdk_at_trace_logs_the_client_context_and_the_log_tail() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let events = Leveled::default();
    let _recording =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(events.clone()));
    let sent = Arc::new(Mutex::new(Vec::new()));
    let server = Scripted::start({
        let sent = sent.clone();
        move |request| {
            let context = request
                .header("X-Amz-Client-Context")
                .expect("the context is sent");
            sent.lock().unwrap().push(context.to_owned());
            scripted_reply(200, "7")
        }
    })
    .await;
    let invoked = SecretiveClient::new(server.sdk())
        .call_with(&options(), serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(invoked.output, 7);
    let sent = sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);

    let events = events.0.lock().unwrap().clone();
    let printed = |keep: &dyn Fn(&tracing::Level, &str) -> bool| -> String {
        events
            .iter()
            .filter(|(level, target, _)| keep(level, target))
            .map(|(level, target, entry)| format!("{level} {target}{entry}\n"))
            .collect()
    };
    let sdk_trace = printed(&|level, target| {
        *level == tracing::Level::TRACE && target.starts_with("aws_smithy_runtime")
    });
    assert!(
        sdk_trace.contains(&sent[0]),
        "the client context as sent: {sdk_trace}"
    );
    assert!(
        sdk_trace.contains(&b64(LOG_SECRET)),
        "the log tail: {sdk_trace}"
    );
    // tracing orders levels by verbosity: DEBUG and above are those less than TRACE.
    let above_trace = printed(&|level, _| *level < tracing::Level::TRACE);
    // Not vacuous: the SDK's one attempt is logged at DEBUG.
    assert_eq!(
        above_trace.matches("beginning attempt #1").count(),
        1,
        "{above_trace}"
    );
    assert_no_secret("DEBUG and above", &above_trace);
}
