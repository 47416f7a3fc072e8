//! The contract of the interop suite, compiled by both sides: `tests/interop.rs` calls it through
//! the generated client, and the function crate (`tests/interop/function`) serves it on the real
//! `lambda_runtime` under `cargo lambda watch`.
//!
//! Every run of a method appends one line (`<method> <argument>`) to the file named by
//! `INTEROP_RUNS_FILE`, so the suite counts exactly how many times the function ran.

// Each side uses its own half of the contract.
#![allow(dead_code)]

use std::io::Write as _;

use lambda_remote::{
    ByteStream, FunctionError, InvocationContext, InvokeError, ResponseStream, lambda_remote,
};
use serde::{Deserialize, Serialize};

/// The environment variable naming the file the function appends its runs to.
pub const RUNS_FILE_ENV: &str = "INTEROP_RUNS_FILE";

/// Whom to greet. A JSON object: moto's server fails (500) on any payload that is not one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guest {
    pub name: String,
}

impl Guest {
    pub fn new(name: &str) -> Self {
        Self { name: name.into() }
    }
}

/// The greeting function's own errors.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum GreetError {
    #[error("nobody to greet")]
    Nobody,
    #[error("{name} is not welcome: {reason}")]
    #[function_error(rename = "NotWelcome")]
    NotWelcome { name: String, reason: String },
}

/// What the streaming function `interop-rows` is asked for: `count` rows, then how it ends.
/// A JSON object, like every payload here.
///
/// `cargo lambda watch` (1.9.2) does not hand an `InvokeWithResponseStream` payload to the
/// function as it came: it serves the SDK's streaming path as a function URL request to its
/// default function, which gets an API Gateway v2 HTTP event whose `body` holds the payload
/// (see `tests/interop.rs`). `Rows` decodes from either, and says which it came in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RowsWire")]
pub struct Rows {
    /// How many rows to stream at most.
    pub count: u64,
    /// How the stream ends.
    pub end: End,
    /// Whether the request reached the function inside a function URL event. Never sent.
    #[serde(skip_serializing)]
    pub in_function_url_event: bool,
}

/// `Rows` as it arrives: the object itself, or a function URL event holding it.
#[derive(Deserialize)]
#[serde(untagged)]
enum RowsWire {
    Direct(DirectRows),
    FunctionUrl {
        body: String,
        #[serde(rename = "isBase64Encoded", default)]
        is_base64_encoded: bool,
    },
}

#[derive(Deserialize)]
struct DirectRows {
    count: u64,
    end: End,
}

impl TryFrom<RowsWire> for Rows {
    type Error = String;

    fn try_from(wire: RowsWire) -> Result<Self, String> {
        let (direct, in_function_url_event) = match wire {
            RowsWire::Direct(direct) => (direct, false),
            RowsWire::FunctionUrl {
                body,
                is_base64_encoded,
            } => {
                use base64::Engine as _;
                let body = if is_base64_encoded {
                    base64::engine::general_purpose::STANDARD
                        .decode(&body)
                        .map_err(|e| format!("the event's body is not base64: {e}"))?
                } else {
                    body.into_bytes()
                };
                let direct = serde_json::from_slice(&body)
                    .map_err(|e| format!("the event's body is not `Rows`: {e}"))?;
                (direct, true)
            }
        };
        Ok(Rows {
            count: direct.count,
            end: direct.end,
            in_function_url_event,
        })
    }
}

impl Rows {
    /// `count` rows, ending as `end` says.
    pub fn new(count: u64, end: End) -> Self {
        Self {
            count,
            end,
            in_function_url_event: false,
        }
    }

    /// The line `interop-rows` records for a run with this request.
    pub fn run_line(&self) -> String {
        let how = if self.in_function_url_event {
            " (in a function URL event)"
        } else {
            ""
        };
        format!("rows {} {:?}{how}", self.count, self.end)
    }
}

/// How `interop-rows` ends its stream.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum End {
    /// All `count` rows, then the end.
    Complete,
    /// `after` rows, then the typed error `RowsError::Stopped { at: after, .. }`.
    Fail { after: u64 },
    /// `after` rows, then a panic while producing the next one.
    Panic { after: u64 },
    /// No stream at all: the typed error `RowsError::Refused` before the first row.
    Refuse,
}

/// One streamed item. Its text holds a newline and non-ASCII characters, which JSON escapes
/// (the newline) or keeps (UTF-8) inside one line of the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Its place in the stream, from 0.
    pub n: u64,
    /// `row {n}`, a newline, and non-ASCII text.
    pub text: String,
}

/// Row `n` as `interop-rows` sends it.
pub fn row(n: u64) -> Row {
    Row {
        n,
        text: format!("row {n}\nnaïve ✓"),
    }
}

/// The streaming function's own errors.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum RowsError {
    /// The stream stopped before row `at`; a typed error with fields, sent mid-stream.
    #[error("the rows stopped at {at}: {why}")]
    Stopped { at: u64, why: String },
    /// No stream at all: the error before the first row.
    #[error("no rows for this request")]
    Refused,
}

/// What a served method sees of the invocation it answers (`InvocationContext::current()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub request_id: String,
    pub invoked_function_arn: String,
    /// The deadline, in milliseconds since the epoch.
    pub deadline_ms: Option<u128>,
    /// The time left before the deadline when the method ran, in milliseconds; `None` without
    /// a deadline.
    pub time_left_ms: Option<u128>,
    pub client_context: Option<serde_json::Value>,
    pub tenant_id: Option<String>,
}

