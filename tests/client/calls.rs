//! The generated client against a scripted loopback endpoint, through the real SDK:
//! payload shapes, invocation types, typed and unmapped function errors, every service error
//! class, options and metadata, naming, and requests refused before sending.

use crate::support;

use base64::Engine as _;
use bytes::Bytes;
use lambda_remote::local::ServiceError;
use lambda_remote::{
    CallOptions, ErrorObject, FunctionError, InvokeError,
    client::Limits,
    error::{Rejected, ServiceErrorKind, ThrottleReason},
    lambda_remote,
};
use serde::{Deserialize, Serialize};
use support::proxy::{Counted, Fault};
use support::{Reply, Scripted};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total: u64,
}

#[derive(Debug, PartialEq, FunctionError, thiserror::Error)]
pub enum ChargeError {
    #[error("card declined")]
    #[function_error(rename = "CardDeclined")]
    Declined,
    #[error("insufficient funds: {0}")]
    InsufficientFunds(String),
    #[error("over the limit of {limit}")]
    OverLimit { limit: u64 },
    #[error("other: {0}")]
    #[function_error(other)]
    Other(ErrorObject),
}

#[derive(Debug, PartialEq, FunctionError, thiserror::Error)]
pub enum StrictError {
    #[error("bad sku")]
    BadSku,
}

#[lambda_remote]
pub trait Billing {
    /// RequestResponse is the default.
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;

    /// Fire and forget.
    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Result<(), InvokeError>;

    /// Checks permissions only.
    #[lambda(function = "billing-audit", invocation = "dry_run")]
    async fn can_audit(&self) -> Result<(), InvokeError>;

    /// Several arguments; a full ARN and a qualifier.
    #[lambda(
        function = "arn:aws:lambda:us-east-1:123456789012:function:quote",
        qualifier = "live"
    )]
    async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError<StrictError>>;

    /// No arguments, unit result.
    #[lambda(function = "billing-ping:7", log = "tail")]
    async fn ping(&self) -> Result<(), InvokeError>;
}

fn client(server: &Scripted) -> BillingClient {
    BillingClient::new(server.sdk())
}

fn order() -> Order {
    Order {
        sku: "A-1".into(),
        qty: 2,
    }
}

#[tokio::test]
async fn one_argument_is_the_payload_and_the_result_is_decoded() {
    let server = Scripted::start(|_| {
        Reply::ok(r#"{"id":"r-1","total":42}"#).header("X-Amz-Executed-Version", "$LATEST")
    })
    .await;
    let receipt = client(&server).charge(order()).await.unwrap();
    assert_eq!(
        receipt,
        Receipt {
            id: "r-1".into(),
            total: 42
        }
    );
    let request = server.last();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        "/2015-03-31/functions/billing-charge/invocations"
    );
    assert_eq!(request.query, None);
    // RequestResponse is the API's default, so it goes unnamed (one header less to sign).
    assert_eq!(request.header("x-amz-invocation-type"), None);
    assert_eq!(request.json(), serde_json::json!({"sku": "A-1", "qty": 2}));
}

