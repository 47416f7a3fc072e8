//! The functions of lambda-remote's interop suite: each binary serves one method of the
//! contract in `tests/interop/contract.rs` on the real `lambda_runtime`.

#[path = "../../contract.rs"]
pub mod contract;

pub use contract::{InteropImpl, InteropServer};
