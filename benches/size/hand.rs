//! The README quickstart's program written by hand against `aws-sdk-lambda`, for the
//! binary-size comparison (`benches/binary-size.sh`). Built, never run.

use lambda_remote::aws_config::{self, BehaviorVersion};
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
}

#[derive(Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    #[serde(rename = "errorMessage")]
    error_message: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let client = aws_sdk_lambda::Client::new(&config);
    let order = Order {
        sku: "A-1".into(),
        qty: 2,
    };
    let output = client
        .invoke()
        .function_name("billing-charge")
        .payload(Blob::new(serde_json::to_vec(&order)?))
        .send()
        .await?;
    let payload = output.payload.map(Blob::into_inner).unwrap_or_default();
    if output.function_error.is_some() {
        let error: ErrorObject = serde_json::from_slice(&payload)?;
        match error.error_type.as_deref() {
            Some("CardDeclined") => println!("declined"),
            Some("InsufficientFunds") => println!("insufficient: {:?}", error.error_message),
            _ => return Err(format!("function failed: {:?}", error.error_message).into()),
        }
        return Ok(());
    }
    let receipt: Receipt = serde_json::from_slice(&payload)?;
    println!("charged {} ({})", receipt.total_cents, receipt.id);
    Ok(())
}
