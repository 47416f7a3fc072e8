//! How the emulated local tools answer an Invoke request: `cargo lambda watch` and moto's
//! server (see [`Flavor`](super::Flavor)).

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::buffered::{READ_CAP, decode_base64_json, header, names};
use super::execute::Call;
use super::function_ref::FunctionRef;
use super::state::Shared;
use crate::invocation::InvocationType;

/// Answers one Invoke request the way `cargo lambda watch` does.
pub(crate) async fn cargo_lambda(
    shared: &Shared,
    function: &str,
    request: Request,
    request_id: String,
) -> Response {
    if let Some(fault) = shared.faults.take(function) {
        return fault.into_response(&request_id);
    }
    let reference = FunctionRef {
        name: function.to_owned(),
        qualifier: None,
    };
    let Ok(target) = shared.registry.resolve(&reference) else {
        let available: Vec<String> = shared
            .registry
            .names()
            .iter()
            .map(|n| format!("{n:?}"))
            .collect();
        let body = json!({
            "title": "Missing function",
            "detail": format!(
                "that function doesn't exist as a binary in your project. Available functions: {{{}}}",
                available.join(", ")
            ),
        });
        return (StatusCode::NOT_FOUND, Body::from(body.to_string())).into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(payload) = axum::body::to_bytes(body, READ_CAP).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let call = Call {
        target,
        qualifier: None,
        invocation_type: header(&parts.headers, &names::INVOCATION_TYPE)
            .and_then(InvocationType::from_wire)
            .unwrap_or(InvocationType::RequestResponse),
        payload,
        client_context: header(&parts.headers, &names::CLIENT_CONTEXT).and_then(decode_base64_json),
        request_id,
        tenant_id: header(&parts.headers, &names::TENANT_ID).map(str::to_owned),
        durable_execution_name: None,
    };
    match call.run(1, &shared.recorder, false).await.outcome {
        Ok(body) => (StatusCode::OK, Body::from(body)).into_response(),
        Err(object) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Body::from(object.to_string()),
        )
            .into_response(),
    }
}

/// Answers one Invoke request the way moto's server does without Docker: it echoes, whatever
/// the function, and fails on a payload that is not a JSON object.
pub(crate) async fn moto(request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(payload) = axum::body::to_bytes(body, READ_CAP).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&payload).is_err() {
        let page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
                    <h1>Internal Server Error</h1>\n<p>The server encountered an internal error \
                    and was unable to complete your request.</p>\n";
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(page),
        )
            .into_response();
    }
    let status =
        match header(&parts.headers, &names::INVOCATION_TYPE).and_then(InvocationType::from_wire) {
            Some(InvocationType::Event) => StatusCode::ACCEPTED,
            Some(InvocationType::DryRun) => StatusCode::NO_CONTENT,
            _ => StatusCode::OK,
        };
    (status, Body::from(payload)).into_response()
}

/// The name `cargo lambda watch` gives its default function.
pub(crate) const DEFAULT_FUNCTION: &str = "_";

/// Answers one `InvokeWithResponseStream` request the way `cargo lambda watch` (1.9.2) does.
/// It routes the SDK's streaming path (`/2021-11-15/…`) as a function URL request to its
/// default function (`_`, here: a function registered as `_`), whatever the name in the path:
/// the function receives an API Gateway v2 HTTP event whose `body` is the payload, and the
/// answer is its raw bytes, chunked, `application/octet-stream` with
/// `lambda-runtime-function-response-mode: streaming` — not event-stream frames. An error
/// before the first chunk is 500 with the error object; one after chunks arrives as
/// `lambda_runtime` writes it, its type and base64 body as text after the last chunk. Without
/// a default function: 404 `Default function disabled`.
pub(crate) async fn cargo_lambda_stream(
    shared: &Shared,
    request: Request,
    request_id: String,
) -> Response {
    use futures_util::StreamExt as _;
    let reference = FunctionRef {
        name: DEFAULT_FUNCTION.to_owned(),
        qualifier: None,
    };
    let Ok(target) = shared.registry.resolve(&reference) else {
        let body = json!({
            "title": "Default function disabled",
            "detail": "the default function is disabled: use /lambda-url/:function_name to send requests to a specific function",
        });
        return (StatusCode::NOT_FOUND, Body::from(body.to_string())).into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(payload) = axum::body::to_bytes(body, READ_CAP).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.uri.path(),
        "rawQueryString": parts.uri.query().unwrap_or_default(),
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": "POST", "path": parts.uri.path(), "protocol": "HTTP/1.1"},
            "requestId": &request_id,
            "routeKey": "$default",
            "stage": "$default",
        },
        "body": String::from_utf8_lossy(&payload),
        "isBase64Encoded": false,
    });
    let call = Call {
        target,
        qualifier: None,
        invocation_type: InvocationType::RequestResponse,
        payload: bytes::Bytes::from(event.to_string()),
        client_context: None,
        request_id,
        tenant_id: None,
        durable_execution_name: None,
    };
    let mut chunks = call.run_raw_stream(&shared.recorder);
    // An error before the first chunk is the answer's status.
    let first = loop {
        match chunks.next().await {
            Some(chunk) if chunk.is_empty() => continue,
            first => break first,
        }
    };
    if let Some(object) = first.as_deref().and_then(raw_stream_error) {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Body::from(object.to_string()),
        )
            .into_response();
    }
    let chunks = futures_util::stream::iter(first).chain(chunks);
    (
        StatusCode::OK,
        [
            ("content-type", "application/octet-stream"),
            ("lambda-runtime-function-response-mode", "streaming"),
            (
                "vary",
                "origin, access-control-request-method, access-control-request-headers",
            ),
            ("access-control-allow-credentials", "true"),
        ],
        Body::from_stream(
            chunks
                .filter(|chunk| std::future::ready(!chunk.is_empty()))
                .map(Ok::<_, std::convert::Infallible>),
        ),
    )
        .into_response()
}

/// The error object in `lambda_runtime`'s error text, if `chunk` is that text.
fn raw_stream_error(chunk: &[u8]) -> Option<serde_json::Value> {
    let text = std::str::from_utf8(chunk).ok()?;
    let body = text
        .lines()
        .find_map(|line| line.strip_prefix("Lambda-Runtime-Function-Error-Body: "))?;
    let decoded = aws_smithy_types::base64::decode(body.trim()).ok()?;
    serde_json::from_slice(&decoded).ok()
}

/// Answers one `InvokeWithResponseStream` request the way moto's server (5.2.1) does: it has
/// no route for it, and answers Werkzeug's 404 page.
pub(crate) async fn moto_stream() -> Response {
    let page = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
                <p>The requested URL was not found on the server. If you entered the URL \
                manually please check your spelling and try again.</p>\n";
    (
        StatusCode::NOT_FOUND,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(page),
    )
        .into_response()
}
