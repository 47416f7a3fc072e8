//! Which server the endpoint emulates: AWS Lambda itself, `cargo lambda watch`, or moto's
//! server.

/// The behaviour the endpoint emulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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
    ///
    /// `InvokeWithResponseStream` (the SDK's `/2021-11-15/…` path) is not an invocation of the
    /// named function there: as the real 1.9.2 does, it is a function URL request to the
    /// default function (register it as `_`), which receives an API Gateway v2 HTTP event
    /// whose `body` is the payload, and answers raw bytes (`application/octet-stream`,
    /// `lambda-runtime-function-response-mode: streaming`) instead of event-stream frames; an
    /// error before the first chunk is 500 with the error object, one after chunks the text
    /// `lambda_runtime` writes; without a default function, 404 `Default function disabled`.
    CargoLambda,
    /// moto's server (5.2.1, as `tests/interop.rs` measures the real one) with Docker switched
    /// off: the function never runs and is not even looked up; the answer is 200, 202 or 204
    /// by invocation type and echoes the payload as its body — an unknown function included;
    /// a payload that is not a JSON object fails with 500 and an HTML page. Nothing is recorded
    /// as an invocation, since nothing ran. `InvokeWithResponseStream` has no route: 404 with
    /// Werkzeug's HTML page.
    Moto,
}
