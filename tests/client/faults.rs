//! The fault matrix (FAULTS.md) and the guide's delivery table (`src/guide/delivery.md`): functions
//! on the local endpoint count their runs where they run, a proxy between them and the client
//! spoils answers on purpose (after the function ran, or after its event was queued), the endpoint
//! raises service errors before the function runs, and the generated client, through the real SDK,
//! returns the documented typed error and keeps the raw bytes. Each test asserts exactly how many
//! requests reached the proxy and how many times the function ran, for synchronous, `event` and
//! `dry_run` methods under both delivery modes. The SDK makes at most 3 attempts (1–5 ms backoff)
//! with a retry quota of its own, so every count below is exact.

use crate::support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use bytes::Bytes;
use lambda_remote::ErrorObject;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::timeout::TimeoutConfig;
use lambda_remote::local::{Flavor, LocalLambda, ServiceError};
use lambda_remote::{
    Delivery, InvokeError,
    error::{Redelivery, ServiceErrorKind, ThrottleReason},
    lambda_remote,
};
use support::proxy::{Counted, Fault};
use support::raw::response;

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;

    #[lambda(function = "echo", timeout = "1s")]
    async fn echo_quickly(
        &self,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, InvokeError>;

    #[lambda(function = "audit", invocation = "event")]
    async fn audit(&self, value: serde_json::Value) -> Result<(), InvokeError>;

    #[lambda(function = "echo", delivery = "at_least_once")]
    async fn idempotent_echo(
        &self,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, InvokeError>;

    #[lambda(function = "audit", invocation = "dry_run")]
    async fn check_audit(&self) -> Result<(), InvokeError>;
}

const BOTH: [Delivery; 2] = [Delivery::AtMostOnce, Delivery::AtLeastOnce];

/// The three invocation types, as the three kinds of method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    /// `RequestResponse` (`echo`).
    Sync,
    /// `Event` (`audit`).
    Event,
    /// `DryRun` (`check_audit`).
    DryRun,
}

const CALLS: [Call; 3] = [Call::Sync, Call::Event, Call::DryRun];

impl Call {
    fn function(self) -> &'static str {
        match self {
            Self::Sync => "echo",
            Self::Event | Self::DryRun => "audit",
        }
    }

    async fn on(self, client: &EchoClient) -> Result<(), InvokeError> {
        let value = serde_json::json!({"n": 1});
        match self {
            Self::Sync => client.echo(value).await.map(drop),
            Self::Event => client.audit(value).await,
            Self::DryRun => client.check_audit().await,
        }
    }

    /// Requests and runs for a failure that may follow the run: sent once at most once and 3
    /// times at least once, each one running the function (or queueing its event); a dry run
    /// runs nothing and is always sent again.
    fn after_a_run(self, delivery: Delivery) -> (usize, usize) {
        match (self, delivery) {
            (Self::DryRun, _) => (3, 0),
            (_, Delivery::AtMostOnce) => (1, 1),
            _ => (3, 3),
        }
    }
}

fn client(url: &str, delivery: Delivery) -> EchoClient {
    EchoClient::builder(support::sdk_client(url))
        .delivery(delivery)
        .build()
        .unwrap()
}

/// `echo` answers its payload, `audit` too (an event's result goes nowhere); both count.
async fn functions() -> Counted {
    Counted::start(&["echo", "audit"], |invocation| {
        let payload = Bytes::copy_from_slice(invocation.payload());
        async move { Ok(payload) }
    })
    .await
}

/// Functions that fail with `error` on every run.
async fn failing(error: serde_json::Value) -> Counted {
    Counted::start(&["echo"], move |_| {
        let error = ErrorObject::from_json(error.clone());
        async move { Err(error) }
    })
    .await
}

