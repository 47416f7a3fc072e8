//! How the emulated local tools answer an Invoke request: `cargo lambda watch` and moto's
//! server (see [`Flavor`](super::Flavor)).

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::execute::Call;
use super::function_ref::FunctionRef;
use super::invoke::{decode_base64_json, header, READ_CAP};
use super::state::Shared;
use crate::InvocationType;

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
        invocation_type: header(&parts.headers, "x-amz-invocation-type")
            .and_then(InvocationType::from_wire)
            .unwrap_or(InvocationType::RequestResponse),
        payload,
        client_context: header(&parts.headers, "x-amz-client-context").and_then(decode_base64_json),
        request_id,
        tenant_id: header(&parts.headers, "x-amz-tenant-id").map(str::to_owned),
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
        match header(&parts.headers, "x-amz-invocation-type").and_then(InvocationType::from_wire) {
            Some(InvocationType::Event) => StatusCode::ACCEPTED,
            Some(InvocationType::DryRun) => StatusCode::NO_CONTENT,
            _ => StatusCode::OK,
        };
    (status, Body::from(payload)).into_response()
}

/// Answers one `InvokeWithResponseStream` request the way `cargo lambda watch` (1.9.2) does:
/// not with event-stream frames but with the function's raw bytes, chunked, as
/// `application/octet-stream` with `lambda-runtime-function-response-mode: streaming`. A
/// function error in the middle of the stream arrives as `lambda_runtime` writes it: the
/// error's type and base64 body as text after the last chunk.
pub(crate) async fn cargo_lambda_stream(
    shared: &Shared,
    function: &str,
    request: Request,
    request_id: String,
) -> Response {
    use futures_util::StreamExt as _;
    let reference = FunctionRef {
        name: function.to_owned(),
        qualifier: None,
    };
    let Ok(target) = shared.registry.resolve(&reference) else {
        return (
            StatusCode::NOT_FOUND,
            Body::from("{\"title\":\"Missing function\"}"),
        )
            .into_response();
    };
    let (_, body) = request.into_parts();
    let Ok(payload) = axum::body::to_bytes(body, READ_CAP).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let call = Call {
        target,
        qualifier: None,
        invocation_type: InvocationType::RequestResponse,
        payload,
        client_context: None,
        request_id,
        tenant_id: None,
        durable_execution_name: None,
    };
    let chunks = call.run_raw_stream(&shared.recorder);
    (
        StatusCode::OK,
        [
            ("content-type", "application/octet-stream"),
            ("lambda-runtime-function-response-mode", "streaming"),
        ],
        Body::from_stream(
            chunks
                .filter(|chunk| std::future::ready(!chunk.is_empty()))
                .map(Ok::<_, std::convert::Infallible>),
        ),
    )
        .into_response()
}
