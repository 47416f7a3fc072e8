//! The local Lambda endpoint, driven through the real `aws_sdk_lambda::Client`.
//! Needs the `local` feature of `lambda-remote-runtime`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_sdk_lambda::Client;
use aws_sdk_lambda::config::retry::RetryConfig;
use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_lambda::operation::RequestId;
use aws_sdk_lambda::operation::invoke::{InvokeError, InvokeOutput};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{InvocationType as SdkInvocationType, LogType, ThrottleReason};
use bytes::Bytes;
use lambda_remote_runtime::local::{Flavor, Function, Handler, LocalLambda, ServiceError};
use lambda_remote_runtime::{ErrorObject, InvocationType, Limits};

const SYNC_PAYLOAD_LIMIT: usize = Limits::SYNC_PAYLOAD;
use serde_json::{Value, json};
use tokio::sync::{Barrier, Notify, mpsc};

type InvokeResult = Result<InvokeOutput, SdkError<InvokeError>>;

/// Echoes the payload.
fn echo() -> Handler {
    Handler::new(|invocation| async move { Ok(Bytes::copy_from_slice(invocation.payload())) })
}

/// Answers a JSON string naming the handler, e.g. `"v1"`.
fn named(label: &'static str) -> Handler {
    Handler::new(move |_| async move { Ok(Bytes::from(format!("\"{label}\""))) })
}

fn always_fails() -> Handler {
    Handler::new(|_| async { Err(ErrorObject::new("ValidationError", "bad sku")) })
}

/// A client that does not retry, for tests that provoke retryable errors.
fn no_retry_client(lambda: &LocalLambda) -> Client {
    let config = lambda
        .sdk_config()
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

fn payload_json(output: &InvokeOutput) -> Value {
    let bytes = output.payload().map(Blob::as_ref).unwrap_or_default();
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("payload is not JSON ({e}): {bytes:?}"))
}

fn service_error(result: InvokeResult) -> InvokeError {
    match result {
        Ok(output) => panic!("expected a service error, got {output:?}"),
        Err(error) => error.into_service_error(),
    }
}

/// The SDK's catch-all for codes its model does not know (deprecated to match on, but it is
/// exactly what a caller gets for e.g. `RequestEntityTooLargeException`).
#[allow(deprecated)]
fn is_unhandled(error: &InvokeError) -> bool {
    matches!(error, InvokeError::Unhandled(_))
}

fn status_of(result: &InvokeResult) -> Option<u16> {
    result
        .as_ref()
        .err()
        .and_then(|e| e.raw_response())
        .map(|r| r.status().as_u16())
}

async fn invoke(client: &Client, function: &str, payload: &str) -> InvokeResult {
    client
        .invoke()
        .function_name(function)
        .payload(Blob::new(payload))
        .send()
        .await
}

fn versioned() -> Function {
    Function::new("orders", named("latest"))
        .version("1", named("v1"))
        .version("2", named("v2"))
        .alias("live", "1")
        .alias("beta", "$LATEST")
}

