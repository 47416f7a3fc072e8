//! The fault matrix (FAULTS.md): a loopback server misbehaves on purpose and the generated
//! client, through the real SDK, returns the documented typed error, keeps the raw bytes,
//! reaches the server the documented number of times, and never panics.

mod support;

use std::time::Duration;

use lambda_remote::{lambda_remote, InvokeError, ServiceErrorKind, ThrottleReason};
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
}

fn client(url: &str) -> EchoClient {
    EchoClient::new(support::sdk_client(url))
}

async fn scripted(reply: Reply) -> (InvokeError, usize) {
    let server = Scripted::start(move |_| reply.clone()).await;
    let error = client(&server.url())
        .echo(serde_json::json!({"n": 1}))
        .await
        .expect_err("the call fails");
    (error, server.received().len())
}

async fn raw(fault: Fault) -> (InvokeError, usize) {
    let server = RawServer::start(fault).await;
    let error = client(&server.url)
        .echo(serde_json::json!({"n": 1}))
        .await
        .expect_err("the call fails");
    (error, server.requests())
}

#[tokio::test]
async fn throttling_with_every_reason_is_retried_and_keeps_reason_and_retry_after() {
    for reason in [
        "ConcurrentInvocationLimitExceeded",
        "FunctionInvocationRateLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "ReservedFunctionInvocationRateLimitExceeded",
        "CallerRateLimitExceeded",
        "ConcurrentSnapshotCreateLimitExceeded",
    ] {
        let body =
            serde_json::json!({"Type": "User", "message": "Rate exceeded", "Reason": reason});
        let (error, requests) = scripted(
            Reply::status(429, body.to_string())
                .header("x-amzn-ErrorType", "TooManyRequestsException")
                .header("Retry-After", "1"),
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
        assert_eq!(requests, 3, "{reason}: retried up to the attempt limit");
    }
}

#[tokio::test]
async fn bare_5xx_statuses_are_transient_service_errors_and_retried() {
    for status in [500u16, 502, 503, 504] {
        let (error, requests) = scripted(Reply::status(status, "<html>Bad Gateway</html>")).await;
        let service = error.service_error().expect("a service error");
        assert_eq!(service.status(), status);
        assert_eq!(service.kind(), &ServiceErrorKind::Other);
        assert!(service.kind().is_transient(status));
        assert_eq!(service.body().as_ref(), b"<html>Bad Gateway</html>");
        assert_eq!(requests, 3, "{status}");
    }
}

#[tokio::test]
async fn unknown_service_error_codes_are_kept_by_name() {
    let (error, requests) =
        scripted(Reply::service_error(400, "BrandNewFutureException", "new")).await;
    let service = error.service_error().unwrap();
    assert_eq!(service.kind(), &ServiceErrorKind::Other);
    assert_eq!(service.code(), Some("BrandNewFutureException"));
    assert_eq!(service.message(), Some("new"));
    assert_eq!(requests, 1);

    let (error, _) = scripted(Reply::status(
        400,
        r#"{"__type":"com.amazonaws#OddException","Message":"m"}"#,
    ))
    .await;
    assert_eq!(error.service_error().unwrap().code(), Some("OddException"));
}

#[tokio::test]
async fn a_reset_before_the_response_is_a_transport_error() {
    let (error, requests) = raw(Fault::Close).await;
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
    assert!(requests >= 1, "the request arrived");
}

#[tokio::test]
async fn a_reset_during_the_response_body_is_a_transport_error() {
    let partial = response("200 OK", &[], br#"{"half":"#, 100);
    let (error, requests) = raw(Fault::Write(partial)).await;
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert!(requests >= 1);
}

#[tokio::test]
async fn a_truncated_error_body_is_a_transport_error() {
    let partial = response(
        "200 OK",
        &[("X-Amz-Function-Error", "Unhandled")],
        br#"{"errorType":"Bo"#,
        64,
    );
    let (error, _) = raw(Fault::Write(partial)).await;
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_stalled_response_hits_the_configured_timeout() {
    let server = RawServer::start(Fault::Delay(
        Duration::from_secs(5),
        response("200 OK", &[], b"1", 1),
    ))
    .await;
    let error = client(&server.url)
        .echo_quickly(serde_json::json!(1))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.requests(), 1, "a timed-out call is not retried");
}

#[tokio::test]
async fn a_slow_function_is_not_cut_short_by_default() {
    // Longer than the 3.1 s connect timeout: only the 930 s attempt timeout applies.
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
    let value = client(&server.url)
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value, "done");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn invalid_json_and_non_utf8_results_keep_their_bytes() {
    for body in [&b"{not json"[..], b"\xff\xfe\x00binary", b"[1,2"] {
        let (error, requests) = scripted(Reply::ok(body.to_vec())).await;
        match &error {
            InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), body),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(requests, 1);
    }
}

#[tokio::test]
async fn a_huge_result_is_decoded_without_loss() {
    let big = "x".repeat(7 * 1024 * 1024);
    let body = serde_json::to_vec(&big).unwrap();
    let server = Scripted::start(move |_| Reply::ok(body.clone())).await;
    let value = client(&server.url())
        .echo(serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(value.as_str().map(str::len), Some(big.len()));
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
        let (error, requests) = scripted(Reply::function_error(body)).await;
        let failure = error
            .failure()
            .unwrap_or_else(|| panic!("{body}: {error:?}"));
        assert_eq!(failure.error_type(), *error_type);
        assert_eq!(failure.error_message(), *message);
        assert_eq!(failure.object().raw().as_ref(), body.as_bytes());
        assert_eq!(requests, 1, "function errors are never retried");
    }
}

#[tokio::test]
async fn an_unknown_function_error_value_is_kept() {
    let (error, _) = scripted(
        Reply::ok(r#"{"errorType":"E","errorMessage":"m"}"#)
            .header("X-Amz-Function-Error", "SomethingNew"),
    )
    .await;
    assert_eq!(
        error.failure().unwrap().function_error(),
        Some("SomethingNew")
    );
}

#[tokio::test]
async fn a_function_error_on_any_5xx_from_an_emulator_is_not_retried() {
    for status in [500u16, 502] {
        let (error, requests) = scripted(Reply::status(
            status,
            r#"{"errorType":"E","errorMessage":"m"}"#,
        ))
        .await;
        assert!(error.is_function_error(), "{status}: {error:?}");
        assert_eq!(requests, 1, "{status}");
    }
}

#[tokio::test]
async fn configuration_failures_on_502_are_not_retried() {
    for code in [
        "KMSAccessDeniedException",
        "InvalidZipFileException",
        "ENILimitReachedException",
        "EC2AccessDeniedException",
        "SubnetIPAddressLimitReachedException",
    ] {
        let (error, requests) = scripted(Reply::service_error(502, code, "config")).await;
        assert_eq!(
            error.service_error().unwrap().kind(),
            &ServiceErrorKind::FunctionConfiguration
        );
        assert_eq!(requests, 1, "{code}");
    }
}
