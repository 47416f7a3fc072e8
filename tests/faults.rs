//! The fault matrix (FAULTS.md): a loopback server misbehaves on purpose and the generated
//! client, through the real SDK, returns the documented typed error, keeps the raw bytes, and
//! reaches the server — and runs the function — exactly the documented number of times, under
//! both delivery modes. The SDK makes at most 3 attempts (1–5 ms backoff) with a retry quota
//! of its own, so every count below is exact.

mod support;

use std::time::Duration;

use lambda_remote::aws_sdk_lambda::config::timeout::TimeoutConfig;
use lambda_remote::{
    lambda_remote, Delivery, InvokeError, Redelivery, ServiceErrorKind, ThrottleReason,
};
use support::raw::{response, Fault, RawServer};
use support::{Reply, Scripted};

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;

    #[lambda(function = "echo", timeout = "300ms")]
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

fn client(url: &str, delivery: Delivery) -> EchoClient {
    EchoClient::builder(support::sdk_client(url))
        .delivery(delivery)
        .build()
        .unwrap()
}

/// How many requests reached the server and how many times the function ran.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Counts {
    requests: usize,
    runs: usize,
}

const fn counts(requests: usize, runs: usize) -> Counts {
    Counts { requests, runs }
}

/// One scripted reply, called once with `delivery`.
async fn scripted(reply: Reply, delivery: Delivery) -> (InvokeError, Counts) {
    let server = Scripted::start(move |_| reply.clone()).await;
    let error = client(&server.url(), delivery)
        .echo(serde_json::json!({"n": 1}))
        .await
        .expect_err("the call fails");
    (error, counts(server.requests(), server.runs()))
}

/// One raw fault, called once with `delivery`.
async fn raw(fault: Fault, delivery: Delivery) -> (InvokeError, Counts) {
    let server = RawServer::start(fault).await;
    let error = client(&server.url, delivery)
        .echo(serde_json::json!({"n": 1}))
        .await
        .expect_err("the call fails");
    (error, counts(server.requests(), server.runs()))
}

#[tokio::test]
async fn throttling_is_retried_in_both_modes_and_never_runs_the_function() {
    for reason in [
        "ConcurrentInvocationLimitExceeded",
        "FunctionInvocationRateLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "ReservedFunctionInvocationRateLimitExceeded",
        "CallerRateLimitExceeded",
        "ConcurrentSnapshotCreateLimitExceeded",
    ] {
        for delivery in BOTH {
            let body =
                serde_json::json!({"Type": "User", "message": "Rate exceeded", "Reason": reason});
            let (error, seen) = scripted(
                Reply::status(429, body.to_string())
                    .header("x-amzn-ErrorType", "TooManyRequestsException")
                    .header("Retry-After", "1"),
                delivery,
            )
            .await;
            let service = error.service_error().expect("a service error");
            assert_eq!(
                service.kind(),
                &ServiceErrorKind::Throttled {
                    reason: Some(ThrottleReason::from(reason)),
                    retry_after: Some(Duration::from_secs(1)),
                }
            );
            assert_eq!(service.body().as_ref(), body.to_string().as_bytes());
            assert_eq!(error.redelivery(), Redelivery::Safe);
            assert_eq!(seen, counts(3, 0), "{reason} {delivery}");
        }
    }
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_duration_is_distrusted_not_a_panic() {
    for value in ["1e300", "18446744073709551616", "-5", "NaN", "soon"] {
        let (error, seen) = scripted(
            Reply::service_error(429, "TooManyRequestsException", "slow down")
                .header("Retry-After", value),
            Delivery::AtMostOnce,
        )
        .await;
        assert_eq!(
            error.service_error().unwrap().kind(),
            &ServiceErrorKind::Throttled {
                reason: None,
                retry_after: None
            },
            "{value}"
        );
        assert_eq!(seen, counts(3, 0), "{value}");
    }
}

#[tokio::test]
async fn passing_states_raised_before_the_function_runs_are_retried_in_both_modes() {
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
    ] {
        for delivery in BOTH {
            let (error, seen) =
                scripted(Reply::service_error(status, code, "wait"), delivery).await;
            assert_eq!(error.service_error().unwrap().kind(), &kind, "{code}");
            assert_eq!(error.redelivery(), Redelivery::Safe, "{code}");
            assert_eq!(seen, counts(3, 0), "{code} {delivery}");
        }
    }
}

