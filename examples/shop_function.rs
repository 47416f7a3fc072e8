//! The function side of the shop: serves one method of the `Shop` contract on the real
//! `lambda_runtime`. Build it for Lambda and deploy one function per method (see README,
//! "Serving the same trait"); `SHOP_METHOD` (`order` or `quote`) picks the method.
//!
//! Outside Lambda it stops at once with an error saying what is missing; run
//! `cargo run --example shop_client` to see both sides talk on loopback.

#[path = "shop/contract.rs"]
mod contract;

use contract::{ShopImpl, ShopServer};

#[tokio::main]
async fn main() -> Result<(), lambda_remote::server::Error> {
    let server = ShopServer::new(ShopImpl);
    let handler = match std::env::var("SHOP_METHOD").as_deref() {
        Ok("quote") => server.quote(),
        _ => server.order(),
    };
    lambda_remote::server::run(handler).await
}
