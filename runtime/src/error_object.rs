//! The error object a failed function returns, decoded leniently with its raw bytes kept.

use std::fmt;

use bytes::Bytes;

/// The body of a function error: usually `{"errorType": …, "errorMessage": …, …}`, but any
/// field may be missing and the body may not be JSON at all. The raw bytes are always kept.
#[derive(Clone, PartialEq, Eq)]
pub struct ErrorObject {
    error_type: Option<String>,
    error_message: Option<String>,
    is_object: bool,
    raw: Bytes,
}

impl ErrorObject {
    /// Reads an error object from a response body. Never fails: what cannot be read stays in
    /// [`ErrorObject::raw`].
    pub fn from_bytes(raw: impl Into<Bytes>) -> Self {
        let raw = raw.into();
        let parsed = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&raw);
        let (error_type, error_message, is_object) = match parsed {
            Ok(map) => {
                let text = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                (text("errorType"), text("errorMessage"), true)
            }
            Err(_) => (None, None, false),
        };
        Self {
            error_type,
            error_message,
            is_object,
            raw,
        }
    }

    /// Builds an error object from a type and a message, as a runtime would send it.
    pub fn new(error_type: impl Into<String>, error_message: impl Into<String>) -> Self {
        Self::with_fields(error_type, error_message, serde_json::Map::new())
    }

    /// Builds an error object with fields beside `errorType` and `errorMessage` (those of a
    /// struct variant, say), as a served function answers with.
    pub fn with_fields(
        error_type: impl Into<String>,
        error_message: impl Into<String>,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        let mut map = fields;
        map.insert("errorType".into(), error_type.into().into());
        map.insert("errorMessage".into(), error_message.into().into());
        Self::from_bytes(serde_json::Value::Object(map).to_string())
    }

    /// The `errorType` field, when present and a string.
    pub fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    /// The `errorMessage` field, when present and a string.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }

    /// Whether the body is a JSON object.
    pub fn is_object(&self) -> bool {
        self.is_object
    }

    /// The body exactly as received.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The whole body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.raw).ok()
    }

    /// The fields beside `errorType` and `errorMessage` (empty when the body is not an object).
    pub fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        self.json().map(fields_of).unwrap_or_default()
    }

    /// The message for runtimes that send only a type and a message (`lambda_runtime`'s
    /// `Diagnostic`): the message itself, or, when there are fields, a JSON object of the
    /// fields with the message under `errorMessage` — which the client reads its fields from.
    pub fn diagnostic_message(&self) -> String {
        let message = self
            .error_message()
            .map(str::to_owned)
            .unwrap_or_else(|| String::from_utf8_lossy(&self.raw).into_owned());
        let mut fields = self.fields();
        if fields.is_empty() {
            return message;
        }
        fields.insert("errorMessage".into(), message.into());
        serde_json::Value::Object(fields).to_string()
    }

    /// Deserializes the whole body into `T` (extra fields such as `stackTrace` included).
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.raw)
    }

    /// Deserializes the error's details into `T`: from the whole body, or else from an
    /// `errorMessage` that holds a JSON object — where lambda-remote puts a typed error's fields
    /// when the function's runtime sends only a type and a message (as `lambda_runtime` does).
    pub fn deserialize_details<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<T, serde_json::Error> {
        let whole = self.deserialize::<T>();
        match (&whole, self.error_message()) {
            (Err(_), Some(message)) if message.trim_start().starts_with('{') => {
                serde_json::from_str(message).or(whole)
            }
            _ => whole,
        }
    }
}

/// The fields of an error object's JSON beside `errorType` and `errorMessage`.
pub(crate) fn fields_of(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(mut map) => {
            map.remove("errorType");
            map.remove("errorMessage");
            map
        }
        _ => serde_json::Map::new(),
    }
}

impl fmt::Debug for ErrorObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorObject")
            .field("error_type", &self.error_type)
            .field("error_message", &self.error_message)
            .field("raw_len", &self.raw.len())
            .finish()
    }
}

impl fmt::Display for ErrorObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error_type, &self.error_message) {
            (Some(t), Some(m)) => write!(f, "{t}: {m}"),
            (Some(t), None) => f.write_str(t),
            (None, Some(m)) => f.write_str(m),
            (None, None) => write!(f, "{}", String::from_utf8_lossy(&self.raw)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_runtime_shapes_from_the_facts_page() {
        let node = ErrorObject::from_bytes(
            r#"{"errorType":"Error","errorMessage":"boom","trace":["Error: boom"]}"#,
        );
        assert_eq!(node.error_type(), Some("Error"));
        assert_eq!(node.error_message(), Some("boom"));
        let timeout = ErrorObject::from_bytes(
            r#"{"errorMessage":"RequestId: 1 Error: Task timed out after 3.00 seconds"}"#,
        );
        assert_eq!(timeout.error_type(), None);
        assert!(timeout.error_message().unwrap().contains("timed out"));
        let no_message = ErrorObject::from_bytes(r#"{"errorType":"Runtime.ExitError"}"#);
        assert_eq!(no_message.error_message(), None);
        assert!(no_message.is_object());
    }

    #[test]
    fn keeps_bodies_that_are_not_objects() {
        for body in [
            &b"\"just a string\""[..],
            b"[1,2]",
            b"not json",
            b"\xff\xfe",
            b"",
        ] {
            let object = ErrorObject::from_bytes(Bytes::copy_from_slice(body));
            assert_eq!(object.raw().as_ref(), body);
            assert!(!object.is_object());
            assert_eq!(object.error_type(), None);
        }
    }

    #[test]
    fn ignores_non_string_fields() {
        let object = ErrorObject::from_bytes(r#"{"errorType":42,"errorMessage":null}"#);
        assert_eq!(object.error_type(), None);
        assert_eq!(object.error_message(), None);
        assert!(object.is_object());
    }

    #[test]
    fn display_prefers_type_and_message() {
        assert_eq!(ErrorObject::new("E", "m").to_string(), "E: m");
        assert_eq!(ErrorObject::from_bytes("plain").to_string(), "plain");
    }
}
