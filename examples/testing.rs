//! Testing your own code that calls Lambda functions, two ways:
//! 1. with a fake implementation of the trait (no HTTP at all), and
//! 2. with the local endpoint, through the real SDK over real HTTP, inspecting what arrived.
//!
//! ```sh
//! cargo run --example testing
//! ```

use lambda_remote::local::LocalLambda;
use lambda_remote::{InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub sku: String,
    pub qty: u32,
}

#[lambda_remote]
pub trait Pricing {
    #[lambda(function = "pricing")]
    async fn price(&self, item: Item) -> Result<u64, InvokeError>;
}

/// Your code: generic over the trait, so tests can hand it anything that prices.
pub async fn basket_total(pricing: &impl Pricing, items: Vec<Item>) -> Result<u64, InvokeError> {
    let mut total = 0;
    for item in items {
        total += pricing.price(item).await?;
    }
    Ok(total)
}

/// A fake: plain Rust, `async fn`s, no AWS.
struct FlatPrice(u64);

impl Pricing for FlatPrice {
    async fn price(&self, item: Item) -> Result<u64, InvokeError> {
        Ok(self.0 * u64::from(item.qty))
    }
}

fn basket() -> Vec<Item> {
    vec![
        Item {
            sku: "A".into(),
            qty: 2,
        },
        Item {
            sku: "B".into(),
            qty: 1,
        },
    ]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A fake implementation.
    let total = basket_total(&FlatPrice(100), basket()).await?;
    println!("with a fake: {total}");
    assert_eq!(total, 300);

    // 2. The local endpoint, through the generated client and the real SDK.
    let lambda = LocalLambda::builder()
        .json_function("pricing", |item: Item| async move {
            Ok::<_, lambda_remote::ErrorObject>(
                if item.sku == "A" { 150 } else { 70 } * u64::from(item.qty),
            )
        })
        .start()
        .await?;
    let client = PricingClient::new(lambda.sdk_client());
    let total = basket_total(&client, basket()).await?;
    println!("with the local endpoint: {total}");
    assert_eq!(total, 370);

    // What the function received, in order.
    let received: Vec<Item> = lambda
        .invocations("pricing")
        .iter()
        .map(|run| serde_json::from_slice(&run.payload))
        .collect::<Result<_, _>>()?;
    assert_eq!(received, basket());
    println!("the function received {received:?}");
    Ok(())
}
