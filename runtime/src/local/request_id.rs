//! Request ids shaped like Lambda's (UUIDs), unique within the process.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh UUID-shaped id: random bits, then a process-wide counter that keeps it unique.
pub(crate) fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(count);
    let random = hasher.finish();
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        random >> 32,
        (random >> 16) & 0xffff,
        (random >> 4) & 0xfff,
        (count >> 48) & 0xfff,
        count & 0xffff_ffff_ffff
    )
}
