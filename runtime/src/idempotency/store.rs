//! The store a served method deduplicates its calls in: a trait, so that any store can stand
//! behind it (the in-memory one, DynamoDB, or a Redis/Valkey store of your own).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

/// A boxed future, what each [`IdempotencyStore`] method returns (the trait stays
/// object-safe: a server holds an `Arc<dyn IdempotencyStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a served method keeps a record per idempotency key. Three operations, each one
/// request to the store:
///
/// - [`start`](Self::start): writes an [`InProgress`](Status::InProgress) record unless a
///   record of the same id exists that has not expired (`expires_at` in the past), atomically
///   (two concurrent calls of one id: one starts, the other gets the record); when it does not
///   write, it returns the record that stopped it;
/// - [`complete`](Self::complete): makes the record [`Completed`](Status::Completed), with the
///   result (or none, when the result is larger than the store keeps) and a new expiry;
/// - [`delete`](Self::delete): removes the record (the method failed: a later call runs again).
///
/// Ids are already scoped (function, qualifier, tenant) and hashed: 64 hexadecimal characters.
/// A store must treat a record whose `expires_at` has passed as absent, whether or not it
/// has removed it yet.
pub trait IdempotencyStore: Send + Sync + fmt::Debug {
    /// Writes `record` (status [`InProgress`](Status::InProgress)) unless an unexpired record
    /// of its id exists at `now`; returns that record instead.
    fn start<'a>(
        &'a self,
        record: &'a Record,
        now: SystemTime,
    ) -> StoreFuture<'a, Result<Started, StoreError>>;

    /// Makes the record of `id` [`Completed`](Status::Completed) with `result` (`None` when it
    /// is not kept), expiring at `expires_at`.
    fn complete<'a>(
        &'a self,
        id: &'a str,
        result: Option<&'a [u8]>,
        expires_at: SystemTime,
    ) -> StoreFuture<'a, Result<(), StoreError>>;

    /// Removes the record of `id`.
    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Result<(), StoreError>>;

    /// The largest result, in bytes, the store keeps in a record; a larger one is stored as
    /// "completed, result not kept".
    fn max_result_size(&self) -> usize;
}

/// What [`IdempotencyStore::start`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Started {
    /// The record was written: the method runs.
    New,
    /// An unexpired record of the id exists (returned as the store holds it): the method does
    /// not run.
    Existing(Record),
}

/// Whether the call of a record is running or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// The method is running (or its run ended without the record being completed or
    /// deleted, until the record expires).
    InProgress,
    /// The method returned; its result is in the record when the store kept it.
    Completed,
}

impl Status {
    /// How stores write it: `INPROGRESS`, `COMPLETED`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "INPROGRESS",
            Self::Completed => "COMPLETED",
        }
    }

    /// The status written as `text`, if any.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "INPROGRESS" => Some(Self::InProgress),
            "COMPLETED" => Some(Self::Completed),
            _ => None,
        }
    }
}

/// One record: the call of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Record {
    /// The scoped, hashed key (sha256, hexadecimal).
    pub id: String,
    /// Running or done.
    pub status: Status,
    /// When the record stops counting: the invocation's deadline while in progress, the
    /// completed time to live once completed.
    pub expires_at: SystemTime,
    /// The sha256 of the payload (hexadecimal): a call of the same key with another payload
    /// is refused.
    pub payload_hash: String,
    /// The encoded result of a completed call, when kept.
    pub result: Option<Vec<u8>>,
}

impl Record {
    /// A record of `id` in progress until `expires_at`, for a payload of hash `payload_hash`.
    pub fn in_progress(id: String, payload_hash: String, expires_at: SystemTime) -> Self {
        Self {
            id,
            status: Status::InProgress,
            expires_at,
            payload_hash,
            result: None,
        }
    }

    /// A record as a store read it back.
    pub fn new(
        id: String,
        status: Status,
        expires_at: SystemTime,
        payload_hash: String,
        result: Option<Vec<u8>>,
    ) -> Self {
        Self {
            id,
            status,
            expires_at,
            payload_hash,
            result,
        }
    }
}

/// A store request that failed: the store could not be reached, refused, or answered with
/// what is no record. Its source is the store's own error.
#[derive(Debug, thiserror::Error)]
#[error("the idempotency store failed to {operation}")]
pub struct StoreError {
    operation: &'static str,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// The failure of `operation` (`start`, `complete`, `delete`), caused by `source`.
    pub fn new(
        operation: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            operation,
            source: source.into(),
        }
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}
