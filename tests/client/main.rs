//! The caller's side (`runtime/src/client/`), one test binary: the generated client through the
//! real SDK against a scripted endpoint, raw servers and the local endpoint behind a spoiling
//! proxy — calls, the fault matrix, every response, secrets, the client span, durable
//! executions, tenants, mocks and trait objects.

#[path = "../support/mod.rs"]
mod support;

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod calls;
pub mod durable;
pub mod dyn_trait;
pub mod faults;
pub mod mocks;
pub mod responses;
pub mod secrets;
pub mod tenants;
pub mod tracing;
