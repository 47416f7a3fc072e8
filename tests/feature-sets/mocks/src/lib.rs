//! Nothing here: `tests/builds.rs` uses lambda-remote with `mocks` alone.
