//! `InvokeWithResponseStream` as AWS answers it: the checks of Invoke, then the function's
//! chunks as event-stream frames while it runs, then `InvokeComplete`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;

use super::buffered::{
    client_context, enum_error, header, log_tail, names, read_payload, tenant_id,
};
use super::errors::ServiceError;
use super::execute::Call;
use super::function_ref::{FunctionRef, function_arn, query_param};
use super::state::Shared;
use crate::invocation::InvocationType;
use crate::stream::frames::CONTENT_TYPE;

/// Answers one `InvokeWithResponseStream` request the way AWS does.
pub(crate) async fn invoke_with_response_stream(
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
        None | Some("RequestResponse") => InvocationType::RequestResponse,
        Some("DryRun") => InvocationType::DryRun,
        Some(value) => {
            return Err(enum_error(
                value,
                "invocationType",
                "[RequestResponse, DryRun]",
            ));
        }
    };
    let tail = log_tail(&parts.headers)?;
    let client_context = client_context(&parts.headers, shared.limits.client_context)?;
    let tenant_id = tenant_id(&parts.headers)?;
    if let Some(fault) = shared.faults.take(&reference.name) {
        return Err(fault);
    }
    let target = shared.registry.resolve(&reference)?;
    if target.tenant_isolated && tenant_id.is_none() {
        return Err(ServiceError::invalid_parameter_value(format!(
            "The function {} has tenant isolation enabled: invoke it with a tenant ID (X-Amz-Tenant-Id).",
            function_arn(&target.name, Some(&target.executed_version))
        )));
    }
    let payload = read_payload(body, shared.limits.sync_payload).await?;
    let version = target.executed_version.clone();
    let headers = [
        (names::REQUEST_ID.clone(), request_id),
        (names::EXECUTED_VERSION.clone(), version.as_str()),
    ];
    if invocation_type == InvocationType::DryRun {
        return Ok((StatusCode::NO_CONTENT, headers).into_response());
    }
    let permit = target.try_acquire()?;
    let call = Call {
        target,
        qualifier: reference.qualifier,
        invocation_type,
        payload,
        client_context,
        request_id: request_id.to_owned(),
        tenant_id,
        durable_execution_name: None,
    };
    let frames = call.run_streaming(
        &shared.recorder,
        tail,
        shared.limits.streamed_response,
        permit,
    );
    Ok((
        StatusCode::OK,
        headers,
        [("content-type", CONTENT_TYPE)],
        Body::from_stream(frames.map(Ok::<_, std::convert::Infallible>)),
    )
        .into_response())
}
