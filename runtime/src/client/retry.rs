//! The retry classifier every client installs: it applies the call's [`Delivery`] on top of
//! the SDK's own classifiers, which decide the attempts and the backoff.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::interceptors::context::{Error, InterceptorContext};
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::http::Response;

use crate::client::wire;
use crate::delivery::{Delivery, Redelivery};
use crate::error::service::ServiceErrorKind;

/// Decides, after the SDK's classifiers, whether a failed attempt is sent again:
/// - [`Redelivery::Safe`] failures (the connection was never opened, throttling, passing
///   states raised before the function runs) are retried in both modes, also where the
///   SDK's classifiers would not (a 409 `SnapStartNotReadyException`, say);
/// - [`Redelivery::IfIdempotent`] failures (the request may have run the function: resets,
///   cut-off responses, timeouts, internal errors, bare 5xx) are forbidden
///   [`AtMostOnce`](Delivery::AtMostOnce) and retried [`AtLeastOnce`](Delivery::AtLeastOnce);
/// - [`Redelivery::Never`] failures (function errors, whatever their status, the SDK
///   client's configuration, and failures that cannot go away) are forbidden in both modes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeliveryClassifier(pub(crate) Delivery);

impl ClassifyRetry for DeliveryClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let error = match ctx.output_or_error() {
            // A keyed call answered "in progress": the function did not run it, another call
            // of its key runs. Sent again like a failure that may have run (keyed calls are
            // at least once).
            Some(Ok(output))
                if self.0 == Delivery::AtLeastOnce
                    && output
                        .downcast_ref::<aws_sdk_lambda::operation::invoke::InvokeOutput>()
                        .is_some_and(|output| {
                            output.function_error().is_some()
                                && output
                                    .payload()
                                    .is_some_and(|p| crate::idempotency::is_in_progress(p.as_ref()))
                        }) =>
            {
                return RetryAction::transient_error();
            }
            Some(Err(error)) => error,
            _ => return RetryAction::NoActionIndicated,
        };
        match redelivery(error, ctx.response()) {
            (Redelivery::Safe, true) => RetryAction::throttling_error(),
            (Redelivery::Safe, false) => RetryAction::transient_error(),
            (Redelivery::IfIdempotent, _) => match self.0 {
                Delivery::AtMostOnce => RetryAction::RetryForbidden,
                Delivery::AtLeastOnce => RetryAction::transient_error(),
            },
            (Redelivery::Never, _) => RetryAction::RetryForbidden,
        }
    }

    fn name(&self) -> &'static str {
        match self.0 {
            Delivery::AtMostOnce => "lambda-remote at most once",
            Delivery::AtLeastOnce => "lambda-remote at least once",
        }
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// What a failed attempt says about sending it again, and whether it was throttled.
pub(crate) fn redelivery(
    error: &OrchestratorError<Error>,
    response: Option<&Response>,
) -> (Redelivery, bool) {
    // The function ran and failed, even if the rest of its answer was lost.
    if response.is_some_and(|r| wire::function_error(r).is_some()) {
        return (Redelivery::Never, false);
    }
    if let Some(connector) = error.as_connector_error() {
        return (connector_redelivery(connector), false);
    }
    // The SDK client's configuration (credentials, region, endpoint URL) failed the attempt
    // before anything was sent: every attempt would fail the same way.
    if response.is_none()
        && error
            .source()
            .is_some_and(|cause| crate::error::config::classify(cause, true).is_some())
    {
        return (Redelivery::Never, false);
    }
    match response {
        // A whole 2xx the SDK could not read (a Lambda header repeated or not UTF-8): the
        // function ran, and the answer would be read the same way again.
        Some(response) if error.is_operation_error() && response.status().is_success() => {
            (Redelivery::Never, false)
        }
        Some(response) if error.is_operation_error() => response_redelivery(response),
        // A timeout, a response cut short, an interceptor's failure: the request may have
        // been written.
        _ => (Redelivery::IfIdempotent, false),
    }
}

/// What an error response says: a function error (a body with `errorType` or `errorMessage`
/// and no error code on a 5xx, as emulators answer with 500) is never retried; a service
/// error by its class.
pub(crate) fn response_redelivery(response: &Response) -> (Redelivery, bool) {
    let status = response.status().as_u16();
    let code = wire::error_code(response);
    // An emulator's 500 carrying the "in progress" answer of a keyed call: the function did
    // not run it; sent again like a failure that may have run (keyed calls are at least once).
    if code.is_none()
        && status >= 500
        && response
            .body()
            .bytes()
            .is_some_and(crate::idempotency::is_in_progress)
    {
        return (Redelivery::IfIdempotent, false);
    }
    if code.is_none()
        && status >= 500
        && response
            .body()
            .bytes()
            .is_some_and(wire::looks_like_function_error)
    {
        return (Redelivery::Never, false);
    }
    let kind = ServiceErrorKind::classify(status, code.as_deref(), None, None);
    let throttled = matches!(kind, ServiceErrorKind::Throttled { .. });
    (kind.redelivery(status), throttled)
}

/// What a failure to send or receive says: a connection never opened is safe to retry; an
/// I/O failure, a timeout or a message cut short may follow a run; anything else (a request
/// the client could not send, a response it could not read) will fail again.
pub(crate) fn connector_redelivery(error: &ConnectorError) -> Redelivery {
    if never_connected(error) {
        Redelivery::Safe
    } else if error.is_io()
        || error.is_timeout()
        || error.as_other() == Some(aws_smithy_types::retry::ErrorKind::TransientError)
    {
        Redelivery::IfIdempotent
    } else {
        Redelivery::Never
    }
}

