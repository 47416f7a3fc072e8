//! The client side of the shop. By default it serves the same `Shop` implementation on the
//! local endpoint and calls it, so client and function are checked against one trait and talk
//! over real HTTP; with `LAMBDA_REMOTE_TARGET=aws` it calls the deployed functions instead.
//!
//! ```sh
//! cargo run --example shop_client
//! LAMBDA_REMOTE_TARGET=aws cargo run --example shop_client
//! ```

#[path = "shop/contract.rs"]
mod contract;

use contract::{Order, OrderError, Shop as _, ShopClient, ShopImpl, ShopServer};
use lambda_remote::local::LocalLambda;
use lambda_remote::{InvokeError, aws_config, aws_sdk_lambda};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (sdk, _local) = if std::env::var("LAMBDA_REMOTE_TARGET").as_deref() == Ok("aws") {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        (aws_sdk_lambda::Client::new(&config), None)
    } else {
        let local = LocalLambda::builder()
            .serve_all(ShopServer::new(ShopImpl).handlers())
            .start()
            .await?;
        (local.sdk_client(), Some(local))
    };
    let shop = ShopClient::new(sdk);

    let quote = shop.quote("TEA".into(), 3).await?;
    println!("3 × TEA: {quote} cents");

    let receipt = shop
        .order(Order {
            sku: "TEA".into(),
            qty: 3,
        })
        .await?;
    println!("ordered: {receipt:?}");
    assert_eq!(receipt.total_cents, quote);

    for (sku, qty) in [("SOLD-OUT", 1), ("TEA", 50)] {
        match shop
            .order(Order {
                sku: sku.into(),
                qty,
            })
            .await
        {
            Err(InvokeError::Function { error, .. }) => println!("{sku} × {qty}: {error}"),
            other => {
                return Err(format!("{sku} × {qty}: expected a typed error, got {other:?}").into());
            }
        }
    }
    let error = shop
        .order(Order {
            sku: "TEA".into(),
            qty: 50,
        })
        .await
        .unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&OrderError::TooMany { max: 10 })
    );
    Ok(())
}
