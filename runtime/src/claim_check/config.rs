//! Where the claim check keeps bodies, and how large they may be: the one configuration of
//! both sides.

use std::fmt;
use std::sync::Arc;

use aws_sdk_s3::types::ServerSideEncryption;

use crate::claim_check::error::{ClaimCheckError, ClaimCheckErrorKind, Side};
use crate::claim_check::names::{
    DEFAULT_KEY_PREFIX, DEFAULT_MAX_OBJECT_SIZE, ENV_BUCKET, ENV_KEY_PREFIX, ENV_KMS_KEY_ID,
    ENV_MAX_OBJECT_SIZE, ENV_SSE, ENV_THRESHOLD,
};

/// An S3 location for bodies too large to travel inline, and the rules for reading them back:
/// given to a client (`ClientBuilder::claim_check`) and to the served methods
/// (`MethodHandler::with_claim_check`), with the same bucket and prefix on both sides.
/// Cheap to clone.
///
/// ```no_run
/// # fn f(s3: aws_sdk_s3::Client) {
/// use lambda_remote_runtime::claim_check::ClaimCheck;
/// use aws_sdk_s3::types::ServerSideEncryption;
/// let claim_check = ClaimCheck::builder(s3, "my-bucket")
///     .key_prefix("orders/claim-check/")
///     .server_side_encryption(ServerSideEncryption::AwsKms)
///     .sse_kms_key_id("alias/orders")
///     .max_object_size(512 * 1024 * 1024)
///     .build();
/// # }
/// ```
#[derive(Clone)]
pub struct ClaimCheck {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) bucket: String,
    pub(crate) prefix: String,
    pub(crate) threshold: Option<usize>,
    pub(crate) max_object_size: u64,
    pub(crate) sse: Option<ServerSideEncryption>,
    pub(crate) kms_key_id: Option<String>,
    pub(crate) bucket_key_enabled: Option<bool>,
}

/// Builds a [`ClaimCheck`], in the style of the AWS SDK's builders.
pub struct ClaimCheckBuilder {
    inner: Inner,
}

impl ClaimCheck {
    /// A claim check in `bucket` through `s3` (an S3 client built your way: region,
    /// credentials, endpoint), under [`DEFAULT_KEY_PREFIX`].
    pub fn builder(s3: aws_sdk_s3::Client, bucket: impl Into<String>) -> ClaimCheckBuilder {
        ClaimCheckBuilder {
            inner: Inner {
                s3,
                bucket: bucket.into(),
                prefix: DEFAULT_KEY_PREFIX.to_owned(),
                threshold: None,
                max_object_size: DEFAULT_MAX_OBJECT_SIZE,
                sse: None,
                kms_key_id: None,
                bucket_key_enabled: None,
            },
        }
    }

    /// The function's configuration from the environment Lambda gives it: [`ENV_BUCKET`]
    /// (required), [`ENV_KEY_PREFIX`], [`ENV_MAX_OBJECT_SIZE`], [`ENV_THRESHOLD`],
    /// [`ENV_SSE`], [`ENV_KMS_KEY_ID`].
    pub fn from_env(s3: aws_sdk_s3::Client) -> Result<Self, ClaimCheckError> {
        Self::from_lookup(s3, |name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_lookup(
        s3: aws_sdk_s3::Client,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ClaimCheckError> {
        let config = |reason: String| {
            ClaimCheckError::new(Side::Function, ClaimCheckErrorKind::Config(reason))
        };
        let bucket = lookup(ENV_BUCKET)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| config(format!("{ENV_BUCKET} is not set")))?;
        let mut builder = Self::builder(s3, bucket);
        if let Some(prefix) = lookup(ENV_KEY_PREFIX) {
            builder = builder.key_prefix(prefix);
        }
        let number = |name: &str| -> Result<Option<u64>, ClaimCheckError> {
            lookup(name)
                .map(|text| {
                    text.trim().parse::<u64>().map_err(|e| {
                        config(format!("{name} is not a number of bytes (`{text}`): {e}"))
                    })
                })
                .transpose()
        };
        if let Some(max) = number(ENV_MAX_OBJECT_SIZE)? {
            builder = builder.max_object_size(max);
        }
        if let Some(threshold) = number(ENV_THRESHOLD)? {
            builder = builder.threshold(usize::try_from(threshold).unwrap_or(usize::MAX));
        }
        if let Some(sse) = lookup(ENV_SSE) {
            builder = builder.server_side_encryption(ServerSideEncryption::from(sse.as_str()));
        }
        if let Some(key) = lookup(ENV_KMS_KEY_ID) {
            builder = builder.sse_kms_key_id(key);
        }
        Ok(builder.build())
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.inner.bucket
    }

    /// The key prefix every object is written under, and every reference must be under.
    pub fn key_prefix(&self) -> &str {
        &self.inner.prefix
    }

    /// The threshold set, if any (else the invocation type's limit).
    pub fn threshold(&self) -> Option<usize> {
        self.inner.threshold
    }

    /// The largest object read.
    pub fn max_object_size(&self) -> u64 {
        self.inner.max_object_size
    }
}

impl ClaimCheckBuilder {
    /// The prefix of every key (e.g. `orders/claim-check/`; a tenant's objects go under
    /// `<prefix>tenant/<hex of the tenant id>/`). References outside it are refused.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.inner.prefix = prefix.into();
        self
    }

    /// Offloads a body over `bytes`: a request on the client's side, a synchronous result on
    /// the function's. By default the limit of the invocation type (6 MB synchronous, 1 MB
    /// `Event`; 6 MB for a result), so that a call only offloads what would otherwise fail.
    pub fn threshold(mut self, bytes: usize) -> Self {
        self.inner.threshold = Some(bytes);
        self
    }

    /// The largest object this side reads ([`DEFAULT_MAX_OBJECT_SIZE`] by default): a
    /// reference to a larger one is refused before anything is read.
    pub fn max_object_size(mut self, bytes: u64) -> Self {
        self.inner.max_object_size = bytes;
        self
    }

    /// The server-side encryption of the objects written (`PutObject`'s
    /// `x-amz-server-side-encryption`).
    pub fn server_side_encryption(mut self, sse: ServerSideEncryption) -> Self {
        self.inner.sse = Some(sse);
        self
    }

    /// The KMS key of `aws:kms` encryption (`x-amz-server-side-encryption-aws-kms-key-id`).
    pub fn sse_kms_key_id(mut self, key: impl Into<String>) -> Self {
        self.inner.kms_key_id = Some(key.into());
        self
    }

    /// Whether S3 Bucket Keys are used for KMS encryption.
    pub fn bucket_key_enabled(mut self, enabled: bool) -> Self {
        self.inner.bucket_key_enabled = Some(enabled);
        self
    }

    /// The claim check.
    pub fn build(self) -> ClaimCheck {
        ClaimCheck {
            inner: Arc::new(self.inner),
        }
    }
}

impl fmt::Debug for ClaimCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimCheck")
            .field("bucket", &self.inner.bucket)
            .field("key_prefix", &self.inner.prefix)
            .field("threshold", &self.inner.threshold)
            .field("max_object_size", &self.inner.max_object_size)
            .field("sse", &self.inner.sse)
            .field("kms_key_id", &self.inner.kms_key_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ClaimCheckBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimCheckBuilder")
            .field("bucket", &self.inner.bucket)
            .field("key_prefix", &self.inner.prefix)
            .finish_non_exhaustive()
    }
}