/// Whether a connector error proves that no connection was opened, so nothing was written.
///
/// The SDK's [`ConnectorError`] does not say (its connection status is private), so this reads
/// the error's chain, through each `io::Error`'s payload, for what only a connection that never
/// opened gives, whatever the HTTP connector:
/// - a name that did not resolve ([`ResolveDnsError`]);
/// - the operating system's refusal to connect: [`ConnectionRefused`](std::io::ErrorKind::ConnectionRefused)
///   (a reset answered the connect) or [`AddrNotAvailable`](std::io::ErrorKind::AddrNotAvailable)
///   (no local address to connect from).
///
/// With feature `default-client`, the SDK's default HTTP client also says so itself
/// (hyper-util's `is_connect`: its connect timeout, a failed TLS handshake). Anything else
/// cannot tell and is not taken as proof: a timeout, an unreachable host or network (Linux
/// also reports those on a connection already open), a reset.
///
/// [`ResolveDnsError`]: aws_smithy_runtime_api::client::dns::ResolveDnsError
pub(crate) fn never_connected(error: &ConnectorError) -> bool {
    error_chain(error.source()).any(|error| {
        if error.is::<aws_smithy_runtime_api::client::dns::ResolveDnsError>() {
            return true;
        }
        #[cfg(feature = "default-client")]
        if error
            .downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(hyper_util::client::legacy::Error::is_connect)
        {
            return true;
        }
        error.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
            )
        })
    })
}

/// `first` and each error after it: after an `io::Error` its payload (`io::Error::source`
/// skips the payload and returns the payload's own source), after any other its `source()`.
fn error_chain<'a>(
    first: Option<&'a (dyn StdError + 'static)>,
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(first, |&error| {
        match error.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => error.source(),
        }
    })
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
            response.headers_mut().insert(wire::ERROR_TYPE_HEADER, code);
        }
        response
    }

    #[test]
    fn the_in_progress_answer_on_5xx_is_retried_at_least_once() {
        let body = r#"{"errorType":"lambda_remote::IdempotencyInProgress","errorMessage":"x"}"#;
        let r = response(500, None, body);
        assert_eq!(response_redelivery(&r), (Redelivery::IfIdempotent, false));
    }

    #[test]
    fn function_errors_on_5xx_are_never_retried() {
        let r = response(500, None, r#"{"errorType":"Boom","errorMessage":"x"}"#);
        assert_eq!(response_redelivery(&r), (Redelivery::Never, false));
    }

    #[test]
    fn responses_are_classified_by_code_then_status() {
        let cases = [
            (
                502,
                Some("KMSAccessDeniedException"),
                Redelivery::Never,
                false,
            ),
            (
                502,
                Some("ENILimitReachedException:http://x"),
                Redelivery::Never,
                false,
            ),
            (
                409,
                Some("SnapStartNotReadyException"),
                Redelivery::Safe,
                false,
            ),
            (
                429,
                Some("TooManyRequestsException"),
                Redelivery::Safe,
                true,
            ),
            (429, None, Redelivery::Safe, true),
            (
                500,
                Some("ServiceException"),
                Redelivery::IfIdempotent,
                false,
            ),
            (503, None, Redelivery::IfIdempotent, false),
            (
                400,
                Some("InvalidRequestContentException"),
                Redelivery::Never,
                false,
            ),
        ];
        for (status, code, redelivery, throttled) in cases {
            assert_eq!(
                response_redelivery(&response(status, code, "{}")),
                (redelivery, throttled),
                "{status} {code:?}"
            );
        }
    }

    #[test]
    fn only_a_refused_or_failed_connection_proves_nothing_was_sent() {
        let refused = ConnectorError::io(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        assert!(never_connected(&refused));
        let reset = ConnectorError::io(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert!(!never_connected(&reset));
    }

    #[test]
    fn a_name_not_resolved_proves_nothing_was_sent_wherever_it_is_in_the_chain() {
        use aws_smithy_runtime_api::client::dns::ResolveDnsError;
        let dns = || ResolveDnsError::new("lambda.test: no such name");
        let bare = ConnectorError::io(Box::new(dns()));
        assert!(never_connected(&bare));
        // Inside an `io::Error`, whose `source()` would skip it.
        let wrapped = ConnectorError::other(Box::new(std::io::Error::other(dns())), None);
        assert!(never_connected(&wrapped));
        let no_local_address = ConnectorError::io(Box::new(std::io::Error::from(
            std::io::ErrorKind::AddrNotAvailable,
        )));
        assert!(never_connected(&no_local_address));
    }

    #[test]
    fn what_may_follow_an_open_connection_proves_nothing() {
        for kind in [
            std::io::ErrorKind::TimedOut,
            std::io::ErrorKind::HostUnreachable,
            std::io::ErrorKind::NetworkUnreachable,
            std::io::ErrorKind::ConnectionAborted,
            std::io::ErrorKind::BrokenPipe,
        ] {
            let error = ConnectorError::timeout(Box::new(std::io::Error::from(kind)));
            assert!(!never_connected(&error), "{kind:?}");
            assert_eq!(
                connector_redelivery(&error),
                Redelivery::IfIdempotent,
                "{kind:?}"
            );
        }
    }
}