#[tokio::test]
async fn failures_that_may_follow_a_run_are_retried_only_at_least_once() {
    // The worst case: the function ran, then the service or a gateway failed.
    let cases = [
        (
            Reply::service_error(500, "ServiceException", "internal"),
            ServiceErrorKind::ServiceFailure,
        ),
        (
            Reply::service_error(410, "EFSIOException", "io"),
            ServiceErrorKind::ServiceFailure,
        ),
        (
            Reply::status(500, "<html>Internal</html>"),
            ServiceErrorKind::Other,
        ),
        (
            Reply::status(502, "<html>Bad Gateway</html>"),
            ServiceErrorKind::Other,
        ),
        (
            Reply::status(503, "<html>Unavailable</html>"),
            ServiceErrorKind::Other,
        ),
        (
            Reply::status(504, "<html>Gateway Timeout</html>"),
            ServiceErrorKind::Other,
        ),
    ];
    for (reply, kind) in cases {
        let reply = reply.ran(true);
        for (delivery, expected) in [
            (Delivery::AtMostOnce, counts(1, 1)),
            (Delivery::AtLeastOnce, counts(3, 3)),
        ] {
            let (error, seen) = scripted(reply.clone(), delivery).await;
            let service = error.service_error().expect("a service error");
            assert_eq!(service.kind(), &kind);
            assert_eq!(service.body().as_ref(), &reply.body[..]);
            assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
            assert_eq!(seen, expected, "{} {delivery}", reply.status);
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
        (400, "BrandNewFutureException", ServiceErrorKind::Other),
    ] {
        for delivery in BOTH {
            let (error, seen) = scripted(Reply::service_error(status, code, "m"), delivery).await;
            let service = error.service_error().unwrap();
            assert_eq!(service.kind(), &kind, "{code}");
            assert_eq!(service.code(), Some(code));
            assert_eq!(service.message(), Some("m"));
            assert_eq!(error.redelivery(), Redelivery::Never);
            assert_eq!(seen, counts(1, 0), "{code} {delivery}");
        }
    }
    let (error, _) = scripted(
        Reply::status(
            400,
            r#"{"__type":"com.amazonaws#OddException","Message":"m"}"#,
        ),
        Delivery::AtMostOnce,
    )
    .await;
    assert_eq!(error.service_error().unwrap().code(), Some("OddException"));
}

#[tokio::test]
async fn a_reset_after_the_request_was_written_is_sent_again_only_at_least_once() {
    for (delivery, expected) in [
        (Delivery::AtMostOnce, counts(1, 1)),
        (Delivery::AtLeastOnce, counts(3, 3)),
    ] {
        let (error, seen) = raw(Fault::Close, delivery).await;
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
        assert!(std::error::Error::source(&error).is_some());
        assert_eq!(seen, expected, "{delivery}");
    }
}

#[tokio::test]
async fn the_call_option_wins_over_the_method_attribute_which_wins_over_the_client() {
    let server = RawServer::start(Fault::Close).await;
    let default_client = client(&server.url, Delivery::AtMostOnce);
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
        server.reset(Fault::Close);
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
        assert_eq!(server.requests(), expected, "{what}");
    }
    // A dry run runs no function: it is sent again on any transient failure.
    server.reset(Fault::Close);
    default_client.check_audit().await.unwrap_err();
    assert_eq!(server.requests(), 3, "dry run");
}

#[tokio::test]
async fn a_cut_off_200_is_sent_again_only_at_least_once() {
    let partial = response("200 OK", &[], br#"{"half":"#, 100);
    for (delivery, expected) in [
        (Delivery::AtMostOnce, counts(1, 1)),
        (Delivery::AtLeastOnce, counts(3, 3)),
    ] {
        let (error, seen) = raw(Fault::Write(partial.clone()), delivery).await;
        let InvokeError::Transport(transport) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(transport.redelivery(), Redelivery::IfIdempotent);
        assert_eq!(seen, expected, "{delivery}");
    }
}

#[tokio::test]
async fn a_cut_off_function_error_is_never_sent_again() {
    let partial = response(
        "200 OK",
        &[("X-Amz-Function-Error", "Unhandled")],
        br#"{"errorType":"Bo"#,
        64,
    );
    for delivery in BOTH {
        let (error, seen) = raw(Fault::Write(partial.clone()), delivery).await;
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        assert_eq!(
            seen,
            counts(1, 1),
            "{delivery}: the function ran and failed"
        );
    }
}

#[tokio::test]
async fn an_expired_attempt_timeout_is_sent_again_only_at_least_once() {
    for (delivery, expected) in [
        (Delivery::AtMostOnce, counts(1, 1)),
        (Delivery::AtLeastOnce, counts(3, 3)),
    ] {
        let server = RawServer::start(Fault::Delay(
            Duration::from_secs(3),
            response("200 OK", &[], b"1", 1),
        ))
        .await;
        let client = EchoClient::builder(support::sdk_client(&server.url))
            .delivery(delivery)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(200))
                    .build(),
            )
            .build()
            .unwrap();
        let error = client.echo(serde_json::json!(1)).await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(error.redelivery(), Redelivery::IfIdempotent);
        // Each attempt's request was read before the attempt timed out.
        assert_eq!(
            counts(server.requests(), server.runs()),
            expected,
            "{delivery}"
        );
    }
}

