//! Typed function errors: `#[derive(FunctionError)]` maps `errorType` onto your enum, with
//! every variant shape, a catch-all, and what is left when nothing maps.
//!
//! ```sh
//! cargo run --example typed_errors
//! ```

use lambda_remote::local::LocalLambda;
use lambda_remote::{ErrorObject, FunctionError, InvokeError, error::Details, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub code: u32,
}

#[derive(Debug, PartialEq, FunctionError, thiserror::Error)]
pub enum PaymentError {
    /// A unit variant, renamed: `errorType` is "CardDeclined".
    #[error("card declined")]
    #[function_error(rename = "CardDeclined")]
    Declined,
    /// A newtype over `String` reads `errorMessage`.
    #[error("fraud suspected: {0}")]
    Fraud(String),
    /// A struct variant reads its fields from the error object.
    #[error("over the limit of {limit} cents")]
    OverLimit { limit: u64 },
    /// `Details<T>` deserializes the whole object into `T`.
    #[error("issuer said {0:?}")]
    Issuer(Details<Decline>),
    /// The catch-all keeps the whole object.
    #[error("unexpected: {0}")]
    #[function_error(other)]
    Other(ErrorObject),
}

#[lambda_remote]
pub trait Payments {
    #[lambda(function = "payments")]
    async fn pay(&self, scenario: String) -> Result<String, InvokeError<PaymentError>>;

    /// The same function with no typed errors: every failure is unmapped.
    #[lambda(function = "payments")]
    async fn pay_untyped(&self, scenario: String) -> Result<String, InvokeError>;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lambda = LocalLambda::builder()
        .json_function("payments", |scenario: String| async move {
            Err::<String, _>(match scenario.as_str() {
                "declined" => ErrorObject::new("CardDeclined", "declined by issuer"),
                "fraud" => ErrorObject::new("Fraud", "velocity check"),
                "limit" => ErrorObject::new("OverLimit", "too much").with_field("limit", 50_000),
                "issuer" => ErrorObject::new("Issuer", "do not honour").with_field("code", 5),
                _ => ErrorObject::new("Sandbox.Timedout", "Task timed out after 3.00 seconds"),
            })
        })
        .start()
        .await?;
    let client = PaymentsClient::new(lambda.sdk_client());

    let expected = [
        ("declined", PaymentError::Declined),
        ("fraud", PaymentError::Fraud("velocity check".into())),
        ("limit", PaymentError::OverLimit { limit: 50_000 }),
        ("issuer", PaymentError::Issuer(Details(Decline { code: 5 }))),
    ];
    for (scenario, want) in expected {
        match client.pay(scenario.into()).await {
            Err(InvokeError::Function { error, failure }) => {
                println!(
                    "{scenario:>8}: {error} (errorType {:?})",
                    failure.error_type()
                );
                assert_eq!(error, want);
            }
            other => return Err(format!("{scenario}: unexpected {other:?}").into()),
        }
    }
    match client.pay("timeout".into()).await {
        Err(InvokeError::Function {
            error: PaymentError::Other(object),
            ..
        }) => println!(" timeout: caught by the catch-all: {object}"),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    match client.pay_untyped("fraud".into()).await {
        Err(InvokeError::UnmappedFunction(failure)) => println!(
            "untyped: unmapped {:?} / {:?}, {} raw bytes kept",
            failure.error_type(),
            failure.error_message(),
            failure.object().raw().len()
        ),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    Ok(())
}
