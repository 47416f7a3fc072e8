//! The error object a failed function returns, decoded leniently with its raw bytes kept.

use std::fmt;

use bytes::Bytes;

/// The key under which a typed error's fields travel inside `errorMessage` when the
/// function's runtime sends only a type and a message (see [`ErrorObject::diagnostic_message`]).
const PACKED_FIELDS: &str = "lambda_remote.fields";

type Map = serde_json::Map<String, serde_json::Value>;

/// The body of a function error: usually `{"errorType": …, "errorMessage": …, …}`, but any
/// field may be missing and the body may not be JSON at all. The raw bytes are always kept.
///
/// A runtime that sends only a type and a message (`lambda_runtime`'s `Diagnostic`) carries a
/// typed error's fields inside `errorMessage` (see [`diagnostic_message`](Self::diagnostic_message));
/// such a body reads as the error object the function answered with: [`error_message`](Self::error_message),
/// [`fields`](Self::fields), [`json`](Self::json) and [`deserialize_details`](Self::deserialize_details)
/// see the original message and fields, [`raw`](Self::raw) the bytes as received.
///
/// Two error objects are equal when they carry the same JSON (key order and whitespace aside),
/// or, when they are not JSON objects, the same bytes.
///
/// It is also what a local function's handler (`local::Handler`, feature `local`) fails with:
/// `?` converts any [`std::error::Error`] into one (see the `From` impl), and
/// [`from_json`](Self::from_json) answers any JSON at all.
#[derive(Clone)]
pub struct ErrorObject {
    error_type: Option<String>,
    error_message: Option<String>,
    /// The error object as the function answered it, when the body is a JSON object (boxed: a
    /// `Map` is large when serde_json keeps the order of its keys).
    object: Option<Box<Map>>,
    raw: Bytes,
}

impl ErrorObject {
    /// Reads an error object from a response body. Never fails: what cannot be read stays in
    /// [`ErrorObject::raw`].
    pub fn from_bytes(raw: impl Into<Bytes>) -> Self {
        let raw = raw.into();
        let object = serde_json::from_slice::<Map>(&raw)
            .ok()
            .map(|map| Box::new(unpack(map)));
        let text = |key: &str| {
            let map = object.as_ref()?;
            map.get(key).and_then(|v| v.as_str()).map(str::to_owned)
        };
        Self {
            error_type: text("errorType"),
            error_message: text("errorMessage"),
            object,
            raw,
        }
    }

    /// Builds an error object from a type and a message, as a runtime would send it.
    pub fn new(error_type: impl Into<String>, error_message: impl Into<String>) -> Self {
        Self::with_fields(error_type, error_message, Map::new())
    }

    /// Builds an error object with fields beside `errorType` and `errorMessage` (those of a
    /// struct variant, say), as a served function answers with.
    pub fn with_fields(
        error_type: impl Into<String>,
        error_message: impl Into<String>,
        fields: Map,
    ) -> Self {
        let message = error_message.into();
        // `errorType` first, as runtimes send it.
        let mut map = Map::new();
        map.insert("errorType".into(), error_type.into().into());
        // A message that would read as packed fields is sent packed, so that it reads back
        // as it was.
        if packed(&message).is_some() {
            map.insert("errorMessage".into(), pack(message, fields).into());
        } else {
            map.insert("errorMessage".into(), message.into());
            for (key, value) in fields {
                if key != "errorType" && key != "errorMessage" {
                    map.insert(key, value);
                }
            }
        }
        Self::from_bytes(json_bytes(&serde_json::Value::Object(map)))
    }

    /// Any JSON as the error body, kept as it is: a full error object with extra fields, or
    /// even a value that is not an object, as some runtimes send.
    pub fn from_json(body: serde_json::Value) -> Self {
        Self::from_bytes(json_bytes(&body))
    }

    /// Adds (or replaces) a field of the error object; no effect on a body that is not a JSON
    /// object.
    pub fn with_field(self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        let Some(mut map) = self.object else {
            return self;
        };
        map.insert(key.into(), value.into());
        Self::from_bytes(json_bytes(&serde_json::Value::Object(*map)))
    }

