//! The function's side of a contract: one trait method, bound to an implementation, answering
//! raw payloads exactly as the generated client encodes them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::{FunctionError, InvokeError, MethodSpec};

/// The error object a served function answers with: `errorType`, `errorMessage` and any extra
/// fields (those of a struct variant, say).
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionErrorBody {
    /// The `errorType` the client maps on.
    pub error_type: String,
    /// The `errorMessage`.
    pub error_message: String,
    /// Fields beside `errorType` and `errorMessage`.
    pub fields: Map<String, Value>,
}

/// The `errorType` of a payload the function could not decode.
pub const PAYLOAD_ERROR_TYPE: &str = "lambda_remote::PayloadError";

/// The `errorType` of an [`InvokeError`] other than a function error, returned by a function.
pub const INVOKE_ERROR_TYPE: &str = "lambda_remote::InvokeError";

impl FunctionErrorBody {
    /// An error object with a type and a message.
    pub fn new(error_type: impl Into<String>, error_message: impl Into<String>) -> Self {
        Self {
            error_type: error_type.into(),
            error_message: error_message.into(),
            fields: Map::new(),
        }
    }

    /// The error object of a typed function error: its `errorType`, its own message or its
    /// `Display`, and its fields.
    pub fn from_function_error<E: FunctionError + fmt::Display>(error: &E) -> Self {
        Self {
            error_type: error.error_type().into_owned(),
            error_message: error.error_message().unwrap_or_else(|| error.to_string()),
            fields: error.error_fields(),
        }
    }

    /// The error object a function returning `error` answers with. A typed function error keeps
    /// its type and fields; an unmapped one is relayed as it came; any other failure is sent as
    /// [`INVOKE_ERROR_TYPE`] with its message, so the caller sees an unmapped function error.
    pub fn from_invoke_error<E: FunctionError + fmt::Display>(error: &InvokeError<E>) -> Self {
        match error {
            InvokeError::Function { error, .. } => Self::from_function_error(error),
            InvokeError::UnmappedFunction(failure) => {
                let object = failure.object();
                let fields = object
                    .json()
                    .map(crate::function_error::error_fields_of)
                    .unwrap_or_default();
                Self {
                    error_type: object.error_type().unwrap_or(INVOKE_ERROR_TYPE).to_owned(),
                    error_message: object
                        .error_message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| String::from_utf8_lossy(object.raw()).into_owned()),
                    fields,
                }
            }
            other => {
                let mut message = other.to_string();
                if let Some(source) = other.untyped_source() {
                    message.push_str(": ");
                    message.push_str(&chain(source));
                }
                Self::new(INVOKE_ERROR_TYPE, message)
            }
        }
    }

    /// The body as JSON: `{"errorType": …, "errorMessage": …, …fields}`.
    pub fn to_json(&self) -> Value {
        let mut map = self.fields.clone();
        map.insert("errorType".into(), Value::String(self.error_type.clone()));
        map.insert(
            "errorMessage".into(),
            Value::String(self.error_message.clone()),
        );
        Value::Object(map)
    }

    /// The message for runtimes that send only a type and a message (`lambda_runtime`'s
    /// `Diagnostic`): the message itself, or, when there are fields, a JSON object of the fields
    /// with the message under `errorMessage` — which the client reads its fields from.
    pub fn diagnostic_message(&self) -> String {
        if self.fields.is_empty() {
            return self.error_message.clone();
        }
        let mut map = self.fields.clone();
        map.insert(
            "errorMessage".into(),
            Value::String(self.error_message.clone()),
        );
        Value::Object(map).to_string()
    }
}

/// An error and its sources, joined by `: `.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl fmt::Display for FunctionErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.error_message)
    }
}

/// What a served method answers: the result's JSON bytes, or an error object.
pub type Answer = Result<Vec<u8>, FunctionErrorBody>;

type HandleFn = dyn Fn(Bytes) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send + Sync;

/// One method of a `#[lambda_remote(server)]` trait bound to an implementation: give it to
/// `lambda_remote::server::run` to serve it on `lambda_runtime`, or to
/// `LocalLambdaBuilder::serve` to serve it on the local endpoint.
#[derive(Clone)]
pub struct MethodHandler {
    spec: MethodSpec,
    handle: Arc<HandleFn>,
}

impl MethodHandler {
    /// A handler for `spec` answering with `handle`.
    pub fn new<F, Fut>(spec: MethodSpec, handle: F) -> Self
    where
        F: Fn(Bytes) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        Self {
            spec,
            handle: Arc::new(move |payload| Box::pin(handle(payload))),
        }
    }

    /// The method's static description (its default function name, invocation type, …).
    pub fn spec(&self) -> &MethodSpec {
        &self.spec
    }

    /// Answers one payload.
    pub async fn call(&self, payload: Bytes) -> Answer {
        (self.handle)(payload).await
    }
}

