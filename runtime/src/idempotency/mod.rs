//! Idempotency keys: a method marked `#[lambda(idempotency_key = "order-{order_id}")]` runs
//! once per key, however often its call is sent.
//!
//! The key is a template over the method's arguments. The client sends such a method's calls
//! [`AtLeastOnce`](crate::delivery::Delivery::AtLeastOnce): the attribute is the contract's
//! word that the function deduplicates, which it does when it is served by this library with
//! an [`Idempotency`] configuration (feature `idempotency`; a function in another language
//! must do the same). The served method computes the key from the decoded arguments (nothing
//! extra travels), scopes it by function, qualifier and tenant id, hashes it (sha256), and
//! keeps one record per key in an [`IdempotencyStore`]:
//!
//! | call | store requests | the method |
//! |---|---|---|
//! | a new key | 2: a conditional put `INPROGRESS`, then `COMPLETED` with the result | runs |
//! | the key of a completed call, same payload | 1: the put fails, returning the record | does not run; the stored result is the answer |
//! | the key of a call in progress | 1 | does not run; [`IN_PROGRESS_ERROR_TYPE`], which the client sends again |
//! | the key with another payload | 1 | does not run; [`KEY_REUSED_ERROR_TYPE`] |
//! | the method failed (a function error, a panic) | the record is deleted | a later call runs again |
//!
//! The client computes the same stored form of the key ([`scoped_id`], feature `client`): its
//! span records it as `lambda_remote.idempotency_key`, and
//! [`InvokeError::idempotency_key`] returns it.
//!
//! The guide's chapter "Idempotency" has the whole story; this module's items are the
//! configuration ([`Idempotency`]), the store trait and its stores, and the typed errors a
//! caller reads ([`IdempotencyError`]).

#[cfg(feature = "idempotency-dynamodb")]
#[cfg_attr(docsrs, doc(cfg(feature = "idempotency-dynamodb")))]
pub mod dynamodb;
#[cfg(any(feature = "client", feature = "idempotency"))]
pub(crate) mod key;
#[cfg(feature = "idempotency")]
mod memory;
#[cfg(feature = "idempotency")]
mod served;
#[cfg(feature = "idempotency")]
mod store;

#[cfg(any(feature = "client", feature = "idempotency"))]
pub use key::scoped_id;
#[cfg(feature = "idempotency")]
pub use memory::InMemoryStore;
#[cfg(feature = "idempotency")]
pub use served::{Idempotency, IdempotencyBuilder, OnStoreFailure};
#[cfg(feature = "idempotency")]
pub(crate) use served::{Served, scope};
#[cfg(feature = "idempotency")]
pub use store::{IdempotencyStore, Record, Started, Status, StoreError, StoreFuture};

use std::fmt;

use crate::error::InvokeError;
use crate::error::object::ErrorObject;

/// The `errorType` of a call whose key belongs to a call still running: the method did not
/// run. The client sends it again (within its attempts and timeout).
pub const IN_PROGRESS_ERROR_TYPE: &str = "lambda_remote::IdempotencyInProgress";
/// The `errorType` of a call whose key was used before with another payload: the method did
/// not run.
pub const KEY_REUSED_ERROR_TYPE: &str = "lambda_remote::IdempotencyKeyReused";
/// The `errorType` of a call whose key belongs to a completed call whose result was too large
/// to keep: the method did not run again.
pub const RESULT_NOT_KEPT_ERROR_TYPE: &str = "lambda_remote::IdempotencyResultNotKept";
/// The `errorType` of a call the function could not check against its store (unreachable,
/// refusing): the method did not run.
pub const STORE_UNAVAILABLE_ERROR_TYPE: &str = "lambda_remote::IdempotencyStoreUnavailable";
/// The `errorType` of a call of a keyed method served without an idempotency configuration
/// (or built without feature `idempotency`): the method did not run.
pub const NOT_CONFIGURED_ERROR_TYPE: &str = "lambda_remote::IdempotencyNotConfigured";