#[lambda_remote(server)]
pub trait Interop {
    /// Greets someone; the names `""` and `"Mallory"` are the function's typed errors.
    #[lambda(function = "interop-greet")]
    async fn greet(&self, guest: Guest) -> Result<String, InvokeError<GreetError>>;

    /// The same function, as an `Event`.
    #[lambda(function = "interop-greet", invocation = "event")]
    async fn greet_later(&self, guest: Guest) -> Result<(), InvokeError<GreetError>>;

    /// The same function, as a `DryRun`.
    #[lambda(function = "interop-greet", invocation = "dry_run")]
    async fn check_greet(&self, guest: Guest) -> Result<(), InvokeError<GreetError>>;

    /// Panics. Its payload is a JSON string.
    #[lambda(function = "interop-panic")]
    async fn explode(&self, tag: String) -> Result<String, InvokeError<GreetError>>;

    /// A function that exists nowhere.
    #[lambda(function = "interop-missing")]
    async fn missing(&self) -> Result<(), InvokeError>;

    /// Answers with what it sees of its invocation's context.
    #[lambda(function = "interop-context")]
    async fn context(&self, tag: String) -> Result<Seen, InvokeError>;

    /// Streams `rows.count` rows as NDJSON, ending as `rows.end` says.
    #[lambda(function = "interop-rows", invocation = "stream", timeout = "30s")]
    async fn rows(
        &self,
        rows: Rows,
    ) -> Result<ResponseStream<Row, RowsError>, InvokeError<RowsError>>;

    /// The same function's stream, read as raw bytes.
    #[lambda(function = "interop-rows", invocation = "stream", timeout = "30s")]
    async fn rows_raw(&self, rows: Rows) -> Result<ByteStream<RowsError>, InvokeError<RowsError>>;

    /// A streaming function that exists nowhere.
    #[lambda(function = "interop-missing", invocation = "stream", timeout = "30s")]
    async fn missing_stream(
        &self,
        rows: Rows,
    ) -> Result<ResponseStream<Row, RowsError>, InvokeError<RowsError>>;
}

/// The functions' implementation.
pub struct InteropImpl;

impl Interop for InteropImpl {
    async fn greet(&self, guest: Guest) -> Result<String, InvokeError<GreetError>> {
        let name = guest.name;
        record_run(&format!("greet {name}"));
        match name.as_str() {
            "" => Err(GreetError::Nobody)?,
            "Mallory" => Err(GreetError::NotWelcome {
                name: name.clone(),
                reason: "known to tamper".into(),
            })?,
            _ => Ok(format!("Hello, {name}!")),
        }
    }

    async fn greet_later(&self, guest: Guest) -> Result<(), InvokeError<GreetError>> {
        self.greet(guest).await.map(drop)
    }

    async fn check_greet(&self, _guest: Guest) -> Result<(), InvokeError<GreetError>> {
        Ok(())
    }

    async fn explode(&self, tag: String) -> Result<String, InvokeError<GreetError>> {
        record_run(&format!("explode {tag}"));
        panic!("exploded on purpose: {tag}");
    }

    async fn missing(&self) -> Result<(), InvokeError> {
        Ok(())
    }

    async fn context(&self, tag: String) -> Result<Seen, InvokeError> {
        record_run(&format!("context {tag}"));
        let context = InvocationContext::current().expect("inside a served method");
        let millis = |time: std::time::SystemTime| {
            time.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
        };
        let deadline = context.deadline();
        Ok(Seen {
            request_id: context.request_id().to_owned(),
            invoked_function_arn: context.invoked_function_arn().to_owned(),
            deadline_ms: deadline.map(millis),
            time_left_ms: deadline.map(|deadline| {
                deadline
                    .duration_since(std::time::SystemTime::now())
                    .map_or(0, |left| left.as_millis())
            }),
            client_context: context.client_context().cloned(),
            tenant_id: context.tenant_id().map(str::to_owned),
        })
    }

    async fn rows(
        &self,
        rows: Rows,
    ) -> Result<ResponseStream<Row, RowsError>, InvokeError<RowsError>> {
        record_run(&rows.run_line());
        let count = rows.count;
        let stream = match rows.end {
            End::Refuse => Err(RowsError::Refused)?,
            End::Complete => ResponseStream::from_items((0..count).map(row)),
            End::Fail { after } => {
                let (sender, stream) = ResponseStream::channel(4);
                tokio::spawn(async move {
                    for n in 0..after {
                        if sender.send(row(n)).await.is_err() {
                            return;
                        }
                    }
                    let stopped = RowsError::Stopped {
                        at: after,
                        why: "stopped on purpose".into(),
                    };
                    let _ = sender.fail(stopped).await;
                });
                stream
            }
            // The panic happens inside the served stream, while lambda_runtime reads it.
            End::Panic { after } => ResponseStream::from_items((0..count).map(move |n| {
                assert_ne!(n, after, "panicked on purpose at row {n}");
                row(n)
            })),
        };
        Ok(stream)
    }

    async fn rows_raw(&self, _rows: Rows) -> Result<ByteStream<RowsError>, InvokeError<RowsError>> {
        unreachable!("the client's raw view of `interop-rows`, which `rows` serves")
    }

    async fn missing_stream(
        &self,
        _rows: Rows,
    ) -> Result<ResponseStream<Row, RowsError>, InvokeError<RowsError>> {
        unreachable!("a function that exists nowhere")
    }
}

/// Appends `line` (`<method> <argument>`) to the runs file, if one is named.
fn record_run(line: &str) {
    let Ok(path) = std::env::var(RUNS_FILE_ENV) else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("cannot open the runs file {path}: {e}"));
    writeln!(file, "{line}").expect("the run is recorded");
}
