//! Mocks as users expect: the generated client over an `aws-smithy-mocks` SDK client, with
//! rules typed by the contract's methods (`lambda_remote::mock`, feature `mocks`), and a
//! `mockall` double of the trait itself.

use lambda_remote::aws_sdk_lambda::operation::invoke::InvokeOutput;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::mock::{self, MockMethod};
use lambda_remote::{FunctionError, InvokeError, lambda_remote};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

#[derive(Debug, PartialEq, FunctionError, thiserror::Error)]
pub enum ChargeError {
    #[error("card declined")]
    #[function_error(rename = "CardDeclined")]
    Declined,
    #[error("over the limit of {limit}")]
    OverLimit { limit: u64 },
}

// `#[lambda_remote]` first: mockall then mocks the trait as the macro leaves it, each method
// returning `impl Future + Send`, which mockall returns boxed.
#[lambda_remote]
#[mockall::automock]
pub trait Billing {
    #[lambda(function = "billing-charge")]
    async fn charge(&self, sku: String, qty: u32) -> Result<Receipt, InvokeError<ChargeError>>;

    #[lambda(function = "billing-refund")]
    async fn refund(&self, id: String) -> Result<u64, InvokeError>;
}

fn receipt() -> Receipt {
    Receipt {
        id: "r-1".into(),
        total_cents: 1250,
    }
}

#[tokio::test]
async fn typed_rules_answer_each_method_with_its_own_types() {
    let charged = MockMethod::of(BillingClient::charge)
        .for_function("billing-charge")
        .returns(&receipt())
        .unwrap();
    let refunded = MockMethod::of(BillingClient::refund)
        .for_function("billing-refund")
        .returns(&700)
        .unwrap();
    let client = BillingClient::new(mock::sdk_client(&[&charged, &refunded]));
    assert_eq!(client.charge("A-1".into(), 2).await.unwrap(), receipt());
    assert_eq!(client.refund("r-1".into()).await.unwrap(), 700);
    assert_eq!(client.charge("A-2".into(), 1).await.unwrap(), receipt());
    assert_eq!((charged.num_calls(), refunded.num_calls()), (2, 1));
}

#[tokio::test]
async fn typed_function_errors_come_back_as_the_same_variant() {
    for error in [
        ChargeError::Declined,
        ChargeError::OverLimit { limit: 50_000 },
    ] {
        let rule = MockMethod::of(BillingClient::charge).fails_with(&error);
        let client = BillingClient::new(mock::sdk_client(&[&rule]));
        let got = client.charge("A-1".into(), 2).await.unwrap_err();
        assert_eq!(got.function_error(), Some(&error));
        assert_eq!(got.failure().unwrap().error_header(), Some("Unhandled"));
        assert_eq!(rule.num_calls(), 1, "never retried");
    }
}

#[tokio::test]
async fn a_plain_aws_smithy_mocks_rule_drives_the_generated_client() {
    // The documented way, without our helper: any `InvokeOutput` the SDK could return.
    let rule = aws_smithy_mocks::mock!(lambda_remote::aws_sdk_lambda::Client::invoke)
        .match_requests(|input| input.function_name() == Some("billing-refund"))
        .then_output(|| {
            InvokeOutput::builder()
                .status_code(200)
                .payload(Blob::new(b"not a number".to_vec()))
                .build()
        });
    let client = BillingClient::new(mock::sdk_client(&[&rule]));
    match client.refund("r-1".into()).await.unwrap_err() {
        InvokeError::Deserialize(e) => assert_eq!(e.payload().as_ref(), b"not a number"),
        other => panic!("{other:?}"),
    }
    assert_eq!(rule.num_calls(), 1);
}

/// Code under test, written against the trait.
async fn total_after_refund(billing: &impl Billing) -> Result<u64, String> {
    let receipt = billing
        .charge("A-1".into(), 2)
        .await
        .map_err(|e| e.to_string())?;
    let refunded = billing
        .refund(receipt.id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(receipt.total_cents - refunded)
}

#[tokio::test]
async fn a_mockall_double_of_the_trait() {
    let mut billing = MockBilling::new();
    billing
        .expect_charge()
        .withf(|sku, qty| sku == "A-1" && *qty == 2)
        .times(1)
        .returning(|_, _| Box::pin(async { Ok(receipt()) }));
    billing
        .expect_refund()
        .withf(|id| id == "r-1")
        .times(1)
        .returning(|_| Box::pin(async { Ok(250) }));
    assert_eq!(total_after_refund(&billing).await, Ok(1000));
}

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "report-rows", invocation = "stream")]
    async fn rows(
        &self,
        count: u64,
    ) -> Result<lambda_remote::ResponseStream<Receipt, ChargeError>, InvokeError<ChargeError>>;

    #[lambda(function = "report-export", invocation = "stream")]
    async fn export(&self, id: u64) -> Result<lambda_remote::ByteStream, InvokeError>;
}

#[tokio::test]
async fn typed_rules_stream_items_and_typed_errors() {
    let second = Receipt {
        id: "r-2".into(),
        total_cents: 1,
    };
    let streamed = MockMethod::of(ReportsClient::rows)
        .streams(&[receipt(), second.clone()])
        .unwrap();
    let client = ReportsClient::new(mock::sdk_client(&[&streamed]));
    let rows = client.rows(2).await.unwrap().collect_items().await.unwrap();
    assert_eq!(rows, vec![receipt(), second]);
    assert_eq!(streamed.num_calls(), 1);

    let failing = MockMethod::of(ReportsClient::rows)
        .streams_then_fails(&[receipt()], &ChargeError::OverLimit { limit: 9 })
        .unwrap();
    let client = ReportsClient::new(mock::sdk_client(&[&failing]));
    let mut rows = client.rows(2).await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap(), receipt());
    let error = rows.next().await.unwrap().unwrap_err();
    assert_eq!(
        error.function_error(),
        Some(&ChargeError::OverLimit { limit: 9 })
    );
    assert!(rows.next().await.is_none());

    let bytes = MockMethod::of(ReportsClient::export).streams_bytes(&[b"ab", b"c"]);
    let client = ReportsClient::new(mock::sdk_client(&[&bytes]));
    let all = client
        .export(1)
        .await
        .unwrap()
        .collect_bytes()
        .await
        .unwrap();
    assert_eq!(all.as_ref(), b"abc");
    assert_eq!(bytes.num_calls(), 1);
}
