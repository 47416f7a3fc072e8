//! Errors Lambda answered instead of running the function.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::delivery::Redelivery;

/// Lambda refused or failed the invocation before the function ran (a non-2xx answer with
/// `x-amzn-ErrorType`). The code, message, status and raw body are kept.
///
/// It is the root cause, Lambda's answer: its message shows the status, code and message, and
/// it has no `source()` (the SDK's error for the same answer would only repeat them).
#[derive(Debug)]
pub struct ServiceError {
    pub(crate) kind: ServiceErrorKind,
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
    /// A keyed call's idempotency key, as the function stores it (set by the client).
    pub(crate) idempotency_key: Option<String>,
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

    /// Whether sending the same request again could help, and could run the function twice.
    pub fn redelivery(&self) -> Redelivery {
        self.kind.redelivery(self.status)
    }

    /// Builds a service error from the parts of a response. Classification uses the code
    /// first and the status when there is no code.
    #[cfg(feature = "client")]
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
            idempotency_key: None,
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

impl std::error::Error for ServiceError {}

/// The classes of service error from Lambda's Invoke API. Each code is classified from AWS's
/// documentation of it (the Invoke API reference's "Errors" section; the source is quoted per
/// code beside the classification); what each class means for sending the request again is
/// [`ServiceError::redelivery`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceErrorKind {
    /// `TooManyRequestsException` (429): throttled before the function ran.
    Throttled {
        /// Why Lambda throttled the call.
        reason: Option<ThrottleReason>,
        /// How long Lambda asked the caller to wait (`Retry-After`); absent when the header
        /// was missing or not a plausible number of seconds.
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
    /// `ResourceConflictException` (409): another operation on the function is in progress.
    Conflict,
    /// The function cannot run yet, a passing state: `ResourceNotReadyException`,
    /// `SnapStartNotReadyException`, `ENINotReadyException`,
    /// `CodeArtifactUserPendingException`.
    NotReady,
    /// Lambda failed, for a passing reason, to set up the function's environment before
    /// running it: `EC2ThrottledException`, `EC2UnexpectedException`,
    /// `EFSMountConnectivityException`, `EFSMountTimeoutException`,
    /// `S3FilesMountConnectivityException`, `S3FilesMountTimeoutException`,
    /// `SnapStartTimeoutException`.
    SetupFailed,
    /// An internal failure whose timing is unknown, so the function may have run:
    /// `ServiceException` (500), `EFSIOException` (410, a file system read or write failed).
    ServiceFailure,
    /// A failure of the function's configuration that lasts until the configuration changes
    /// (`EC2AccessDenied…`, `ENILimitReached…`, `KMS…`, `InvalidZipFile…`,
    /// `InvalidRuntime…`, `EFSMountFailure…`, `SnapStartException`, …).
    FunctionConfiguration,
    /// `RecursiveInvocationException`: Lambda stopped a recursive loop.
    RecursiveInvocation,
    /// `ServiceQuotaExceededException`: the request would exceed a service quota.
    QuotaExceeded,
    /// `DurableExecutionAlreadyStartedException`: a durable execution of that name was
    /// already started with another payload.
    DurableExecutionAlreadyStarted,
    /// Any other code, or none; see [`ServiceError::code`] and [`ServiceError::status`].
    Other,
}

impl ServiceErrorKind {
    /// Classifies a service error by its code, or by its status when it has none.
    ///
    /// Source: the Invoke API reference's "Errors" section
    /// (<https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors>),
    /// whose text `aws-sdk-lambda` repeats on each `InvokeError` variant, and the developer
    /// guide's "Troubleshoot invocation issues in Lambda". The phrase that decides each code
    /// stands beside it. "Before it runs" means the documentation places the failure before
    /// the function's handler is called (initialisation, environment set-up, admission).
    #[cfg(feature = "client")]
    pub(crate) fn classify(
        status: u16,
        code: Option<&str>,
        reason: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let throttled = || Self::Throttled {
            reason: reason.as_deref().map(ThrottleReason::from),
            retry_after,
        };
        let Some(code) = code else {
            return match status {
                429 => throttled(),
                404 => Self::NotFound,
                413 => Self::RequestTooLarge,
                415 => Self::UnsupportedMediaType,
                _ => Self::Other,
            };
        };
        match code {
            // "The request throughput limit was exceeded." Admission: before it runs.
            "TooManyRequestsException" => throttled(),
            // "The resource specified in the request does not exist."
            "ResourceNotFoundException" => Self::NotFound,
            // "The request body could not be parsed as JSON, or a request header is invalid."
            "InvalidRequestContentException" => Self::InvalidRequestContent,
            // "One of the parameters in the request is not valid."
            "InvalidParameterValueException" => Self::InvalidParameterValue,
            // "The request payload exceeded the Invoke request body JSON input quota." The
            // wire name AWS sends is RequestEntityTooLargeException.
            "RequestTooLargeException"
            | "RequestEntityTooLargeException"
            | "SerializedRequestEntityTooLargeException" => Self::RequestTooLarge,
            // "The content type of the Invoke request body is not JSON."
            "UnsupportedMediaTypeException" => Self::UnsupportedMediaType,
            // "The resource already exists, or another operation is in progress."
            "ResourceConflictException" => Self::Conflict,
            // "The function is inactive and its VPC connection is no longer available. Wait
            // for the VPC connection to reestablish and try again."
            "ResourceNotReadyException"
            // "Lambda is initializing your function. You can invoke the function when the
            // function state becomes Active."
            | "SnapStartNotReadyException"
            // "…the elastic network interface (ENI) configured for its VPC connection isn't
            // ready yet. Wait a few moments and try the request again."
            | "ENINotReadyException"
            // "…its code artifact user is still being provisioned. Wait for the function's
            // State to become Active and try the request again."
            | "CodeArtifactUserPendingException" => Self::NotReady,
            // "Amazon EC2 throttled Lambda during Lambda function initialization…"
            "EC2ThrottledException"
            // "…an unexpected Amazon EC2 client exception while setting up for the Lambda
            // function."
            | "EC2UnexpectedException"
            // "The Lambda function couldn't make a network connection to the configured file
            // system." (mounting happens when the environment is set up)
            | "EFSMountConnectivityException"
            // "…made a network connection to the configured file system, but the mount
            // operation timed out."
            | "EFSMountTimeoutException"
            // The same two for S3 Files access points.
            | "S3FilesMountConnectivityException"
            | "S3FilesMountTimeoutException"
            // "Lambda couldn't restore the snapshot within the timeout limit."
            | "SnapStartTimeoutException" => Self::SetupFailed,
            // "The Lambda service encountered an internal error." Not said to be before it
            // runs: the function may have run.
            "ServiceException"
            // "An error occurred when reading from or writing to a connected file system."
            // Reads and writes happen while the function runs.
            | "EFSIOException" => Self::ServiceFailure,
            // "Need additional permissions to configure VPC settings."
            "EC2AccessDeniedException"
            // "…because the limit for network interfaces has been reached." (a quota)
            | "ENILimitReachedException"
            // "The runtime or runtime version specified is not supported."
            | "InvalidRuntimeException"
            // "The security group ID provided … is not valid." / "The subnet ID … is not valid."
            | "InvalidSecurityGroupIDException"
            | "InvalidSubnetIDException"
            // "Lambda could not unzip the deployment package."
            | "InvalidZipFileException"
            // "Lambda couldn't decrypt the environment variables because KMS access was
            // denied / the KMS key used is disabled / its state is not valid / was not found."
            | "KMSAccessDeniedException"
            | "KMSDisabledException"
            | "KMSInvalidStateException"
            | "KMSNotFoundException"
            // "…couldn't mount the configured file system due to a permission or
            // configuration issue." (and the same for S3 Files)
            | "EFSMountFailureException"
            | "S3FilesMountFailureException"
            // "…one or more configured subnets has no available IP addresses."
            | "SubnetIPAddressLimitReachedException"
            // "The afterRestore() runtime hook encountered an error."
            | "SnapStartException"
            // "Lambda couldn't regenerate the SnapStart snapshot… update the function's
            // configuration to trigger a new snapshot."
            | "SnapStartRegenerationFailureException"
            // "…its code artifact user has been deleted… update the function's code package"
            // / "…provisioning of its code artifact user failed. Update the function's code
            // package…"
            | "CodeArtifactUserDeletedException"
            | "CodeArtifactUserFailedException"
            // "The Lambda function doesn't support the invocation mode requested."
            | "ModeNotSupportedException"
            // "The function has no published versions available."
            | "NoPublishedVersionException" => Self::FunctionConfiguration,
            // "Lambda has detected your function being invoked in a recursive loop … and
            // stopped your function's invocation."
            "RecursiveInvocationException" => Self::RecursiveInvocation,
            // "The request would exceed a service quota."
            "ServiceQuotaExceededException" => Self::QuotaExceeded,
            // "The durable execution with the specified name has already been started."
            "DurableExecutionAlreadyStartedException" => Self::DurableExecutionAlreadyStarted,
            _ => Self::Other,
        }
    }

