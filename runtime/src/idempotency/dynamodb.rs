//! The DynamoDB idempotency store (feature `idempotency-dynamodb`), on `aws-sdk-dynamodb`.
//!
//! ## The table
//!
//! | attribute | type | holds |
//! |---|---|---|
//! | `id` | S, the partition key (no sort key) | the scoped, hashed key: sha256 of function, qualifier, tenant id and key, 64 hexadecimal characters |
//! | `status` | S | `INPROGRESS` or `COMPLETED` |
//! | `expiration` | N | when the record stops counting, in seconds since the Unix epoch: **the table's TTL attribute** |
//! | `payload_hash` | S | sha256 of the call's payload, hexadecimal |
//! | `result` | B | the encoded result of a completed call (absent while in progress, or when too large to keep) |
//!
//! Expiry is checked in every condition, not left to DynamoDB's TTL (which removes expired
//! items only eventually, up to days later). Create the table with [`create_table`], or:
//!
//! ```text
//! aws dynamodb create-table --table-name idempotency \
//!     --attribute-definitions AttributeName=id,AttributeType=S \
//!     --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST
//! aws dynamodb update-time-to-live --table-name idempotency \
//!     --time-to-live-specification Enabled=true,AttributeName=expiration
//! ```
//!
//! The function needs `dynamodb:PutItem`, `dynamodb:UpdateItem` and `dynamodb:DeleteItem` on
//! the table.
//!
//! ## Requests
//!
//! - start: one `PutItem` with the condition `attribute_not_exists(id) OR expiration <= :now`
//!   and `ReturnValuesOnConditionCheckFailure = ALL_OLD`, so a repeated key is answered by
//!   that one request with the record that stopped it;
//! - complete: one `UpdateItem` (status, expiration, result);
//! - delete: one `DeleteItem`.
//!
//! A DynamoDB item is at most 400 KB: a larger result is recorded as completed, without it
//! ([`MAX_RESULT_SIZE`]).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use aws_sdk_dynamodb;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TimeToLiveSpecification,
};

use crate::idempotency::store::{
    IdempotencyStore, Record, Started, Status, StoreError, StoreFuture,
};

/// The partition key: the scoped, hashed key.
pub const ID_ATTRIBUTE: &str = "id";
/// `INPROGRESS` or `COMPLETED`.
pub const STATUS_ATTRIBUTE: &str = "status";
/// Seconds since the Unix epoch: the table's TTL attribute.
pub const EXPIRATION_ATTRIBUTE: &str = "expiration";
/// The payload's sha256.
pub const PAYLOAD_HASH_ATTRIBUTE: &str = "payload_hash";
/// The encoded result of a completed call.
pub const RESULT_ATTRIBUTE: &str = "result";

/// The largest result kept in a record: DynamoDB's 400 KB item limit less 1 KiB for the
/// other attributes and their names.
pub const MAX_RESULT_SIZE: usize = 400 * 1024 - 1024;

/// Records in a DynamoDB table of the [layout](self#the-table) above.
#[derive(Debug, Clone)]
pub struct DynamoDbStore {
    client: Client,
    table: String,
}

impl DynamoDbStore {
    /// Records in `table`, through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table.
    pub fn table(&self) -> &str {
        &self.table
    }
}

/// Creates `table` with the [layout](self#the-table) above (on-demand capacity) and turns on
/// its TTL on `expiration`. The table of a new account is `ACTIVE` within seconds; wait for
/// it before serving (`aws dynamodb wait table-exists`).
pub async fn create_table(client: &Client, table: &str) -> Result<(), StoreError> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::new("create the table", e);
    let key = KeySchemaElement::builder()
        .attribute_name(ID_ATTRIBUTE)
        .key_type(KeyType::Hash)
        .build()
        .map_err(|e| fail(e.into()))?;
    let id = AttributeDefinition::builder()
        .attribute_name(ID_ATTRIBUTE)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(|e| fail(e.into()))?;
    client
        .create_table()
        .table_name(table)
        .key_schema(key)
        .attribute_definitions(id)
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .map_err(|e| fail(e.into()))?;
    let ttl = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name(EXPIRATION_ATTRIBUTE)
        .build()
        .map_err(|e| fail(e.into()))?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(ttl)
        .send()
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

fn epoch_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

fn number(at: SystemTime) -> AttributeValue {
    AttributeValue::N(epoch_seconds(at).to_string())
}

