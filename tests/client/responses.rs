//! Every response ends in the outcome its status, headers and body call for. The whole
//! response path — the real SDK, real loopback HTTP, the generated client — is driven with
//! arbitrary status codes, arbitrary and malformed Lambda headers, arbitrary bodies,
//! truncations and stalls, and an oracle written from the Lambda facts and the guide's tables
//! (not from the runtime's code) says for each case which outcome the call must end in —
//! `Ok` with which value, a function error of which type, a service error of which kind,
//! `Deserialize`, `Transport` or `Timeout` — and how many requests each delivery mode sends.
//! Every call also ends within its timeout plus [`MARGIN`], with the raw bytes kept.
//!
//! `PROPTEST_CASES` sets the number of cases (2,000 by default; FAULTS.md gives a long run).

use crate::support;

use std::time::{Duration, Instant};

use lambda_remote::{
    CallOptions, Delivery, FunctionError, InvokeError, error::ServiceErrorKind, lambda_remote,
};
use proptest::prelude::*;
use serde_json::Value;
use support::raw::{Fault, RawServer};

/// The function's one typed error: `errorType` `Boom` maps onto it, any other is unmapped.
#[derive(Debug, PartialEq, thiserror::Error, FunctionError)]
pub enum EchoError {
    #[error("boom")]
    Boom,
}

/// The timeout of every method.
const METHOD_TIMEOUT: Duration = Duration::from_secs(2);
/// The timeout of the calls whose answer stalls (`CallOptions::timeout`), short to keep the
/// run short.
const STALL_TIMEOUT: Duration = Duration::from_millis(100);
/// How long past its timeout a call may take to end on these 2-core machines.
const MARGIN: Duration = Duration::from_secs(2);

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo", timeout = "2s")]
    async fn echo(&self, value: Value) -> Result<Value, InvokeError<EchoError>>;

    #[lambda(function = "echo", timeout = "2s", log = "tail")]
    async fn echo_with_tail(&self, value: String) -> Result<String, InvokeError<EchoError>>;

    #[lambda(function = "audit", invocation = "event", timeout = "2s")]
    async fn audit(&self, value: Value) -> Result<(), InvokeError<EchoError>>;
}

/// An arbitrary response, as bytes on the wire.
#[derive(Debug, Clone)]
struct Wire {
    status: u16,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    framing: Framing,
}

/// How the body is delimited.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length` is the body's length.
    Exact,
    /// `Content-Length` says more than is sent: the connection closes early.
    Truncated(usize),
    /// No `Content-Length`: the body ends when the connection closes.
    CloseDelimited,
    /// `Content-Length` says more than is sent, and the connection stays open.
    Stalled(usize),
}

impl Wire {
    fn bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", self.status).into_bytes();
        match self.framing {
            Framing::Exact => {
                out.extend(format!("content-length: {}\r\n", self.body.len()).bytes())
            }
            Framing::Truncated(extra) | Framing::Stalled(extra) => {
                out.extend(format!("content-length: {}\r\n", self.body.len() + extra).bytes())
            }
            Framing::CloseDelimited => {}
        }
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// What the server does with the bytes.
    fn fault(&self) -> Fault {
        match self.framing {
            Framing::Stalled(_) => Fault::Stall(self.bytes(), Duration::from_secs(5)),
            _ => Fault::Write(self.bytes()),
        }
    }

    /// The values of header `name`, in order.
    fn values(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| trim(v))
            .collect()
    }
}