#[tokio::test]
async fn a_method_timeout_bounds_the_whole_call() {
    for delivery in BOTH {
        let server = RawServer::start(Fault::Delay(
            Duration::from_secs(5),
            response("200 OK", &[], b"1", 1),
        ))
        .await;
        let error = client(&server.url, delivery)
            .echo_quickly(serde_json::json!(1))
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(counts(server.requests(), server.runs()), counts(1, 1));
    }
}

#[tokio::test]
async fn a_cut_off_202_is_sent_again_only_at_least_once() {
    let partial = response("202 Accepted", &[], b"{", 10);
    for (delivery, expected) in [
        (Delivery::AtMostOnce, counts(1, 1)),
        (Delivery::AtLeastOnce, counts(3, 3)),
    ] {
        let server = RawServer::start(Fault::Write(partial.clone())).await;
        let error = client(&server.url, delivery)
            .audit(serde_json::json!({"n": 1}))
            .await
            .unwrap_err();
        assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
        // The event may have been queued: each request counts as a run.
        assert_eq!(
            counts(server.requests(), server.runs()),
            expected,
            "{delivery}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_in_both_modes() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for delivery in BOTH {
        let (sdk, attempts) = support::counting_sdk_client(&url);
        let client = EchoClient::builder(sdk).delivery(delivery).build().unwrap();
        let error = client.echo(serde_json::json!(1)).await.unwrap_err();
        let InvokeError::Transport(transport) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(transport.redelivery(), Redelivery::Safe);
        assert_eq!(
            attempts.get(),
            3,
            "{delivery}: nothing was sent, so all attempts"
        );
    }
}

#[tokio::test]
async fn a_slow_function_is_not_cut_short_by_default() {
    // Longer than the 3.1 s connect timeout: no attempt timeout applies by default.
    let server = RawServer::start(Fault::Delay(
        Duration::from_millis(3500),
        response(
            "200 OK",
            &[("X-Amz-Executed-Version", "$LATEST")],
            b"\"done\"",
            6,
        ),
    ))
    .await;
    let value = client(&server.url, Delivery::AtMostOnce)
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value, "done");
    assert_eq!(counts(server.requests(), server.runs()), counts(1, 1));
}

#[tokio::test]
async fn invalid_json_and_non_utf8_results_keep_their_bytes() {
    for body in [&b"{not json"[..], b"\xff\xfe\x00binary", b"[1,2"] {
        for delivery in BOTH {
            let (error, seen) = scripted(Reply::ok(body.to_vec()), delivery).await;
            match &error {
                InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), body),
                other => panic!("unexpected {other:?}"),
            }
            assert_eq!(seen, counts(1, 1));
        }
    }
}

#[tokio::test]
async fn a_huge_result_is_decoded_without_loss() {
    let big = "x".repeat(7 * 1024 * 1024);
    let body = serde_json::to_vec(&big).unwrap();
    let server = Scripted::start(move |_| Reply::ok(body.clone())).await;
    let value = client(&server.url(), Delivery::AtMostOnce)
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value.as_str().map(str::len), Some(big.len()));
    assert_eq!(counts(server.requests(), server.runs()), counts(1, 1));
}

#[tokio::test]
async fn odd_error_objects_are_unmapped_function_errors_with_their_bytes() {
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
            let (error, seen) = scripted(Reply::function_error(body), delivery).await;
            let failure = error
                .failure()
                .unwrap_or_else(|| panic!("{body}: {error:?}"));
            assert_eq!(failure.error_type(), *error_type);
            assert_eq!(failure.error_message(), *message);
            assert_eq!(failure.object().raw().as_ref(), body.as_bytes());
            assert_eq!(error.redelivery(), Redelivery::Never);
            assert_eq!(seen, counts(1, 1), "function errors are never retried");
        }
    }
}

#[tokio::test]
async fn an_unknown_function_error_value_is_kept() {
    let (error, seen) = scripted(
        Reply::ok(r#"{"errorType":"E","errorMessage":"m"}"#)
            .header("X-Amz-Function-Error", "SomethingNew"),
        Delivery::AtLeastOnce,
    )
    .await;
    assert_eq!(
        error.failure().unwrap().error_header(),
        Some("SomethingNew")
    );
    assert_eq!(seen, counts(1, 1));
}

#[tokio::test]
async fn a_function_error_on_any_5xx_from_an_emulator_is_never_retried() {
    for status in [500u16, 502] {
        for delivery in BOTH {
            let (error, seen) = scripted(
                Reply::status(status, r#"{"errorType":"E","errorMessage":"m"}"#).ran(true),
                delivery,
            )
            .await;
            assert!(error.is_function_error(), "{status}: {error:?}");
            assert_eq!(seen, counts(1, 1), "{status} {delivery}");
        }
    }
}