#[tokio::test]
async fn several_arguments_become_an_object_and_the_qualifier_a_query() {
    let server = Scripted::start(|_| Reply::ok("1250")).await;
    let total = client(&server).quote("A-1".into(), 5).await.unwrap();
    assert_eq!(total, 1250);
    let request = server.last();
    assert_eq!(
        request.path,
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aquote/invocations"
    );
    assert_eq!(request.query.as_deref(), Some("Qualifier=live"));
    assert_eq!(request.body.as_ref(), br#"{"sku":"A-1","qty":5}"#);
}

#[tokio::test]
async fn no_arguments_send_an_empty_object_and_unit_accepts_null() {
    let server = Scripted::start(|_| Reply::ok("null")).await;
    client(&server).ping().await.unwrap();
    let request = server.last();
    assert_eq!(request.body.as_ref(), b"{}");
    assert_eq!(request.header("x-amz-log-type"), Some("Tail"));
    assert_eq!(
        request.path,
        "/2015-03-31/functions/billing-ping%3A7/invocations"
    );
}

#[tokio::test]
async fn event_and_dry_run_send_their_invocation_type() {
    let server = Scripted::start(|r| match r.header("x-amz-invocation-type") {
        Some("Event") => Reply::status(202, ""),
        _ => Reply::status(204, ""),
    })
    .await;
    let client = client(&server);
    client.audit("hello".into()).await.unwrap();
    assert_eq!(server.last().header("x-amz-invocation-type"), Some("Event"));
    assert_eq!(server.last().body.as_ref(), br#""hello""#);
    client.can_audit().await.unwrap();
    assert_eq!(
        server.last().header("x-amz-invocation-type"),
        Some("DryRun")
    );
}

#[tokio::test]
async fn function_errors_map_onto_every_variant_shape() {
    let cases = [
        (
            r#"{"errorType":"CardDeclined","errorMessage":"no"}"#,
            ChargeError::Declined,
        ),
        (
            r#"{"errorType":"InsufficientFunds","errorMessage":"short by 3"}"#,
            ChargeError::InsufficientFunds("short by 3".into()),
        ),
        (
            r#"{"errorType":"OverLimit","errorMessage":"x","limit":100}"#,
            ChargeError::OverLimit { limit: 100 },
        ),
    ];
    for (body, expected) in cases {
        let server = Scripted::start(move |_| Reply::function_error(body)).await;
        let error = client(&server).charge(order()).await.unwrap_err();
        match &error {
            InvokeError::Function { error, failure } => {
                assert_eq!(error, &expected);
                assert_eq!(failure.error_header(), Some("Unhandled"));
                assert_eq!(failure.object().raw().as_ref(), body.as_bytes());
                assert_eq!(failure.function(), "billing-charge");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            server.received().len(),
            1,
            "function errors are never retried"
        );
    }
}

#[tokio::test]
async fn unknown_error_types_go_to_the_catch_all_or_stay_unmapped() {
    let body =
        r#"{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}"#;
    let server = Scripted::start(move |_| Reply::function_error(body)).await;
    let client = client(&server);
    match client.charge(order()).await.unwrap_err() {
        InvokeError::Function {
            error: ChargeError::Other(object),
            ..
        } => assert_eq!(object.error_type(), Some("Sandbox.Timedout")),
        other => panic!("unexpected {other:?}"),
    }
    match client.quote("A".into(), 1).await.unwrap_err() {
        InvokeError::UnmappedFunction(failure) => {
            assert_eq!(failure.error_type(), Some("Sandbox.Timedout"));
            assert_eq!(
                failure.error_message(),
                Some("Task timed out after 3.00 seconds")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn handled_and_odd_function_error_bodies_are_kept() {
    let server =
        Scripted::start(|_| Reply::ok("not json at all").header("X-Amz-Function-Error", "Handled"))
            .await;
    match client(&server).quote("A".into(), 1).await.unwrap_err() {
        InvokeError::UnmappedFunction(failure) => {
            assert_eq!(failure.error_header(), Some("Handled"));
            assert_eq!(failure.object().raw().as_ref(), b"not json at all");
            assert_eq!(failure.error_type(), None);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn an_undecodable_result_keeps_its_bytes() {
    let server = Scripted::start(|_| Reply::ok(r#"{"id":7}"#)).await;
    match client(&server).charge(order()).await.unwrap_err() {
        InvokeError::Deserialize(error) => {
            assert_eq!(error.payload().as_ref(), br#"{"id":7}"#);
            assert!(std::error::Error::source(&*error).is_some());
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn every_service_error_class_is_recognised() {
    let cases: &[(u16, &str, ServiceErrorKind)] = &[
        (404, "ResourceNotFoundException", ServiceErrorKind::NotFound),
        (
            400,
            "InvalidRequestContentException",
            ServiceErrorKind::InvalidRequestContent,
        ),
        (
            400,
            "InvalidParameterValueException",
            ServiceErrorKind::InvalidParameterValue,
        ),
        (
            413,
            "RequestTooLargeException",
            ServiceErrorKind::RequestTooLarge,
        ),
        (
            413,
            "RequestEntityTooLargeException",
            ServiceErrorKind::RequestTooLarge,
        ),
        (
            415,
            "UnsupportedMediaTypeException",
            ServiceErrorKind::UnsupportedMediaType,
        ),
        (409, "ResourceConflictException", ServiceErrorKind::Conflict),
        (502, "ResourceNotReadyException", ServiceErrorKind::NotReady),
        (500, "ServiceException", ServiceErrorKind::ServiceFailure),
        (
            502,
            "KMSAccessDeniedException",
            ServiceErrorKind::FunctionConfiguration,
        ),
        (400, "SomethingNewException", ServiceErrorKind::Other),
    ];
    for (status, code, kind) in cases {
        let (status, code) = (*status, *code);
        let server =
            Scripted::start(move |_| Reply::service_error(status, code, "the message")).await;
        let error = client(&server).charge(order()).await.unwrap_err();
        let service = error
            .service_error()
            .unwrap_or_else(|| panic!("{code}: {error:?}"));
        assert_eq!(service.kind(), kind, "{code}");
        assert_eq!(service.code(), Some(code));
        assert_eq!(service.status(), status);
        assert_eq!(service.message(), Some("the message"), "{code}");
        assert!(!service.body().is_empty());
        // The root cause: the SDK's error for the same answer would repeat its code and
        // message in a report.
        assert!(std::error::Error::source(service).is_none(), "{code}");
    }
}

#[tokio::test]
async fn throttling_keeps_its_reason_and_retry_after() {
    let server = Scripted::start(|_| {
        Reply::status(
            429,
            r#"{"Type":"User","message":"Rate exceeded","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}"#,
        )
        .header("x-amzn-ErrorType", "TooManyRequestsException")
        .header("Retry-After", "0")
    })
    .await;
    let error = client(&server).charge(order()).await.unwrap_err();
    assert!(error.is_throttled());
    assert_eq!(
        error.service_error().unwrap().kind(),
        &ServiceErrorKind::Throttled {
            reason: Some(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded),
            retry_after: Some(std::time::Duration::ZERO),
        }
    );
    assert_eq!(
        server.received().len(),
        3,
        "throttling is retried by the SDK"
    );
}

#[tokio::test]
async fn a_function_error_on_status_500_is_a_function_error_and_not_retried() {
    // What `cargo lambda watch` sends.
    let server = Scripted::start(|_| {
        Reply::status(500, r#"{"errorType":"CardDeclined","errorMessage":"no"}"#)
    })
    .await;
    let error = client(&server).charge(order()).await.unwrap_err();
    assert_eq!(error.function_error(), Some(&ChargeError::Declined));
    assert_eq!(error.failure().unwrap().error_header(), None);
    assert_eq!(server.received().len(), 1);
}

/// Every code `aws-sdk-lambda` models for Invoke (and AWS's wire name for a payload too
/// large), with its class: how many requests reach the endpoint and how many times the
/// function runs, at most once and at least once.
#[tokio::test]
async fn every_service_error_code_is_retried_by_its_class() {
    use ServiceErrorKind::*;
    use lambda_remote::{Delivery, error::Redelivery};
    let cases: &[(u16, &str, ServiceErrorKind, Redelivery)] = &[
        (
            502,
            "CodeArtifactUserDeletedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "CodeArtifactUserFailedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            409,
            "CodeArtifactUserPendingException",
            NotReady,
            Redelivery::Safe,
        ),
        (
            409,
            "DurableExecutionAlreadyStartedException",
            DurableExecutionAlreadyStarted,
            Redelivery::Never,
        ),
        (
            502,
            "EC2AccessDeniedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (502, "EC2ThrottledException", SetupFailed, Redelivery::Safe),
        (502, "EC2UnexpectedException", SetupFailed, Redelivery::Safe),
        (
            410,
            "EFSIOException",
            ServiceFailure,
            Redelivery::IfIdempotent,
        ),
        (
            408,
            "EFSMountConnectivityException",
            SetupFailed,
            Redelivery::Safe,
        ),
        (
            403,
            "EFSMountFailureException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            408,
            "EFSMountTimeoutException",
            SetupFailed,
            Redelivery::Safe,
        ),
        (
            502,
            "ENILimitReachedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (502, "ENINotReadyException", NotReady, Redelivery::Safe),
        (
            400,
            "InvalidParameterValueException",
            InvalidParameterValue,
            Redelivery::Never,
        ),
        (
            400,
            "InvalidRequestContentException",
            InvalidRequestContent,
            Redelivery::Never,
        ),
        (
            502,
            "InvalidRuntimeException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "InvalidSecurityGroupIDException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "InvalidSubnetIDException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "InvalidZipFileException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "KMSAccessDeniedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "KMSDisabledException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "KMSInvalidStateException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            502,
            "KMSNotFoundException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            400,
            "ModeNotSupportedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            404,
            "NoPublishedVersionException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            400,
            "RecursiveInvocationException",
            RecursiveInvocation,
            Redelivery::Never,
        ),
        (
            413,
            "RequestTooLargeException",
            RequestTooLarge,
            Redelivery::Never,
        ),
        (
            413,
            "RequestEntityTooLargeException",
            RequestTooLarge,
            Redelivery::Never,
        ),
        (409, "ResourceConflictException", Conflict, Redelivery::Safe),
        (
            404,
            "ResourceNotFoundException",
            NotFound,
            Redelivery::Never,
        ),
        (502, "ResourceNotReadyException", NotReady, Redelivery::Safe),
        (
            408,
            "S3FilesMountConnectivityException",
            SetupFailed,
            Redelivery::Safe,
        ),
        (
            403,
            "S3FilesMountFailureException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            408,
            "S3FilesMountTimeoutException",
            SetupFailed,
            Redelivery::Safe,
        ),
        (
            413,
            "SerializedRequestEntityTooLargeException",
            RequestTooLarge,
            Redelivery::Never,
        ),
        (
            500,
            "ServiceException",
            ServiceFailure,
            Redelivery::IfIdempotent,
        ),
        (
            402,
            "ServiceQuotaExceededException",
            QuotaExceeded,
            Redelivery::Never,
        ),
        (
            400,
            "SnapStartException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            409,
            "SnapStartNotReadyException",
            NotReady,
            Redelivery::Safe,
        ),
        (
            409,
            "SnapStartRegenerationFailureException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            408,
            "SnapStartTimeoutException",
            SetupFailed,
            Redelivery::Safe,
        ),
        (
            502,
            "SubnetIPAddressLimitReachedException",
            FunctionConfiguration,
            Redelivery::Never,
        ),
        (
            429,
            "TooManyRequestsException",
            Throttled {
                reason: None,
                retry_after: None,
            },
            Redelivery::Safe,
        ),
        (
            415,
            "UnsupportedMediaTypeException",
            UnsupportedMediaType,
            Redelivery::Never,
        ),
    ];
    for (status, code, kind, redelivery) in cases {
        let (status, code) = (*status, *code);
        for delivery in [Delivery::AtMostOnce, Delivery::AtLeastOnce] {
            let functions = Counted::start(&["billing-charge"], |_| async {
                Ok(Bytes::from_static(br#"{"id":"r","total":1}"#))
            })
            .await;
            let fault = ServiceError::new(status, code, "m");
            if *redelivery == Redelivery::IfIdempotent {
                // A failure whose timing is unknown, at its worst: after the function ran.
                functions
                    .proxy
                    .fault(Fault::Replace(raw_service_error(status, code)));
            } else {
                // Raised by the endpoint before the function runs, for every request.
                for _ in 0..3 {
                    functions
                        .lambda
                        .fail_next_with("billing-charge", fault.clone());
                }
            }
            let client = BillingClient::builder(functions.sdk())
                .delivery(delivery)
                .build()
                .unwrap();
            let error = client.charge(order()).await.unwrap_err();
            let service = error
                .service_error()
                .unwrap_or_else(|| panic!("{code}: {error:?}"));
            assert_eq!(service.kind(), kind, "{code}");
            assert_eq!(service.code(), Some(code));
            assert_eq!(service.status(), status);
            assert_eq!(service.redelivery(), *redelivery, "{code}");
            let expected = match (redelivery, delivery) {
                (Redelivery::Safe, _) => (3, 0),
                (Redelivery::IfIdempotent, Delivery::AtMostOnce) => (1, 1),
                (Redelivery::IfIdempotent, _) => (3, 3),
                (Redelivery::Never, _) => (1, 0),
                (other, _) => panic!("{code}: a redelivery this test does not know: {other:?}"),
            };
            assert_eq!(functions.counts().await, expected, "{code} {delivery}");
        }
    }
}

/// A service error as AWS encodes it, as a whole HTTP response.
fn raw_service_error(status: u16, code: &str) -> Vec<u8> {
    let body = serde_json::json!({"Type": "Service", "message": "m"}).to_string();
    support::raw::response(
        &format!("{status} Error"),
        &[
            ("x-amzn-ErrorType", code),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
        body.len(),
    )
}

#[tokio::test]
async fn options_reach_the_wire_and_metadata_comes_back() {
    let log =
        base64::engine::general_purpose::STANDARD.encode("START\nhello from the function\nEND\n");
    let server = Scripted::start(move |_| {
        Reply::ok(r#"{"id":"r","total":1}"#)
            .header("X-Amz-Executed-Version", "3")
            .header("x-amzn-RequestId", "req-123")
            .header("X-Amz-Log-Result", &log)
    })
    .await;
    let options = CallOptions::new()
        .qualifier("canary")
        .log_tail()
        .client_context(&serde_json::json!({"custom": {"tenant": "acme"}}));
    let invoked = client(&server)
        .charge_with(&options, order())
        .await
        .unwrap();
    assert_eq!(invoked.output.id, "r");
    assert_eq!(invoked.metadata.status(), 200);
    assert_eq!(invoked.metadata.executed_version(), Some("3"));
    assert_eq!(invoked.metadata.request_id(), Some("req-123"));
    assert!(
        invoked
            .metadata
            .log_tail()
            .unwrap()
            .text()
            .contains("hello from the function")
    );
    let request = server.last();
    assert_eq!(request.query.as_deref(), Some("Qualifier=canary"));
    assert_eq!(request.header("x-amz-log-type"), Some("Tail"));
    let context = base64::engine::general_purpose::STANDARD
        .decode(request.header("x-amz-client-context").unwrap())
        .unwrap();
    assert_eq!(context, br#"{"custom":{"tenant":"acme"}}"#);
}

#[tokio::test]
async fn metadata_travels_with_function_errors() {
    let log = base64::engine::general_purpose::STANDARD.encode("the stack trace");
    let server = Scripted::start(move |_| {
        Reply::function_error(r#"{"errorType":"CardDeclined"}"#).header("X-Amz-Log-Result", &log)
    })
    .await;
    let error = client(&server)
        .charge_with(&CallOptions::new().log_tail(), order())
        .await
        .unwrap_err();
    let tail = error.metadata().unwrap().log_tail().unwrap();
    assert_eq!(tail.text(), "the stack trace");
    assert!(
        !format!("{error:?}").contains("the stack trace"),
        "tail redacted"
    );
}

#[tokio::test]
async fn requests_over_a_limit_or_with_bad_options_are_never_sent() {
    let server = Scripted::start(|_| Reply::ok("{}")).await;
    let client = BillingClient::builder(server.sdk())
        .limits(Limits::default().with_sync_payload(16))
        .build()
        .unwrap();
    match client.charge(order()).await.unwrap_err() {
        InvokeError::Rejected(rejected) => assert!(matches!(
            *rejected,
            Rejected::PayloadTooLarge {
                size: 21,
                limit: 16,
                ..
            }
        )),
        other => panic!("unexpected {other:?}"),
    }
    let big_context = CallOptions::new().client_context(&"x".repeat(3000));
    let error = client.ping_with(&big_context).await.unwrap_err();
    assert!(
        matches!(
            error,
            InvokeError::Rejected(ref r) if matches!(**r, Rejected::ClientContextTooLarge { limit: 3583, .. })
        ),
        "{error:?}"
    );
    let error = client
        .audit_with(&CallOptions::new().log_tail(), "x".into())
        .await
        .unwrap_err();
    assert!(
        matches!(error, InvokeError::Rejected(ref r) if matches!(**r, Rejected::SynchronousOnly { .. }))
    );
    let error = client
        .ping_with(&CallOptions::new().qualifier("8"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, InvokeError::Rejected(ref r) if matches!(**r, Rejected::Name(_))),
        "{error:?}"
    );
    let error = client
        .charge_with(&CallOptions::new().qualifier("no spaces"), order())
        .await
        .unwrap_err();
    assert!(matches!(error, InvokeError::Rejected(_)));
    assert!(server.received().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn an_unknown_method_index_is_rejected_without_sending() {
    let server = Scripted::start(|_| Reply::ok("{}")).await;
    let client = client(&server);
    let error = client
        .invoker()
        .invoke::<serde_json::Value, std::convert::Infallible>(99, Ok(b"{}".to_vec().into()), None)
        .await
        .unwrap_err();
    match error {
        InvokeError::Rejected(rejected) => assert_eq!(
            *rejected,
            Rejected::UnknownMethod {
                index: 99,
                methods: 5
            }
        ),
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_builder_renames_functions_without_recompiling() {
    let server = Scripted::start(|_| Reply::ok(r#"{"id":"r","total":1}"#)).await;
    let client = BillingClient::builder(server.sdk())
        .function_prefix("prod-")
        .qualifier("stable")
        .function("quote", "123456789012:function:quote-eu")
        .env_lookup(|key| {
            (key == "LAMBDA_REMOTE_BILLING_AUDIT_FUNCTION").then(|| "audit-from-env".to_owned())
        })
        .build()
        .unwrap();
    client.charge(order()).await.unwrap();
    let request = server.last();
    assert_eq!(
        request.path,
        "/2015-03-31/functions/prod-billing-charge/invocations"
    );
    assert_eq!(request.query.as_deref(), Some("Qualifier=stable"));
    assert_eq!(
        client.invoker().function_name(3),
        Some("123456789012:function:quote-eu")
    );
    assert_eq!(client.invoker().function_name(1), Some("audit-from-env"));

    let error = BillingClient::builder(server.sdk())
        .function("refund", "x")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no method `refund`"), "{error}");
    let error = BillingClient::builder(server.sdk())
        .function_suffix("-has a space")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("charge"), "{error}");
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = BillingClient::new(support::sdk_client(&url));
    let error = client.charge(order()).await.unwrap_err();
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn the_client_is_cheap_to_clone_send_and_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<BillingClient>();
    assert_eq!(
        std::mem::size_of::<BillingClient>(),
        std::mem::size_of::<usize>()
    );
}

/// Generic code over the trait sees `Send` futures, and a fake implements it with `async fn`.
#[tokio::test]
async fn the_trait_stays_a_trait_for_fakes_and_generic_code() {
    struct Fake;
    impl Billing for Fake {
        async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>> {
            Ok(Receipt {
                id: order.sku,
                total: order.qty.into(),
            })
        }
        async fn audit(&self, _entry: String) -> Result<(), InvokeError> {
            Ok(())
        }
        async fn can_audit(&self) -> Result<(), InvokeError> {
            Ok(())
        }
        async fn quote(&self, _sku: String, qty: u32) -> Result<u64, InvokeError<StrictError>> {
            Ok(u64::from(qty) * 10)
        }
        async fn ping(&self) -> Result<(), InvokeError> {
            Ok(())
        }
    }
    async fn total<B: Billing + Sync>(billing: &B) -> u64 {
        billing.quote("A".into(), 3).await.unwrap()
    }
    let spawned = tokio::spawn(async { total(&Fake).await });
    assert_eq!(spawned.await.unwrap(), 30);
}