/// A header value as HTTP delivers it: without the spaces and tabs around it.
fn trim(value: &[u8]) -> &[u8] {
    let is_space = |b: &u8| *b == b' ' || *b == b'\t';
    let start = value
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

/// Header values: plausible, hostile and malformed (no CR or LF, which would end the header).
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"Unhandled".to_vec()),
        Just(b"Handled".to_vec()),
        Just(b"1".to_vec()),
        Just(b"1e300".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        Just(b"-1".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"$LATEST".to_vec()),
        Just(b"TooManyRequestsException".to_vec()),
        Just(b"ServiceException".to_vec()),
        Just(b"ResourceNotFoundException:http://internal".to_vec()),
        Just(b"c2VjcmV0PWh1bnRlcjI=".to_vec()),
        Just(Vec::new()),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        prop::collection::vec(
            any::<u8>().prop_filter("no line breaks", |b| *b != b'\r' && *b != b'\n'),
            0..40
        ),
        // Bytes HTTP allows in a value that are not UTF-8.
        prop::collection::vec(0x80u8..=0xff, 1..8),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let name = prop_oneof![
        Just("Retry-After"),
        Just("X-Amz-Function-Error"),
        Just("X-Amz-Log-Result"),
        Just("x-amzn-ErrorType"),
        Just("X-Amz-Executed-Version"),
        Just("x-amzn-RequestId"),
        Just("content-type"),
    ];
    prop::collection::vec((name, header_value()), 0..6)
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        Just(br#"{"errorType":"Boom","errorMessage":"m","trace":[]}"#.to_vec()),
        Just(br#"{"errorType":"Other.Error","errorMessage":"m"}"#.to_vec()),
        Just(br#"{"errorMessage":"Task timed out after 3.00 seconds"}"#.to_vec()),
        Just(br#"{"__type":"com.amazon#ServiceException","message":"x"}"#.to_vec()),
        Just(br#"{"Type":"User","message":"Rate","Reason":"CallerRateLimitExceeded"}"#.to_vec()),
        Just(br#"{"a":1}"#.to_vec()),
        Just(b"\"text\"".to_vec()),
        Just(b"null".to_vec()),
        Just(Vec::new()),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    // 1xx are interim answers, not responses: a server that sends only one leaves the call to
    // its timeout, which the stalled framing covers.
    prop_oneof![
        Just(200u16),
        Just(202),
        Just(204),
        Just(400),
        Just(404),
        Just(429),
        Just(500),
        Just(502),
        200u16..600,
    ]
}

fn wire() -> impl Strategy<Value = Wire> {
    let framing = prop_oneof![
        60 => Just(Framing::Exact),
        20 => (1usize..64).prop_map(Framing::Truncated),
        20 => Just(Framing::CloseDelimited),
        1 => (1usize..64).prop_map(Framing::Stalled),
    ];
    (status(), headers(), body(), framing).prop_map(|(status, headers, body, framing)| Wire {
        status,
        headers,
        body,
        framing,
    })
}

/// Which method the case calls.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    /// `-> Value`
    Sync,
    /// `-> String`, with the log tail
    SyncWithTail,
    /// `event`, `-> ()`
    Event,
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        Just(Call::Sync),
        Just(Call::SyncWithTail),
        Just(Call::Event)
    ]
}

fn delivery() -> impl Strategy<Value = Delivery> {
    prop_oneof![Just(Delivery::AtMostOnce), Just(Delivery::AtLeastOnce)]
}

/// What a call returned, whatever its method.
#[derive(Debug, Clone, PartialEq)]
enum Output {
    Value(Value),
    Text(String),
    Unit,
}

/// The class of a service error, as the `InvokeError` table of the guide's typed-errors chapter
/// (`src/guide/typed_errors.md`) names them.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Throttled {
        reason: Option<String>,
        retry_after: Option<Duration>,
    },
    NotFound,
    RequestTooLarge,
    UnsupportedMediaType,
    ServiceFailure,
    Other,
}

/// The outcome a response calls for.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Ok(Output),
    /// The function's error: `errorType` (if the body is an object with one), and whether it
    /// maps onto [`EchoError`].
    Function {
        error_type: Option<String>,
        typed: bool,
    },
    Service {
        status: u16,
        code: Option<String>,
        kind: Kind,
    },
    Deserialize,
    Transport,
    Timeout,
}

/// Whether a failure may be sent again (the guide's delivery chapter, `src/guide/delivery.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resend {
    /// The function did not run: sent again in both modes.
    Safe,
    /// It may have run: sent again only at least once.
    IfIdempotent,
    /// Never sent again.
    Never,
}

impl Resend {
    /// Requests that reach the server with 3 attempts.
    fn requests(self, delivery: Delivery) -> usize {
        match (self, delivery) {
            (Self::Safe, _) | (Self::IfIdempotent, Delivery::AtLeastOnce) => 3,
            _ => 1,
        }
    }
}

/// The service error codes the generated responses can carry, with their class and what
/// they mean for sending again (the delivery table of `src/guide/delivery.md`; the facts
/// page's status table).
/// Any other code is `Other`.
fn code_class(code: &str) -> Option<(Kind, Resend)> {
    match code {
        "ServiceException" => Some((Kind::ServiceFailure, Resend::IfIdempotent)),
        "ResourceNotFoundException" => Some((Kind::NotFound, Resend::Never)),
        _ => None,
    }
}

