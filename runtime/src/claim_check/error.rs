//! What can go wrong with a claim check, on either side.

use std::error::Error as StdError;
use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use bytes::Bytes;

use crate::error::FunctionFailure;

/// The `errorType` a served method answers with when it could not read (or write) a claim
/// check: the method did not run (or its result could not be stored). Its fields say what
/// failed (`claimCheck`, as [`ClaimCheckErrorKind::code`]) and where (`bucket`, `key`). The
/// client reads it back as [`InvokeError::ClaimCheck`](crate::InvokeError::ClaimCheck) on
/// [`Side::Function`].
pub const CLAIM_CHECK_ERROR_TYPE: &str = "lambda_remote::ClaimCheckError";

/// Which side of the call the claim check failed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Side {
    /// The caller: storing the request (nothing was invoked), or reading the result.
    Client,
    /// The function: reading the request (the method did not run), or storing the result.
    Function,
}

/// What failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimCheckErrorKind {
    /// A body needed the claim check (over the limit, or `claim_check = "always"`), or a
    /// reference arrived, and this side has none configured.
    NotConfigured,
    /// A reference arrived for a method with `claim_check = "never"`.
    Refused,
    /// `PutObject` failed.
    Put,
    /// `GetObject` failed (other than a missing object).
    Get,
    /// The object does not exist (deleted, expired, or never written).
    Missing,
    /// The object's SHA-256 is not the reference's: it was changed.
    Checksum {
        /// The reference's SHA-256 (base64).
        expected: String,
        /// The object's (base64).
        actual: String,
    },
    /// The object's length is not the reference's: it was truncated or changed.
    Size {
        /// The reference's size in bytes.
        expected: u64,
        /// The object's (as far as it was read).
        actual: u64,
    },
    /// The object is larger than the reader's maximum (nothing was read).
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The reader's maximum.
        max: u64,
    },
    /// The reference names a bucket or key outside the reader's bucket and prefix (or its
    /// tenant's prefix): refused, nothing was read.
    Outside,
    /// The envelope does not read, or is of a version this reader does not know.
    Envelope(String),
    /// The configuration (the environment, or the builder) is invalid.
    Config(String),
}

impl ClaimCheckErrorKind {
    /// A stable code for the kind: the `claimCheck` field of a [`CLAIM_CHECK_ERROR_TYPE`]
    /// error object.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotConfigured => "not_configured",
            Self::Refused => "refused",
            Self::Put => "put",
            Self::Get => "get",
            Self::Missing => "missing",
            Self::Checksum { .. } => "checksum",
            Self::Size { .. } => "size",
            Self::TooLarge { .. } => "too_large",
            Self::Outside => "outside",
            Self::Envelope(_) => "envelope",
            Self::Config(_) => "config",
        }
    }
}

impl fmt::Display for ClaimCheckErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotConfigured => f.write_str("no claim check is configured on this side"),
            Self::Refused => f.write_str(
                "a claim-check reference arrived for a method with `claim_check = \"never\"`",
            ),
            Self::Put => f.write_str("storing the body in S3 failed"),
            Self::Get => f.write_str("reading the body from S3 failed"),
            Self::Missing => f.write_str("the object does not exist"),
            Self::Checksum { expected, actual } => write!(
                f,
                "the object's SHA-256 is {actual}, the reference's {expected}: it was changed"
            ),
            Self::Size { expected, actual } => write!(
                f,
                "the object is {actual} bytes, the reference says {expected}: it was truncated or changed"
            ),
            Self::TooLarge { size, max } => write!(
                f,
                "the object is {size} bytes, over this reader's maximum of {max}"
            ),
            Self::Outside => f.write_str(
                "the reference names an object outside this reader's bucket and key prefix",
            ),
            Self::Envelope(reason) | Self::Config(reason) => f.write_str(reason),
        }
    }
}

/// A claim check failed: the body could not be stored, or read back whole and unchanged.
/// Keeps the raw reference (the envelope as it arrived) when there was one.
#[derive(Debug)]
pub struct ClaimCheckError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    side: Side,
    kind: ClaimCheckErrorKind,
    bucket: Option<String>,
    key: Option<String>,
    reference: Option<Bytes>,
    failure: Option<Box<FunctionFailure>>,
    source: Option<BoxError>,
}

impl ClaimCheckError {
    /// Which side failed.
    pub fn side(&self) -> Side {
        self.0.side
    }

    /// What failed.
    pub fn kind(&self) -> &ClaimCheckErrorKind {
        &self.0.kind
    }

    /// The bucket of the object concerned, when there was one.
    pub fn bucket(&self) -> Option<&str> {
        self.0.bucket.as_deref()
    }

    /// The key of the object concerned, when there was one.
    pub fn key(&self) -> Option<&str> {
        self.0.key.as_deref()
    }

