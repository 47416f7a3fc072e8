//! Property tests over the decoders and encoders: no input panics, and what is encoded decodes
//! back to itself.

use std::collections::BTreeMap;

use bytes::Bytes;
use proptest::prelude::*;

use crate::client::metadata::ResponseMetadata;
use crate::client::response::{RawResponse, decode};
use crate::client::wire::looks_like_function_error;
use crate::error::InvokeError;
use crate::error::function::FunctionError;
use crate::error::object::ErrorObject;
use crate::error::service::ServiceErrorKind;
use crate::invocation::InvocationType;

fn raw(payload: Vec<u8>) -> RawResponse {
    RawResponse {
        payload: Bytes::from(payload),
        metadata: ResponseMetadata::default(),
    }
}

/// JSON values of bounded depth (no floats).
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        // Floats are left out: serde_json without `float_roundtrip` may change their last digit.
        ".*".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
            prop::collection::btree_map(".*", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, PartialEq)]
enum Typed {
    Known(String),
}

impl FunctionError for Typed {
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        (object.error_type() == Some("Known"))
            .then(|| Typed::Known(object.error_message().unwrap_or_default().to_owned()))
    }

    fn error_type(&self) -> std::borrow::Cow<'_, str> {
        "Known".into()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn decoding_any_bytes_never_panics_and_keeps_them(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        match decode::<serde_json::Value>("f", InvocationType::RequestResponse, raw(bytes.clone())) {
            Ok(_) => {}
            Err(InvokeError::Deserialize(e)) => prop_assert_eq!(e.payload().as_ref(), &bytes[..]),
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
        let _ = decode::<BTreeMap<String, u8>>(
            "f",
            InvocationType::RequestResponse,
            raw(bytes.clone()),
        );
        let _ = looks_like_function_error(&bytes);
    }

    #[test]
    fn error_objects_never_panic_and_keep_their_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let object = ErrorObject::from_bytes(bytes.clone());
        prop_assert_eq!(object.raw().as_ref(), &bytes[..]);
        let _ = object.to_string();
        let _ = format!("{object:?}");
    }

    #[test]
    fn error_objects_read_type_and_message(
        error_type in prop_oneof![Just("Known".to_owned()), ".*"],
        message in ".*",
        extra in json(),
    ) {
        let body = serde_json::json!({"errorType": error_type, "errorMessage": message, "extra": extra});
        let object = ErrorObject::from_bytes(body.to_string());
        prop_assert_eq!(object.error_type(), Some(error_type.as_str()));
        prop_assert_eq!(object.error_message(), Some(message.as_str()));
        let failure = crate::error::FunctionFailure {
            function: "f".into(),
            idempotency_key: None,
            error_header: Some("Unhandled".into()),
            object,
            metadata: ResponseMetadata::default(),
        };
        let typed = InvokeError::UnmappedFunction(Box::new(failure)).typed::<Typed>();
        if error_type == "Known" {
            prop_assert_eq!(typed.function_error(), Some(&Typed::Known(message)));
        } else {
            prop_assert!(matches!(typed, InvokeError::UnmappedFunction(_)));
        }
    }

    #[test]
    fn classification_never_panics(status in any::<u16>(), code in proptest::option::of(".*"), reason in proptest::option::of(".*")) {
        let kind = ServiceErrorKind::classify(status, code.as_deref(), reason, None);
        let _ = kind.redelivery(status);
    }
}

/// The number of cases: `PROPTEST_CASES` when set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
