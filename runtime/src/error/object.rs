//! The error object a failed function returns, decoded leniently with its raw bytes kept.
//!
//! It is read and written as JSON text, not through a `serde_json::Value`: a served function
//! sends error objects on every failed invocation, and a `Value` (its `BTreeMap`, parser and
//! drop glue) would be linked into every served binary for it (BENCHMARKS.md, "Function side
//! (issue 22)"). The methods that hand out a `Value` ([`ErrorObject::json`],
//! [`ErrorObject::fields`]) parse on demand.

use std::fmt;

use bytes::Bytes;
use serde_json::value::RawValue;

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
    /// What the body holds when it is a JSON object (boxed: most error objects that are read
    /// are only matched on their type).
    object: Option<Box<Object>>,
    raw: Bytes,
}

/// An error object's JSON, when the body is a JSON object.
#[derive(Clone)]
struct Object {
    /// The fields beside `errorType` and `errorMessage` as one JSON object's text (each key
    /// once, in the order written, values as they were written), `None` when there are none.
    fields: Option<String>,
    /// The error object's JSON when it is not [`ErrorObject::raw`]: fields that travelled
    /// inside `errorMessage` put back beside it.
    unpacked: Option<String>,
}

/// An object's members: keys unescaped, values as their JSON text.
type Pairs<'a> = Vec<(String, &'a str)>;

/// A JSON object's members, in the order written: keys unescaped, values as their JSON text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Members<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Members<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: &'a RawValue = map.next_value()?;
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A JSON object's members as a `serde_json::Map` that keeps their order holds them: each key
/// once, where it was first written, with the value written last; `None` when `text` is not
/// a JSON object.
fn members(text: &[u8]) -> Option<Pairs<'_>> {
    let Members(members) = serde_json::from_slice(text).ok()?;
    Some(once_each(
        members
            .into_iter()
            .map(|(key, value)| (key, value.get()))
            .collect(),
    ))
}

/// Members with each key once, where it came first, with the value that came last.
fn once_each(mut members: Pairs<'_>) -> Pairs<'_> {
    // (A hash map of the keys, not a sort: no sort is compiled into a served binary for it.)
    let mut first = std::collections::HashMap::with_capacity(members.len());
    let mut last_values = vec![None; members.len()];
    let mut keep = vec![false; members.len()];
    for (at, (key, value)) in members.iter().enumerate() {
        let first = *first.entry(key.as_str()).or_insert(at);
        keep[at] = first == at;
        last_values[first] = Some(*value);
    }
    for (member, last) in members.iter_mut().zip(last_values) {
        if let Some(value) = last {
            member.1 = value;
        }
    }
    let mut kept = keep.into_iter();
    members.retain(|_| kept.next().unwrap_or(false));
    members
}

/// The value of `key` among members.
fn get<'a>(members: &[(String, &'a str)], key: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, value)| *value)
}

/// A member's value when it is a JSON string.
fn text(members: &[(String, &str)], key: &str) -> Option<String> {
    serde_json::from_str(get(members, key)?).ok()
}

/// A JSON string's text.
fn quoted(text: &str) -> String {
    // A `str` always serializes.
    serde_json::to_string(text).unwrap_or_default()
}

/// The text of a JSON object of these members (keys escaped, values as they are).
fn write_object<'a>(members: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::from("{");
    for (key, value) in members {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&quoted(key));
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

/// The members other than `errorType` and `errorMessage`, as a JSON object's text (`None`
/// when there are none).
fn fields_text(members: &[(String, &str)]) -> Option<String> {
    let mut fields = members
        .iter()
        .filter(|(key, _)| key != "errorType" && key != "errorMessage")
        .map(|(key, value)| (key.as_str(), *value))
        .peekable();
    fields.peek()?;
    Some(write_object(fields))
}