#[tokio::test]
async fn sync_invoke_returns_result_and_lambda_headers() {
    let lambda = LocalLambda::builder()
        .handler("echo", |i| async move {
            Ok(Bytes::copy_from_slice(i.payload()))
        })
        .start()
        .await
        .unwrap();
    assert!(lambda.addr().ip().is_loopback());
    assert_eq!(
        lambda.endpoint_url(),
        format!("http://127.0.0.1:{}", lambda.addr().port())
    );

    let output = invoke(&lambda.sdk_client(), "echo", r#"{"sku":"A-1"}"#)
        .await
        .unwrap();

    assert_eq!(output.status_code(), 200);
    assert_eq!(payload_json(&output), json!({"sku": "A-1"}));
    assert_eq!(output.executed_version(), Some("$LATEST"));
    assert_eq!(output.function_error(), None);
    assert_eq!(output.log_result(), None);
    let request_id = output.request_id().unwrap();
    assert_eq!(lambda.invocations("echo")[0].request_id, request_id);
}

#[tokio::test]
async fn empty_results_are_null_and_empty_payloads_are_an_empty_object() {
    let lambda = LocalLambda::builder()
        .handler("nothing", |_| async { Ok(Bytes::new()) })
        .json_function("unit", |_: Value| async { Ok::<(), ErrorObject>(()) })
        .json_function("add", |(a, b): (i64, i64)| async move {
            Ok::<_, ErrorObject>(a + b)
        })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    for function in ["nothing", "unit"] {
        let output = invoke(&client, function, "{}").await.unwrap();
        assert_eq!(output.payload().unwrap().as_ref(), b"null");
    }
    let output = invoke(&client, "add", "[2, 3]").await.unwrap();
    assert_eq!(payload_json(&output), json!(5));

    client
        .invoke()
        .function_name("nothing")
        .send()
        .await
        .unwrap();
    assert_eq!(lambda.invocations("nothing")[1].payload.as_ref(), b"{}");
}

#[tokio::test]
async fn every_name_form_and_qualifier_resolves() {
    let lambda = LocalLambda::builder()
        .function(versioned())
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        ("orders", None, "$LATEST", "latest"),
        ("orders:$LATEST", None, "$LATEST", "latest"),
        ("orders:1", None, "1", "v1"),
        ("orders:2", None, "2", "v2"),
        ("orders:live", None, "1", "v1"),
        ("orders:beta", None, "$LATEST", "latest"),
        ("orders", Some("live"), "1", "v1"),
        ("orders", Some("2"), "2", "v2"),
        ("orders:live", Some("live"), "1", "v1"),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:orders",
            None,
            "$LATEST",
            "latest",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:orders:live",
            None,
            "1",
            "v1",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:orders",
            Some("2"),
            "2",
            "v2",
        ),
        (
            "arn:aws-cn:lambda:cn-north-1:999999999999:function:orders:1",
            None,
            "1",
            "v1",
        ),
        (
            "arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:orders",
            None,
            "$LATEST",
            "latest",
        ),
        ("123456789012:function:orders", None, "$LATEST", "latest"),
        ("123456789012:function:orders:live", None, "1", "v1"),
        ("123456789012:function:orders", Some("1"), "1", "v1"),
        ("us-west-2:123456789012:function:orders:2", None, "2", "v2"),
    ];
    for (name, qualifier, version, body) in cases {
        let output = client
            .invoke()
            .function_name(*name)
            .set_qualifier(qualifier.map(str::to_owned))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name} {qualifier:?}: {e:?}"));
        assert_eq!(
            output.executed_version(),
            Some(*version),
            "{name} {qualifier:?}"
        );
        assert_eq!(payload_json(&output), json!(body), "{name} {qualifier:?}");
    }

    let recorded = lambda.invocations("orders");
    assert_eq!(recorded.len(), cases.len());
    assert_eq!(recorded[4].qualifier.as_deref(), Some("live"));
    assert_eq!(recorded[4].executed_version, "1");
    assert_eq!(recorded[0].qualifier, None);
    assert_eq!(recorded[6].qualifier.as_deref(), Some("live"));
}

#[tokio::test]
async fn a_qualifier_conflict_is_rejected() {
    let lambda = LocalLambda::builder()
        .function(versioned())
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    for name in [
        "orders:1",
        "arn:aws:lambda:us-east-1:123456789012:function:orders:1",
    ] {
        let result = client
            .invoke()
            .function_name(name)
            .qualifier("live")
            .send()
            .await;
        assert_eq!(status_of(&result), Some(400));
        let error = service_error(result);
        assert!(error.is_invalid_parameter_value_exception(), "{error:?}");
        assert_eq!(
            error.message(),
            Some(
                "The derived qualifier from the function name does not match the specified qualifier."
            )
        );
    }
    assert!(lambda.all_invocations().is_empty());
}

#[tokio::test]
async fn unknown_functions_versions_and_aliases_are_not_found() {
    let lambda = LocalLambda::builder()
        .function(versioned())
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let arn = "arn:aws:lambda:us-east-1:123456789012:function";
    let cases = [
        ("nope", None, format!("Function not found: {arn}:nope")),
        (
            "orders:9",
            None,
            format!("Function not found: {arn}:orders:9"),
        ),
        (
            "orders",
            Some("ghost"),
            format!("Function not found: {arn}:orders:ghost"),
        ),
        (
            "arn:aws:lambda:eu-west-1:123456789012:function:nope:live",
            None,
            format!("Function not found: {arn}:nope"),
        ),
    ];
    for (name, qualifier, message) in cases {
        let result = client
            .invoke()
            .function_name(name)
            .set_qualifier(qualifier.map(str::to_owned))
            .send()
            .await;
        assert_eq!(status_of(&result), Some(404));
        let error = service_error(result);
        assert!(error.is_resource_not_found_exception(), "{error:?}");
        assert_eq!(error.message(), Some(message.as_str()));
        assert_eq!(error.code(), Some("ResourceNotFoundException"));
    }
}

#[tokio::test]
async fn malformed_names_and_header_values_are_invalid_parameters() {
    let lambda = LocalLambda::builder()
        .handler("echo", |_| async { Ok(Bytes::new()) })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    let too_long = "x".repeat(65);
    for name in [
        "bad name",
        "echo:1:2",
        "arn:aws:s3:us-east-1:123456789012:function:echo",
        too_long.as_str(),
        "echo:bad!",
    ] {
        let error = service_error(client.invoke().function_name(name).send().await);
        assert!(
            error.is_invalid_parameter_value_exception(),
            "{name}: {error:?}"
        );
    }
    let error = service_error(
        client
            .invoke()
            .function_name("echo")
            .invocation_type(SdkInvocationType::from("Sideways"))
            .send()
            .await,
    );
    assert!(error.is_invalid_parameter_value_exception(), "{error:?}");
    assert!(
        error
            .message()
            .unwrap()
            .contains("Value 'Sideways' at 'invocationType'")
    );
    let error = service_error(
        client
            .invoke()
            .function_name("echo")
            .log_type(LogType::from("Everything"))
            .send()
            .await,
    );
    assert!(error.is_invalid_parameter_value_exception(), "{error:?}");
    assert!(lambda.all_invocations().is_empty());
}

