//! Lambda service errors, encoded on the wire exactly as AWS encodes them, and the faults that
//! tests can inject.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A Lambda service error as the local endpoint answers it: the invocation did not run the
/// function (the client reads it back as [`crate::ServiceError`]).
///
/// It is answered with its status, an `x-amzn-ErrorType` header naming `code`, an
/// `x-amzn-RequestId` header, `Content-Type: application/json` and the body
/// `{"Type":"User","message":…}` (`"Service"` for a 5xx status) plus any extra fields.
/// Use [`LocalLambda::fail_next_with`](super::LocalLambda::fail_next_with) to make the endpoint
/// answer one on purpose.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    status: u16,
    code: String,
    message: String,
    // Boxed: a `Map` is large when serde_json keeps the order of its keys.
    fields: Box<Map<String, Value>>,
    headers: Vec<(String, String)>,
}

impl ServiceError {
    /// A fault with the given HTTP status, error code (e.g. `"ServiceException"`) and message.
    /// A status that is not a valid HTTP status is answered as 500.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            fields: Box::default(),
            headers: Vec::new(),
        }
    }

    /// Adds (or replaces) a top-level field of the JSON body, e.g. `"Reason"`.
    pub fn with_field(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(key.into(), value.into());
        self
    }

    /// Adds a response header, e.g. `Retry-After`. An invalid name or value is left out.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// 404 `ResourceNotFoundException`.
    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFoundException", message)
    }

    /// 400 `InvalidParameterValueException`.
    pub fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidParameterValueException", message)
    }

    /// 400 `InvalidRequestContentException`.
    pub fn invalid_request_content(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequestContentException", message)
    }

    /// 413 `RequestEntityTooLargeException`, the code AWS really sends for a payload over
    /// `limit` bytes (the SDK's model names it `RequestTooLargeException` and so reports it as
    /// `InvokeError::Unhandled` with this code).
    pub fn request_entity_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "RequestEntityTooLargeException",
            format!("Request must be smaller than {limit} bytes for the InvokeFunction operation"),
        )
    }

    /// 429 `TooManyRequestsException` with the body field `Reason` (e.g.
    /// `"ReservedFunctionConcurrentInvocationLimitExceeded"`) and `Retry-After: 1`.
    pub fn too_many_requests(reason: impl Into<String>) -> Self {
        Self::new(429, "TooManyRequestsException", "Rate Exceeded.")
            .with_field("Reason", reason.into())
            .with_header("Retry-After", "1")
    }

    /// 409 `DurableExecutionAlreadyStartedException`: a durable execution of that name was
    /// started with another payload.
    pub fn durable_execution_already_started(message: impl Into<String>) -> Self {
        Self::new(409, "DurableExecutionAlreadyStartedException", message)
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let kind = if status.is_server_error() {
            "Service"
        } else {
            "User"
        };
        let mut body = Map::new();
        body.insert("Type".into(), kind.into());
        body.insert("message".into(), self.message.into());
        body.extend(*self.fields);
        let mut response = (
            status,
            [
                ("content-type", "application/json"),
                ("x-amzn-RequestId", request_id),
            ],
            Value::Object(body).to_string(),
        )
            .into_response();
        let headers = response.headers_mut();
        if let Ok(code) = HeaderValue::from_str(&self.code) {
            headers.insert("x-amzn-ErrorType", code);
        }
        for (name, value) in self.headers {
            match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                _ => tracing::warn!("local Lambda: dropped an invalid injected fault header"),
            }
        }
        response
    }
}

/// Faults queued per function name, answered once the request's name and headers are parsed,
/// before the function is looked up.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<HashMap<String, VecDeque<ServiceError>>>);

impl Faults {
    pub(crate) fn push(&self, function: &str, fault: ServiceError) {
        let mut faults = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        faults
            .entry(function.to_owned())
            .or_default()
            .push_back(fault);
    }

    pub(crate) fn take(&self, function: &str) -> Option<ServiceError> {
        let mut faults = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        faults.get_mut(function)?.pop_front()
    }
}
