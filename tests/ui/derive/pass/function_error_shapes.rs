//! `#[derive(FunctionError)]` with every variant shape: unit, newtype `String`,
//! `Option<String>`, `ErrorObject`, `Details<T>`, `serde_json::Value`, a struct with serde
//! attributes on its fields, renamed variants, and a catch-all `other`.

use lambda_remote::{error::Details, ErrorObject, FunctionError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Decline {
    pub code: u32,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Unit,
    #[function_error(rename = "Card.Declined")]
    Message(String),
    MaybeMessage(Option<String>),
    Object(ErrorObject),
    Detailed(Details<Decline>),
    Json(serde_json::Value),
    Fields {
        #[serde(rename = "limitCents")]
        limit: u64,
        #[serde(default)]
        reason: Option<String>,
    },
    #[function_error(other, rename = "Unexpected")]
    Other(ErrorObject),
}

#[derive(Debug, FunctionError)]
pub enum UnitOther {
    Known,
    #[function_error(other)]
    Unknown,
}

#[derive(Debug, FunctionError)]
pub enum Empty {}

fn main() {
    let object = ErrorObject::new("Card.Declined", "no");
    let error = ChargeError::from_error_object(&object);
    let _ = error.map(|e| e.error_type().into_owned());
    let _ = UnitOther::from_error_object(&object);
    let _ = Empty::from_error_object(&object);
}
