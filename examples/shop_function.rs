//! The function side of the shop: one binary serves every method of the `Shop` contract on the
//! real `lambda_runtime`, choosing the method from the function name Lambda gives it
//! (`shop-order` → `order`, `shop-quote` → `quote`; with `LAMBDA_REMOTE_FUNCTION_PREFIX=prod-`,
//! `prod-shop-order` → `order`). Deploy it once per method (see the guide, "Serving the same
//! trait").
//!
//! Outside Lambda it stops at once with an error saying what is missing; run
//! `cargo run --example shop_client` to see both sides talk on loopback.

#[path = "shop/contract.rs"]
mod contract;

use contract::{ShopImpl, ShopServer};

#[tokio::main]
async fn main() -> Result<(), lambda_remote::server::Error> {
    lambda_remote::server::run_all(ShopServer::new(ShopImpl).handlers()).await
}