    /// The body as JSON, as a local function answers it: [`json`](Self::json), or the text of
    /// a body that is not JSON.
    #[cfg(feature = "local")]
    pub(crate) fn answer(&self) -> serde_json::Value {
        self.json().unwrap_or_else(|| {
            serde_json::Value::String(String::from_utf8_lossy(&self.raw).into_owned())
        })
    }

    /// The `errorType` field, when present and a string.
    pub fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    /// The `errorMessage` field, when present and a string (the original message when the
    /// fields travelled inside it).
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }

    /// Whether the body is a JSON object.
    pub fn is_object(&self) -> bool {
        self.object.is_some()
    }

    /// The body exactly as received.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The error object as JSON, when the body is JSON: a typed error's fields that travelled
    /// inside `errorMessage` are back beside it, and `errorMessage` is the original message.
    pub fn json(&self) -> Option<serde_json::Value> {
        match &self.object {
            Some(map) => Some(serde_json::Value::Object(Map::clone(map))),
            None => serde_json::from_slice(&self.raw).ok(),
        }
    }

    /// The fields beside `errorType` and `errorMessage` (empty when the body is not an object).
    pub fn fields(&self) -> Map {
        let mut fields = self.object.as_deref().cloned().unwrap_or_default();
        fields.remove("errorType");
        fields.remove("errorMessage");
        fields
    }

    /// The message for runtimes that send only a type and a message (`lambda_runtime`'s
    /// `Diagnostic`): the message itself, or, when there are fields, a JSON object
    /// `{"errorMessage": <message>, "lambda_remote.fields": {<fields>}}`, which
    /// [`from_bytes`](Self::from_bytes) reads back into the same error object.
    pub fn diagnostic_message(&self) -> String {
        let message = self
            .error_message()
            .map(str::to_owned)
            .unwrap_or_else(|| String::from_utf8_lossy(&self.raw).into_owned());
        let fields = self.fields();
        // A message that would itself read as packed fields is packed too, so that it comes
        // back as it was.
        if fields.is_empty() && packed(&message).is_none() {
            return message;
        }
        pack(message, fields)
    }

    /// Deserializes the error object into `T` (extra fields such as `stackTrace` included, and
    /// a typed error's fields wherever they travelled: beside `errorMessage` or inside it).
    pub fn deserialize_details<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<T, serde_json::Error> {
        match &self.object {
            Some(map) => serde_json::from_value(serde_json::Value::Object(Map::clone(map))),
            None => serde_json::from_slice(&self.raw),
        }
    }
}

/// A JSON value's compact text, as `Display` writes it but without `Display`'s pretty-printing
/// branch, which a served binary would otherwise carry (BENCHMARKS.md, "Function side (issue
/// 22)"). A value with string keys always serializes.
fn json_bytes(value: &serde_json::Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// `{"errorMessage": message, "lambda_remote.fields": fields}`.
fn pack(message: String, fields: Map) -> String {
    let mut packed = Map::new();
    packed.insert("errorMessage".into(), message.into());
    packed.insert(PACKED_FIELDS.into(), serde_json::Value::Object(fields));
    // Compact, as `json_bytes` writes (a value with string keys always serializes).
    serde_json::to_string(&serde_json::Value::Object(packed)).unwrap_or_default()
}

/// The message and fields packed into an `errorMessage` by [`ErrorObject::diagnostic_message`].
fn packed(message: &str) -> Option<(Option<serde_json::Value>, Map)> {
    if !message.starts_with('{') {
        return None;
    }
    let mut map = serde_json::from_str::<Map>(message).ok()?;
    match map.remove(PACKED_FIELDS)? {
        serde_json::Value::Object(fields) => Some((map.remove("errorMessage"), fields)),
        _ => None,
    }
}

/// An error object with the fields a runtime carried inside `errorMessage` put back beside it.
fn unpack(mut map: Map) -> Map {
    let Some((message, fields)) = map
        .get("errorMessage")
        .and_then(|m| m.as_str())
        .and_then(packed)
    else {
        return map;
    };
    map.remove("errorMessage");
    for (key, value) in fields {
        if key != "errorType" && key != "errorMessage" {
            map.insert(key, value);
        }
    }
    if let Some(message) = message {
        map.insert("errorMessage".into(), message);
    }
    map
}

/// `?` in a function's body: any error becomes `{"errorType":"&<type name>","errorMessage":<Display>}`,
/// the shape `lambda_runtime` gives it. (So `ErrorObject` itself is no [`std::error::Error`].)
impl<E: std::error::Error> From<E> for ErrorObject {
    fn from(error: E) -> Self {
        Self::new(
            format!("&{}", std::any::type_name::<E>()),
            error.to_string(),
        )
    }
}

impl PartialEq for ErrorObject {
    fn eq(&self, other: &Self) -> bool {
        match (&self.object, &other.object) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.raw == other.raw,
            _ => false,
        }
    }
}