#[tokio::test]
async fn event_is_accepted_with_202_and_runs_in_the_background() {
    let (started, mut started_rx) = mpsc::unbounded_channel();
    let lambda = LocalLambda::builder()
        .handler("audit", move |invocation| {
            let started = started.clone();
            async move {
                let _ = started.send(invocation.invocation_type());
                Ok(Bytes::from_static(b"\"ignored\""))
            }
        })
        .start()
        .await
        .unwrap();

    let output = lambda
        .sdk_client()
        .invoke()
        .function_name("audit:$LATEST")
        .invocation_type(SdkInvocationType::Event)
        .payload(Blob::new(r#"{"n":1}"#))
        .send()
        .await
        .unwrap();

    assert_eq!(output.status_code(), 202);
    assert!(output.payload().is_none_or(|p| p.as_ref().is_empty()));
    assert_eq!(output.executed_version(), Some("$LATEST"));
    assert_eq!(started_rx.recv().await, Some(InvocationType::Event));
    lambda.drain_events().await;
    let recorded = lambda.invocations("audit");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].invocation_type, InvocationType::Event);
    assert_eq!(recorded[0].attempt, 1);
    assert_eq!(recorded[0].request_id, output.request_id().unwrap());
    assert!(lambda.dead_letters().is_empty());
}

#[tokio::test]
async fn dry_run_checks_the_request_and_runs_nothing() {
    let lambda = LocalLambda::builder()
        .function(versioned())
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let dry_run = |name: &'static str, payload: &'static str| {
        client
            .invoke()
            .function_name(name)
            .invocation_type(SdkInvocationType::DryRun)
            .payload(Blob::new(payload))
            .send()
    };

    let output = dry_run("orders:live", "{}").await.unwrap();
    assert_eq!(output.status_code(), 204);
    assert_eq!(output.executed_version(), Some("1"));
    assert!(service_error(dry_run("missing", "{}").await).is_resource_not_found_exception());
    assert!(
        service_error(dry_run("orders", "not json").await).is_invalid_request_content_exception()
    );
    assert!(lambda.all_invocations().is_empty());
}

