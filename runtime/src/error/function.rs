//! Typed function errors: how an error object maps onto the user's own error enum.

use std::borrow::Cow;
use std::convert::Infallible;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::object::ErrorObject;

/// A user error type that function errors are mapped onto by their `errorType`.
///
/// Derive it with `#[derive(FunctionError)]` on an enum; see the derive's documentation for
/// renaming variants, catch-all variants and the variant shapes it supports.
pub trait FunctionError: Sized {
    /// The `errorType`s this type maps by name, in declaration order (the derive lists every
    /// variant's; a hand-written impl that lists none says nothing about them). Part of the
    /// contract's description ([`MethodContract::error_types`](crate::contract::MethodContract::error_types)).
    const ERROR_TYPES: &'static [&'static str] = &[];

    /// Whether this type also maps any other `errorType` (a `#[function_error(other)]` variant).
    const CATCH_ALL: bool = false;

    /// Maps an error object onto a value of this type; `None` leaves it unmapped, and the
    /// caller then sees [`InvokeError::UnmappedFunction`](crate::InvokeError::UnmappedFunction).
    fn from_error_object(object: &ErrorObject) -> Option<Self>;

    /// The `errorType` this value travels as.
    fn error_type(&self) -> Cow<'_, str>;

    /// The `errorMessage` this value carries itself, if any (a message field, a kept object).
    fn error_message(&self) -> Option<String> {
        None
    }

    /// Extra fields of the error object beside `errorType` and `errorMessage`.
    fn error_fields(&self) -> Map<String, Value> {
        Map::new()
    }

    /// The same fields as one JSON object, `None` when there are none: what a served function
    /// sends. The derive writes them straight from the variant's fields, without a
    /// [`serde_json::Value`], so that a served binary need not carry one; this default goes
    /// through [`error_fields`](Self::error_fields).
    fn error_fields_json(&self) -> Option<Box<RawValue>> {
        map_json(self.error_fields())
    }
}

/// A map of fields as one JSON object, `None` when it is empty.
fn map_json(fields: Map<String, Value>) -> Option<Box<RawValue>> {
    if fields.is_empty() {
        return None;
    }
    serde_json::value::to_raw_value(&fields).ok()
}

/// No typed function errors: every function error is unmapped. The default of
/// [`InvokeError`](crate::InvokeError).
impl FunctionError for Infallible {
    fn from_error_object(_: &ErrorObject) -> Option<Self> {
        None
    }

    fn error_type(&self) -> Cow<'_, str> {
        match *self {}
    }
}

/// What the single field of a newtype variant of a `#[derive(FunctionError)]` enum can hold.
///
/// | type | from the error object | back into one |
/// |---|---|---|
/// | `String` | `errorMessage` (empty if missing) | the message |
/// | `Option<String>` | `errorMessage` | the message |
/// | [`ErrorObject`] | the whole object, raw bytes kept | its message and fields |
/// | `serde_json::Value` | the whole body as JSON | its fields |
/// | [`Details<T>`] | the whole body deserialized into `T` | `T`'s fields |
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the field of a `#[derive(FunctionError)]` newtype variant",
    label = "not a function error's content",
    note = "a newtype variant holds `String` or `Option<String>` (the `errorMessage`), `ErrorObject` (the whole error object), `serde_json::Value`, or `Details<T>` (the error object deserialized into `T`); for several fields, use a struct variant"
)]
pub trait ErrorContent: Sized {
    /// Reads the content from an error object; `None` when it does not fit.
    fn from_error_object(object: &ErrorObject) -> Option<Self>;

    /// The `errorType` this content carries, for catch-all variants that keep it.
    fn error_type(&self) -> Option<&str> {
        None
    }

    /// The message this content carries.
    fn message(&self) -> Option<String> {
        None
    }

    /// The fields this content adds to an error object.
    fn fields(&self) -> Map<String, Value> {
        Map::new()
    }