/// The outcome `wire` calls for, and what the failure means for sending again.
fn oracle(wire: &Wire, call: Call) -> (Outcome, Resend) {
    // HTTP: a value may hold tabs, visible ASCII and bytes from 0x80; any other byte makes
    // the response unreadable. A response that cannot be read would be read the same way
    // again: it is not sent again in either mode (a cut-off one is, at least once).
    let readable = |b: &u8| *b == b'\t' || (0x20..0x7f).contains(b) || *b >= 0x80;
    if wire.headers.iter().any(|(_, v)| !v.iter().all(readable)) {
        return (Outcome::Transport, Resend::Never);
    }
    // The function ran and failed: any non-empty `X-Amz-Function-Error` says so (the facts
    // page: "treat any non-empty value as a function error").
    let function_failed = wire
        .values("X-Amz-Function-Error")
        .iter()
        .any(|v| !v.is_empty());
    // 204 and 304 carry no body, whatever follows the headers.
    let bodyless = matches!(wire.status, 204 | 304);
    let body: &[u8] = if bodyless { &[] } else { &wire.body };
    match wire.framing {
        Framing::Stalled(_) if !bodyless => {
            // The call's timeout bounds the whole call: never sent again.
            return (Outcome::Timeout, Resend::Never);
        }
        Framing::Truncated(_) if !bodyless => {
            let resend = if function_failed {
                Resend::Never
            } else {
                Resend::IfIdempotent
            };
            return (Outcome::Transport, resend);
        }
        _ => {}
    }
    let function_error = || {
        let error_type = json_object(body).and_then(|o| {
            o.get("errorType")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        let typed = error_type.as_deref() == Some("Boom");
        (Outcome::Function { error_type, typed }, Resend::Never)
    };
    if (200..300).contains(&wire.status) {
        // The function ran (or the event was queued).
        if function_failed {
            return function_error();
        }
        // Lambda's headers are single-valued strings: one repeated, or not UTF-8, makes the
        // answer unreadable (the SDK refuses it), and it would be the same again.
        let unreadable = [
            "X-Amz-Function-Error",
            "X-Amz-Executed-Version",
            "X-Amz-Log-Result",
        ]
        .iter()
        .any(|name| {
            let values = wire.values(name);
            values.len() > 1 || values.iter().any(|v| std::str::from_utf8(v).is_err())
        });
        if unreadable {
            return (Outcome::Transport, Resend::Never);
        }
        // The result: the payload for a synchronous call (empty reads as `null`), nothing for
        // an event.
        let payload: &[u8] = if body.is_empty() { b"null" } else { body };
        let outcome = match call {
            Call::Event => Outcome::Ok(Output::Unit),
            Call::Sync => match serde_json::from_slice::<Value>(payload) {
                Ok(value) => Outcome::Ok(Output::Value(value)),
                Err(_) => Outcome::Deserialize,
            },
            Call::SyncWithTail => match serde_json::from_slice::<String>(payload) {
                Ok(text) => Outcome::Ok(Output::Text(text)),
                Err(_) => Outcome::Deserialize,
            },
        };
        return (outcome, Resend::Never);
    }
    // A service error: its code from `x-amzn-ErrorType` (before any `:`), else the body's
    // `code` or `__type` (after any `#`).
    let header_code = wire
        .values("x-amzn-ErrorType")
        .first()
        .and_then(|v| std::str::from_utf8(v).ok())
        .map(|v| v.split(':').next().unwrap_or_default().trim().to_owned())
        .filter(|c| !c.is_empty());
    let code = header_code.or_else(|| {
        let object = json_object(body)?;
        let code = ["code", "__type"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_str))?;
        let code = code.rsplit('#').next().unwrap_or(code);
        Some(code.split(':').next().unwrap_or(code).to_owned())
    });
    // An error object on a 5xx without a code: `cargo lambda watch`'s function error.
    if code.is_none()
        && wire.status >= 500
        && json_object(body)
            .is_some_and(|o| o.contains_key("errorType") || o.contains_key("errorMessage"))
    {
        return function_error();
    }
    let throttled = || {
        let reason = json_object(body)
            .and_then(|o| o.get("Reason").and_then(Value::as_str).map(str::to_owned));
        let retry_after = wire
            .values("Retry-After")
            .first()
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.parse::<f64>().ok())
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok());
        (
            Kind::Throttled {
                reason,
                retry_after,
            },
            Resend::Safe,
        )
    };
    // Without a code, the status decides (the facts page's status table); a web page on a
    // 404 is an endpoint's own (an emulator without the route), which says nothing about
    // the function.
    let by_status = || match wire.status {
        429 => throttled(),
        404 if !body.trim_ascii_start().starts_with(b"<") => (Kind::NotFound, Resend::Never),
        413 => (Kind::RequestTooLarge, Resend::Never),
        415 => (Kind::UnsupportedMediaType, Resend::Never),
        500..=599 => (Kind::Other, Resend::IfIdempotent),
        _ => (Kind::Other, Resend::Never),
    };
    let (kind, resend) = match code.as_deref() {
        Some("TooManyRequestsException") => throttled(),
        Some(known) if code_class(known).is_some() => code_class(known).unwrap(),
        Some(_) => {
            // An unknown code is `Other`; the status says whether it may be sent again (a
            // 5xx may have run the function).
            let resend = match wire.status {
                429 => Resend::Safe,
                500..=599 => Resend::IfIdempotent,
                _ => Resend::Never,
            };
            (Kind::Other, resend)
        }
        None => by_status(),
    };
    let resend = if function_failed {
        Resend::Never
    } else {
        resend
    };
    (
        Outcome::Service {
            status: wire.status,
            code,
            kind,
        },
        resend,
    )
}

