//! The contract (`runtime/src/contract.rs` and what the macros render), one test binary: the
//! contract as data, the evolutions table row by row, and property tests of the rendered
//! payloads and error mapping.

// `pub`: each file was a crate root of its own, and its `pub` items (a contract's trait
// used only through its client) stay reachable, as they were.
pub mod data;
pub mod evolutions;
pub mod props;