impl fmt::Debug for MethodHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodHandler")
            .field("method", &self.spec.method)
            .field("function", &self.spec.function)
            .finish_non_exhaustive()
    }
}

/// Decodes a payload as the client encoded it; an empty payload reads as `null`.
pub(crate) fn decode_payload<T: serde::de::DeserializeOwned>(
    method: &str,
    payload: &[u8],
) -> Result<T, FunctionErrorBody> {
    let bytes: &[u8] = if payload.is_empty() { b"null" } else { payload };
    serde_json::from_slice(bytes).map_err(|e| {
        FunctionErrorBody::new(
            PAYLOAD_ERROR_TYPE,
            format!("could not decode the payload of `{method}`: {e}"),
        )
    })
}

/// Encodes a method's result as the client decodes it.
pub(crate) fn encode_result<T, E>(method: &str, result: Result<T, InvokeError<E>>) -> Answer
where
    T: serde::Serialize,
    E: FunctionError + fmt::Display,
{
    match result {
        Ok(value) => serde_json::to_vec(&value).map_err(|e| {
            FunctionErrorBody::new(
                PAYLOAD_ERROR_TYPE,
                format!("could not encode the result of `{method}`: {e}"),
            )
        }),
        Err(error) => Err(FunctionErrorBody::from_invoke_error(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorObject;
    use std::borrow::Cow;

    #[derive(Debug, PartialEq)]
    struct Limit {
        limit: u64,
    }

    impl fmt::Display for Limit {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "over {}", self.limit)
        }
    }

    impl FunctionError for Limit {
        fn from_error_object(object: &ErrorObject) -> Option<Self> {
            #[derive(serde::Deserialize)]
            struct Fields {
                limit: u64,
            }
            let fields = object.deserialize_details::<Fields>().ok()?;
            Some(Limit {
                limit: fields.limit,
            })
        }
        fn error_type(&self) -> Cow<'_, str> {
            "Limit".into()
        }
        fn error_fields(&self) -> Map<String, Value> {
            let mut map = Map::new();
            map.insert("limit".into(), self.limit.into());
            map
        }
    }

    #[test]
    fn typed_errors_become_error_objects_with_fields() {
        let body = FunctionErrorBody::from_function_error(&Limit { limit: 5 });
        assert_eq!(
            body.to_json(),
            serde_json::json!({"errorType": "Limit", "errorMessage": "over 5", "limit": 5})
        );
        let object = ErrorObject::from_bytes(body.to_json().to_string());
        assert_eq!(Limit::from_error_object(&object), Some(Limit { limit: 5 }));
    }

    #[test]
    fn fields_survive_a_runtime_that_sends_only_type_and_message() {
        let body = FunctionErrorBody::from_function_error(&Limit { limit: 7 });
        let diagnostic = serde_json::json!({
            "errorType": body.error_type,
            "errorMessage": body.diagnostic_message(),
        });
        let object = ErrorObject::from_bytes(diagnostic.to_string());
        assert_eq!(Limit::from_error_object(&object), Some(Limit { limit: 7 }));
        assert_eq!(
            FunctionErrorBody::new("T", "plain").diagnostic_message(),
            "plain"
        );
    }

    #[test]
    fn payloads_decode_as_encoded_and_failures_are_payload_errors() {
        assert_eq!(decode_payload::<u32>("m", b"7").unwrap(), 7);
        assert_eq!(decode_payload::<Option<u32>>("m", b"").unwrap(), None);
        let error = decode_payload::<u32>("m", b"\"x\"").unwrap_err();
        assert_eq!(error.error_type, PAYLOAD_ERROR_TYPE);
        assert!(error.error_message.contains("`m`"));
    }

    #[test]
    fn results_encode_and_other_errors_are_relayed_as_invoke_errors() {
        let ok: Result<u8, InvokeError<Limit>> = Ok(3);
        assert_eq!(encode_result("m", ok).unwrap(), b"3");
        let typed: Result<u8, InvokeError<Limit>> = Err(Limit { limit: 1 }.into());
        assert_eq!(encode_result("m", typed).unwrap_err().error_type, "Limit");
        let rejected: Result<u8, InvokeError<Limit>> = Err(InvokeError::Rejected(Box::new(
            crate::Rejected::ClientContext("bad".into()),
        )));
        let body = encode_result("m", rejected).unwrap_err();
        assert_eq!(body.error_type, INVOKE_ERROR_TYPE);
        assert!(body.error_message.contains("bad"), "{}", body.error_message);
    }
}