fn json_object(body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    serde_json::from_slice(body).ok()
}

/// What the call ended in, as an [`Outcome`].
fn outcome_of(result: &Result<Output, InvokeError<EchoError>>) -> Outcome {
    match result {
        Ok(output) => Outcome::Ok(output.clone()),
        Err(InvokeError::Function { error, failure }) => Outcome::Function {
            error_type: failure.error_type().map(str::to_owned),
            typed: *error == EchoError::Boom,
        },
        Err(InvokeError::UnmappedFunction(failure)) => Outcome::Function {
            error_type: failure.error_type().map(str::to_owned),
            typed: false,
        },
        Err(InvokeError::Service(service)) => Outcome::Service {
            status: service.status(),
            code: service.code().map(str::to_owned),
            kind: match service.kind() {
                ServiceErrorKind::Throttled {
                    reason,
                    retry_after,
                } => Kind::Throttled {
                    reason: reason.as_ref().map(|r| r.as_str().to_owned()),
                    retry_after: *retry_after,
                },
                ServiceErrorKind::NotFound => Kind::NotFound,
                ServiceErrorKind::RequestTooLarge => Kind::RequestTooLarge,
                ServiceErrorKind::UnsupportedMediaType => Kind::UnsupportedMediaType,
                ServiceErrorKind::ServiceFailure => Kind::ServiceFailure,
                ServiceErrorKind::Other => Kind::Other,
                other => panic!("no generated response is {other:?}"),
            },
        },
        Err(InvokeError::Deserialize(_)) => Outcome::Deserialize,
        Err(InvokeError::Transport(_)) => Outcome::Transport,
        Err(InvokeError::Timeout(_)) => Outcome::Timeout,
        Err(other) => panic!("no response ends in {other:?}"),
    }
}

/// Checks one call's result against the oracle: the outcome, the bytes kept, the requests
/// counted and the time taken.
fn check(
    wire: &Wire,
    call: Call,
    delivery: Delivery,
    result: &Result<Output, InvokeError<EchoError>>,
    requests: usize,
) -> Result<(), TestCaseError> {
    let (expected, resend) = oracle(wire, call);
    let got = outcome_of(result);
    prop_assert_eq!(&got, &expected, "the outcome; got {:?}", result);
    prop_assert_eq!(
        requests,
        resend.requests(delivery),
        "requests ({:?}, {:?})",
        delivery,
        resend
    );
    let Err(error) = result else {
        return Ok(());
    };
    // Display and Debug of every error never panic, nor does its source chain.
    let _ = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = format!("{cause} {cause:?}");
        source = cause.source();
    }
    // The bytes of a complete answer travel in the error.
    let body: &[u8] = if matches!(wire.status, 204 | 304) {
        &[]
    } else {
        &wire.body
    };
    match error {
        InvokeError::Deserialize(e) => prop_assert_eq!(e.payload().as_ref(), body),
        InvokeError::Function { failure, .. } | InvokeError::UnmappedFunction(failure) => {
            prop_assert_eq!(failure.object().raw().as_ref(), body)
        }
        InvokeError::Service(service) => prop_assert_eq!(service.body().as_ref(), body),
        _ => {}
    }
    Ok(())
}

