//! No panic on any response: the whole response path — the real SDK, real loopback HTTP, the
//! generated client — is driven with arbitrary status codes, arbitrary and malformed Lambda
//! headers, arbitrary bodies and truncations. Every call ends in `Ok` or a typed
//! `InvokeError`, within its timeout, with the raw bytes kept.
//!
//! `PROPTEST_CASES` sets the number of cases (2,000 by default; FAULTS.md gives a long run).

mod support;

use std::time::Duration;

use lambda_remote::{lambda_remote, Delivery, InvokeError};
use proptest::prelude::*;
use support::raw::{Fault, RawServer};

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo", timeout = "2s")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;

    #[lambda(function = "echo", timeout = "2s", log = "tail")]
    async fn echo_with_tail(&self, value: String) -> Result<String, InvokeError>;

    #[lambda(function = "audit", invocation = "event", timeout = "2s")]
    async fn audit(&self, value: serde_json::Value) -> Result<(), InvokeError>;
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
}

impl Wire {
    fn complete(&self) -> bool {
        !matches!(self.framing, Framing::Truncated(_))
    }

    /// The body HTTP delivers: none for 204 and 304, whatever follows the headers.
    fn delivered_body(&self) -> &[u8] {
        match self.status {
            204 | 304 => &[],
            _ => &self.body,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", self.status).into_bytes();
        match self.framing {
            Framing::Exact => {
                out.extend(format!("content-length: {}\r\n", self.body.len()).bytes())
            }
            Framing::Truncated(extra) => {
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
    // its timeout, which the attempt-timeout rows of the fault matrix cover.
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
        3 => Just(Framing::Exact),
        1 => (1usize..64).prop_map(Framing::Truncated),
        1 => Just(Framing::CloseDelimited),
    ];
    (status(), headers(), body(), framing).prop_map(|(status, headers, body, framing)| Wire {
        status,
        headers,
        body,
        framing,
    })
}

/// Which method the case calls.
#[derive(Debug, Clone, Copy)]
enum Call {
    Sync,
    SyncWithTail,
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

/// Checks that whatever the call returned keeps the raw bytes it could not use.
fn check(wire: &Wire, call: Call, result: Result<(), InvokeError>) -> Result<(), TestCaseError> {
    let Err(error) = result else {
        return Ok(());
    };
    // Display and Debug of every error never panic, nor does its source chain.
    let _ = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let _ = format!("{cause} {cause:?}");
        source = cause.source();
    }
    if !wire.complete() {
        return Ok(());
    }
    match &error {
        InvokeError::Deserialize(e) => {
            prop_assert!(matches!(call, Call::Sync | Call::SyncWithTail));
            prop_assert_eq!(e.payload().as_ref(), wire.delivered_body());
        }
        InvokeError::UnmappedFunction(failure) => {
            prop_assert_eq!(failure.object().raw().as_ref(), wire.delivered_body());
        }
        InvokeError::Service(service) => {
            prop_assert_eq!(service.status(), wire.status);
            prop_assert_eq!(service.body().as_ref(), wire.delivered_body());
        }
        _ => {}
    }
    Ok(())
}

#[test]
fn any_response_ends_in_ok_or_a_typed_error_within_the_timeout() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
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
    let reached = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&(wire(), call(), delivery()), |(wire, call, delivery)| {
            server.reset(Fault::Write(wire.bytes()));
            let client = &clients[usize::from(delivery == Delivery::AtLeastOnce)];
            let outcome = runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(8), async {
                    match call {
                        Call::Sync => client.echo(serde_json::json!(1)).await.map(drop),
                        Call::SyncWithTail => client.echo_with_tail("x".into()).await.map(drop),
                        Call::Event => client.audit(serde_json::json!(1)).await,
                    }
                })
                .await
            });
            let result =
                outcome.map_err(|_| TestCaseError::fail("the call outlived its timeout"))?;
            let class = match &result {
                Ok(()) => "ok",
                Err(InvokeError::UnmappedFunction(_)) => "function error",
                Err(InvokeError::Service(_)) => "service error",
                Err(InvokeError::Transport(_)) => "transport",
                Err(InvokeError::Deserialize(_)) => "deserialize",
                Err(_) => "other",
            };
            *reached.borrow_mut().entry(class).or_default() += 1;
            prop_assert!(server.requests() <= 3, "{} requests", server.requests());
            check(&wire, call, result)
        })
        .unwrap();
    // The cases reach every outcome, so that each check above was exercised.
    let reached = reached.into_inner();
    for class in [
        "ok",
        "function error",
        "service error",
        "transport",
        "deserialize",
    ] {
        assert!(
            reached.contains_key(class),
            "no case ended in {class}: {reached:?}"
        );
    }
}