/// One `call` under `delivery` through the proxy doing `fault`: the error, then requests and
/// runs.
async fn spoiled(fault: Fault, call: Call, delivery: Delivery) -> (InvokeError, (usize, usize)) {
    let functions = functions().await;
    functions.proxy.fault(fault);
    let error = call
        .on(&client(&functions.url(), delivery))
        .await
        .expect_err("the call fails");
    (error, functions.counts().await)
}

/// One `call` under `delivery` while the endpoint answers `fault` before running anything
/// (queued 3 times: a call sent again meets it again).
async fn before_the_run(
    fault: ServiceError,
    call: Call,
    delivery: Delivery,
) -> (InvokeError, (usize, usize)) {
    let functions = functions().await;
    for _ in 0..3 {
        functions
            .lambda
            .fail_next_with(call.function(), fault.clone());
    }
    let error = call
        .on(&client(&functions.url(), delivery))
        .await
        .expect_err("the call fails");
    (error, functions.counts().await)
}

/// A service error as AWS encodes it, as a whole response.
fn service_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({"Type": "Service", "message": message}).to_string();
    response(
        status,
        &[
            ("x-amzn-ErrorType", code),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
        body.len(),
    )
}

/// The body of a whole response built by [`response`].
fn body_of(response: &[u8]) -> &[u8] {
    let head = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    &response[head..]
}