/// A loopback server, a client of each delivery mode on it, and the runtime they run on.
struct Bench {
    runtime: tokio::runtime::Runtime,
    server: RawServer,
    clients: [EchoClient; 2],
}

impl Bench {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(RawServer::start(Fault::Close));
        let clients = runtime.block_on(async {
            [Delivery::AtMostOnce, Delivery::AtLeastOnce].map(|delivery| {
                EchoClient::builder(support::sdk_client(&server.url))
                    .delivery(delivery)
                    .build()
                    .unwrap()
            })
        });
        Self {
            runtime,
            server,
            clients,
        }
    }

    /// Answers one call with `wire` and checks it against the oracle; returns the outcome.
    fn case(&self, wire: &Wire, call: Call, delivery: Delivery) -> Result<Outcome, TestCaseError> {
        self.server.reset(wire.fault());
        let client = &self.clients[usize::from(delivery == Delivery::AtLeastOnce)];
        // A call whose answer stalls gets a short timeout of its own, to keep the run short.
        let (timeout, options) = if oracle(wire, call).0 == Outcome::Timeout {
            (STALL_TIMEOUT, CallOptions::new().timeout(STALL_TIMEOUT))
        } else {
            (METHOD_TIMEOUT, CallOptions::new())
        };
        let started = Instant::now();
        let result = self.runtime.block_on(async {
            tokio::time::timeout(timeout + MARGIN, async {
                match call {
                    Call::Sync => client
                        .echo_with(&options, serde_json::json!(1))
                        .await
                        .map(|r| Output::Value(r.output)),
                    Call::SyncWithTail => client
                        .echo_with_tail_with(&options, "x".into())
                        .await
                        .map(|r| Output::Text(r.output)),
                    Call::Event => client
                        .audit_with(&options, serde_json::json!(1))
                        .await
                        .map(|_| Output::Unit),
                }
            })
            .await
        });
        let elapsed = started.elapsed();
        let result = result.map_err(|_| {
            TestCaseError::fail(format!(
                "the call outlived its timeout ({timeout:?}) by more than {MARGIN:?}"
            ))
        })?;
        prop_assert!(
            elapsed <= timeout + MARGIN,
            "took {:?}, more than {:?} + {:?}",
            elapsed,
            timeout,
            MARGIN
        );
        check(wire, call, delivery, &result, self.server.requests())?;
        Ok(outcome_of(&result))
    }
}

#[test]
fn every_response_ends_in_the_outcome_it_calls_for() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let bench = Bench::new();
    let reached = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&(wire(), call(), delivery()), |(wire, call, delivery)| {
            let class = match bench.case(&wire, call, delivery)? {
                Outcome::Ok(_) => "ok",
                Outcome::Function { typed: true, .. } => "typed function error",
                Outcome::Function { typed: false, .. } => "unmapped function error",
                Outcome::Service { .. } => "service error",
                Outcome::Deserialize => "deserialize",
                Outcome::Transport => "transport",
                Outcome::Timeout => "timeout",
            };
            *reached.borrow_mut().entry(class).or_default() += 1;
            Ok(())
        })
        .unwrap();
    // The cases reach every outcome, so that each check above was exercised.
    let reached = reached.into_inner();
    for class in [
        "ok",
        "typed function error",
        "unmapped function error",
        "service error",
        "deserialize",
        "transport",
        "timeout",
    ] {
        assert!(
            reached.contains_key(class),
            "no case ended in {class}: {reached:?}"
        );
    }
}

