//! A caller of the shop. It calls the deployed functions (the AWS configuration of the
//! environment; `LAMBDA_REMOTE_FUNCTION_PREFIX` for a stage's names); built with
//! `--features local`, it serves the shop's own implementation on the local endpoint and calls
//! that instead, over real HTTP.
//!
//! ```sh
//! cargo run -p shop-caller --features local
//! cargo run -p shop-caller
//! ```

use lambda_remote::InvokeError;
use shop_contract::{Order, OrderError, Shop as _, ShopClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(feature = "local")]
    let (sdk, _local) = {
        use lambda_remote::local::{Function, Handler, LocalLambda};
        let mut local = LocalLambda::builder();
        for method in shop_function::handlers() {
            let function = Function::serving(method.clone());
            local = local.function(if method.spec().method == "ship" {
                // As shop-deploy's template deploys it: durable, behind the alias `live`.
                function
                    .version("1", Handler::serving(method))
                    .alias("live", "1")
                    .durable()
            } else {
                function
            });
        }
        let local = local.start().await?;
        (local.sdk_client(), local)
    };
    #[cfg(not(feature = "local"))]
    let sdk = {
        let config = lambda_remote::aws_config::defaults(
            lambda_remote::aws_config::BehaviorVersion::latest(),
        )
        .load()
        .await;
        lambda_remote::aws_sdk_lambda::Client::new(&config)
    };
    let shop = ShopClient::builder(sdk).from_env().build()?;

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

    for (sku, qty, expected) in [
        ("SOLD-OUT", 1, OrderError::OutOfStock("SOLD-OUT".into())),
        ("TEA", 50, OrderError::TooMany { max: 10 }),
    ] {
        let order = Order {
            sku: sku.into(),
            qty,
        };
        match shop.order(order).await {
            Err(error @ InvokeError::Function { .. }) => {
                println!("{sku} × {qty}: {error}");
                assert_eq!(error.function_error(), Some(&expected));
            }
            other => {
                return Err(format!("{sku} × {qty}: expected a typed error, got {other:?}").into());
            }
        }
    }

    shop.ship("order-1".into()).await?;
    println!("shipping order-1 (queued)");
    Ok(())
}