#[tokio::test]
async fn throttling_is_retried_in_every_mode_and_never_runs_the_function() {
    for reason in [
        "ConcurrentInvocationLimitExceeded",
        "FunctionInvocationRateLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "ReservedFunctionInvocationRateLimitExceeded",
        "CallerRateLimitExceeded",
        "ConcurrentSnapshotCreateLimitExceeded",
    ] {
        for call in CALLS {
            for delivery in BOTH {
                let (error, seen) =
                    before_the_run(ServiceError::too_many_requests(reason), call, delivery).await;
                let service = error.service_error().expect("a service error");
                assert_eq!(
                    service.kind(),
                    &ServiceErrorKind::Throttled {
                        reason: Some(ThrottleReason::from(reason)),
                        retry_after: Some(Duration::from_secs(1)),
                    }
                );
                let body: serde_json::Value = serde_json::from_slice(service.body()).unwrap();
                assert_eq!(
                    body,
                    serde_json::json!({"Type": "User", "message": "Rate Exceeded.", "Reason": reason})
                );
                assert_eq!(error.redelivery(), Redelivery::Safe);
                assert_eq!(seen, (3, 0), "{reason} {call:?} {delivery}");
            }
        }
    }
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_duration_is_distrusted_not_a_panic() {
    for value in ["1e300", "18446744073709551616", "-5", "NaN", "soon"] {
        let fault = ServiceError::new(429, "TooManyRequestsException", "slow down")
            .with_header("Retry-After", value);
        let (error, seen) = before_the_run(fault, Call::Sync, Delivery::AtMostOnce).await;
        assert_eq!(
            error.service_error().unwrap().kind(),
            &ServiceErrorKind::Throttled {
                reason: None,
                retry_after: None
            },
            "{value}"
        );
        assert_eq!(seen, (3, 0), "{value}");
    }
}

#[tokio::test]
async fn passing_states_raised_before_the_function_runs_are_retried_in_every_mode() {
    for (status, code, kind) in [
        (
            409,
            "SnapStartNotReadyException",
            ServiceErrorKind::NotReady,
        ),
        (502, "ResourceNotReadyException", ServiceErrorKind::NotReady),
        (502, "ENINotReadyException", ServiceErrorKind::NotReady),
        (502, "EC2ThrottledException", ServiceErrorKind::SetupFailed),
        (
            408,
            "EFSMountTimeoutException",
            ServiceErrorKind::SetupFailed,
        ),
        (
            408,
            "SnapStartTimeoutException",
            ServiceErrorKind::SetupFailed,
        ),
        (409, "ResourceConflictException", ServiceErrorKind::Conflict),
        (
            409,
            "CodeArtifactUserPendingException",
            ServiceErrorKind::NotReady,
        ),
        (502, "EC2UnexpectedException", ServiceErrorKind::SetupFailed),
        (
            408,
            "EFSMountConnectivityException",
            ServiceErrorKind::SetupFailed,
        ),
        (
            408,
            "S3FilesMountConnectivityException",
            ServiceErrorKind::SetupFailed,
        ),
        (
            408,
            "S3FilesMountTimeoutException",
            ServiceErrorKind::SetupFailed,
        ),
    ] {
        for call in CALLS {
            for delivery in BOTH {
                let fault = ServiceError::new(status, code, "wait");
                let (error, seen) = before_the_run(fault, call, delivery).await;
                assert_eq!(error.service_error().unwrap().kind(), &kind, "{code}");
                assert_eq!(error.redelivery(), Redelivery::Safe, "{code}");
                assert_eq!(seen, (3, 0), "{code} {call:?} {delivery}");
            }
        }
    }
}

#[tokio::test]
async fn failures_after_the_run_are_retried_only_at_least_once() {
    // The function ran (or its event was queued), then the service or a gateway failed.
    let cases = [
        (
            service_error("500 Internal Server Error", "ServiceException", "internal"),
            ServiceErrorKind::ServiceFailure,
        ),
        (
            service_error("410 Gone", "EFSIOException", "io"),
            ServiceErrorKind::ServiceFailure,
        ),
        (
            response(
                "500 Internal Server Error",
                &[],
                b"<html>Internal</html>",
                21,
            ),
            ServiceErrorKind::Other,
        ),
        (
            response("502 Bad Gateway", &[], b"<html>Bad Gateway</html>", 24),
            ServiceErrorKind::Other,
        ),
        (
            response(
                "503 Service Unavailable",
                &[],
                b"<html>Unavailable</html>",
                24,
            ),
            ServiceErrorKind::Other,
        ),
        (
            response(
                "504 Gateway Timeout",
                &[],
                b"<html>Gateway Timeout</html>",
                28,
            ),
            ServiceErrorKind::Other,
        ),
    ];
    for (answer, kind) in cases {
        for call in CALLS {
            for delivery in BOTH {
                let (error, seen) = spoiled(Fault::Replace(answer.clone()), call, delivery).await;
                let service = error.service_error().expect("a service error");
                assert_eq!(service.kind(), &kind);
                assert_eq!(service.body().as_ref(), body_of(&answer));
                assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
                assert_eq!(
                    seen,
                    call.after_a_run(delivery),
                    "{} {call:?} {delivery}",
                    service.status()
                );
            }
        }
    }
}

#[tokio::test]
async fn failures_that_cannot_go_away_are_never_retried() {
    for (status, code, kind) in [
        (
            502,
            "KMSAccessDeniedException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            502,
            "InvalidZipFileException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            502,
            "ENILimitReachedException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            502,
            "EC2AccessDeniedException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            502,
            "SubnetIPAddressLimitReachedException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            400,
            "SnapStartException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (
            400,
            "RecursiveInvocationException",
            ServiceErrorKind::RecursiveInvocation,
        ),
        (404, "ResourceNotFoundException", ServiceErrorKind::NotFound),
        (
            400,
            "InvalidParameterValueException",
            ServiceErrorKind::InvalidParameterValue,
        ),
        (
            400,
            "InvalidRequestContentException",
            ServiceErrorKind::InvalidRequestContent,
        ),
        (
            402,
            "ServiceQuotaExceededException",
            ServiceErrorKind::QuotaExceeded,
        ),
        (400, "BrandNewFutureException", ServiceErrorKind::Other),
    ] {
        for call in CALLS {
            for delivery in BOTH {
                let fault = ServiceError::new(status, code, "m");
                let (error, seen) = before_the_run(fault, call, delivery).await;
                let service = error.service_error().unwrap();
                assert_eq!(service.kind(), &kind, "{code}");
                assert_eq!(service.code(), Some(code));
                assert_eq!(service.message(), Some("m"));
                assert_eq!(error.redelivery(), Redelivery::Never);
                assert_eq!(seen, (1, 0), "{code} {call:?} {delivery}");
            }
        }
    }
    // A code only in the body's `__type`, answered by the proxy: nothing reached the endpoint.
    let odd = response(
        "400 Bad Request",
        &[],
        br#"{"__type":"com.amazonaws#OddException","Message":"m"}"#,
        53,
    );
    let (error, seen) = spoiled(Fault::Answer(odd), Call::Sync, Delivery::AtMostOnce).await;
    assert_eq!(error.service_error().unwrap().code(), Some("OddException"));
    assert_eq!(seen, (1, 0));
}

#[tokio::test]
async fn a_reset_after_the_request_was_written_is_sent_again_only_at_least_once() {
    for call in CALLS {
        for delivery in BOTH {
            let (error, seen) = spoiled(Fault::Close, call, delivery).await;
            assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
            assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
            assert!(std::error::Error::source(&error).is_some());
            assert_eq!(seen, call.after_a_run(delivery), "{call:?} {delivery}");
        }
    }
}

#[tokio::test]
async fn the_call_option_wins_over_the_method_attribute_which_wins_over_the_client() {
    let functions = functions().await;
    functions.proxy.fault(Fault::Close);
    let default_client = client(&functions.url(), Delivery::AtMostOnce);
    let json = serde_json::json!(1);
    let cases: [(&str, Option<Delivery>, bool, usize); 5] = [
        ("client default", None, false, 1),
        ("method attribute", None, true, 3),
        (
            "call option over the method",
            Some(Delivery::AtMostOnce),
            true,
            1,
        ),
        (
            "call option over the client",
            Some(Delivery::AtLeastOnce),
            false,
            3,
        ),
        (
            "call option as the client",
            Some(Delivery::AtMostOnce),
            false,
            1,
        ),
    ];
    for (what, option, idempotent_method, expected) in cases {
        let before = functions.counts().await;
        let options = match option {
            Some(delivery) => lambda_remote::CallOptions::new().delivery(delivery),
            None => lambda_remote::CallOptions::new(),
        };
        let error = if idempotent_method {
            default_client
                .idempotent_echo_with(&options, json.clone())
                .await
        } else {
            default_client.echo_with(&options, json.clone()).await
        }
        .unwrap_err();
        assert!(
            matches!(error, InvokeError::Transport(_)),
            "{what}: {error:?}"
        );
        let after = functions.counts().await;
        assert_eq!(
            (after.0 - before.0, after.1 - before.1),
            (expected, expected),
            "{what}"
        );
    }
    // A dry run runs no function: it is sent again on any transient failure.
    let before = functions.counts().await;
    default_client.check_audit().await.unwrap_err();
    let after = functions.counts().await;
    assert_eq!((after.0 - before.0, after.1 - before.1), (3, 0), "dry run");
}

#[tokio::test]
async fn a_cut_off_answer_is_sent_again_only_at_least_once() {
    // The 200's head and half its body; the 202's and the 204's (empty bodies) half their head.
    for call in CALLS {
        for delivery in BOTH {
            let (error, seen) = spoiled(Fault::Cut, call, delivery).await;
            let InvokeError::Transport(transport) = &error else {
                panic!("{call:?}: {error:?}")
            };
            assert_eq!(transport.redelivery(), Redelivery::IfIdempotent);
            assert_eq!(seen, call.after_a_run(delivery), "{call:?} {delivery}");
        }
    }
}

#[tokio::test]
async fn a_cut_off_function_error_is_never_sent_again() {
    for delivery in BOTH {
        let functions =
            failing(serde_json::json!({"errorType": "Boom", "errorMessage": "no"})).await;
        functions.proxy.fault(Fault::Cut);
        let error = Call::Sync
            .on(&client(&functions.url(), delivery))
            .await
            .unwrap_err();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(error.redelivery(), Redelivery::Never, "{delivery}");
        assert_eq!(
            functions.counts().await,
            (1, 1),
            "{delivery}: the function ran and failed"
        );
    }
}

#[tokio::test]
async fn an_expired_attempt_timeout_is_sent_again_only_at_least_once() {
    // The six cases at once: a 1 s attempt timeout leaves each request ample time to reach
    // the function before its attempt expires, even on a busy machine.
    let cases = CALLS
        .into_iter()
        .flat_map(|call| BOTH.map(|delivery| (call, delivery)))
        .map(|(call, delivery)| async move {
            let functions = functions().await;
            functions.proxy.fault(Fault::Stall(Duration::from_secs(5)));
            let client = EchoClient::builder(functions.sdk())
                .delivery(delivery)
                .timeout_config(
                    TimeoutConfig::builder()
                        .operation_attempt_timeout(Duration::from_secs(1))
                        .build(),
                )
                .build()
                .unwrap();
            let error = call.on(&client).await.unwrap_err();
            assert!(error.is_timeout(), "{error:?}");
            assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
            assert_eq!(
                functions.counts().await,
                call.after_a_run(delivery),
                "{call:?} {delivery}"
            );
        });
    futures_util::future::join_all(cases).await;
}

#[tokio::test]
async fn a_method_timeout_bounds_the_whole_call() {
    for delivery in BOTH {
        let functions = functions().await;
        functions.proxy.fault(Fault::Stall(Duration::from_secs(5)));
        let error = client(&functions.url(), delivery)
            .echo_quickly(serde_json::json!(1))
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(functions.counts().await, (1, 1), "{delivery}");
    }
}

/// A resolver of the test's own: `lambda.test` is 127.0.0.1 when `resolves`, and no name
/// resolves otherwise. Nothing is asked of any DNS server.
#[derive(Debug, Clone)]
struct TestResolver {
    resolves: bool,
}

impl ResolveDns for TestResolver {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        let answer = if self.resolves && name == "lambda.test" {
            Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)])
        } else {
            Err(ResolveDnsError::new(format!("{name}: no such name")))
        };
        DnsFuture::ready(answer)
    }
}

