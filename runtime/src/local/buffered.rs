//! The Invoke operation as AWS answers it: validation, service errors, the three invocation
//! types, function errors and the log tail.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::errors::ServiceError;
use super::execute::Call;
use super::function_ref::{FunctionRef, function_arn, query_param};
use super::log::tail_base64;
use super::state::Shared;
use crate::invocation::InvocationType;

/// Bodies are read up to this size (or the limit, if larger) before being judged.
pub(crate) const READ_CAP: usize = 64 << 20;

/// The header names the endpoint reads and writes, made once: a name given as `&str` is
/// parsed on every use, and one that is not a standard header is copied into an allocation
/// (HTTP/1 sends names in lower case either way).
pub(crate) mod names {
    use axum::http::HeaderName;

    pub(crate) static INVOCATION_TYPE: HeaderName =
        HeaderName::from_static("x-amz-invocation-type");
    pub(crate) static LOG_TYPE: HeaderName = HeaderName::from_static("x-amz-log-type");
    pub(crate) static CLIENT_CONTEXT: HeaderName = HeaderName::from_static("x-amz-client-context");
    pub(crate) static TENANT_ID: HeaderName = HeaderName::from_static("x-amz-tenant-id");
    pub(crate) static DURABLE_EXECUTION_NAME: HeaderName =
        HeaderName::from_static("x-amz-durable-execution-name");
    pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
    pub(crate) static EXECUTED_VERSION: HeaderName =
        HeaderName::from_static("x-amz-executed-version");
    pub(crate) static DURABLE_EXECUTION_ARN: HeaderName =
        HeaderName::from_static("x-amz-durable-execution-arn");
    pub(crate) static FUNCTION_ERROR: HeaderName = HeaderName::from_static("x-amz-function-error");
    pub(crate) static LOG_RESULT: HeaderName = HeaderName::from_static("x-amz-log-result");
}

/// Answers one Invoke request the way AWS does.
pub(crate) async fn invoke(
    shared: &Shared,
    function: &str,
    request: Request,
    request_id: String,
) -> Response {
    match answer(shared, function, request, &request_id).await {
        Ok(response) => response,
        Err(fault) => fault.into_response(&request_id),
    }
}

async fn answer(
    shared: &Shared,
    function: &str,
    request: Request,
    request_id: &str,
) -> Result<Response, ServiceError> {
    let (parts, body) = request.into_parts();
    let qualifier = query_param(parts.uri.query(), "Qualifier")?;
    let reference = FunctionRef::parse(function, qualifier.as_deref())?;
    let invocation_type = match header(&parts.headers, &names::INVOCATION_TYPE) {
        None => InvocationType::RequestResponse,
        Some(value) => InvocationType::from_wire(value).ok_or_else(|| {
            enum_error(value, "invocationType", "[Event, RequestResponse, DryRun]")
        })?,
    };
    let tail = log_tail(&parts.headers)?;
    let client_context = client_context(&parts.headers, shared.limits.client_context)?;
    let durable_name = header(&parts.headers, &names::DURABLE_EXECUTION_NAME)
        .map(|value| {
            crate::client::checks::validate_durable_execution_name(value)
                .map(|()| value.to_owned())
                .map_err(|_| pattern_error(value, "durableExecutionName", "[a-zA-Z0-9-_]{1,64}"))
        })
        .transpose()?;
    let tenant_id = tenant_id(&parts.headers)?;
    if let Some(fault) = shared.faults.take(&reference.name) {
        return Err(fault);
    }
    let target = shared.registry.resolve(&reference)?;
    // Only errors and durable executions name the ARN: formatting it costs every call.
    let arn = || function_arn(&target.name, Some(&target.executed_version));
    if target.tenant_isolated && tenant_id.is_none() {
        return Err(ServiceError::invalid_parameter_value(format!(
            "The function {} has tenant isolation enabled: invoke it with a tenant ID (X-Amz-Tenant-Id).",
            arn()
        )));
    }
    if target.durable && reference.qualifier.is_none() {
        return Err(ServiceError::invalid_parameter_value(
            "You cannot invoke a durable function using an unqualified ARN.",
        ));
    }
    if !target.durable && durable_name.is_some() {
        return Err(ServiceError::invalid_parameter_value(format!(
            "The function {} is not a durable function: remove the DurableExecutionName.",
            arn()
        )));
    }
    let limit = match invocation_type {
        InvocationType::Event => shared.limits.async_payload,
        _ => shared.limits.sync_payload,
    };
    let payload = read_payload(body, limit).await?;
    let version = target.executed_version.clone();
    // A durable function always runs a durable execution: named by the caller, or by the
    // request id.
    let execution = match (target.durable, invocation_type) {
        (true, InvocationType::RequestResponse | InvocationType::Event) => {
            let name = durable_name.unwrap_or_else(|| request_id.to_owned());
            let (execution, started) =
                shared
                    .executions
                    .find_or_start(&target.name, &name, &payload, || {
                        format!("{}/durable-execution/{name}/{request_id}", arn())
                    })?;
            Some((name, execution, started))
        }
        _ => None,
    };
    let call = Call {
        target,
        qualifier: reference.qualifier,
        invocation_type,
        payload,
        client_context,
        request_id: request_id.to_owned(),
        tenant_id,
        durable_execution_name: execution.as_ref().map(|(name, ..)| name.clone()),
    };
    let durable_arn = execution
        .as_ref()
        .and_then(|(_, execution, _)| HeaderValue::from_str(&execution.arn).ok());
    let headers = [
        (names::REQUEST_ID.clone(), request_id),
        (names::EXECUTED_VERSION.clone(), version.as_str()),
    ];
    let with_arn = |mut response: Response| {
        if let Some(arn) = durable_arn.clone() {
            response
                .headers_mut()
                .insert(names::DURABLE_EXECUTION_ARN.clone(), arn);
        }
        response
    };
    match invocation_type {
        InvocationType::DryRun => Ok((StatusCode::NO_CONTENT, headers).into_response()),
        InvocationType::Event => {
            if execution.as_ref().is_none_or(|(_, _, started)| *started) {
                shared.events.enqueue(call);
            }
            Ok(with_arn((StatusCode::ACCEPTED, headers).into_response()))
        }
        InvocationType::RequestResponse => {
            let attempt = match &execution {
                // The first request of a name runs it; the others wait for its outcome.
                Some((_, execution, _)) => execution
                    .outcome
                    .get_or_try_init(|| async {
                        let _slot = call.target.try_acquire()?;
                        Ok::<_, ServiceError>(call.run(1, &shared.recorder, tail).await)
                    })
                    .await?
                    .clone(),
                None => {
                    let _slot = call.target.try_acquire()?;
                    call.run(1, &shared.recorder, tail).await
                }
            };
            let (body, failed) = match attempt.outcome {
                Ok(body) => (body, false),
                Err(object) => (Bytes::from(object.to_string()), true),
            };
            let mut response = (
                StatusCode::OK,
                headers,
                [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                Body::from(body),
            )
                .into_response();
            let response_headers = response.headers_mut();
            if failed {
                response_headers.insert(
                    names::FUNCTION_ERROR.clone(),
                    HeaderValue::from_static("Unhandled"),
                );
            }
            if tail && let Ok(value) = HeaderValue::from_str(&tail_base64(&attempt.log)) {
                response_headers.insert(names::LOG_RESULT.clone(), value);
            }
            Ok(with_arn(response))
        }
    }
}

/// A header's value; one that is not UTF-8 reads as U+FFFD, which no check accepts.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers
        .get(name)
        .map(|value| value.to_str().unwrap_or("\u{FFFD}"))
}

