//! A user error type implementing `ClientError`: every invocation error converts into it.

use lambda_remote::{error::ClientError, lambda_remote, FunctionError, InvokeError};

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
}

#[derive(Debug)]
pub enum AppError {
    Declined,
    Other(InvokeError<ChargeError>),
}

impl ClientError for AppError {
    type Function = ChargeError;

    fn from_invoke_error(error: InvokeError<ChargeError>) -> Self {
        match error {
            InvokeError::Function {
                error: ChargeError::Declined,
                ..
            } => AppError::Declined,
            other => AppError::Other(other),
        }
    }
}

#[derive(Debug)]
pub struct Untyped(pub InvokeError);

impl ClientError for Untyped {
    type Function = std::convert::Infallible;

    fn from_invoke_error(error: InvokeError) -> Self {
        Untyped(error)
    }
}

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String) -> Result<u64, AppError>;

    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String) -> Result<(), Untyped>;
}

#[allow(dead_code)]
async fn use_it(client: &BillingClient) -> Result<u64, AppError> {
    let _: Result<(), Untyped> = client.audit("x".into()).await;
    let invoked = client
        .charge_with(&lambda_remote::CallOptions::new(), "A-1".into())
        .await?;
    let _: u64 = invoked.output;
    client.charge("A-1".into()).await
}

fn main() {}
