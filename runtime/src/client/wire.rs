//! What a Lambda response says on the wire, read defensively: error codes, function error
//! bodies, throttling hints. Nothing here panics on any input.

use std::time::Duration;

use aws_smithy_runtime_api::http::Response;

/// The header that carries a service error's code.
pub(crate) const ERROR_TYPE_HEADER: &str = "x-amzn-ErrorType";
/// The header that says the function ran and failed.
pub(crate) const FUNCTION_ERROR_HEADER: &str = "X-Amz-Function-Error";
/// The header that carries the request id.
pub(crate) const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";
/// The header with which Lambda asks a throttled caller to wait.
pub(crate) const RETRY_AFTER_HEADER: &str = "Retry-After";

/// The error code of a response, from `x-amzn-ErrorType` (before any `:`), or the body's
/// `code` / `__type` (after any `#`), as the SDK reads it.
pub(crate) fn error_code(response: &Response) -> Option<String> {
    if let Some(header) = response.headers().get(ERROR_TYPE_HEADER) {
        let code = header.split(':').next().unwrap_or(header).trim();
        if !code.is_empty() {
            return Some(code.to_owned());
        }
    }
    let code = body_field(response.body().bytes()?, &["code", "__type"])?;
    let code = code.rsplit('#').next().unwrap_or(&code);
    Some(code.split(':').next().unwrap_or(code).to_owned())
}

/// The `X-Amz-Function-Error` value that says the function ran and failed: the first
/// non-empty one, whether or not it is UTF-8 (Lambda's facts: any non-empty value is a
/// function error).
pub(crate) fn function_error(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all_bytes(FUNCTION_ERROR_HEADER)
        .map(<[u8]>::trim_ascii)
        .find(|value| !value.is_empty())
        .map(|value| String::from_utf8_lossy(value).into_owned())
}

/// Whether an error body is a function's error object rather than a service error: a JSON
/// object with `errorType` or `errorMessage`.
pub(crate) fn looks_like_function_error(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
        .is_ok_and(|map| map.contains_key("errorType") || map.contains_key("errorMessage"))
}

/// The first of `keys` that is a string field of the JSON object `body`.
fn body_field(body: &[u8], keys: &[&str]) -> Option<String> {
    let map = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).ok()?;
    keys.iter()
        .find_map(|key| map.get(*key).and_then(|v| v.as_str()))
        .map(str::to_owned)
}

/// Whether `body` is a web page (an endpoint's own error page, not Lambda's JSON).
pub(crate) fn is_html(body: &[u8]) -> bool {
    body.trim_ascii_start().starts_with(b"<")
}

/// A service error's message, as the SDK and emulators spell it.
pub(crate) fn body_message(body: &[u8]) -> Option<String> {
    body_field(body, &["message", "Message", "errorMessage", "detail"])
}

/// A throttling error's `Reason`.
pub(crate) fn body_reason(body: &[u8]) -> Option<String> {
    body_field(body, &["Reason", "reason"])
}

/// `Retry-After` in seconds (fractions allowed). A value that is not a number, is negative,
/// or is too large for a `Duration` is distrusted and reads as absent.
pub(crate) fn retry_after(response: &Response) -> Option<Duration> {
    let secs = response
        .headers()
        .get(RETRY_AFTER_HEADER)?
        .trim()
        .parse::<f64>()
        .ok()?;
    Duration::try_from_secs_f64(secs).ok()
}

/// The request id Lambda assigned.
pub(crate) fn request_id(response: &Response) -> Option<String> {
    response.headers().get(REQUEST_ID_HEADER).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn response(headers: &[(&'static str, &'static str)], body: &'static str) -> Response {
        let mut response = Response::new(StatusCode::try_from(400).unwrap(), SdkBody::from(body));
        for (name, value) in headers {
            response.headers_mut().insert(*name, *value);
        }
        response
    }

    #[test]
    fn error_code_reads_header_then_body() {
        let r = response(&[], r#"{"__type":"com.amazon#FooException"}"#);
        assert_eq!(error_code(&r).as_deref(), Some("FooException"));
        let r = response(&[(ERROR_TYPE_HEADER, "BarException:meta")], "");
        assert_eq!(error_code(&r).as_deref(), Some("BarException"));
        assert_eq!(error_code(&response(&[], "not json")), None);
    }

    #[test]
    fn retry_after_distrusts_what_is_not_a_duration() {
        let cases = [
            ("1", Some(Duration::from_secs(1))),
            ("0.5", Some(Duration::from_millis(500))),
            ("1e300", None),
            ("18446744073709551616", None),
            ("-1", None),
            ("NaN", None),
            ("inf", None),
            ("Wed, 21 Oct 2015 07:28:00 GMT", None),
        ];
        for (value, expected) in cases {
            let r = response(&[(RETRY_AFTER_HEADER, value)], "");
            assert_eq!(retry_after(&r), expected, "{value}");
        }
    }

    #[test]
    fn web_pages_are_told_from_json() {
        assert!(is_html(b"<!doctype html>\n<title>404 Not Found</title>"));
        assert!(is_html(b"  \n<html>"));
        assert!(!is_html(
            br#"{"Type":"User","message":"Function not found"}"#
        ));
        assert!(!is_html(b""));
    }

    #[test]
    fn function_error_bodies_are_recognised() {
        assert!(looks_like_function_error(br#"{"errorMessage":"x"}"#));
        assert!(looks_like_function_error(br#"{"errorType":"x"}"#));
        assert!(!looks_like_function_error(br#"{"message":"x"}"#));
        assert!(!looks_like_function_error(b"oops"));
    }
}