/// An SDK client for `url` whose names `resolver` resolves, counting its attempts.
fn resolving_client(
    url: &str,
    resolver: TestResolver,
) -> (aws_sdk_lambda::Client, support::Attempts) {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .build_with_resolver(resolver);
    let attempts = support::Attempts::default();
    let config = support::sdk_config(url)
        .http_client(http)
        .interceptor(attempts.clone())
        .build();
    (aws_sdk_lambda::Client::from_conf(config), attempts)
}

/// A loopback listener that never accepts, its backlog full: a connection to it is never
/// opened (its SYN goes unanswered). The filling connections are kept with it.
fn full_backlog() -> (
    std::net::SocketAddr,
    Vec<std::net::TcpStream>,
    tokio::net::TcpListener,
) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut filling = Vec::new();
    for _ in 0..64 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => filling.push(stream),
            Err(_) => return (addr, filling, listener),
        }
    }
    panic!("the backlog never filled up");
}

/// A loopback listener that accepts TCP connections and closes each at once, before any TLS
/// handshake completes; it counts them.
async fn closes_at_once() -> (SocketAddr, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    (addr, accepted)
}

#[tokio::test]
async fn a_connection_never_opened_is_retried_in_every_mode_and_runs_nothing() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (never_accepted, _filling, _listener) = full_backlog();
    let (tls_refused, handshakes) = closes_at_once().await;
    for call in CALLS {
        for delivery in BOTH {
            // The functions exist and count; no connection to them is ever opened.
            let functions = functions().await;
            let port = functions.proxy.url.rsplit(':').next().unwrap().to_owned();
            // The operation timeout only guards against a hang should a connection open.
            let connect_timeout = TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(200))
                .operation_timeout(Duration::from_secs(10))
                .build();
            let unreachable = [
                (
                    "refused",
                    support::counting_sdk_client(&format!("http://{refused}")),
                ),
                ("connect timeout", {
                    let attempts = support::Attempts::default();
                    let config = support::sdk_config(&format!("http://{never_accepted}"))
                        .timeout_config(connect_timeout)
                        .interceptor(attempts.clone())
                        .build();
                    (aws_sdk_lambda::Client::from_conf(config), attempts)
                }),
                (
                    "name not resolved",
                    resolving_client(
                        &format!("http://lambda.test:{port}"),
                        TestResolver { resolves: false },
                    ),
                ),
                (
                    "TLS handshake failed",
                    support::counting_sdk_client(&format!("https://{tls_refused}")),
                ),
            ];
            let handshakes_before = handshakes.load(std::sync::atomic::Ordering::SeqCst);
            for (what, (sdk, attempts)) in unreachable {
                let client = EchoClient::builder(sdk).delivery(delivery).build().unwrap();
                let error = call.on(&client).await.unwrap_err();
                if what == "connect timeout" {
                    assert!(error.is_timeout(), "{what}: {error:?}");
                } else {
                    assert!(
                        matches!(error, InvokeError::Transport(_)),
                        "{what}: {error:?}"
                    );
                }
                assert_eq!(
                    error.redelivery(),
                    Redelivery::Safe,
                    "{what} {call:?} {delivery}: {error:?}"
                );
                assert_eq!(
                    (attempts.get(), functions.counts().await),
                    (3, (0, 0)),
                    "{what} {call:?} {delivery}: 3 attempts, no request, no run"
                );
            }
            assert_eq!(
                handshakes.load(std::sync::atomic::Ordering::SeqCst) - handshakes_before,
                3,
                "{call:?} {delivery}: 3 TLS handshakes began"
            );
            // The same name, resolved by the same kind of resolver, reaches the functions.
            let (sdk, attempts) = resolving_client(
                &format!("http://lambda.test:{port}"),
                TestResolver { resolves: true },
            );
            let client = EchoClient::builder(sdk).delivery(delivery).build().unwrap();
            call.on(&client).await.unwrap();
            let runs = usize::from(call != Call::DryRun);
            assert_eq!((attempts.get(), functions.counts().await), (1, (1, runs)));
        }
    }
}

