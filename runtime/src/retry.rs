//! The retry classifier every client installs: never retry a function error, never retry a
//! failure that cannot go away.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::http::Response;

use crate::ServiceErrorKind;

/// Forbids the SDK's retries where they would be wrong for Lambda:
/// - a function error reported by status 500 (as `cargo lambda watch` does): the function ran,
///   and may have side effects;
/// - configuration failures (`KMS…`, `ENI…`, `InvalidZipFileException`, …) that the SDK's
///   status-code classifier would retry though they cannot go away.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LambdaRetryClassifier;

impl ClassifyRetry for LambdaRetryClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.response() {
            Some(response) if forbids_retry(response) => RetryAction::RetryForbidden,
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "lambda-remote"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

fn forbids_retry(response: &Response) -> bool {
    let status = response.status().as_u16();
    if status < 400 {
        return false;
    }
    match error_code(response) {
        Some(code) => matches!(
            ServiceErrorKind::classify(status, Some(&code), None, None),
            ServiceErrorKind::FunctionConfiguration | ServiceErrorKind::RecursiveInvocation
        ),
        None => response
            .body()
            .bytes()
            .is_some_and(crate::response::looks_like_function_error),
    }
}

/// The error code of a response, from `x-amzn-ErrorType` (before any `:`), or the body's
/// `code` / `__type` (after any `#`), as the SDK reads it.
pub(crate) fn error_code(response: &Response) -> Option<String> {
    if let Some(header) = response.headers().get("x-amzn-ErrorType") {
        let code = header.split(':').next().unwrap_or(header).trim();
        if !code.is_empty() {
            return Some(code.to_owned());
        }
    }
    let body = response.body().bytes()?;
    let map = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).ok()?;
    let code = map
        .get("code")
        .or_else(|| map.get("__type"))
        .and_then(|v| v.as_str())?;
    let code = code.rsplit('#').next().unwrap_or(code);
    Some(code.split(':').next().unwrap_or(code).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn response(status: u16, code: Option<&'static str>, body: &'static str) -> Response {
        let mut response =
            Response::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        if let Some(code) = code {
            response.headers_mut().insert("x-amzn-ErrorType", code);
        }
        response
    }

    #[test]
    fn function_errors_on_500_are_never_retried() {
        let r = response(500, None, r#"{"errorType":"Boom","errorMessage":"x"}"#);
        assert!(forbids_retry(&r));
    }

    #[test]
    fn configuration_failures_are_never_retried() {
        for code in [
            "KMSAccessDeniedException",
            "ENILimitReachedException:http://x",
        ] {
            assert!(forbids_retry(&response(502, Some(code), "{}")), "{code}");
        }
    }

    #[test]
    fn transient_failures_are_left_to_the_sdk() {
        assert!(!forbids_retry(&response(
            500,
            Some("ServiceException"),
            "{}"
        )));
        assert!(!forbids_retry(&response(
            429,
            Some("TooManyRequestsException"),
            "{}"
        )));
        assert!(!forbids_retry(&response(503, None, "Service Unavailable")));
        assert!(!forbids_retry(&response(200, None, r#"{"errorType":"x"}"#)));
    }

    #[test]
    fn error_code_reads_header_then_body() {
        let r = response(400, None, r#"{"__type":"com.amazon#FooException"}"#);
        assert_eq!(error_code(&r).as_deref(), Some("FooException"));
        let r = response(400, Some("BarException:meta"), "");
        assert_eq!(error_code(&r).as_deref(), Some("BarException"));
    }
}