impl ErrorObject {
    /// Reads an error object from a response body. Never fails: what cannot be read stays in
    /// [`ErrorObject::raw`].
    pub fn from_bytes(raw: impl Into<Bytes>) -> Self {
        let raw = raw.into();
        let Some(outer) = members(&raw) else {
            return Self {
                error_type: None,
                error_message: None,
                object: None,
                raw,
            };
        };
        let message = text(&outer, "errorMessage");
        // Fields that travelled inside `errorMessage` go back beside it.
        if let Some((inner_message, fields)) = message.as_deref().and_then(packed) {
            // As a `serde_json::Map` did it: the message removed, the fields inserted (a key
            // already there keeps its place), then the original message.
            let mut all: Vec<(String, &str)> = outer
                .iter()
                .filter(|(key, _)| key != "errorMessage")
                .map(|(key, value)| (key.clone(), *value))
                .collect();
            all.extend(
                fields
                    .into_iter()
                    .filter(|(key, _)| key != "errorType" && key != "errorMessage"),
            );
            all.extend(inner_message.map(|message| ("errorMessage".to_owned(), message)));
            let all = once_each(all);
            let object = Object {
                fields: fields_text(&all),
                unpacked: Some(write_object(all.iter().map(|(k, v)| (k.as_str(), *v)))),
            };
            return Self {
                error_type: text(&all, "errorType"),
                error_message: text(&all, "errorMessage"),
                object: Some(Box::new(object)),
                raw,
            };
        }
        let object = Object {
            fields: fields_text(&outer),
            unpacked: None,
        };
        Self {
            error_type: text(&outer, "errorType"),
            error_message: message,
            object: Some(Box::new(object)),
            raw,
        }
    }

    /// Builds an error object from a type and a message, as a runtime would send it.
    pub fn new(error_type: impl Into<String>, error_message: impl Into<String>) -> Self {
        Self::from_parts(&error_type.into(), error_message.into(), None)
    }

    /// Builds an error object with fields beside `errorType` and `errorMessage` (those of a
    /// struct variant, say), as a served function answers with.
    pub fn with_fields(
        error_type: impl Into<String>,
        error_message: impl Into<String>,
        fields: Map,
    ) -> Self {
        let fields = (!fields.is_empty()).then(|| {
            // A map with string keys always serializes.
            serde_json::to_string(&fields).unwrap_or_default()
        });
        Self::from_parts(&error_type.into(), error_message.into(), fields.as_deref())
    }

    /// An error object of a type, a message and the fields of `fields`, a JSON object's text
    /// (anything else adds none): what a served function answers with, written without a
    /// `serde_json::Value`. `errorType` and `errorMessage` among the fields are left out.
    pub(crate) fn from_parts(error_type: &str, message: String, fields: Option<&str>) -> Self {
        let all: Vec<(String, &str)> = fields
            .and_then(|text| members(text.as_bytes()))
            .unwrap_or_default()
            .into_iter()
            .filter(|(key, _)| key != "errorType" && key != "errorMessage")
            .collect();
        let error_type = quoted(error_type);
        // A message that would read as packed fields is sent packed (the fields with it), so
        // that it reads back as it was.
        if packed(&message).is_some() {
            let fields = fields_text(&all);
            let message = quoted(&pack(&message, fields.as_deref().unwrap_or("{}")));
            return Self::from_bytes(write_object([
                ("errorType", error_type.as_str()),
                ("errorMessage", message.as_str()),
            ]));
        }
        let message = quoted(&message);
        // `errorType` first, as runtimes send it; then the message and the fields in their order.
        let head = [
            ("errorType", error_type.as_str()),
            ("errorMessage", message.as_str()),
        ];
        Self::from_bytes(write_object(
            head.into_iter()
                .chain(all.iter().map(|(k, v)| (k.as_str(), *v))),
        ))
    }

    /// Any JSON as the error body, kept as it is: a full error object with extra fields, or
    /// even a value that is not an object, as some runtimes send.
    pub fn from_json(body: serde_json::Value) -> Self {
        Self::from_bytes(json_bytes(&body))
    }

    /// Adds (or replaces) a field of the error object; no effect on a body that is not a JSON
    /// object.
    pub fn with_field(self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        let Some(serde_json::Value::Object(mut map)) = self.json() else {
            return self;
        };
        map.insert(key.into(), value.into());
        Self::from_bytes(json_bytes(&serde_json::Value::Object(map)))
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

    /// The error object's JSON text when the body is a JSON object: the body, or, when fields
    /// travelled inside `errorMessage`, the object with them put back.
    fn object_text(&self) -> Option<&[u8]> {
        let object = self.object.as_deref()?;
        Some(match &object.unpacked {
            Some(unpacked) => unpacked.as_bytes(),
            None => &self.raw,
        })
    }

    /// The error object as JSON, when the body is JSON: a typed error's fields that travelled
    /// inside `errorMessage` are back beside it, and `errorMessage` is the original message.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(self.object_text().unwrap_or(&self.raw)).ok()
    }

