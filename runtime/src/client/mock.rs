//! Typed rules for `aws-smithy-mocks` (feature `mocks`): an SDK client that answers a
//! contract's methods with the values you give, typed by the methods themselves, so that a
//! success or a function error of the wrong type does not compile.
//!
//! ```
//! use lambda_remote_runtime::mock::{self, MockMethod};
//! # use lambda_remote_runtime::{FunctionError, InvokeError};
//! # #[derive(Debug, PartialEq)] enum ChargeError { Declined }
//! # impl std::fmt::Display for ChargeError {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("declined") }
//! # }
//! # impl FunctionError for ChargeError {
//! #     fn from_error_object(o: &lambda_remote_runtime::ErrorObject) -> Option<Self> {
//! #         (o.error_type() == Some("Declined")).then_some(ChargeError::Declined)
//! #     }
//! #     fn error_type(&self) -> std::borrow::Cow<'_, str> { "Declined".into() }
//! # }
//! # struct BillingClient;
//! # impl BillingClient {
//! #     async fn charge(&self, _sku: String) -> Result<u64, InvokeError<ChargeError>> { Ok(0) }
//! # }
//! // In a test: `BillingClient::charge` types the rules; the client sends nothing.
//! let charged = MockMethod::of(BillingClient::charge).returns(&1250).unwrap();
//! let declined = MockMethod::of(BillingClient::charge).fails_with(&ChargeError::Declined);
//! let sdk = mock::sdk_client(&[&charged, &declined]);
//! ```
//!
//! A streaming method's rules stream their items (`streams`, `streams_then_fails`,
//! `streams_bytes`) through the SDK's `InvokeWithResponseStream` with event-stream frames.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use aws_sdk_lambda::operation::invoke::InvokeOutput;
use aws_sdk_lambda::primitives::Blob;
use aws_smithy_mocks::{Rule, RuleMode};

use crate::client::output::MethodOutput;
use crate::error::ClientError;
use crate::error::function::FunctionError;
use crate::serve::method::function_error_object;