    /// What this class means for sending the same request again; `status` decides for
    /// [`Other`](Self::Other) (a 5xx may be passing, but the function may have run).
    pub(crate) fn redelivery(&self, status: u16) -> Redelivery {
        match self {
            Self::Throttled { .. } | Self::Conflict | Self::NotReady | Self::SetupFailed => {
                Redelivery::Safe
            }
            Self::ServiceFailure => Redelivery::IfIdempotent,
            Self::Other if status == 429 => Redelivery::Safe,
            Self::Other if (500..600).contains(&status) => Redelivery::IfIdempotent,
            Self::NotFound
            | Self::InvalidRequestContent
            | Self::InvalidParameterValue
            | Self::RequestTooLarge
            | Self::UnsupportedMediaType
            | Self::FunctionConfiguration
            | Self::RecursiveInvocation
            | Self::QuotaExceeded
            | Self::DurableExecutionAlreadyStarted
            | Self::Other => Redelivery::Never,
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

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    /// A sample of each class; every modeled code is tested through the SDK in
    /// `tests/client/calls.rs` (`every_service_error_code_is_retried_by_its_class`).
    #[test]
    fn classifies_codes_by_their_documented_class() {
        use Redelivery::*;
        use ServiceErrorKind::*;
        let cases = [
            ("SnapStartNotReadyException", NotReady, Safe),
            ("EC2ThrottledException", SetupFailed, Safe),
            ("ResourceConflictException", Conflict, Safe),
            ("ServiceException", ServiceFailure, IfIdempotent),
            ("EFSIOException", ServiceFailure, IfIdempotent),
            ("KMSAccessDeniedException", FunctionConfiguration, Never),
            ("RequestEntityTooLargeException", RequestTooLarge, Never),
            ("BrandNewException", Other, Never),
        ];
        for (code, kind, redelivery) in cases {
            let classified = ServiceErrorKind::classify(400, Some(code), None, None);
            assert_eq!(classified, kind, "{code}");
            assert_eq!(classified.redelivery(400), redelivery, "{code}");
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
        assert_eq!(ThrottleReason::from("Whatever").as_str(), "Whatever");
    }

    #[test]
    fn bare_statuses_are_classified_by_status() {
        let cases = [
            (
                429,
                ServiceErrorKind::Throttled {
                    reason: None,
                    retry_after: None,
                },
                Redelivery::Safe,
            ),
            (404, ServiceErrorKind::NotFound, Redelivery::Never),
            (413, ServiceErrorKind::RequestTooLarge, Redelivery::Never),
            (500, ServiceErrorKind::Other, Redelivery::IfIdempotent),
            (503, ServiceErrorKind::Other, Redelivery::IfIdempotent),
            (400, ServiceErrorKind::Other, Redelivery::Never),
        ];
        for (status, kind, redelivery) in cases {
            let classified = ServiceErrorKind::classify(status, None, None, None);
            assert_eq!(classified, kind, "{status}");
            assert_eq!(classified.redelivery(status), redelivery, "{status}");
        }
    }
}
