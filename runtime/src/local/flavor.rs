//! Which server the endpoint emulates: AWS Lambda itself, `cargo lambda watch`, or moto's
//! server.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::execute::Call;
use super::handler::InvocationType;
use super::invoke::{decode_base64_json, header, READ_CAP};
use super::names::FunctionRef;
use super::server::Shared;

/// The behaviour the endpoint emulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavor {
    /// AWS Lambda's Invoke API, faithfully (the default).
    #[default]
    Aws,
    /// `cargo lambda watch`: the path segment must be a function name as registered (no
    /// qualifier, no ARN) and `$LATEST` runs; the invocation type is ignored (an `Event` runs
    /// synchronously and gets 200 + result); a function error is answered with status 500 and
    /// the error object as body, without `X-Amz-Function-Error`; an unknown function gets 404
    /// `{"title":"Missing function","detail":…}`. No Lambda response headers, no payload checks,
    /// no throttling; the function timeout and injected faults still apply.
    CargoLambda,
    /// moto's server with Docker switched off: the function never runs; the answer is 200,
    /// 202 or 204 by invocation type and echoes the payload as its body; an unknown function
    /// gets 404 with `{"__type":"ResourceNotFoundException","message":…}`. Nothing is
    /// recorded as an invocation, since nothing ran.
    ///
    /// The real moto (5.2.1, measured by `tests/interop.rs`) differs in two ways this flavour
    /// does not follow: with Docker off it does not look the function up at all (an unknown
    /// function is echoed with 200 too; the 404 above is what it answers with Docker on), and
    /// it fails with a 500 HTML page on a payload that is not a JSON object.
    Moto,
}

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
            .and_then(InvocationType::parse)
            .unwrap_or(InvocationType::RequestResponse),
        payload,
        client_context: header(&parts.headers, "x-amz-client-context").and_then(decode_base64_json),
        request_id,
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

/// Answers one Invoke request the way moto's server does without Docker: it echoes.
pub(crate) async fn moto(shared: &Shared, function: &str, request: Request) -> Response {
    let reference = FunctionRef {
        name: function.to_owned(),
        qualifier: None,
    };
    if shared.registry.resolve(&reference).is_err() {
        let body = json!({
            "__type": "ResourceNotFoundException",
            "message": format!("Function not found: {function}"),
        });
        return (StatusCode::NOT_FOUND, Body::from(body.to_string())).into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(payload) = axum::body::to_bytes(body, READ_CAP).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let status =
        match header(&parts.headers, "x-amz-invocation-type").and_then(InvocationType::parse) {
            Some(InvocationType::Event) => StatusCode::ACCEPTED,
            Some(InvocationType::DryRun) => StatusCode::NO_CONTENT,
            _ => StatusCode::OK,
        };
    (status, Body::from(payload)).into_response()
}
