//! The `interop-greet` function: serves `Interop::greet`.

use lambda_remote_interop_function::{InteropImpl, InteropServer};

#[tokio::main]
async fn main() -> Result<(), lambda_remote::server::Error> {
    lambda_remote::server::run(InteropServer::new(InteropImpl).greet()).await
}
