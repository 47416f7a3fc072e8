//! The names both sides and the deployment agree on: the default key prefix, the tag the
//! lifecycle rule matches, the function's environment variables (always compiled: the
//! deployment writes them without the `claim-check` feature).

/// The key prefix of `ClaimCheck::builder` when none is given.
pub const DEFAULT_KEY_PREFIX: &str = "lambda-remote/claim-check/";

/// The largest object a reader accepts when no maximum is given: 256 MiB.
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 256 * 1024 * 1024;

/// The tag every object carries (`lambda-remote-claim-check=request` or `=result`): what a
/// bucket lifecycle rule matches, beside the key prefix.
pub const TAG_KEY: &str = "lambda-remote-claim-check";

/// The bucket (`ClaimCheck::from_env`); required.
pub const ENV_BUCKET: &str = "LAMBDA_REMOTE_CLAIM_CHECK_BUCKET";
/// The key prefix (`ClaimCheck::from_env`); [`DEFAULT_KEY_PREFIX`] when unset.
pub const ENV_KEY_PREFIX: &str = "LAMBDA_REMOTE_CLAIM_CHECK_KEY_PREFIX";
/// The largest object read, in bytes (`ClaimCheck::from_env`).
pub const ENV_MAX_OBJECT_SIZE: &str = "LAMBDA_REMOTE_CLAIM_CHECK_MAX_OBJECT_SIZE";
/// The threshold, in bytes (`ClaimCheck::from_env`).
pub const ENV_THRESHOLD: &str = "LAMBDA_REMOTE_CLAIM_CHECK_THRESHOLD";
/// The server-side encryption, as S3 spells it (`AES256`, `aws:kms`, `aws:kms:dsse`).
pub const ENV_SSE: &str = "LAMBDA_REMOTE_CLAIM_CHECK_SSE";
/// The KMS key id or ARN for `aws:kms` encryption.
pub const ENV_KMS_KEY_ID: &str = "LAMBDA_REMOTE_CLAIM_CHECK_KMS_KEY_ID";