    /// The envelope exactly as it arrived (a result's reference the client could not read).
    pub fn reference(&self) -> Option<&Bytes> {
        self.0.reference.as_ref()
    }

    /// For [`Side::Function`]: the function's error object as it arrived.
    pub fn failure(&self) -> Option<&FunctionFailure> {
        self.0.failure.as_deref()
    }
}

/// Made and read by the S3 parts (feature `claim-check`).
#[cfg(feature = "claim-check")]
impl ClaimCheckError {
    pub(crate) fn new(side: Side, kind: ClaimCheckErrorKind) -> Self {
        Self(Box::new(Inner {
            side,
            kind,
            bucket: None,
            key: None,
            reference: None,
            failure: None,
            source: None,
        }))
    }

    pub(crate) fn at(mut self, bucket: &str, key: &str) -> Self {
        self.0.bucket = Some(bucket.to_owned());
        self.0.key = Some(key.to_owned());
        self
    }

    pub(crate) fn with_reference(mut self, reference: Bytes) -> Self {
        self.0.reference = Some(reference);
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// Reads a function error of type [`CLAIM_CHECK_ERROR_TYPE`] back into the error the
    /// function reported; any other failure is given back as it came.
    #[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
    pub(crate) fn from_failure(
        failure: Box<FunctionFailure>,
    ) -> Result<Self, Box<FunctionFailure>> {
        if failure.error_type() != Some(CLAIM_CHECK_ERROR_TYPE) {
            return Err(failure);
        }
        let fields = failure.object().fields();
        let text = |name: &str| fields.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let message = failure.error_message().unwrap_or_default().to_owned();
        let kind = match text("claimCheck").as_deref() {
            Some("not_configured") => ClaimCheckErrorKind::NotConfigured,
            Some("refused") => ClaimCheckErrorKind::Refused,
            Some("put") => ClaimCheckErrorKind::Put,
            Some("get") => ClaimCheckErrorKind::Get,
            Some("missing") => ClaimCheckErrorKind::Missing,
            Some("checksum") => ClaimCheckErrorKind::Checksum {
                expected: text("expected").unwrap_or_default(),
                actual: text("actual").unwrap_or_default(),
            },
            Some("size") => ClaimCheckErrorKind::Size {
                expected: fields
                    .get("expected")
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                actual: fields
                    .get("actual")
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
            },
            Some("too_large") => ClaimCheckErrorKind::TooLarge {
                size: fields
                    .get("size")
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                max: fields
                    .get("max")
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
            },
            Some("outside") => ClaimCheckErrorKind::Outside,
            Some("config") => ClaimCheckErrorKind::Config(message),
            _ => ClaimCheckErrorKind::Envelope(message),
        };
        Ok(Self(Box::new(Inner {
            side: Side::Function,
            kind,
            bucket: text("bucket"),
            key: text("key"),
            reference: None,
            failure: Some(failure),
            source: None,
        })))
    }

    /// The error object a served method answers with: [`CLAIM_CHECK_ERROR_TYPE`], this
    /// error's message (its sources' too), and its kind and location as fields.
    pub(crate) fn error_object(&self) -> crate::error::object::ErrorObject {
        let mut message = self.to_string();
        let mut source = StdError::source(self);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        let mut fields = serde_json::Map::new();
        fields.insert("claimCheck".into(), self.0.kind.code().into());
        if let Some(bucket) = &self.0.bucket {
            fields.insert("bucket".into(), bucket.clone().into());
        }
        if let Some(key) = &self.0.key {
            fields.insert("key".into(), key.clone().into());
        }
        match &self.0.kind {
            ClaimCheckErrorKind::Checksum { expected, actual } => {
                fields.insert("expected".into(), expected.clone().into());
                fields.insert("actual".into(), actual.clone().into());
            }
            ClaimCheckErrorKind::Size { expected, actual } => {
                fields.insert("expected".into(), (*expected).into());
                fields.insert("actual".into(), (*actual).into());
            }
            ClaimCheckErrorKind::TooLarge { size, max } => {
                fields.insert("size".into(), (*size).into());
                fields.insert("max".into(), (*max).into());
            }
            _ => {}
        }
        crate::error::object::ErrorObject::with_fields(CLAIM_CHECK_ERROR_TYPE, message, fields)
    }
}

impl fmt::Display for ClaimCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.0.side {
            Side::Client => "claim check",
            Side::Function => "claim check in the function",
        };
        write!(f, "{side}: {}", self.0.kind)?;
        if let (Some(bucket), Some(key)) = (&self.0.bucket, &self.0.key) {
            write!(f, " (s3://{bucket}/{key})")?;
        }
        Ok(())
    }
}

impl StdError for ClaimCheckError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