/// Whether the caller asked for the log tail (`X-Amz-Log-Type`).
pub(crate) fn log_tail(headers: &HeaderMap) -> Result<bool, ServiceError> {
    match header(headers, &names::LOG_TYPE) {
        None | Some("None") => Ok(false),
        Some("Tail") => Ok(true),
        Some(value) => Err(enum_error(value, "logType", "[None, Tail]")),
    }
}

/// The decoded `X-Amz-Client-Context`, if sent.
pub(crate) fn client_context(
    headers: &HeaderMap,
    limit: usize,
) -> Result<Option<Value>, ServiceError> {
    header(headers, &names::CLIENT_CONTEXT)
        .map(|value| decode_client_context(value, limit))
        .transpose()
}

/// The `X-Amz-Tenant-Id`, if sent, checked as AWS's request validation does (the grammar the
/// client checks before sending: `lambda_remote_names::validate_tenant_id`).
pub(crate) fn tenant_id(headers: &HeaderMap) -> Result<Option<String>, ServiceError> {
    use lambda_remote_names::{MAX_TENANT_ID_LEN, TENANT_ID_PATTERN, TenantIdError};
    header(headers, &names::TENANT_ID)
        .map(
            |value| match lambda_remote_names::validate_tenant_id(value) {
                Ok(()) => Ok(value.to_owned()),
                Err(TenantIdError::InvalidCharacter { .. }) => Err(constraint_error(
                    "tenantId",
                    &format!("Member must satisfy regular expression pattern: {TENANT_ID_PATTERN}"),
                )),
                Err(_) => Err(constraint_error(
                    "tenantId",
                    &format!("Member must have length between 1 and {MAX_TENANT_ID_LEN}"),
                )),
            },
        )
        .transpose()
}

/// Decodes base64 JSON, as the client context is sent; `None` if it is not a JSON object.
pub(crate) fn decode_base64_json(value: &str) -> Option<Value> {
    let bytes = aws_smithy_types::base64::decode(value).ok()?;
    serde_json::from_slice(&bytes).ok().filter(Value::is_object)
}

fn decode_client_context(value: &str, limit: usize) -> Result<Value, ServiceError> {
    Some(value)
        .filter(|v| v.len() <= limit)
        .and_then(decode_base64_json)
        .ok_or_else(|| {
            ServiceError::invalid_parameter_value(format!(
                "Client context must be a valid Base64-encoded JSON object no larger than {limit} bytes"
            ))
        })
}

/// Reads the payload: over `limit` is 413, not JSON is 400, empty is `{}`.
pub(crate) async fn read_payload(body: Body, limit: usize) -> Result<Bytes, ServiceError> {
    let too_large = || ServiceError::request_entity_too_large(limit);
    let payload = axum::body::to_bytes(body, READ_CAP.max(limit.saturating_add(1)))
        .await
        .map_err(|_| too_large())?;
    if payload.len() > limit {
        return Err(too_large());
    }
    if payload.is_empty() {
        return Ok(Bytes::from_static(b"{}"));
    }
    serde_json::from_slice::<IgnoredAny>(&payload).map_err(|e| {
        ServiceError::invalid_request_content(format!(
            "Could not parse request body into json: {e}"
        ))
    })?;
    Ok(payload)
}

fn pattern_error(value: &str, member: &str, pattern: &str) -> ServiceError {
    ServiceError::invalid_parameter_value(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    ))
}

/// A value's validation error; the value itself is not echoed (a tenant id may be long, or
/// hold what a log should not).
fn constraint_error(member: &str, constraint: &str) -> ServiceError {
    ServiceError::invalid_parameter_value(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

pub(crate) fn enum_error(value: &str, member: &str, allowed: &str) -> ServiceError {
    ServiceError::invalid_parameter_value(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: {allowed}"
    ))
}