    /// The fields beside `errorType` and `errorMessage` (empty when the body is not an object).
    pub fn fields(&self) -> Map {
        self.fields_json()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    }

    /// The fields beside `errorType` and `errorMessage` as one JSON object's text, `None` when
    /// there are none (or the body is not an object).
    pub(crate) fn fields_json(&self) -> Option<&str> {
        self.object.as_deref()?.fields.as_deref()
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
        let fields = self.fields_json();
        // A message that would itself read as packed fields is packed too, so that it comes
        // back as it was.
        if fields.is_none() && packed(&message).is_none() {
            return message;
        }
        pack(&message, fields.unwrap_or("{}"))
    }

    /// Deserializes the error object into `T` (extra fields such as `stackTrace` included, and
    /// a typed error's fields wherever they travelled: beside `errorMessage` or inside it).
    pub fn deserialize_details<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.object_text().unwrap_or(&self.raw))
    }
}

/// A JSON value's compact text, as `Display` writes it but without `Display`'s pretty-printing
/// branch. A value with string keys always serializes.
fn json_bytes(value: &serde_json::Value) -> Bytes {
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// `{"errorMessage": message, "lambda_remote.fields": fields}`, `fields` a JSON object's text.
fn pack(message: &str, fields: &str) -> String {
    format!(
        "{{\"errorMessage\":{},\"{PACKED_FIELDS}\":{fields}}}",
        quoted(message)
    )
}

/// The message (its JSON text) and fields packed into an `errorMessage` by
/// [`ErrorObject::diagnostic_message`].
fn packed(message: &str) -> Option<(Option<&str>, Pairs<'_>)> {
    if !message.starts_with('{') {
        return None;
    }
    let outer = members(message.as_bytes())?;
    let fields = members(get(&outer, PACKED_FIELDS)?.as_bytes())?;
    Some((get(&outer, "errorMessage"), fields))
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
        match (self.object_text(), other.object_text()) {
            (Some(a), Some(b)) => {
                a == b
                    || serde_json::from_slice::<serde_json::Value>(a).ok()
                        == serde_json::from_slice::<serde_json::Value>(b).ok()
            }
            (None, None) => self.raw == other.raw,
            _ => false,
        }
    }
}

impl Eq for ErrorObject {}

