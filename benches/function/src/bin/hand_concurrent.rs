//! The hand-written twin of `hand.rs` served as lambda-remote serves every function:
//! `lambda_runtime::run_concurrent` (sequential unless `AWS_LAMBDA_MAX_CONCURRENCY` is over 1,
//! Lambda Managed Instances). `function-bench` measures it beside `served.rs` and `hand.rs`
//! (BENCHMARKS.md, "Function side (issue 22)"): what serving under Lambda Managed Instances
//! costs a hand-written function too.

#[path = "hand.rs"]
#[allow(dead_code)] // its own `main` is `hand-fn`'s
mod hand;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run_concurrent(lambda_runtime::service_fn(hand::charge)).await
}