/// The mock rules of one method of a generated client, typed by the method: build it with
/// [`MockMethod::of`]`(BillingClient::charge)`.
pub struct MockMethod<T, E> {
    function: Option<String>,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> MockMethod<T, E> {
    /// Only requests for `function` (as the client resolves it: name, ARN or `name:alias`)
    /// match the rules built from here; by default every Invoke request does.
    pub fn for_function(mut self, function: impl Into<String>) -> Self {
        self.function = Some(function.into());
        self
    }

    fn rule(&self, output: impl Fn() -> InvokeOutput + Send + Sync + 'static) -> Rule {
        let function = self.function.clone();
        aws_smithy_mocks::mock!(aws_sdk_lambda::Client::invoke)
            .match_requests(move |input| {
                function
                    .as_deref()
                    .is_none_or(|f| input.function_name() == Some(f))
            })
            .then_output(output)
    }
}

impl<T: serde::Serialize, E> MockMethod<T, E> {
    /// A rule answering with `value` as the function's result (status 200).
    pub fn returns(&self, value: &T) -> Result<Rule, serde_json::Error> {
        let payload = serde_json::to_vec(value)?;
        Ok(self.rule(move || {
            InvokeOutput::builder()
                .status_code(200)
                .executed_version("$LATEST")
                .payload(Blob::new(payload.clone()))
                .build()
        }))
    }
}

impl<T, E: FunctionError + fmt::Display> MockMethod<T, E> {
    /// A rule answering with `error` as the function's error, as a served implementation would
    /// send it (`X-Amz-Function-Error: Unhandled`, the derive's `errorType` and fields).
    pub fn fails_with(&self, error: &E) -> Rule {
        let payload = function_error_object(error).raw().to_vec();
        self.rule(move || {
            InvokeOutput::builder()
                .status_code(200)
                .executed_version("$LATEST")
                .function_error("Unhandled")
                .payload(Blob::new(payload.clone()))
                .build()
        })
    }
}

impl<T: serde::Serialize, E: FunctionError + fmt::Display>
    MockMethod<crate::stream::response_stream::ResponseStream<T, E>, E>
{
    /// A rule answering a streaming method with `items`, one `PayloadChunk` each, then the
    /// end (`InvokeComplete`), as Lambda streams them.
    pub fn streams(&self, items: &[T]) -> Result<Rule, serde_json::Error> {
        Ok(self.stream_rule(lines(items)?, None))
    }

    /// A rule answering a streaming method with `items`, then the function's `error` in
    /// `InvokeComplete`: the stream yields the items, then the typed error.
    pub fn streams_then_fails(&self, items: &[T], error: &E) -> Result<Rule, serde_json::Error> {
        let object = function_error_object(error).raw().clone();
        Ok(self.stream_rule(lines(items)?, Some(object)))
    }
}

impl<E: FunctionError + fmt::Display> MockMethod<crate::stream::byte_stream::ByteStream<E>, E> {
    /// A rule answering a `ByteStream` method with `chunks`, then the end.
    pub fn streams_bytes(&self, chunks: &[&[u8]]) -> Rule {
        let chunks = chunks
            .iter()
            .map(|c| bytes::Bytes::copy_from_slice(c))
            .collect();
        self.stream_rule(chunks, None)
    }
}

/// Each item as one line of JSON.
fn lines<T: serde::Serialize>(items: &[T]) -> Result<Vec<bytes::Bytes>, serde_json::Error> {
    items
        .iter()
        .map(|item| {
            let mut line = serde_json::to_vec(item)?;
            line.push(b'\n');
            Ok(bytes::Bytes::from(line))
        })
        .collect()
}

impl<T, E> MockMethod<T, E> {
    fn stream_rule(&self, chunks: Vec<bytes::Bytes>, error: Option<bytes::Bytes>) -> Rule {
        use crate::stream::frames::{CONTENT_TYPE, invoke_complete, payload_chunk};
        let mut body = Vec::new();
        for chunk in chunks {
            body.extend_from_slice(&payload_chunk(chunk));
        }
        let error = error.and_then(|raw| serde_json::from_slice::<serde_json::Value>(&raw).ok());
        body.extend_from_slice(&invoke_complete(error.as_ref(), None));
        let function = self.function.clone();
        aws_smithy_mocks::mock!(aws_sdk_lambda::Client::invoke_with_response_stream)
            .match_requests(move |input| {
                function
                    .as_deref()
                    .is_none_or(|f| input.function_name() == Some(f))
            })
            .then_http_response(move || {
                let mut response = aws_smithy_runtime_api::http::Response::new(
                    aws_smithy_runtime_api::http::StatusCode::try_from(200)
                        .expect("200 is a status"),
                    aws_smithy_types::body::SdkBody::from(body.clone()),
                );
                response.headers_mut().insert("content-type", CONTENT_TYPE);
                response
                    .headers_mut()
                    .insert("x-amz-executed-version", "$LATEST");
                response
            })
    }
}

/// A method of a generated client, as a function of the client and its arguments: typed
/// `MockMethod`s are built from these. Implemented for methods of up to eight arguments.
pub trait ClientMethod<Args> {
    /// The success type.
    type Ok;
    /// The typed function error.
    type FunctionError;
}

macro_rules! client_method {
    ($($arg:ident),*) => {
        impl<F, C, Fut, $($arg,)*> ClientMethod<(C, $($arg,)*)> for F
        where
            F: Fn(&'static C, $($arg,)*) -> Fut,
            C: 'static,
            Fut: Future,
            Fut::Output: MethodOutput,
        {
            type Ok = <Fut::Output as MethodOutput>::Ok;
            type FunctionError = <<Fut::Output as MethodOutput>::Err as ClientError>::Function;
        }
    };
}

client_method!();
client_method!(A1);
client_method!(A1, A2);
client_method!(A1, A2, A3);
client_method!(A1, A2, A3, A4);
client_method!(A1, A2, A3, A4, A5);
client_method!(A1, A2, A3, A4, A5, A6);
client_method!(A1, A2, A3, A4, A5, A6, A7);
client_method!(A1, A2, A3, A4, A5, A6, A7, A8);

impl MockMethod<(), std::convert::Infallible> {
    /// The rules of `method`, e.g. `MockMethod::of(BillingClient::charge)`: its success and
    /// function error types are the method's own.
    pub fn of<M, Args>(_method: M) -> MockMethod<M::Ok, M::FunctionError>
    where
        M: ClientMethod<Args>,
    {
        MockMethod {
            function: None,
            types: PhantomData,
        }
    }
}

/// An SDK client answering from `rules`, in order (`RuleMode::MatchAny`: the first rule that
/// matches a request answers it), with test defaults (region, credentials, no retries'
/// backoff): give it to `<Trait>Client::new`.
pub fn sdk_client(rules: &[&Rule]) -> aws_sdk_lambda::Client {
    let interceptor = rules.iter().fold(
        aws_smithy_mocks::MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny),
        |interceptor, rule| interceptor.with_rule(rule),
    );
    let config = aws_sdk_lambda::Config::builder()
        .with_test_defaults()
        .region(aws_sdk_lambda::config::Region::from_static("us-east-1"))
        .http_client(aws_smithy_mocks::create_mock_http_client())
        .interceptor(interceptor)
        .build();
    aws_sdk_lambda::Client::from_conf(config)
}
