//! Compile-checked contracts, grouped by macro:
//!
//! - `tests/ui/contract`: `#[lambda_remote]` traits and their clients;
//! - `tests/ui/server`: `#[lambda_remote(server)]`, the served side of a contract;
//! - `tests/ui/derive`: `#[derive(FunctionError)]` enums.
//!
//! In each, every mistake in `fail/` fails to compile with one error at the offending token
//! (snapshots in the `.stderr` file next to each case), and every supported shape in `pass/`
//! compiles.
//!
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test --test ui`, then read them. Run
//! some of the cases with `cargo test --test ui -- ui trybuild=<part of the file name>`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for group in ["contract", "server", "derive"] {
        cases.compile_fail(format!("tests/ui/{group}/fail/*.rs"));
        cases.pass(format!("tests/ui/{group}/pass/*.rs"));
    }
}
