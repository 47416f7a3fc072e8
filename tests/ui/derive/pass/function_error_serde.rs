//! An error enum that derives `Serialize` and `Deserialize` beside `FunctionError` (to log or
//! forward its errors), with every payload a variant may hold, a catch-all `Other(ErrorObject)`
//! among them: each payload is both, as its JSON.

use lambda_remote::{error::Details, ErrorObject, FunctionError};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub code: u32,
}

#[derive(Debug, PartialEq, Serialize, Deserialize, FunctionError)]
pub enum ChargeError {
    Unit,
    Message(String),
    MaybeMessage(Option<String>),
    Object(ErrorObject),
    Detailed(Details<Decline>),
    Json(serde_json::Value),
    Fields {
        #[serde(rename = "limitCents")]
        limit: u64,
    },
    #[function_error(other)]
    Other(ErrorObject),
}

fn main() {
    let received = ErrorObject::from_bytes(
        r#"{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out","requestId":"r-1"}"#,
    );
    let error = ChargeError::from_error_object(&received).expect("the catch-all maps it");
    // Logged as JSON: the error object the function answered with, as it came.
    let logged = serde_json::to_value(&error).unwrap();
    assert_eq!(
        logged,
        serde_json::json!({"Other": {
            "errorType": "Sandbox.Timedout",
            "errorMessage": "Task timed out",
            "requestId": "r-1",
        }})
    );
    // Read back: the same error.
    let back: ChargeError = serde_json::from_value(logged).unwrap();
    assert_eq!(back, error);

    let detailed = ChargeError::from_error_object(&ErrorObject::from_bytes(
        r#"{"errorType":"Detailed","errorMessage":"declined","code":51}"#,
    ))
    .unwrap();
    let logged = serde_json::to_value(&detailed).unwrap();
    assert_eq!(logged, serde_json::json!({"Detailed": {"code": 51}}));
    assert_eq!(
        serde_json::from_value::<ChargeError>(logged).unwrap(),
        detailed
    );
}
