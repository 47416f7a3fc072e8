//! The quickstart: a `Billing` contract, served by the local Lambda endpoint on loopback and
//! called through the generated client — the real `aws-sdk-lambda` over real HTTP, no AWS
//! account needed.
//!
//! ```sh
//! cargo run --example quickstart                          # against the local endpoint
//! LAMBDA_REMOTE_TARGET=aws cargo run --example quickstart # against real AWS (your config)
//! ```
//!
//! Against AWS, the functions named in the trait must exist: `billing-charge` and
//! `billing-quote`, answering as the local handlers below do.

use lambda_remote::ErrorObject;
use lambda_remote::local::LocalLambda;
use lambda_remote::{FunctionError, InvokeError, aws_config, aws_sdk_lambda, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

/// The charge function's own errors, mapped by `errorType`.
#[derive(Debug, FunctionError, thiserror::Error)]
pub enum ChargeError {
    #[error("card declined")]
    #[function_error(rename = "CardDeclined")]
    Declined,
    #[error("out of stock: {0}")]
    OutOfStock(String),
}

#[lambda_remote]
pub trait Billing {
    /// Charges an order and returns the receipt (RequestResponse, the default).
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;

    /// Prices a quantity of a product: several arguments become a JSON object.
    #[lambda(function = "billing-quote")]
    async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;
}

const PRICE_CENTS: u64 = 1250;

/// The local functions: what the deployed ones would do.
async fn local_lambda() -> std::io::Result<LocalLambda> {
    #[derive(Deserialize)]
    struct QuoteInput {
        sku: String,
        qty: u32,
    }
    LocalLambda::builder()
        .json_function("billing-charge", |order: Order| async move {
            match order.sku.as_str() {
                "GONE" => Err(ErrorObject::new("OutOfStock", order.sku)),
                _ if order.qty > 100 => Err(ErrorObject::new("CardDeclined", "limit")),
                _ => Ok(Receipt {
                    id: format!("r-{}-{}", order.sku, order.qty),
                    total_cents: u64::from(order.qty) * PRICE_CENTS,
                }),
            }
        })
        .json_function("billing-quote", |input: QuoteInput| async move {
            let _ = input.sku;
            Ok::<_, ErrorObject>(u64::from(input.qty) * PRICE_CENTS)
        })
        .start()
        .await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (sdk, _local) = match std::env::var("LAMBDA_REMOTE_TARGET").as_deref() {
        Ok("aws") => {
            let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
                .load()
                .await;
            (aws_sdk_lambda::Client::new(&config), None)
        }
        _ => {
            let local = local_lambda().await?;
            println!("local Lambda endpoint at {}", local.endpoint_url());
            (local.sdk_client(), Some(local))
        }
    };
    let client = BillingClient::new(sdk);

    let quote = client.quote("A-1".into(), 3).await?;
    println!("quote for 3 × A-1: {quote} cents");
    assert_eq!(quote, 3 * PRICE_CENTS);

    let receipt = client
        .charge(Order {
            sku: "A-1".into(),
            qty: 3,
        })
        .await?;
    println!("charged: {receipt:?}");
    assert_eq!(receipt.total_cents, quote);

    match client
        .charge(Order {
            sku: "A-1".into(),
            qty: 500,
        })
        .await
    {
        Err(InvokeError::Function {
            error: ChargeError::Declined,
            failure,
        }) => println!(
            "declined, as expected (errorType {:?}, message {:?})",
            failure.error_type(),
            failure.error_message()
        ),
        other => return Err(format!("expected a declined charge, got {other:?}").into()),
    }

    match client
        .charge(Order {
            sku: "GONE".into(),
            qty: 1,
        })
        .await
    {
        Err(InvokeError::Function {
            error: ChargeError::OutOfStock(sku),
            ..
        }) => println!("out of stock: {sku}"),
        other => return Err(format!("expected out of stock, got {other:?}").into()),
    }
    println!("quickstart: all calls answered as expected");
    Ok(())
}