/// The members of a JSON object's text beside `errorType` and `errorMessage`, as one JSON
/// object (`None` when there are none, or `text` is not an object).
pub(crate) fn object_fields(text: &str) -> Option<Box<RawValue>> {
    let fields = fields_text(&members(text.as_bytes())?)?;
    RawValue::from_string(fields).ok()
}

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
        let serde_json::Value::Object(mut map) = value else {
            return Ok(Self::from_bytes(raw));
        };
        // The fields as they are: a message that reads as packed fields was a message (its
        // fields were unpacked before it was written).
        let mut text = |key: &str| match map.remove(key) {
            Some(serde_json::Value::String(text)) => Some(text),
            _ => None,
        };
        let (error_type, error_message) = (text("errorType"), text("errorMessage"));
        map.remove("errorType");
        map.remove("errorMessage");
        let fields = (!map.is_empty()).then(|| serde_json::to_string(&map).unwrap_or_default());
        Ok(Self {
            error_type,
            error_message,
            object: Some(Box::new(Object {
                fields,
                unpacked: None,
            })),
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
    fn with_fields_writes_type_message_then_the_fields_in_their_order() {
        let mut fields = Map::new();
        fields.insert(
            "zeta".into(),
            serde_json::json!({"b": [1, 2.5, null], "a": "x"}),
        );
        fields.insert("code".into(), 51.into());
        fields.insert("errorType".into(), "ignored".into());
        fields.insert("quote\"d".into(), "\u{1F600}\n".into());
        let object = ErrorObject::with_fields("Declined", "no \"funds\"", fields.clone());
        // `errorType` first, as runtimes send it, then the message, then the fields as the map
        // iterates them (sorted, or in insertion order with serde_json's `preserve_order`).
        let mut expected = String::from(r#"{"errorType":"Declined","errorMessage":"no \"funds\"""#);
        for (key, value) in &fields {
            if key != "errorType" {
                expected.push_str(&format!(
                    ",{}:{}",
                    serde_json::to_string(key).unwrap(),
                    value
                ));
            }
        }
        expected.push('}');
        assert_eq!(std::str::from_utf8(object.raw()).unwrap(), expected);
        assert_eq!(object.error_type(), Some("Declined"));
        assert_eq!(object.error_message(), Some("no \"funds\""));
        assert_eq!(object.fields().len(), 3);
        assert_eq!(object.fields()["zeta"]["b"][1], 2.5);
        assert_eq!(
            ErrorObject::new("E", "m").raw().as_ref(),
            br#"{"errorType":"E","errorMessage":"m"}"#
        );
    }

    #[test]
    fn members_read_as_a_map_reads_them() {
        // A key written twice: the last one, as `serde_json::Map` reads it.
        let object = ErrorObject::from_bytes(
            r#"{"errorType":"A","x":1,"errorType":"B","x":{"deep":[1,{"y":2}]}}"#,
        );
        assert_eq!(object.error_type(), Some("B"));
        assert_eq!(
            object.json(),
            Some(serde_json::json!({"errorType": "B", "x": {"deep": [1, {"y": 2}]}}))
        );
        assert_eq!(object.fields_json(), Some(r#"{"x":{"deep":[1,{"y":2}]}}"#));
        // Escaped keys are unescaped, and the fields keep their values as written.
        let object = ErrorObject::from_bytes(
            "{ \"error\\u0054ype\" : \"T\", \"n\" : 1.50 , \"big\": 18446744073709551616 }",
        );
        assert_eq!(object.error_type(), Some("T"));
        assert_eq!(
            object.fields_json(),
            Some(r#"{"n":1.50,"big":18446744073709551616}"#)
        );
        // Through a runtime that sends only type and message, and back: the same object.
        let sent = ErrorObject::from_bytes(r#"{"errorType":"T","errorMessage":"m","n":1.50}"#);
        let received = through_diagnostic(&sent);
        assert_eq!(received, sent);
        assert_eq!(received.fields_json(), Some(r#"{"n":1.50}"#));
        // Not an object: no fields, nothing read.
        for body in ["[]", "null", "{", "{\"a\":}", "{\"a\":1}x"] {
            let object = ErrorObject::from_bytes(body);
            assert!(!object.is_object(), "{body}");
            assert_eq!(object.fields_json(), None);
            assert_eq!(object.raw().as_ref(), body.as_bytes());
        }
    }

    #[test]
    fn packed_fields_put_back_override_and_keep_the_outer_members() {
        // What `lambda_runtime` sends for a typed error with fields, with members of its own.
        let body = r#"{"errorType":"Limit","errorMessage":"{\"errorMessage\":\"over\",\"lambda_remote.fields\":{\"max\":5,\"errorType\":\"no\",\"stackTrace\":\"inner\"}}","stackTrace":["outer"],"requestId":"r-1"}"#;
        let object = ErrorObject::from_bytes(body);
        assert_eq!(object.error_type(), Some("Limit"));
        assert_eq!(object.error_message(), Some("over"));
        assert_eq!(
            object.json(),
            Some(serde_json::json!({
                "errorType": "Limit",
                "errorMessage": "over",
                "max": 5,
                "requestId": "r-1",
                "stackTrace": "inner",
            }))
        );
        assert_eq!(
            object.fields_json(),
            Some(r#"{"stackTrace":"inner","requestId":"r-1","max":5}"#)
        );
        // A packed message whose fields are not an object is a message.
        let body = r#"{"errorType":"T","errorMessage":"{\"lambda_remote.fields\":[1]}"}"#;
        let object = ErrorObject::from_bytes(body);
        assert_eq!(
            object.error_message(),
            Some(r#"{"lambda_remote.fields":[1]}"#)
        );
        assert_eq!(object.fields_json(), None);
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
