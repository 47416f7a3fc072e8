//! Errors Lambda answered instead of running the function.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

/// Lambda refused or failed the invocation before the function ran (a non-2xx answer with
/// `x-amzn-ErrorType`). The code, message, status and raw body are kept.
#[derive(Debug)]
pub struct ServiceError {
    pub(crate) kind: ServiceErrorKind,
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) source: Option<crate::error::BoxError>,
}

impl ServiceError {
    /// What kind of failure this is.
    pub fn kind(&self) -> &ServiceErrorKind {
        &self.kind
    }

    /// The error code, e.g. `ResourceNotFoundException`, when the response named one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The service's message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response body exactly as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Builds a service error from the parts of a response. Classification uses the code
    /// first and the status when there is no code.
    pub(crate) fn from_parts(
        status: u16,
        code: Option<String>,
        message: Option<String>,
        reason: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let kind = ServiceErrorKind::classify(status, code.as_deref(), reason, retry_after);
        Self {
            kind,
            code,
            message,
            status,
            request_id: None,
            body: Bytes::new(),
            source: None,
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lambda answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The classes of service error from Lambda's Invoke API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceErrorKind {
    /// `TooManyRequestsException` (429): throttled.
    Throttled {
        /// Why Lambda throttled the call.
        reason: Option<ThrottleReason>,
        /// How long Lambda asked the caller to wait (`Retry-After`).
        retry_after: Option<Duration>,
    },
    /// `ResourceNotFoundException` (404): no such function, version or alias.
    NotFound,
    /// `InvalidRequestContentException` (400): the body is not JSON or cannot be parsed.
    InvalidRequestContent,
    /// `InvalidParameterValueException` (400): a parameter is invalid.
    InvalidParameterValue,
    /// `RequestTooLargeException`, or AWS's wire name `RequestEntityTooLargeException`, or
    /// `SerializedRequestEntityTooLargeException` (413): the payload is over the limit.
    RequestTooLarge,
    /// `UnsupportedMediaTypeException` (415).
    UnsupportedMediaType,
    /// `ResourceConflictException` (409): the function is being changed.
    Conflict,
    /// `ResourceNotReadyException` (502): the function is inactive and being restored.
    NotReady,
    /// `ServiceException` (500): an internal failure in Lambda.
    ServiceFailure,
    /// A configuration or platform failure of the function (`EC2…`, `ENI…`, `KMS…`, `EFS…`,
    /// `SnapStart…`, `InvalidRuntimeException`, `InvalidZipFileException`, …). Retrying
    /// does not help.
    FunctionConfiguration,
    /// `RecursiveInvocationException`: Lambda stopped a recursive loop.
    RecursiveInvocation,
    /// Any other code, or none; see [`ServiceError::code`].
    Other,
}

/// Codes whose failure lies in the function's configuration: they do not go away by retrying.
const CONFIGURATION_CODES: &[&str] = &[
    "CodeArtifactUserDeletedException",
    "CodeArtifactUserFailedException",
    "CodeArtifactUserPendingException",
    "EC2AccessDeniedException",
    "EC2ThrottledException",
    "EC2UnexpectedException",
    "EFSIOException",
    "EFSMountConnectivityException",
    "EFSMountFailureException",
    "EFSMountTimeoutException",
    "ENILimitReachedException",
    "ENINotReadyException",
    "InvalidRuntimeException",
    "InvalidSecurityGroupIDException",
    "InvalidSubnetIDException",
    "InvalidZipFileException",
    "KMSAccessDeniedException",
    "KMSDisabledException",
    "KMSInvalidStateException",
    "KMSNotFoundException",
    "S3FilesMountConnectivityException",
    "S3FilesMountFailureException",
    "S3FilesMountTimeoutException",
    "SnapStartException",
    "SnapStartNotReadyException",
    "SnapStartRegenerationFailureException",
    "SnapStartTimeoutException",
    "SubnetIPAddressLimitReachedException",
];

impl ServiceErrorKind {
    /// Classifies a service error by its code, or by its status when it has none.
    pub(crate) fn classify(
        status: u16,
        code: Option<&str>,
        reason: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        match code {
            Some("TooManyRequestsException") => Self::Throttled {
                reason: reason.map(|r| ThrottleReason::from(r.as_str())),
                retry_after,
            },
            Some("ResourceNotFoundException") => Self::NotFound,
            Some("InvalidRequestContentException") => Self::InvalidRequestContent,
            Some("InvalidParameterValueException") => Self::InvalidParameterValue,
            Some(
                "RequestTooLargeException"
                | "RequestEntityTooLargeException"
                | "SerializedRequestEntityTooLargeException",
            ) => Self::RequestTooLarge,
            Some("UnsupportedMediaTypeException") => Self::UnsupportedMediaType,
            Some("ResourceConflictException") => Self::Conflict,
            Some("ResourceNotReadyException") => Self::NotReady,
            Some("ServiceException") => Self::ServiceFailure,
            Some("RecursiveInvocationException") => Self::RecursiveInvocation,
            Some(code) if CONFIGURATION_CODES.contains(&code) => Self::FunctionConfiguration,
            Some(_) => Self::Other,
            None => match status {
                429 => Self::Throttled {
                    reason: reason.map(|r| ThrottleReason::from(r.as_str())),
                    retry_after,
                },
                404 => Self::NotFound,
                413 => Self::RequestTooLarge,
                415 => Self::UnsupportedMediaType,
                _ => Self::Other,
            },
        }
    }

    /// Whether the same request may succeed later: throttling, `ServiceException`, a function
    /// that is not ready yet, a conflict with an update in progress, or a bare 5xx without a
    /// code.
    pub fn is_transient(&self, status: u16) -> bool {
        match self {
            Self::Throttled { .. } | Self::ServiceFailure | Self::NotReady | Self::Conflict => true,
            Self::Other => matches!(status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }
}

/// Why Lambda throttled an invocation (`Reason` of `TooManyRequestsException`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThrottleReason {
    /// The account's concurrency limit.
    ConcurrentInvocationLimitExceeded,
    /// The function's invocation rate limit.
    FunctionInvocationRateLimitExceeded,
    /// The function's reserved concurrency.
    ReservedFunctionConcurrentInvocationLimitExceeded,
    /// The function's reserved invocation rate.
    ReservedFunctionInvocationRateLimitExceeded,
    /// The caller's rate limit.
    CallerRateLimitExceeded,
    /// The SnapStart snapshot creation limit.
    ConcurrentSnapshotCreateLimitExceeded,
    /// A reason this version does not know, kept as sent.
    Other(String),
}

impl ThrottleReason {
    /// The reason as Lambda spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::ConcurrentInvocationLimitExceeded => "ConcurrentInvocationLimitExceeded",
            Self::FunctionInvocationRateLimitExceeded => "FunctionInvocationRateLimitExceeded",
            Self::ReservedFunctionConcurrentInvocationLimitExceeded => {
                "ReservedFunctionConcurrentInvocationLimitExceeded"
            }
            Self::ReservedFunctionInvocationRateLimitExceeded => {
                "ReservedFunctionInvocationRateLimitExceeded"
            }
            Self::CallerRateLimitExceeded => "CallerRateLimitExceeded",
            Self::ConcurrentSnapshotCreateLimitExceeded => "ConcurrentSnapshotCreateLimitExceeded",
            Self::Other(other) => other,
        }
    }
}

impl From<&str> for ThrottleReason {
    fn from(value: &str) -> Self {
        match value {
            "ConcurrentInvocationLimitExceeded" => Self::ConcurrentInvocationLimitExceeded,
            "FunctionInvocationRateLimitExceeded" => Self::FunctionInvocationRateLimitExceeded,
            "ReservedFunctionConcurrentInvocationLimitExceeded" => {
                Self::ReservedFunctionConcurrentInvocationLimitExceeded
            }
            "ReservedFunctionInvocationRateLimitExceeded" => {
                Self::ReservedFunctionInvocationRateLimitExceeded
            }
            "CallerRateLimitExceeded" => Self::CallerRateLimitExceeded,
            "ConcurrentSnapshotCreateLimitExceeded" => Self::ConcurrentSnapshotCreateLimitExceeded,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for ThrottleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_documented_code() {
        let cases = [
            ("ResourceNotFoundException", ServiceErrorKind::NotFound),
            (
                "InvalidRequestContentException",
                ServiceErrorKind::InvalidRequestContent,
            ),
            (
                "InvalidParameterValueException",
                ServiceErrorKind::InvalidParameterValue,
            ),
            (
                "RequestTooLargeException",
                ServiceErrorKind::RequestTooLarge,
            ),
            (
                "RequestEntityTooLargeException",
                ServiceErrorKind::RequestTooLarge,
            ),
            (
                "SerializedRequestEntityTooLargeException",
                ServiceErrorKind::RequestTooLarge,
            ),
            (
                "UnsupportedMediaTypeException",
                ServiceErrorKind::UnsupportedMediaType,
            ),
            ("ResourceConflictException", ServiceErrorKind::Conflict),
            ("ResourceNotReadyException", ServiceErrorKind::NotReady),
            ("ServiceException", ServiceErrorKind::ServiceFailure),
            (
                "KMSAccessDeniedException",
                ServiceErrorKind::FunctionConfiguration,
            ),
            (
                "InvalidZipFileException",
                ServiceErrorKind::FunctionConfiguration,
            ),
            (
                "RecursiveInvocationException",
                ServiceErrorKind::RecursiveInvocation,
            ),
            ("BrandNewException", ServiceErrorKind::Other),
        ];
        for (code, kind) in cases {
            assert_eq!(
                ServiceErrorKind::classify(400, Some(code), None, None),
                kind,
                "{code}"
            );
        }
    }

    #[test]
    fn throttling_keeps_reason_and_retry_after() {
        let kind = ServiceErrorKind::classify(
            429,
            Some("TooManyRequestsException"),
            Some("ReservedFunctionConcurrentInvocationLimitExceeded".into()),
            Some(Duration::from_secs(2)),
        );
        assert_eq!(
            kind,
            ServiceErrorKind::Throttled {
                reason: Some(ThrottleReason::ReservedFunctionConcurrentInvocationLimitExceeded),
                retry_after: Some(Duration::from_secs(2)),
            }
        );
        assert!(kind.is_transient(429));
        assert_eq!(ThrottleReason::from("Whatever").as_str(), "Whatever");
    }

    #[test]
    fn configuration_failures_are_not_transient() {
        let kind = ServiceErrorKind::classify(502, Some("ENILimitReachedException"), None, None);
        assert!(!kind.is_transient(502));
        assert!(ServiceErrorKind::Other.is_transient(503));
        assert!(!ServiceErrorKind::Other.is_transient(400));
    }

    #[test]
    fn falls_back_on_the_status_without_a_code() {
        assert_eq!(
            ServiceErrorKind::classify(404, None, None, None),
            ServiceErrorKind::NotFound
        );
        assert_eq!(
            ServiceErrorKind::classify(413, None, None, None),
            ServiceErrorKind::RequestTooLarge
        );
    }
}
