//! The `interop-context` function: serves `Interop::context`.

use lambda_remote_interop_function::{InteropImpl, InteropServer};

#[tokio::main]
async fn main() -> Result<(), lambda_remote::server::Error> {
    lambda_remote::server::run(InteropServer::new(InteropImpl).context()).await
}
