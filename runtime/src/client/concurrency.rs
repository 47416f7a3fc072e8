//! The load a client holds: an optional bound on the calls in flight, per client and per
//! method, with a bounded queue of calls waiting for a slot; past the queue a call is refused
//! with [`Rejected::Overloaded`] before anything is sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::Rejected;

/// At most `in_flight` calls at once, and at most `queue` more waiting for one of them to end
/// (`ClientBuilder::concurrency_limit`, `ClientBuilder::method_concurrency_limit`). A call past
/// the queue is refused with [`Rejected::Overloaded`], before anything is sent.
///
/// A call holds its slot from the moment it is sent until it returns: for a streaming method,
/// until its response started (the function may stream on after).
///
/// ```
/// # use lambda_remote_runtime::ConcurrencyLimit;
/// let limit = ConcurrencyLimit::new(40).queue(10_000);
/// assert_eq!((limit.in_flight(), limit.queue_len()), (40, 10_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConcurrencyLimit {
    in_flight: usize,
    queue: usize,
}

impl ConcurrencyLimit {
    /// At most `in_flight` calls at once (at least 1), none waiting: set a queue with
    /// [`queue`](Self::queue).
    pub fn new(in_flight: usize) -> Self {
        Self {
            in_flight: in_flight.clamp(1, Semaphore::MAX_PERMITS),
            queue: 0,
        }
    }

    /// At most `queue` calls waiting for a slot.
    pub fn queue(mut self, queue: usize) -> Self {
        self.queue = queue;
        self
    }

    /// The calls in flight at most.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The calls waiting at most.
    pub fn queue_len(&self) -> usize {
        self.queue
    }
}

/// One limit's slots and the number of calls waiting for one.
#[derive(Debug)]
pub(crate) struct Gate {
    limit: ConcurrencyLimit,
    /// `"client"`, or the method's name.
    scope: &'static str,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// A call's slot, given back when dropped.
pub(crate) type Slot = OwnedSemaphorePermit;

impl Gate {
    pub(crate) fn new(limit: ConcurrencyLimit, scope: &'static str) -> Self {
        Self {
            limit,
            scope,
            slots: Arc::new(Semaphore::new(limit.in_flight)),
            waiting: AtomicUsize::new(0),
        }
    }

    /// A slot: at once when one is free, else after waiting in the queue; refused when the
    /// queue is full.
    pub(crate) async fn enter(&self) -> Result<Slot, Rejected> {
        if let Ok(slot) = self.slots.clone().try_acquire_owned() {
            return Ok(slot);
        }
        let waiting = self.waiting.fetch_add(1, Ordering::AcqRel);
        let _leave = Leave(&self.waiting);
        if waiting >= self.limit.queue {
            return Err(Rejected::Overloaded {
                scope: self.scope,
                in_flight: self.limit.in_flight,
                queue: self.limit.queue,
            });
        }
        Ok(self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed"))
    }
}

/// Leaves the queue when dropped (the call got its slot, was refused, or was given up).
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_queue_a_call_is_refused() {
        let gate = Gate::new(ConcurrencyLimit::new(1).queue(1), "client");
        let first = gate.enter().await.unwrap();
        let mut second = Box::pin(gate.enter());
        assert!(futures_util::poll!(second.as_mut()).is_pending(), "queued");
        assert_eq!(
            gate.enter().await.unwrap_err(),
            Rejected::Overloaded {
                scope: "client",
                in_flight: 1,
                queue: 1
            }
        );
        drop(first);
        let _second = second.await.unwrap();
        assert_eq!(gate.waiting.load(Ordering::Acquire), 0);
    }
}
