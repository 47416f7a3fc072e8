//! An idempotency store in memory: for tests, the local endpoint, and a function whose calls
//! reach one process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crate::idempotency::store::{
    IdempotencyStore, Record, Started, Status, StoreError, StoreFuture,
};

/// Records in this process's memory, behind one lock: each operation is atomic. It counts
/// the requests it answers ([`requests`](Self::requests)), as a remote store would see them.
///
/// A function on Lambda runs in many execution environments, each its own process: this store
/// deduplicates only the calls one process receives. Use a shared store there (DynamoDB).
#[derive(Debug)]
pub struct InMemoryStore {
    records: Mutex<HashMap<String, Record>>,
    requests: AtomicU64,
    max_result_size: usize,
}

impl Default for InMemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl InMemoryStore {
    /// An empty store keeping results of up to 6 MB (Lambda's response limit).
    pub fn new() -> Self {
        Self {
            records: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            max_result_size: 6 * 1024 * 1024,
        }
    }

    /// Keeps results of at most `bytes`; a larger one is stored as "completed, result not
    /// kept".
    pub fn with_max_result_size(mut self, bytes: usize) -> Self {
        self.max_result_size = bytes;
        self
    }

    /// How many requests (start, complete, delete) the store has answered.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// The records held, expired or not.
    pub fn records(&self) -> Vec<Record> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Record>> {
        // A panic while holding the lock leaves the map whole (every change is one insert
        // or remove).
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl IdempotencyStore for InMemoryStore {
    fn start<'a>(
        &'a self,
        record: &'a Record,
        now: SystemTime,
    ) -> StoreFuture<'a, Result<Started, StoreError>> {
        Box::pin(async move {
            self.requests.fetch_add(1, Ordering::SeqCst);
            let mut records = self.lock();
            match records.get(&record.id) {
                Some(existing) if existing.expires_at > now => {
                    Ok(Started::Existing(existing.clone()))
                }
                _ => {
                    records.insert(record.id.clone(), record.clone());
                    Ok(Started::New)
                }
            }
        })
    }

    fn complete<'a>(
        &'a self,
        id: &'a str,
        result: Option<&'a [u8]>,
        expires_at: SystemTime,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.requests.fetch_add(1, Ordering::SeqCst);
            let mut records = self.lock();
            match records.get_mut(id) {
                Some(record) => {
                    record.status = Status::Completed;
                    record.result = result.map(<[u8]>::to_vec);
                    record.expires_at = expires_at;
                    Ok(())
                }
                None => Err(StoreError::new(
                    "complete",
                    "the record is gone (it expired and was replaced, or was deleted)",
                )),
            }
        })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.requests.fetch_add(1, Ordering::SeqCst);
            self.lock().remove(id);
            Ok(())
        })
    }

    fn max_result_size(&self) -> usize {
        self.max_result_size
    }
}
