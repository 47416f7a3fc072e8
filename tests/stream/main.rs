//! Streamed responses (`runtime/src/stream/`), one test binary: typed streaming end to end, what
//! a streaming call does when the stream breaks (raw servers writing the tests' own event-stream
//! frames), and the size of a streamed response.

#[path = "../support/mod.rs"]
mod support;

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod faults;
pub mod size;
pub mod typed;