/// The record an item holds; an error naming what is missing or malformed.
fn record(item: &HashMap<String, AttributeValue>) -> Result<Record, String> {
    let string = |name: &str| match item.get(name) {
        Some(AttributeValue::S(value)) => Ok(value.clone()),
        _ => Err(format!("the item has no string `{name}`")),
    };
    let status = string(STATUS_ATTRIBUTE)?;
    let status = Status::parse(&status).ok_or_else(|| format!("unknown status `{status}`"))?;
    let expiration = match item.get(EXPIRATION_ATTRIBUTE) {
        Some(AttributeValue::N(value)) => value
            .parse::<u64>()
            .map_err(|_| format!("`{EXPIRATION_ATTRIBUTE}` is not whole seconds: {value}"))?,
        _ => return Err(format!("the item has no number `{EXPIRATION_ATTRIBUTE}`")),
    };
    let result = match item.get(RESULT_ATTRIBUTE) {
        Some(AttributeValue::B(blob)) => Some(blob.clone().into_inner()),
        None => None,
        Some(_) => return Err(format!("`{RESULT_ATTRIBUTE}` is not binary")),
    };
    Ok(Record::new(
        string(ID_ATTRIBUTE)?,
        status,
        UNIX_EPOCH + Duration::from_secs(expiration),
        string(PAYLOAD_HASH_ATTRIBUTE)?,
        result,
    ))
}

impl IdempotencyStore for DynamoDbStore {
    fn start<'a>(
        &'a self,
        record: &'a Record,
        now: SystemTime,
    ) -> StoreFuture<'a, Result<Started, StoreError>> {
        Box::pin(async move {
            let put = self
                .client
                .put_item()
                .table_name(&self.table)
                .item(ID_ATTRIBUTE, AttributeValue::S(record.id.clone()))
                .item(
                    STATUS_ATTRIBUTE,
                    AttributeValue::S(Status::InProgress.as_str().to_owned()),
                )
                .item(EXPIRATION_ATTRIBUTE, number(record.expires_at))
                .item(
                    PAYLOAD_HASH_ATTRIBUTE,
                    AttributeValue::S(record.payload_hash.clone()),
                )
                .condition_expression("attribute_not_exists(#id) OR #expiration <= :now")
                .expression_attribute_names("#id", ID_ATTRIBUTE)
                .expression_attribute_names("#expiration", EXPIRATION_ATTRIBUTE)
                .expression_attribute_values(":now", number(now))
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .send()
                .await;
            match put {
                Ok(_) => Ok(Started::New),
                Err(SdkError::ServiceError(failure))
                    if matches!(
                        failure.err(),
                        PutItemError::ConditionalCheckFailedException(_)
                    ) =>
                {
                    let PutItemError::ConditionalCheckFailedException(failed) = failure.into_err()
                    else {
                        unreachable!("matched above")
                    };
                    let item = failed.item().ok_or_else(|| {
                        StoreError::new(
                            "start",
                            "the conditional put failed without returning the record (ReturnValuesOnConditionCheckFailure)",
                        )
                    })?;
                    record_of(item).map(Started::Existing)
                }
                Err(error) => Err(StoreError::new("start", error)),
            }
        })
    }

    fn complete<'a>(
        &'a self,
        id: &'a str,
        result: Option<&'a [u8]>,
        expires_at: SystemTime,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let update = self
                .client
                .update_item()
                .table_name(&self.table)
                .key(ID_ATTRIBUTE, AttributeValue::S(id.to_owned()))
                .expression_attribute_names("#status", STATUS_ATTRIBUTE)
                .expression_attribute_names("#expiration", EXPIRATION_ATTRIBUTE)
                .expression_attribute_names("#result", RESULT_ATTRIBUTE)
                .expression_attribute_values(
                    ":completed",
                    AttributeValue::S(Status::Completed.as_str().to_owned()),
                )
                .expression_attribute_values(":expiration", number(expires_at));
            let update = match result {
                Some(result) => update
                    .update_expression(
                        "SET #status = :completed, #expiration = :expiration, #result = :result",
                    )
                    .expression_attribute_values(
                        ":result",
                        AttributeValue::B(Blob::new(result.to_vec())),
                    ),
                None => update.update_expression(
                    "SET #status = :completed, #expiration = :expiration REMOVE #result",
                ),
            };
            update
                .send()
                .await
                .map(drop)
                .map_err(|e| StoreError::new("complete", e))
        })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key(ID_ATTRIBUTE, AttributeValue::S(id.to_owned()))
                .send()
                .await
                .map(drop)
                .map_err(|e| StoreError::new("delete", e))
        })
    }

    fn max_result_size(&self) -> usize {
        MAX_RESULT_SIZE
    }
}

fn record_of(item: &HashMap<String, AttributeValue>) -> Result<Record, StoreError> {
    record(item).map_err(|reason| StoreError::new("start", reason))
}
