//! The caller's side (`runtime/src/client/`), one test binary: the generated client through the
//! real SDK against a scripted endpoint, raw servers and the local endpoint behind a spoiling
//! proxy — calls, the fault matrix, every response, durable executions, tenants, mocks and
//! trait objects.
//!
//! The tests that collect what the calls record in tracing (`secrets.rs`, `tracing.rs`) are
//! binaries of their own (`[[test]]` entries in Cargo.toml: `client_secrets`,
//! `client_tracing`): tracing's callsite interest is shared by the whole process, and calls
//! made by other tests at the same time, on threads without a subscriber, made
//! `secrets::a_stream_and_its_errors_print_none_of_them` see no span (2 runs of 4 here).

#[path = "../support/mod.rs"]
mod support;

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod calls;
pub mod chains;
pub mod config;
pub mod connectors;
pub mod durable;
pub mod dyn_trait;
pub mod faults;
pub mod mocks;
pub mod responses;
pub mod tenants;
