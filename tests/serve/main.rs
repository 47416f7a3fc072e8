//! The function's side (`runtime/src/serve/`) on the local endpoint, one test binary: one
//! contract (`contract.rs`), served and called.
//!
//! The tests that serve on the real `lambda_runtime` set the process environment it reads, so
//! each is a binary of its own (`[[test]]` entries in Cargo.toml): `runtime.rs`
//! (`serve_runtime`), `runtime_stream.rs` (`serve_runtime_stream`), `errors.rs`
//! (`serve_errors`) and `context.rs` (`serve_context`).

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod contract;

pub mod local;