impl Eq for ErrorObject {}

/// The fields of an error object's JSON beside `errorType` and `errorMessage`.
pub(crate) fn fields_of(value: serde_json::Value) -> Map {
    match value {
        serde_json::Value::Object(mut map) => {
            map.remove("errorType");
            map.remove("errorMessage");
            map
        }
        _ => serde_json::Map::new(),
    }
}

/// Serializes as its JSON ([`ErrorObject::json`]: a typed error's fields beside
/// `errorMessage`, wherever they travelled), so that an error enum with a catch-all
/// `Other(ErrorObject)` can derive `Serialize`. A body that is not JSON serializes as a string
/// of its text (bytes that are not UTF-8 replaced by U+FFFD).
impl serde::Serialize for ErrorObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.json() {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_str(&String::from_utf8_lossy(&self.raw)),
        }
    }
}

/// Deserializes any JSON value as the error object it is (its fields taken as they are, its
/// compact JSON as [`raw`](ErrorObject::raw)): what [`Serialize`](serde::Serialize) wrote
/// reads back as an equal error object when the body is a JSON object; a body that was not
/// JSON comes back as the string it was written as.
impl<'de> serde::Deserialize<'de> for ErrorObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let raw = json_bytes(&value);
        let serde_json::Value::Object(map) = value else {
            return Ok(Self::from_bytes(raw));
        };
        // The fields as they are: a message that reads as packed fields was a message (its
        // fields were unpacked before it was written).
        let text = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        Ok(Self {
            error_type: text("errorType"),
            error_message: text("errorMessage"),
            object: Some(Box::new(map)),
            raw,
        })
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

    /// The body `lambda_runtime` sends for an error object: only its type and message.
    fn through_diagnostic(object: &ErrorObject) -> ErrorObject {
        let body = serde_json::json!({
            "errorType": object.error_type(),
            "errorMessage": object.diagnostic_message(),
        });
        ErrorObject::from_bytes(body.to_string())
    }

    #[test]
    fn fields_packed_into_the_message_read_back_as_sent() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Limit {
            max: Option<u64>,
            #[serde(default)]
            unit: String,
        }
        let mut fields = Map::new();
        fields.insert("max".into(), 5.into());
        fields.insert("unit".into(), "items".into());
        let sent = ErrorObject::with_fields("Limit", "over", fields);
        let received = through_diagnostic(&sent);
        assert_ne!(received.raw(), sent.raw());
        assert_eq!(received, sent);
        assert_eq!(received.error_message(), Some("over"));
        assert_eq!(received.fields().len(), 2);
        assert_eq!(
            received.deserialize_details::<Limit>().unwrap(),
            Limit {
                max: Some(5),
                unit: "items".into()
            }
        );
        // Without fields the message travels as it is.
        let plain = ErrorObject::new("T", "plain");
        assert_eq!(plain.diagnostic_message(), "plain");
        assert_eq!(through_diagnostic(&plain), plain);
        // A message that looks like packed fields comes back as it was.
        let tricky = ErrorObject::new("T", r#"{"lambda_remote.fields":{"a":1}}"#);
        let back = through_diagnostic(&tricky);
        assert_eq!(back, tricky);
        assert_eq!(back.fields().len(), 0);
    }

    #[test]
    fn messages_of_real_runtimes_that_hold_json_are_left_alone() {
        let body = r#"{"errorType":"Error","errorMessage":"{\"max\":5}","trace":[]}"#;
        let object = ErrorObject::from_bytes(body);
        assert_eq!(object.error_message(), Some(r#"{"max":5}"#));
        assert_eq!(object.fields().len(), 1);
        assert!(object.fields().contains_key("trace"));
    }

    #[test]
    fn equality_is_of_the_json_not_its_spelling() {
        let a = ErrorObject::from_bytes(r#"{"errorType":"E","x":1}"#);
        let b = ErrorObject::from_bytes(r#"{ "x": 1, "errorType": "E" }"#);
        assert_eq!(a, b);
        assert_ne!(a, ErrorObject::from_bytes(r#"{"errorType":"E","x":2}"#));
        assert_ne!(
            ErrorObject::from_bytes("not json"),
            ErrorObject::from_bytes("not  json")
        );
    }

    #[test]
    fn serializes_as_its_json_and_reads_back_equal() {
        let mut fields = Map::new();
        fields.insert("limitCents".into(), 500.into());
        let objects = [
            ErrorObject::with_fields("Limit", "over", fields.clone()),
            // As `lambda_runtime` sends it: the fields packed inside `errorMessage`.
            through_diagnostic(&ErrorObject::with_fields("Limit", "over", fields)),
            ErrorObject::from_bytes(r#"{"errorMessage":"no type","stackTrace":["a"]}"#),
            // A message that reads as packed fields, sent packed.
            ErrorObject::new("T", r#"{"lambda_remote.fields":{"a":1}}"#),
        ];
        let expected = [
            serde_json::json!({"errorType": "Limit", "errorMessage": "over", "limitCents": 500}),
            serde_json::json!({"errorType": "Limit", "errorMessage": "over", "limitCents": 500}),
            serde_json::json!({"errorMessage": "no type", "stackTrace": ["a"]}),
            serde_json::json!({"errorType": "T", "errorMessage": r#"{"lambda_remote.fields":{"a":1}}"#}),
        ];
        for (object, expected) in objects.iter().zip(expected) {
            let written = serde_json::to_value(object).unwrap();
            assert_eq!(written, expected);
            let back: ErrorObject = serde_json::from_value(written).unwrap();
            assert_eq!(&back, object);
            assert_eq!(back.error_type(), object.error_type());
            assert_eq!(back.error_message(), object.error_message());
            assert_eq!(back.fields(), object.fields());
        }
        // Bodies that are not objects: JSON as it is, anything else as its text.
        let array = ErrorObject::from_bytes("[1,2]");
        assert_eq!(serde_json::to_string(&array).unwrap(), "[1,2]");
        let back: ErrorObject = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(back, array);
        let text = ErrorObject::from_bytes(&b"not json \xff"[..]);
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            "\"not json \u{fffd}\""
        );
        let back: ErrorObject = serde_json::from_str("\"not json\"").unwrap();
        assert_eq!(back.raw().as_ref(), b"\"not json\"");
        assert!(!back.is_object());
    }

    #[test]
    fn display_prefers_type_and_message() {
        assert_eq!(ErrorObject::new("E", "m").to_string(), "E: m");
        assert_eq!(ErrorObject::from_bytes("plain").to_string(), "plain");
    }

    #[test]
    fn a_handler_builds_any_body_adds_fields_and_converts_errors() {
        let object = ErrorObject::new("ValidationError", "bad sku").with_field("sku", "X-9");
        assert_eq!(
            object.json(),
            Some(
                serde_json::json!({"errorType": "ValidationError", "errorMessage": "bad sku", "sku": "X-9"})
            )
        );
        assert_eq!(
            object.with_field("errorMessage", "worse").error_message(),
            Some("worse")
        );
        let string = ErrorObject::from_json(serde_json::json!("just a string"));
        assert!(!string.is_object());
        assert_eq!(string.raw().as_ref(), br#""just a string""#);
        assert_eq!(string.clone().with_field("k", 1), string);
        let converted = ErrorObject::from(std::io::Error::other("disk full"));
        assert_eq!(converted.error_type(), Some("&std::io::error::Error"));
        assert_eq!(converted.error_message(), Some("disk full"));
    }
}