#[tokio::test]
async fn a_slow_function_is_not_cut_short_by_default() {
    // Longer than the 3.1 s connect timeout: no attempt timeout applies by default.
    let functions = Counted::start_on(
        LocalLambda::builder(),
        &["echo"],
        |function| function.timeout(Duration::from_secs(10)),
        |_| async {
            tokio::time::sleep(Duration::from_millis(3500)).await;
            Ok(Bytes::from_static(b"\"done\""))
        },
    )
    .await;
    let value = client(&functions.url(), Delivery::AtMostOnce)
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value, "done");
    assert_eq!(functions.counts().await, (1, 1));
}

#[tokio::test]
async fn invalid_json_and_non_utf8_results_keep_their_bytes() {
    for body in [&b"{not json"[..], b"\xff\xfe\x00binary", b"[1,2"] {
        for delivery in BOTH {
            let functions =
                Counted::start(
                    &["echo"],
                    move |_| async move { Ok(Bytes::from_static(body)) },
                )
                .await;
            let error = Call::Sync
                .on(&client(&functions.url(), delivery))
                .await
                .unwrap_err();
            match &error {
                InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), body),
                other => panic!("unexpected {other:?}"),
            }
            assert_eq!(functions.counts().await, (1, 1));
        }
    }
}

#[tokio::test]
async fn a_huge_result_is_decoded_without_loss() {
    let big = "x".repeat(7 * 1024 * 1024);
    let body = Bytes::from(serde_json::to_vec(&big).unwrap());
    let limits = lambda_remote::client::Limits::default().with_sync_payload(8 * 1024 * 1024);
    let functions = Counted::start_on(
        LocalLambda::builder().limits(limits),
        &["echo"],
        |function| function,
        move |_| {
            let body = body.clone();
            async move { Ok(body) }
        },
    )
    .await;
    let value = client(&functions.url(), Delivery::AtMostOnce)
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value.as_str().map(str::len), Some(big.len()));
    assert_eq!(functions.counts().await, (1, 1));
}

