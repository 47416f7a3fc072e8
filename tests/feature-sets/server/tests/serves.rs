//! With default features off and `server` alone, as a served-only function takes it: the
//! generated server answers as the client would decode (results, typed errors, streams), and
//! `<Trait>Client` carries the contract as data, with no client and no `aws-sdk-lambda`
//! (`.ci/run` checks the dependency tree).

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use lambda_remote::{FunctionError, GeneratedClient, InvokeError, ResponseStream, lambda_remote};
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

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "CardDeclined")]
    Declined,
    InsufficientFunds(String),
}

impl std::fmt::Display for ChargeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ChargeError {}

#[lambda_remote(server)]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;

    #[lambda(function = "billing-lines", invocation = "stream")]
    async fn lines(&self, count: u32) -> Result<ResponseStream<u32>, InvokeError>;
}

/// Counts the executions of `charge`.
#[derive(Default)]
struct Billed {
    charged: AtomicUsize,
}

impl Billing for Billed {
    async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>> {
        self.charged.fetch_add(1, Ordering::SeqCst);
        match order.qty {
            0 => Err(ChargeError::Declined.into()),
            1000.. => Err(ChargeError::InsufficientFunds(order.sku).into()),
            qty => Ok(Receipt {
                id: format!("r-{}", order.sku),
                total_cents: u64::from(qty) * 250,
            }),
        }
    }

    async fn lines(&self, count: u32) -> Result<ResponseStream<u32>, InvokeError> {
        Ok(ResponseStream::from_items(0..count))
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_served_method_answers_results_and_typed_errors_with_server_alone() {
    let server = BillingServer::new(Billed::default());
    let charge = server.charge();
    let ok = charge
        .call(Bytes::from_static(br#"{"sku":"A-1","qty":2}"#))
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&ok).unwrap(),
        serde_json::json!({"id": "r-A-1", "total_cents": 500})
    );
    let declined = charge
        .call(Bytes::from_static(br#"{"sku":"A-1","qty":0}"#))
        .await
        .unwrap_err();
    assert_eq!(declined.error_type(), Some("CardDeclined"));
    let short = charge
        .call(Bytes::from_static(br#"{"sku":"B-2","qty":1000}"#))
        .await
        .unwrap_err();
    assert_eq!(short.error_type(), Some("InsufficientFunds"));
    let undecodable = charge
        .call(Bytes::from_static(b"not json"))
        .await
        .unwrap_err();
    assert_eq!(
        undecodable.error_type(),
        Some(lambda_remote::error::PAYLOAD_ERROR_TYPE)
    );
    // The payload that did not decode never reached the implementation.
    assert_eq!(server.implementation().charged.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn a_served_stream_sends_its_lines_with_server_alone() {
    let server = BillingServer::new(Billed::default());
    let lines = server.lines();
    assert!(lines.is_streaming());
    let body = lines.call(Bytes::from_static(b"3")).await.unwrap();
    assert_eq!(body, b"0\n1\n2\n");
}

#[test]
fn the_client_type_carries_the_contract_with_server_alone() {
    let contract = BillingClient::contract();
    let charge = contract.method("charge").unwrap();
    assert_eq!(charge.function, "billing-charge");
    assert_eq!(charge.arguments, ["order"]);
    assert_eq!(charge.error_types, ["CardDeclined", "InsufficientFunds"]);
    let lines = contract.method("lines").unwrap();
    assert!(lines.streaming);
    assert_eq!(
        <BillingClient as GeneratedClient>::METHODS.len(),
        2,
        "both methods, in declaration order"
    );
    assert_eq!(<BillingClient as GeneratedClient>::TRAIT, "Billing");
}
