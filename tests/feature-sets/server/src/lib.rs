//! Nothing here: `tests/serves.rs` uses lambda-remote with `server` alone.