/// Why a keyed call was answered without running the method: read from the function error a
/// call returned ([`IdempotencyError::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdempotencyError {
    /// The key belongs to a call still running (the client already sent it again as often as
    /// its retry configuration allows).
    InProgress,
    /// The key was used before with another payload.
    KeyReused,
    /// The key belongs to a completed call whose result was too large for the store.
    ResultNotKept,
    /// The function could not reach its store.
    StoreUnavailable,
    /// The function deduplicates nothing: it was served without an idempotency configuration.
    NotConfigured,
}

impl IdempotencyError {
    /// The idempotency error a call failed with, if it failed with one.
    pub fn of<E>(error: &InvokeError<E>) -> Option<Self> {
        Self::from_object(error.failure()?.object())
    }

    /// The idempotency error an error object is, if it is one.
    pub fn from_object(object: &ErrorObject) -> Option<Self> {
        Self::from_error_type(object.error_type()?)
    }

    /// The idempotency error of `errorType` `error_type`, if it is one.
    pub fn from_error_type(error_type: &str) -> Option<Self> {
        Some(match error_type {
            IN_PROGRESS_ERROR_TYPE => Self::InProgress,
            KEY_REUSED_ERROR_TYPE => Self::KeyReused,
            RESULT_NOT_KEPT_ERROR_TYPE => Self::ResultNotKept,
            STORE_UNAVAILABLE_ERROR_TYPE => Self::StoreUnavailable,
            NOT_CONFIGURED_ERROR_TYPE => Self::NotConfigured,
            _ => return None,
        })
    }

    /// Its `errorType`.
    pub const fn error_type(self) -> &'static str {
        match self {
            Self::InProgress => IN_PROGRESS_ERROR_TYPE,
            Self::KeyReused => KEY_REUSED_ERROR_TYPE,
            Self::ResultNotKept => RESULT_NOT_KEPT_ERROR_TYPE,
            Self::StoreUnavailable => STORE_UNAVAILABLE_ERROR_TYPE,
            Self::NotConfigured => NOT_CONFIGURED_ERROR_TYPE,
        }
    }

    /// The error object a function answers with.
    pub(crate) fn object(self, detail: Option<String>) -> ErrorObject {
        let message = match detail {
            Some(detail) => format!("{self}: {detail}"),
            None => self.to_string(),
        };
        ErrorObject::new(self.error_type(), message)
    }
}

impl fmt::Display for IdempotencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InProgress => {
                "a call with this idempotency key is in progress; the method did not run again"
            }
            Self::KeyReused => {
                "this idempotency key was used with another payload; the method did not run"
            }
            Self::ResultNotKept => {
                "the call with this idempotency key completed, but its result was too large to keep; the method did not run again"
            }
            Self::StoreUnavailable => {
                "the idempotency store could not be used; the method did not run"
            }
            Self::NotConfigured => {
                "the method has an idempotency key but the function was served without an idempotency store; the method did not run"
            }
        })
    }
}

impl std::error::Error for IdempotencyError {}

/// Whether a function error's body is the "in progress" answer: the one function error a
/// keyed call is sent again on.
#[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
pub(crate) fn is_in_progress(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Typed<'a> {
        #[serde(rename = "errorType", borrow)]
        error_type: Option<std::borrow::Cow<'a, str>>,
    }
    serde_json::from_slice::<Typed<'_>>(body)
        .ok()
        .and_then(|typed| typed.error_type)
        .is_some_and(|t| t == IN_PROGRESS_ERROR_TYPE)
}

/// What generated code calls for a keyed method: deduplicates `body`'s run by `key`.
/// Without feature `idempotency` nothing can be configured, so the method never runs.
#[doc(hidden)]
#[cfg(not(feature = "idempotency"))]
pub async fn idempotent<F>(
    _payload: &[u8],
    _key: String,
    _body: F,
) -> Result<Box<serde_json::value::RawValue>, ErrorObject>
where
    F: std::future::Future<Output = Result<Box<serde_json::value::RawValue>, ErrorObject>> + Send,
{
    Err(IdempotencyError::NotConfigured.object(Some(
        "lambda-remote was built without feature `idempotency`".to_owned(),
    )))
}

#[cfg(feature = "idempotency")]
pub use served::idempotent;