#[tokio::test]
async fn odd_error_objects_are_unmapped_function_errors_with_their_bytes() {
    // The function fails with these objects; the last two are not JSON, so the proxy puts
    // them in place of the object the function failed with.
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        (
            r#"{"errorMessage":"Task timed out after 3.00 seconds"}"#,
            None,
            Some("Task timed out after 3.00 seconds"),
        ),
        (
            r#"{"errorType":"Runtime.ExitError"}"#,
            Some("Runtime.ExitError"),
            None,
        ),
        (r#""a bare string""#, None, None),
        (r#"[1,2,3]"#, None, None),
        ("not json \u{1F980}", None, None),
        ("", None, None),
    ];
    for (body, error_type, message) in cases {
        for delivery in BOTH {
            let functions = match serde_json::from_str(body) {
                Ok(object) => failing(object).await,
                Err(_) => {
                    let functions = failing(serde_json::json!({"errorType": "E"})).await;
                    functions.proxy.fault(Fault::Body(body.as_bytes().to_vec()));
                    functions
                }
            };
            let error = Call::Sync
                .on(&client(&functions.url(), delivery))
                .await
                .unwrap_err();
            let failure = error
                .failure()
                .unwrap_or_else(|| panic!("{body}: {error:?}"));
            assert_eq!(failure.error_type(), *error_type);
            assert_eq!(failure.error_message(), *message);
            assert_eq!(failure.object().raw().as_ref(), body.as_bytes());
            assert_eq!(error.redelivery(), Redelivery::Never);
            assert_eq!(
                functions.counts().await,
                (1, 1),
                "{body} {delivery}: function errors are never retried"
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_function_error_value_is_kept() {
    let functions = failing(serde_json::json!({"errorType": "E", "errorMessage": "m"})).await;
    functions
        .proxy
        .fault(Fault::Header("X-Amz-Function-Error", "SomethingNew"));
    let error = Call::Sync
        .on(&client(&functions.url(), Delivery::AtLeastOnce))
        .await
        .unwrap_err();
    assert_eq!(
        error.failure().unwrap().error_header(),
        Some("SomethingNew")
    );
    assert_eq!(functions.counts().await, (1, 1));
}

#[tokio::test]
async fn a_function_error_on_any_5xx_from_an_emulator_is_never_retried() {
    // `cargo lambda watch` answers a function error with 500 and the error object; the
    // proxy makes that a 502 for the second case.
    for status in [None, Some("502 Bad Gateway")] {
        for delivery in BOTH {
            let functions = Counted::start_on(
                LocalLambda::builder().flavor(Flavor::CargoLambda),
                &["echo"],
                |function| function,
                |_| async { Err(ErrorObject::new("E", "m")) },
            )
            .await;
            if let Some(status) = status {
                functions.proxy.fault(Fault::Status(status));
            }
            let error = Call::Sync
                .on(&client(&functions.url(), delivery))
                .await
                .unwrap_err();
            assert!(error.is_function_error(), "{status:?}: {error:?}");
            assert_eq!(
                error.failure().unwrap().object().raw().as_ref(),
                br#"{"errorType":"E","errorMessage":"m"}"#
            );
            assert_eq!(functions.counts().await, (1, 1), "{status:?} {delivery}");
        }
    }
}