    /// The same fields as one JSON object, `None` when there are none (see
    /// [`FunctionError::error_fields_json`]); by default through [`fields`](Self::fields).
    fn fields_json(&self) -> Option<Box<RawValue>> {
        map_json(self.fields())
    }
}

impl ErrorContent for String {
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        Some(object.error_message().unwrap_or_default().to_owned())
    }

    fn message(&self) -> Option<String> {
        Some(self.clone())
    }

    fn fields_json(&self) -> Option<Box<RawValue>> {
        None
    }
}

impl ErrorContent for Option<String> {
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        Some(object.error_message().map(str::to_owned))
    }

    fn message(&self) -> Option<String> {
        self.clone()
    }

    fn fields_json(&self) -> Option<Box<RawValue>> {
        None
    }
}

impl ErrorContent for ErrorObject {
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        Some(object.clone())
    }

    fn error_type(&self) -> Option<&str> {
        ErrorObject::error_type(self)
    }

    fn message(&self) -> Option<String> {
        self.error_message().map(str::to_owned)
    }

    fn fields(&self) -> Map<String, Value> {
        ErrorObject::fields(self)
    }

    fn fields_json(&self) -> Option<Box<RawValue>> {
        RawValue::from_string(ErrorObject::fields_json(self)?.to_owned()).ok()
    }
}

impl ErrorContent for Value {
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        object.json()
    }

    fn fields(&self) -> Map<String, Value> {
        crate::error::object::fields_of(self.clone())
    }
}

/// A newtype variant's content deserialized from the whole error object, e.g.
/// `Declined(Details<Decline>)` for `{"errorType":"Declined","errorMessage":…,"code":51}`.
/// It serializes and deserializes as `T` itself, so an error enum holding it can derive
/// `Serialize` and `Deserialize`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Details<T>(pub T);

impl<T> ErrorContent for Details<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    fn from_error_object(object: &ErrorObject) -> Option<Self> {
        object.deserialize_details().ok().map(Details)
    }

    fn fields(&self) -> Map<String, Value> {
        match serde_json::to_value(&self.0) {
            Ok(value) => crate::error::object::fields_of(value),
            Err(_) => Map::new(),
        }
    }

    fn fields_json(&self) -> Option<Box<RawValue>> {
        let text = serde_json::to_string(&self.0).ok()?;
        crate::error::object::object_fields(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Decline {
        code: u32,
    }

    #[test]
    fn payloads_read_their_part_of_the_object() {
        let object =
            ErrorObject::from_bytes(r#"{"errorType":"Declined","errorMessage":"no","code":51}"#);
        assert_eq!(String::from_error_object(&object).as_deref(), Some("no"));
        assert_eq!(
            <Option<String>>::from_error_object(&object),
            Some(Some("no".into()))
        );
        assert_eq!(
            Details::<Decline>::from_error_object(&object),
            Some(Details(Decline { code: 51 }))
        );
        assert_eq!(Value::from_error_object(&object).unwrap()["code"], 51);
        assert_eq!(
            ErrorObject::from_error_object(&object),
            Some(object.clone())
        );
    }

    #[test]
    fn details_that_do_not_fit_leave_the_error_unmapped() {
        let object = ErrorObject::from_bytes(r#"{"errorType":"Declined"}"#);
        assert_eq!(Details::<Decline>::from_error_object(&object), None);
        assert_eq!(String::from_error_object(&object).as_deref(), Some(""));
    }

    #[test]
    fn payloads_write_back_their_fields_without_type_and_message() {
        let object =
            ErrorObject::from_bytes(r#"{"errorType":"Declined","errorMessage":"no","code":51}"#);
        let fields = object.fields();
        assert_eq!(fields.len(), 1);
        assert_eq!(fields["code"], 51);
        assert_eq!(Details(Decline { code: 7 }).fields()["code"], 7);
        assert_eq!("m".to_owned().message().as_deref(), Some("m"));
    }
}
