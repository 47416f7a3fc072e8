//! The shop's Lambda function: one binary, deployed once per method (`shop-deploy` writes the
//! SAM template). Each function runs the method its name says (`shop-order` → `order`; the
//! template also sets `LAMBDA_REMOTE_METHOD`).
//!
//! Logs go through `lambda_runtime`'s subscriber (feature `server-tracing`): JSON lines when
//! Lambda sets `AWS_LAMBDA_LOG_FORMAT=JSON` (the template's `LoggingConfig`), at the level of
//! `AWS_LAMBDA_LOG_LEVEL`. Under Lambda Managed Instances, Lambda sets
//! `AWS_LAMBDA_MAX_CONCURRENCY` and this process serves that many invocations at once on
//! tokio's multi-threaded runtime; on classic Lambda, one at a time.
//!
//! ```sh
//! cargo lambda build --release -p shop-function   # target/lambda/shop-function/bootstrap
//! ```
//!
//! Outside Lambda it stops at once with an error saying what is missing; run
//! `cargo run -p shop-caller --features local` to see both sides talk on loopback.

#[tokio::main]
async fn main() -> Result<(), lambda_remote::server::Error> {
    lambda_remote::server::tracing::init_default_subscriber();
    lambda_remote::server::run_all(shop_function::handlers()).await
}
