//! Payloads and results of any size through an S3 claim check (the pattern AWS's "extended
//! client" libraries apply to SQS and SNS): a body over the threshold is put in S3 and a small,
//! versioned [reference](Reference) is sent instead; the other side fetches it, checks its
//! size and SHA-256, and decodes it as if it had come inline.
//!
//! - Always compiled: [`ClaimCheckMode`] (a method's `#[lambda(claim_check = "…")]`, in its
//!   spec and its contract), the [`Reference`] envelope, [`ClaimCheckError`] and
//!   [`CLAIM_CHECK_ERROR_TYPE`], and the names both sides and the deployment agree on
//!   ([`DEFAULT_KEY_PREFIX`], [`TAG_KEY`], the function's `ENV_*` variables).
//! - With the `claim-check` feature (aws-sdk-s3, without its default features): the S3
//!   location [`ClaimCheck`] both sides are configured with, given to the client builder
//!   (`ClientBuilder::claim_check`) and to each served method (`MethodHandler::with_claim_check`).
//!
//! The guide's chapter "Claim check" says what it costs, where the bytes live, who deletes
//! them and which IAM permissions each side needs.

mod error;
mod mode;
mod names;
mod reference;

#[cfg(feature = "claim-check")]
#[cfg(feature = "client")]
pub(crate) mod client;
#[cfg(feature = "claim-check")]
mod config;
#[cfg(feature = "claim-check")]
pub(crate) mod serve;
#[cfg(feature = "claim-check")]
mod store;

pub use error::{CLAIM_CHECK_ERROR_TYPE, ClaimCheckError, ClaimCheckErrorKind, Side};
pub use mode::ClaimCheckMode;
pub use names::{
    DEFAULT_KEY_PREFIX, DEFAULT_MAX_OBJECT_SIZE, ENV_BUCKET, ENV_KEY_PREFIX, ENV_KMS_KEY_ID,
    ENV_MAX_OBJECT_SIZE, ENV_SSE, ENV_THRESHOLD, TAG_KEY,
};
pub use reference::Reference;

#[cfg(feature = "claim-check")]
#[cfg_attr(docsrs, doc(cfg(feature = "claim-check")))]
pub use config::{ClaimCheck, ClaimCheckBuilder};

/// The AWS SDK for S3 the claim check stores bodies with (without its default features; the
/// facade's `client` feature adds its HTTPS client and tokio sleep).
#[cfg(feature = "claim-check")]
#[cfg_attr(docsrs, doc(cfg(feature = "claim-check")))]
pub use aws_sdk_s3;
