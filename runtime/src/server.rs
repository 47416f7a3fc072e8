//! Serving a contract's method as a Lambda function on the real `lambda_runtime`.

use bytes::Bytes;
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::value::RawValue;

use crate::{ErrorObject, MethodHandler, INVOKE_ERROR_TYPE};

pub use lambda_runtime;

/// The error `run` returns when the runtime itself fails.
pub type Error = lambda_runtime::Error;

/// Serves one method as this Lambda function, on `lambda_runtime`, until the runtime stops.
///
/// The payload is decoded exactly as the generated client encodes it and the result encoded
/// exactly as it decodes it. A typed error goes out with its `errorType`; since
/// `lambda_runtime` sends only a type and a message, a typed error with fields sends them
/// inside `errorMessage` (`{"errorMessage": …, "lambda_remote.fields": {…}}`), and the client
/// reads back the same message and fields. A panic is reported by
/// `lambda_runtime` and reaches the caller as an unmapped function error.
///
/// ```no_run
/// # async fn serve(handler: lambda_remote_runtime::MethodHandler) -> Result<(), lambda_remote_runtime::server::Error> {
/// // handler = BillingServer::new(MyBilling).charge()
/// lambda_remote_runtime::server::run(handler).await
/// # }
/// ```
pub async fn run(handler: MethodHandler) -> Result<(), Error> {
    if let Some(missing) = missing_environment() {
        return Err(format!(
            "`{missing}` is not set: this binary serves `{}` inside AWS Lambda (or a Lambda \
             Runtime API emulator), which sets it",
            handler.spec().method
        )
        .into());
    }
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        let handler = handler.clone();
        async move { answer(&handler, event.payload).await }
    }))
    .await
}

/// The first variable `lambda_runtime` requires that is missing (it panics without them).
fn missing_environment() -> Option<&'static str> {
    [
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
    ]
    .into_iter()
    .find(|key| std::env::var(key).map_or(true, |v| v.is_empty()))
    .or_else(|| {
        let memory = std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").ok()?;
        memory
            .parse::<i32>()
            .is_err()
            .then_some("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    })
}

/// Answers one event: the result as raw JSON, or a diagnostic.
async fn answer(
    handler: &MethodHandler,
    payload: Box<RawValue>,
) -> Result<Box<RawValue>, Diagnostic> {
    let payload: Box<str> = payload.into();
    let payload = Bytes::from(payload.into_boxed_bytes());
    let bytes = handler.call(payload).await.map_err(diagnostic)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        diagnostic(ErrorObject::new(
            crate::PAYLOAD_ERROR_TYPE,
            format!("the result is not UTF-8: {e}"),
        ))
    })?;
    RawValue::from_string(text).map_err(|e| {
        diagnostic(ErrorObject::new(
            crate::PAYLOAD_ERROR_TYPE,
            format!("the result is not JSON: {e}"),
        ))
    })
}

fn diagnostic(body: ErrorObject) -> Diagnostic {
    Diagnostic {
        error_message: body.diagnostic_message(),
        error_type: body.error_type().unwrap_or(INVOKE_ERROR_TYPE).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MethodSpec;

    #[tokio::test]
    async fn answers_with_raw_json_or_a_diagnostic() {
        let handler = MethodHandler::new(MethodSpec::new("m", "f"), |payload: Bytes| async move {
            match payload.as_ref() {
                b"1" => Ok(b"{\"ok\":true}".to_vec()),
                _ => Err(ErrorObject::new("Bad", "no")),
            }
        });
        let ok = answer(&handler, RawValue::from_string("1".into()).unwrap())
            .await
            .unwrap();
        assert_eq!(ok.get(), r#"{"ok":true}"#);
        let error = answer(&handler, RawValue::from_string("2".into()).unwrap())
            .await
            .unwrap_err();
        assert_eq!(error.error_type, "Bad");
        assert_eq!(error.error_message, "no");
    }
}
