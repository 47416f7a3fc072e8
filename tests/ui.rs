//! Compile-checked contracts: every mistake in a `#[lambda_remote]` trait or a
//! `#[derive(FunctionError)]` enum fails to compile with an error at the offending token
//! (`tests/ui/fail`, snapshots in the `.stderr` files next to each case), and every supported
//! shape compiles (`tests/ui/pass`).
//!
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test --test ui`, then read them.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
