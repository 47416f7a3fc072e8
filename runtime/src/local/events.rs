//! Asynchronous (`Event`) invocations: queued, run in the background, retried twice on a
//! function error, then dead-lettered.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::task::{JoinHandle, JoinSet};

use super::execute::Call;
use super::recording::Recorder;

/// An event that failed every attempt (or could never run).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeadLetter {
    /// The request id of the event.
    pub request_id: String,
    /// The bare function name.
    pub function: String,
    /// The version the event resolved to.
    pub executed_version: String,
    /// The event payload.
    pub payload: Bytes,
    /// The error object of the last attempt.
    pub error: Value,
    /// How many times the handler ran: 3, or 0 for a function with reserved concurrency 0.
    pub attempts: u32,
}

/// Counts one queued or running event; the count drops when it is done, however it ends.
struct Pending(watch::Sender<usize>);

impl Pending {
    fn new(count: &watch::Sender<usize>) -> Self {
        count.send_modify(|n| *n += 1);
        Self(count.clone())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

type DeadLetters = Arc<Mutex<Vec<DeadLetter>>>;

/// The queue of one endpoint and its worker task.
pub(crate) struct EventQueue {
    sender: mpsc::UnboundedSender<(Call, Pending)>,
    pending: watch::Sender<usize>,
    dead_letters: DeadLetters,
    worker: JoinHandle<()>,
}

impl EventQueue {
    /// Starts the worker; `retry_delays` are the waits before the second and third attempts.
    pub(crate) fn start(recorder: Arc<Recorder>, retry_delays: [Duration; 2]) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        let dead_letters = DeadLetters::default();
        let worker = tokio::spawn(work(receiver, recorder, dead_letters.clone(), retry_delays));
        Self {
            sender,
            pending: watch::Sender::new(0),
            dead_letters,
            worker,
        }
    }

    pub(crate) fn enqueue(&self, call: Call) {
        // If the worker is gone the endpoint is shutting down: the event is dropped.
        let _ = self.sender.send((call, Pending::new(&self.pending)));
    }

    /// Waits until no event is queued or running.
    pub(crate) async fn drain(&self) {
        let _ = self.pending.subscribe().wait_for(|n| *n == 0).await;
    }

    pub(crate) fn dead_letters(&self) -> Vec<DeadLetter> {
        self.dead_letters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Cancels the worker and every event it is running.
    pub(crate) fn stop(&self) {
        self.worker.abort();
    }
}

async fn work(
    mut receiver: mpsc::UnboundedReceiver<(Call, Pending)>,
    recorder: Arc<Recorder>,
    dead_letters: DeadLetters,
    retry_delays: [Duration; 2],
) {
    let mut running = JoinSet::new();
    loop {
        tokio::select! {
            received = receiver.recv() => match received {
                Some((call, pending)) => {
                    running.spawn(deliver(call, pending, recorder.clone(), dead_letters.clone(), retry_delays));
                }
                None => break,
            },
            Some(_) = running.join_next(), if !running.is_empty() => {}
        }
    }
    while running.join_next().await.is_some() {}
}

async fn deliver(
    call: Call,
    _pending: Pending,
    recorder: Arc<Recorder>,
    dead_letters: DeadLetters,
    [second, third]: [Duration; 2],
) {
    let mut attempts = 0;
    let mut error = json!({
        "errorType": "TooManyRequestsException",
        "errorMessage": "Rate Exceeded.",
        "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
    });
    if call.target.reserved_concurrency != Some(0) {
        for (attempt, delay) in [(1, Duration::ZERO), (2, second), (3, third)] {
            tokio::time::sleep(delay).await;
            let _slot = call.target.acquire().await;
            attempts = attempt;
            match call.run(attempt, &recorder, false).await.outcome {
                Ok(_) => return,
                Err(object) => error = object,
            }
        }
    }
    let letter = DeadLetter {
        request_id: call.request_id,
        function: call.target.name,
        executed_version: call.target.executed_version,
        payload: call.payload,
        error,
        attempts,
    };
    dead_letters
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(letter);
}
