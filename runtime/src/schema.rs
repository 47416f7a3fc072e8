//! JSON Schemas of a contract's payloads and results (feature `schema`), on
//! [schemars](https://docs.rs/schemars) 1.
//!
//! `#[lambda_remote(schema)]` fills each method's [`Schemas`](crate::contract::Schemas) in
//! [`GeneratedClient::contract`](crate::GeneratedClient::contract): every argument type and
//! success type must then implement schemars' [`JsonSchema`]. Derive it through
//! the re-export, without depending on schemars yourself:
//!
//! ```
//! # use lambda_remote_runtime as lambda_remote;
//! #[derive(serde::Deserialize, lambda_remote::schemars::JsonSchema)]
//! #[schemars(crate = "lambda_remote::schemars")]
//! struct Order {
//!     sku: String,
//!     qty: u32,
//! }
//! let schema = lambda_remote::schema::schema_of::<Order>();
//! assert_eq!(schema["required"], serde_json::json!(["sku", "qty"]));
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

pub use schemars;

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12().into_generator()
}

/// The schema (draft 2020-12, definitions under `$defs`) of values of `T`.
pub fn schema_of<T: ?Sized + JsonSchema>() -> Value {
    generator().into_root_schema_for::<T>().to_value()
}

/// The schema of what a streaming method's success type carries: for a
/// [`ResponseStream<T, E>`](crate::ResponseStream), that of one item `T` (one line of JSON);
/// for a [`ByteStream`](crate::ByteStream), bytes.
pub fn stream_schema<S: StreamSchema>() -> Value {
    S::schema()
}

/// A stream whose items have a schema.
#[diagnostic::on_unimplemented(
    message = "`#[lambda_remote(schema)]` needs a JSON Schema of the items of `{Self}`",
    label = "derive `lambda_remote::schemars::JsonSchema` for the item type"
)]
pub trait StreamSchema {
    /// The schema of one item.
    fn schema() -> Value;
}

impl<T: JsonSchema, E> StreamSchema for crate::stream::response_stream::ResponseStream<T, E> {
    fn schema() -> Value {
        schema_of::<T>()
    }
}

impl<E> StreamSchema for crate::stream::byte_stream::ByteStream<E> {
    fn schema() -> Value {
        serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "string",
            "contentMediaType": "application/octet-stream",
        })
    }
}

/// The schema of a payload of several arguments: an object with one required property per
/// argument, as the generated client sends it.
pub struct PayloadSchema {
    generator: SchemaGenerator,
    properties: Map<String, Value>,
    required: Vec<Value>,
}

impl Default for PayloadSchema {
    fn default() -> Self {
        Self::new()
    }
}

impl PayloadSchema {
    /// No arguments yet: the schema of `{}`.
    pub fn new() -> Self {
        Self {
            generator: generator(),
            properties: Map::new(),
            required: Vec::new(),
        }
    }

    /// Adds argument `name` of type `T`.
    pub fn argument<T: ?Sized + JsonSchema>(&mut self, name: &str) -> &mut Self {
        let schema = self.generator.subschema_for::<T>().to_value();
        self.properties.insert(name.to_owned(), schema);
        self.required.push(Value::String(name.to_owned()));
        self
    }

    /// The object schema, with the definitions its arguments refer to.
    pub fn finish(&mut self) -> Value {
        let mut schema = Map::new();
        schema.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        schema.insert("type".into(), "object".into());
        schema.insert(
            "properties".into(),
            Value::Object(std::mem::take(&mut self.properties)),
        );
        schema.insert(
            "required".into(),
            Value::Array(std::mem::take(&mut self.required)),
        );
        let definitions = self.generator.take_definitions(true);
        if !definitions.is_empty() {
            schema.insert("$defs".into(), Value::Object(definitions));
        }
        Value::Object(schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Order {
        sku: String,
        note: Option<String>,
    }

    #[test]
    fn several_arguments_are_an_object_with_their_definitions() {
        let schema = PayloadSchema::new()
            .argument::<Order>("order")
            .argument::<&str>("card")
            .finish();
        assert_eq!(schema["required"], serde_json::json!(["order", "card"]));
        assert_eq!(schema["properties"]["card"]["type"], "string");
        assert_eq!(schema["properties"]["order"]["$ref"], "#/$defs/Order");
        assert_eq!(
            schema["$defs"]["Order"]["required"],
            serde_json::json!(["sku"])
        );
    }
}
