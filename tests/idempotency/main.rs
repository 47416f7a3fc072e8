//! Idempotency keys end to end (`lambda_remote::idempotency`): the generated client sends a
//! keyed call again on failures that may have run, and the served method, deduplicating in
//! a real store, runs its body exactly once per key. Runs are counted where the body runs
//! (`contract::Counting`), store requests where they arrive.
//!
//! - `memory`: the in-memory store, on the local endpoint behind a spoiling proxy;
//! - `dynamodb`: the DynamoDB store on moto_server (5.2.1), which the tests start and whose
//!   table they create (skipped when moto_server is missing, failed under
//!   `LAMBDA_REMOTE_INTEROP=require`);
//! - `keys`: the key the client reports (its span, its error) is the id the store keeps, in
//!   memory and on moto; keyed `Event` calls, deduplicated and retried by the local endpoint;
//! - `watch`: the keyed method on the real `lambda_runtime` under the real `cargo lambda
//!   watch` (1.9.2), deduplicating in DynamoDB on moto_server (feature `server`).

#[path = "../support/mod.rs"]
mod support;
#[path = "../interop/tools.rs"]
#[allow(dead_code)]
mod tools;

pub mod contract;
pub mod dynamodb;
pub mod keys;
pub mod memory;
#[cfg(feature = "server")]
pub mod watch;
