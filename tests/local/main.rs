//! The local Lambda endpoint (`runtime/src/local/`), one test binary: through the generated
//! client (`typed.rs`) and through the raw `aws_sdk_lambda::Client` (`endpoint.rs`).

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod endpoint;
pub mod typed;