#[tokio::test]
async fn a_function_error_is_200_with_the_header_and_the_error_object() {
    let lambda = LocalLambda::builder()
        .handler("validate", |_| async {
            Err(ErrorObject::new("ValidationError", "bad sku").with_field("sku", "X-9"))
        })
        .handler("parse", |invocation| async move {
            let n: u32 = serde_json::from_slice(invocation.payload())?;
            Ok(Bytes::from(n.to_string()))
        })
        .handler("raw", |_| async {
            Err(ErrorObject::from_json(json!("just a string")))
        })
        .json_function("typed", |order: Order| async move {
            Ok::<_, ErrorObject>(order.sku)
        })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    let output = invoke(&client, "validate", "{}").await.unwrap();
    assert_eq!(output.status_code(), 200);
    assert_eq!(output.function_error(), Some("Unhandled"));
    assert_eq!(output.executed_version(), Some("$LATEST"));
    assert_eq!(
        payload_json(&output),
        json!({"errorType": "ValidationError", "errorMessage": "bad sku", "sku": "X-9"})
    );

    let output = invoke(&client, "parse", r#""seven""#).await.unwrap();
    assert_eq!(output.function_error(), Some("Unhandled"));
    assert_eq!(
        payload_json(&output)["errorType"],
        "&serde_json::error::Error"
    );

    let output = invoke(&client, "raw", "{}").await.unwrap();
    assert_eq!(output.function_error(), Some("Unhandled"));
    assert_eq!(payload_json(&output), json!("just a string"));

    let output = invoke(&client, "typed", r#"{"quantity":1}"#).await.unwrap();
    assert_eq!(output.function_error(), Some("Unhandled"));
    let error = payload_json(&output);
    assert_eq!(
        error["errorType"],
        "&lambda_runtime::deserializer::DeserializeError"
    );
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("missing field `sku`")
    );
    assert_eq!(
        payload_json(&invoke(&client, "typed", r#"{"sku":"A"}"#).await.unwrap()),
        json!("A")
    );
}

#[derive(serde::Deserialize)]
struct Order {
    sku: String,
}

#[tokio::test]
async fn a_panic_is_a_function_error_and_the_endpoint_lives_on() {
    let lambda = LocalLambda::builder()
        .handler("explode", |invocation| async move {
            if invocation.payload() == b"\"boom\"" {
                panic!("boom");
            }
            Ok(Bytes::from_static(b"\"fine\""))
        })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    let output = invoke(&client, "explode", r#""boom""#).await.unwrap();
    assert_eq!(output.status_code(), 200);
    assert_eq!(output.function_error(), Some("Unhandled"));
    assert_eq!(
        payload_json(&output),
        json!({
            "errorType": "&alloc::boxed::Box<dyn core::any::Any + core::marker::Send>",
            "errorMessage": "Lambda panicked: boom",
        })
    );
    let output = invoke(&client, "explode", r#""calm""#).await.unwrap();
    assert_eq!(payload_json(&output), json!("fine"));
}

#[tokio::test]
async fn a_handler_that_panics_before_returning_its_future_is_a_function_error() {
    let lambda = LocalLambda::builder()
        .function(Function::new(
            "eager",
            Handler::new(|invocation: lambda_remote_runtime::local::Invocation| {
                if invocation.payload() == b"\"boom\"" {
                    panic!("before the future");
                }
                async { Ok(Bytes::from_static(b"\"fine\"")) }
            }),
        ))
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let output = invoke(&client, "eager", r#""boom""#).await.unwrap();
    assert_eq!(output.function_error(), Some("Unhandled"));
    assert_eq!(
        payload_json(&output)["errorMessage"],
        json!("Lambda panicked: before the future")
    );
    let output = invoke(&client, "eager", r#""calm""#).await.unwrap();
    assert_eq!(payload_json(&output), json!("fine"));
}

#[tokio::test]
async fn the_log_tail_comes_with_tail_only() {
    let lambda = LocalLambda::builder()
        .handler("chatty", |invocation| async move {
            let lines: usize = invocation.json()?;
            for n in 0..lines {
                invocation.log(format!("line {n}"));
            }
            Ok(Bytes::new())
        })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let tail = |lines: &'static str| {
        client
            .invoke()
            .function_name("chatty")
            .log_type(LogType::Tail)
            .payload(Blob::new(lines))
            .send()
    };

    let output = tail("2").await.unwrap();
    let log =
        String::from_utf8(aws_smithy_types::base64::decode(output.log_result().unwrap()).unwrap())
            .unwrap();
    let request_id = output.request_id().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines[0],
        format!("START RequestId: {request_id} Version: $LATEST")
    );
    assert_eq!(&lines[1..3], ["line 0", "line 1"]);
    assert_eq!(lines[3], format!("END RequestId: {request_id}"));
    assert!(lines[4].starts_with(&format!("REPORT RequestId: {request_id}\tDuration: ")));

    let output = tail("1000").await.unwrap();
    let log = aws_smithy_types::base64::decode(output.log_result().unwrap()).unwrap();
    assert_eq!(log.len(), 4096);
    assert!(String::from_utf8_lossy(&log).contains("line 999\nEND RequestId: "));

    let output = invoke(&client, "chatty", "2").await.unwrap();
    assert_eq!(output.log_result(), None);
    let output = client
        .invoke()
        .function_name("chatty")
        .log_type(LogType::Tail)
        .invocation_type(SdkInvocationType::Event)
        .payload(Blob::new("1"))
        .send()
        .await
        .unwrap();
    assert_eq!(output.log_result(), None);
}

#[tokio::test]
async fn the_client_context_reaches_the_handler_decoded() {
    let lambda = LocalLambda::builder()
        .handler("context", |invocation| async move {
            Ok(Bytes::from(
                invocation
                    .client_context()
                    .cloned()
                    .unwrap_or(Value::Null)
                    .to_string(),
            ))
        })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let context = json!({"custom": {"tenant": "acme"}, "env": {"locale": "en"}});

    let output = client
        .invoke()
        .function_name("context")
        .client_context(aws_smithy_types::base64::encode(context.to_string()))
        .send()
        .await
        .unwrap();

    assert_eq!(payload_json(&output), context);
    assert_eq!(
        lambda.invocations("context")[0].client_context,
        Some(context)
    );
    let output = invoke(&client, "context", "{}").await.unwrap();
    assert_eq!(payload_json(&output), Value::Null);
}

#[tokio::test]
async fn a_bad_client_context_is_an_invalid_parameter() {
    let lambda = LocalLambda::builder()
        .handler("context", |_| async { Ok(Bytes::new()) })
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let too_big =
        aws_smithy_types::base64::encode(json!({"custom": {"pad": "x".repeat(2700)}}).to_string());
    assert!(too_big.len() > 3583);
    let just_fits =
        aws_smithy_types::base64::encode(json!({"custom": {"pad": "x".repeat(2650)}}).to_string());
    assert!(just_fits.len() <= 3583);

    for context in [
        too_big,
        "not base64!".to_owned(),
        aws_smithy_types::base64::encode("not json"),
        aws_smithy_types::base64::encode("[1]"),
    ] {
        let error = service_error(
            client
                .invoke()
                .function_name("context")
                .client_context(context)
                .send()
                .await,
        );
        assert!(error.is_invalid_parameter_value_exception(), "{error:?}");
        assert_eq!(
            error.message(),
            Some(
                "Client context must be a valid Base64-encoded JSON object no larger than 3583 bytes"
            )
        );
    }
    client
        .invoke()
        .function_name("context")
        .client_context(just_fits)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_payload_that_is_not_json_is_invalid_request_content() {
    let lambda = LocalLambda::builder()
        .handler("echo", |_| async { Ok(Bytes::new()) })
        .start()
        .await
        .unwrap();

    let result = invoke(&lambda.sdk_client(), "echo", "value").await;

    assert_eq!(status_of(&result), Some(400));
    let error = service_error(result);
    assert!(error.is_invalid_request_content_exception(), "{error:?}");
    assert!(
        error
            .message()
            .unwrap()
            .starts_with("Could not parse request body into json: ")
    );
    assert!(lambda.all_invocations().is_empty());
}

#[tokio::test]
async fn payloads_over_the_limits_are_413_request_entity_too_large() {
    let lambda = LocalLambda::builder()
        .handler("echo", |_| async { Ok(Bytes::new()) })
        .start()
        .await
        .unwrap();
    let client = no_retry_client(&lambda);
    let json_string = |len: usize| format!("\"{}\"", "a".repeat(len - 2));

    let result = invoke(&client, "echo", &json_string(SYNC_PAYLOAD_LIMIT + 1)).await;
    assert_eq!(status_of(&result), Some(413));
    let error = service_error(result);
    assert!(is_unhandled(&error), "{error:?}");
    assert_eq!(error.code(), Some("RequestEntityTooLargeException"));
    assert_eq!(
        error.message(),
        Some("Request must be smaller than 6291456 bytes for the InvokeFunction operation")
    );
    invoke(&client, "echo", &json_string(SYNC_PAYLOAD_LIMIT))
        .await
        .unwrap();

    let event = |len: usize| {
        client
            .invoke()
            .function_name("echo")
            .invocation_type(SdkInvocationType::Event)
            .payload(Blob::new(json_string(len)))
            .send()
    };
    let result = event(1_048_577).await;
    assert_eq!(status_of(&result), Some(413));
    let error = service_error(result);
    assert_eq!(error.code(), Some("RequestEntityTooLargeException"));
    assert_eq!(
        error.message(),
        Some("Request must be smaller than 1048576 bytes for the InvokeFunction operation")
    );
    assert_eq!(event(1_048_576).await.unwrap().status_code(), 202);

    let small = LocalLambda::builder()
        .handler("echo", |_| async { Ok(Bytes::new()) })
        .limits(Limits::default().with_async_payload(262_144))
        .start()
        .await
        .unwrap();
    let result = small
        .sdk_client()
        .invoke()
        .function_name("echo")
        .invocation_type(SdkInvocationType::Event)
        .payload(Blob::new(json_string(262_145)))
        .send()
        .await;
    assert_eq!(
        service_error(result).code(),
        Some("RequestEntityTooLargeException")
    );
}

#[tokio::test]
async fn reserved_concurrency_throttles_with_the_reason() {
    let release = Arc::new(Notify::new());
    let (started, mut started_rx) = mpsc::unbounded_channel();
    let handler = {
        let release = release.clone();
        Handler::new(move |_| {
            let (release, started) = (release.clone(), started.clone());
            async move {
                let _ = started.send(());
                release.notified().await;
                Ok(Bytes::from_static(b"\"done\""))
            }
        })
    };
    let lambda = LocalLambda::builder()
        .function(Function::new("single", handler).reserved_concurrency(1))
        .function(Function::new("frozen", echo()).reserved_concurrency(0))
        .start()
        .await
        .unwrap();
    let client = no_retry_client(&lambda);

    let first = tokio::spawn({
        let client = client.clone();
        async move { invoke(&client, "single", "{}").await }
    });
    started_rx.recv().await.unwrap();
    let result = invoke(&client, "single", "{}").await;
    assert_eq!(status_of(&result), Some(429));
    let InvokeError::TooManyRequestsException(throttled) = service_error(result) else {
        panic!("expected TooManyRequestsException");
    };
    assert_eq!(
        throttled.reason(),
        Some(&ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded)
    );
    assert_eq!(throttled.retry_after_seconds(), Some("1"));
    assert_eq!(throttled.r#type(), Some("User"));

    release.notify_one();
    assert_eq!(payload_json(&first.await.unwrap().unwrap()), json!("done"));
    release.notify_one();
    let output = invoke(&client, "single", "{}").await.unwrap();
    assert_eq!(output.function_error(), None, "the slot was freed");

    let error = service_error(invoke(&client, "frozen", "{}").await);
    assert!(error.is_too_many_requests_exception(), "{error:?}");
    let output = client
        .invoke()
        .function_name("frozen")
        .invocation_type(SdkInvocationType::Event)
        .send()
        .await
        .unwrap();
    assert_eq!(output.status_code(), 202);
    lambda.drain_events().await;
    let dead = lambda.dead_letters();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 0);
    assert_eq!(dead[0].error["errorType"], "TooManyRequestsException");
    assert!(lambda.invocations("frozen").is_empty());
}

/// A caller that goes away does not stop its function (`tests/otel`), and the function's
/// timeout still does: the run handed on to a task of its own ends at the deadline.
#[tokio::test]
async fn a_function_whose_caller_went_away_still_ends_at_its_timeout() {
    let started = Arc::new(AtomicU32::new(0));
    let finished = Arc::new(AtomicU32::new(0));
    let (s, f) = (started.clone(), finished.clone());
    let lambda = LocalLambda::builder()
        .function(
            Function::new(
                "slow",
                Handler::new(move |_| {
                    let (s, f) = (s.clone(), f.clone());
                    async move {
                        s.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(1_000)).await;
                        f.fetch_add(1, Ordering::SeqCst);
                        Ok(Bytes::new())
                    }
                }),
            )
            .timeout(Duration::from_millis(300)),
        )
        .start()
        .await
        .unwrap();
    let client = no_retry_client(&lambda);

    let given_up =
        tokio::time::timeout(Duration::from_millis(100), invoke(&client, "slow", "{}")).await;
    assert!(given_up.is_err(), "the call was given up after 100 ms");
    // The handler's 1 s sleep, and a margin of 1 s: it would have finished by now.
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    assert_eq!(started.load(Ordering::SeqCst), 1);
    assert_eq!(finished.load(Ordering::SeqCst), 0);
    assert_eq!(lambda.invocations("slow").len(), 1);
}

#[tokio::test]
async fn a_timeout_is_a_sandbox_timedout_function_error() {
    let lambda = LocalLambda::builder()
        .function(
            Function::new(
                "slow",
                Handler::new(|_| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Ok(Bytes::new())
                }),
            )
            .timeout(Duration::from_millis(200)),
        )
        .start()
        .await
        .unwrap();

    let output = lambda
        .sdk_client()
        .invoke()
        .function_name("slow")
        .log_type(LogType::Tail)
        .send()
        .await
        .unwrap();

    assert_eq!(output.status_code(), 200);
    assert_eq!(output.function_error(), Some("Unhandled"));
    let request_id = output.request_id().unwrap();
    assert_eq!(
        payload_json(&output),
        json!({
            "errorType": "Sandbox.Timedout",
            "errorMessage": format!("RequestId: {request_id} Error: Task timed out after 0.20 seconds"),
        })
    );
    let log =
        String::from_utf8(aws_smithy_types::base64::decode(output.log_result().unwrap()).unwrap())
            .unwrap();
    assert!(log.contains(&format!(
        "{request_id} Task timed out after 0.20 seconds\nEND"
    )));
}

#[tokio::test]
async fn failed_events_are_retried_twice_then_dead_lettered() {
    let flaky_calls = Arc::new(AtomicU32::new(0));
    let flaky = {
        let calls = flaky_calls.clone();
        Handler::new(move |_| {
            let first = calls.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    Err(ErrorObject::new("Transient", "try again"))
                } else {
                    Ok(Bytes::new())
                }
            }
        })
    };
    let lambda = LocalLambda::builder()
        .function(
            Function::new("doomed", always_fails())
                .version("1", always_fails())
                .alias("live", "1"),
        )
        .function(Function::new("flaky", flaky))
        .function(Function::new(
            "panicky",
            Handler::new(|_| async { panic!("always") }),
        ))
        .event_retry_delays(Duration::from_millis(5), Duration::from_millis(10))
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();
    let event = |name: &'static str, payload: &'static str| {
        client
            .invoke()
            .function_name(name)
            .invocation_type(SdkInvocationType::Event)
            .payload(Blob::new(payload))
            .send()
    };

    let doomed = event("doomed:live", r#"{"order":7}"#).await.unwrap();
    event("flaky", "{}").await.unwrap();
    event("panicky", "{}").await.unwrap();
    lambda.drain_events().await;

    let attempts = lambda.invocations("doomed");
    assert_eq!(
        attempts.iter().map(|a| a.attempt).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(
        attempts
            .iter()
            .all(|a| a.request_id == doomed.request_id().unwrap()
                && a.executed_version == "1"
                && a.qualifier.as_deref() == Some("live"))
    );
    assert_eq!(lambda.invocations("flaky").len(), 2);
    assert_eq!(lambda.invocations("panicky").len(), 3);

    let mut dead = lambda.dead_letters();
    dead.sort_by(|a, b| a.function.cmp(&b.function));
    assert_eq!(dead.len(), 2);
    assert_eq!(dead[0].function, "doomed");
    assert_eq!(dead[0].executed_version, "1");
    assert_eq!(dead[0].attempts, 3);
    assert_eq!(dead[0].payload.as_ref(), br#"{"order":7}"#);
    assert_eq!(
        dead[0].error,
        json!({"errorType": "ValidationError", "errorMessage": "bad sku"})
    );
    assert_eq!(dead[0].request_id, doomed.request_id().unwrap());
    assert_eq!(dead[1].function, "panicky");
    assert_eq!(dead[1].error["errorMessage"], "Lambda panicked: always");
}

#[tokio::test]
async fn invocations_are_recorded_in_order() {
    let lambda = LocalLambda::builder()
        .function(versioned())
        .function(Function::new("echo", echo()))
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    invoke(&client, "orders", r#"{"n":1}"#).await.unwrap();
    invoke(&client, "echo", r#"{"n":2}"#).await.unwrap();
    client
        .invoke()
        .function_name("orders")
        .qualifier("live")
        .payload(Blob::new(r#"{"n":3}"#))
        .send()
        .await
        .unwrap();
    invoke(&client, "orders:2", r#"{"n":4}"#).await.unwrap();

    let orders = lambda.invocations("orders");
    let payloads: Vec<&[u8]> = orders.iter().map(|i| i.payload.as_ref()).collect();
    assert_eq!(payloads, [&br#"{"n":1}"#[..], br#"{"n":3}"#, br#"{"n":4}"#]);
    let qualifiers: Vec<Option<&str>> = orders.iter().map(|i| i.qualifier.as_deref()).collect();
    assert_eq!(qualifiers, [None, Some("live"), Some("2")]);
    let versions: Vec<&str> = orders.iter().map(|i| i.executed_version.as_str()).collect();
    assert_eq!(versions, ["$LATEST", "1", "2"]);
    assert!(
        orders
            .iter()
            .all(|i| i.invocation_type == InvocationType::RequestResponse && i.attempt == 1)
    );
    let functions: Vec<String> = lambda
        .all_invocations()
        .into_iter()
        .map(|i| i.function)
        .collect();
    assert_eq!(functions, ["orders", "echo", "orders", "orders"]);
}

#[tokio::test]
async fn injected_faults_are_answered_as_aws_encodes_them() {
    let lambda = LocalLambda::builder()
        .function(Function::new("echo", echo()))
        .start()
        .await
        .unwrap();
    let client = no_retry_client(&lambda);

    lambda.fail_next_with(
        "echo",
        ServiceError::too_many_requests("CallerRateLimitExceeded"),
    );
    lambda.fail_next_with(
        "echo",
        ServiceError::new(502, "KMSAccessDeniedException", "no key"),
    );
    lambda.fail_next_with(
        "echo",
        ServiceError::new(409, "ResourceConflictException", "being updated")
            .with_field("Type", "User")
            .with_header("x-custom", "1"),
    );
    lambda.fail_next_with("ghost", ServiceError::new(503, "ShinyNewException", "new"));

    let InvokeError::TooManyRequestsException(throttled) =
        service_error(invoke(&client, "echo:$LATEST", "{}").await)
    else {
        panic!("expected throttling");
    };
    assert_eq!(
        throttled.reason(),
        Some(&ThrottleReason::CallerRateLimitExceeded)
    );
    let result = invoke(&client, "echo", "{}").await;
    assert_eq!(status_of(&result), Some(502));
    assert!(service_error(result).is_kms_access_denied_exception());
    let result = client
        .invoke()
        .function_name("arn:aws:lambda:us-east-1:123456789012:function:echo")
        .invocation_type(SdkInvocationType::Event)
        .send()
        .await;
    let raw = result
        .as_ref()
        .err()
        .and_then(|e| e.raw_response())
        .unwrap();
    assert_eq!(raw.headers().get("x-custom"), Some("1"));
    assert_eq!(
        raw.headers().get("x-amzn-ErrorType"),
        Some("ResourceConflictException")
    );
    assert_eq!(raw.headers().get("content-type"), Some("application/json"));
    assert!(service_error(result).is_resource_conflict_exception());
    let error = service_error(invoke(&client, "ghost", "{}").await);
    assert!(is_unhandled(&error));
    assert_eq!(error.code(), Some("ShinyNewException"));

    assert_eq!(
        payload_json(&invoke(&client, "echo", "[1]").await.unwrap()),
        json!([1])
    );
    assert!(service_error(invoke(&client, "ghost", "{}").await).is_resource_not_found_exception());
    assert_eq!(lambda.all_invocations().len(), 1);
}

#[tokio::test]
async fn the_cargo_lambda_flavour_behaves_like_cargo_lambda_watch() {
    let lambda = LocalLambda::builder()
        .flavor(Flavor::CargoLambda)
        .function(versioned())
        .function(Function::new("echo", echo()))
        .function(Function::new("failing", always_fails()))
        .start()
        .await
        .unwrap();
    let client = no_retry_client(&lambda);

    let output = invoke(&client, "echo", r#"{"a":1}"#).await.unwrap();
    assert_eq!(output.status_code(), 200);
    assert_eq!(payload_json(&output), json!({"a": 1}));
    assert_eq!(output.executed_version(), None);

    let output = client
        .invoke()
        .function_name("echo")
        .invocation_type(SdkInvocationType::Event)
        .payload(Blob::new("[1]"))
        .send()
        .await
        .unwrap();
    assert_eq!(output.status_code(), 200);
    assert_eq!(payload_json(&output), json!([1]));

    let result = invoke(&client, "failing", "{}").await;
    let raw = result
        .as_ref()
        .err()
        .and_then(|e| e.raw_response())
        .unwrap();
    assert_eq!(raw.status().as_u16(), 500);
    assert_eq!(raw.headers().get("X-Amz-Function-Error"), None);
    let body: Value = serde_json::from_slice(raw.body().bytes().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"errorType": "ValidationError", "errorMessage": "bad sku"})
    );
    assert!(is_unhandled(&service_error(result)));
    assert_eq!(lambda.invocations("failing").len(), 1);

    for name in ["missing", "orders:live"] {
        let result = invoke(&client, name, "{}").await;
        let raw = result
            .as_ref()
            .err()
            .and_then(|e| e.raw_response())
            .unwrap();
        assert_eq!(raw.status().as_u16(), 404);
        let body: Value = serde_json::from_slice(raw.body().bytes().unwrap()).unwrap();
        assert_eq!(body["title"], "Missing function");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains(r#"Available functions: {"echo", "failing", "orders"}"#)
        );
    }
}

#[tokio::test]
async fn dropping_the_endpoint_closes_it() {
    let lambda = LocalLambda::builder()
        .function(Function::new("echo", echo()))
        .start()
        .await
        .unwrap();
    let addr = lambda.addr();
    let pooled = no_retry_client(&lambda);
    invoke(&pooled, "echo", "{}").await.unwrap();
    let fresh = no_retry_client(&lambda);

    drop(lambda);

    let result = invoke(&pooled, "echo", "{}").await;
    assert!(
        result.as_ref().is_err_and(|e| e.raw_response().is_none()),
        "{result:?}"
    );
    let result = invoke(&fresh, "echo", "{}").await;
    assert!(
        matches!(result, Err(SdkError::DispatchFailure(_))),
        "{result:?}"
    );
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn shutdown_closes_the_endpoint_and_stops_the_server() {
    let lambda = LocalLambda::builder()
        .function(Function::new("echo", echo()))
        .start()
        .await
        .unwrap();
    let addr = lambda.addr();
    let client = no_retry_client(&lambda);
    invoke(&client, "echo", "{}").await.unwrap();

    lambda.shutdown().await;

    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    assert!(invoke(&client, "echo", "{}").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_calls_are_served_concurrently() {
    const CALLS: usize = 200;
    let barrier = Arc::new(Barrier::new(CALLS));
    let lambda = LocalLambda::builder()
        .function(
            Function::new(
                "gather",
                Handler::new(move |invocation| {
                    let barrier = barrier.clone();
                    async move {
                        barrier.wait().await;
                        Ok(Bytes::copy_from_slice(invocation.payload()))
                    }
                }),
            )
            .timeout(Duration::from_secs(60)),
        )
        .start()
        .await
        .unwrap();
    let client = lambda.sdk_client();

    let calls = (0..CALLS).map(|n| {
        let client = client.clone();
        tokio::spawn(async move { invoke(&client, "gather", &n.to_string()).await })
    });
    let all = tokio::time::timeout(Duration::from_secs(60), futures_join(calls.collect()))
        .await
        .expect("all calls completed");

    for (n, result) in all.into_iter().enumerate() {
        assert_eq!(payload_json(&result.unwrap()), json!(n));
    }
    assert_eq!(lambda.invocations("gather").len(), CALLS);
}

async fn futures_join(handles: Vec<tokio::task::JoinHandle<InvokeResult>>) -> Vec<InvokeResult> {
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn invalid_definitions_fail_to_start() {
    let bad = [
        Function::new("orders", echo()).alias("live", "7"),
        Function::new("orders", echo()).version("one", echo()),
        Function::new("orders", echo()).alias("1", "$LATEST"),
        Function::new("bad name", echo()),
        Function::new("orders", echo()).timeout(Duration::ZERO),
    ];
    for function in bad {
        let error = LocalLambda::builder()
            .function(function)
            .start()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    }
    let error = LocalLambda::builder()
        .function(Function::new("twice", echo()))
        .function(Function::new("twice", echo()))
        .start()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}