/// Answers that no real Lambda sends but a broken proxy or emulator may, written out with
/// the outcome and the requests (at most once, at least once) each must end in — the oracle
/// is checked against them too.
#[test]
fn malformed_answers_end_as_written_here() {
    let header = |name: &'static str, value: &[u8]| (name, value.to_vec());
    let wire = |status, headers: Vec<(&'static str, Vec<u8>)>, body: &[u8], framing| Wire {
        status,
        headers,
        body: body.to_vec(),
        framing,
    };
    let throttled = |reason: Option<&str>| Outcome::Service {
        status: 429,
        code: None,
        kind: Kind::Throttled {
            reason: reason.map(str::to_owned),
            retry_after: None,
        },
    };
    let unmapped = |error_type: Option<&str>| Outcome::Function {
        error_type: error_type.map(str::to_owned),
        typed: false,
    };
    let error_object = br#"{"errorType":"Other.Error","errorMessage":"m"}"#;
    let cases: Vec<(&str, Wire, Outcome, [usize; 2])> = vec![
        (
            "a 200 with X-Amz-Executed-Version twice: the function ran, the answer is \
             unreadable, whatever x-amzn-ErrorType says",
            wire(
                200,
                vec![
                    header("X-Amz-Executed-Version", b"1"),
                    header("X-Amz-Executed-Version", b"2"),
                    header("x-amzn-ErrorType", b"TooManyRequestsException"),
                ],
                b"1",
                Framing::Exact,
            ),
            Outcome::Transport,
            [1, 1],
        ),
        (
            "a 200 with X-Amz-Function-Error twice: the function's error",
            wire(
                200,
                vec![
                    header("X-Amz-Function-Error", b"Unhandled"),
                    header("X-Amz-Function-Error", b"Handled"),
                ],
                error_object,
                Framing::Exact,
            ),
            unmapped(Some("Other.Error")),
            [1, 1],
        ),
        (
            "a 200 whose X-Amz-Function-Error is not UTF-8: the function's error",
            wire(
                200,
                vec![header("X-Amz-Function-Error", b"\xff\xfe")],
                error_object,
                Framing::Exact,
            ),
            unmapped(Some("Other.Error")),
            [1, 1],
        ),
        (
            "a 500 whose X-Amz-Function-Error is not UTF-8: never sent again",
            wire(
                500,
                vec![header("X-Amz-Function-Error", b"\xff")],
                b"oops",
                Framing::Exact,
            ),
            Outcome::Service {
                status: 500,
                code: None,
                kind: Kind::Other,
            },
            [1, 1],
        ),
        (
            "a 200 cut off whose second X-Amz-Function-Error says it failed",
            wire(
                200,
                vec![
                    header("X-Amz-Function-Error", b""),
                    header("X-Amz-Function-Error", b"Unhandled"),
                ],
                error_object,
                Framing::Truncated(10),
            ),
            Outcome::Transport,
            [1, 1],
        ),
        (
            "a 429 with an empty x-amzn-ErrorType: throttled by its status",
            wire(
                429,
                vec![header("x-amzn-ErrorType", b"")],
                br#"{"Type":"User","message":"Rate","Reason":"CallerRateLimitExceeded"}"#,
                Framing::Exact,
            ),
            throttled(Some("CallerRateLimitExceeded")),
            [3, 3],
        ),
        (
            "a 429 without a code whose body is an error object: throttled, sent again",
            wire(429, vec![], error_object, Framing::Exact),
            throttled(None),
            [3, 3],
        ),
        (
            "a 502 without a code whose body is an error object: the emulator's function error",
            wire(502, vec![], error_object, Framing::Exact),
            unmapped(Some("Other.Error")),
            [1, 1],
        ),
        (
            "a header value with a control byte: not HTTP, not sent again",
            wire(
                200,
                vec![header("X-Amz-Log-Result", b"a\x01b")],
                b"1",
                Framing::Exact,
            ),
            Outcome::Transport,
            [1, 1],
        ),
    ];
    let bench = Bench::new();
    for (what, wire, expected, requests) in cases {
        for (delivery, requests) in [Delivery::AtMostOnce, Delivery::AtLeastOnce]
            .into_iter()
            .zip(requests)
        {
            let (outcome, resend) = oracle(&wire, Call::Sync);
            assert_eq!(outcome, expected, "{what}: the oracle");
            assert_eq!(resend.requests(delivery), requests, "{what}: the oracle");
            let got = bench
                .case(&wire, Call::Sync, delivery)
                .unwrap_or_else(|e| panic!("{what}, {delivery:?}: {e}"));
            assert_eq!(got, expected, "{what}, {delivery:?}");
        }
    }
}
