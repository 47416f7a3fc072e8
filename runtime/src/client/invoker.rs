//! The untyped engine behind every generated client.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::LogType;
use serde::de::DeserializeOwned;

use crate::client::limits::Limits;
use crate::client::metadata::{Invoked, ResponseMetadata};
use crate::client::options::CallOptions;
use crate::client::output::MethodOutput;
use crate::client::resolve::ResolvedFunction;
use crate::client::response::{self, RawResponse};
use crate::client::sdk::SdkClients;
use crate::delivery::Delivery;
use crate::error::function::FunctionError;
use crate::error::SerializeError;
use crate::error::{ClientError, InvokeError, Rejected};
use crate::invocation::InvocationType;
use crate::spec::MethodSpec;
use crate::stream::read::{Body, RawBody, Reader};
use crate::stream::read::{RemoteStream, StreamOutput};

/// Sends invocations for one trait's methods through one shared `aws_sdk_lambda::Client`.
/// Cheap to clone; every generated client wraps one.
#[derive(Clone)]
pub struct Invoker {
    inner: Arc<Inner>,
}

struct Inner {
    sdk: SdkClients,
    trait_name: &'static str,
    methods: Box<[Method]>,
    defaults: CallDefaults,
}

/// What a client applies to every call that says nothing else: set on the builder.
#[derive(Debug, Clone)]
pub(crate) struct CallDefaults {
    pub(crate) limits: Limits,
    /// The delivery of methods and calls that name none.
    pub(crate) delivery: Delivery,
    /// Whether synchronous calls carry the current trace context in the client context.
    pub(crate) propagate_trace: bool,
    /// The tenant of calls that name none.
    pub(crate) tenant_id: Option<String>,
}

impl Default for CallDefaults {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            delivery: Delivery::default(),
            propagate_trace: true,
            tenant_id: None,
        }
    }
}

struct Method {
    spec: MethodSpec,
    function: Result<ResolvedFunction, lambda_remote_names::NameError>,
}

impl Invoker {
    /// An invoker that calls each method's function as its attributes name it, at most
    /// once unless a method or call asks otherwise.
    pub fn new(
        sdk: aws_sdk_lambda::Client,
        trait_name: &'static str,
        methods: &'static [MethodSpec],
    ) -> Self {
        let methods = methods
            .iter()
            .map(|spec| Method {
                spec: *spec,
                function: ResolvedFunction::from_spec(spec),
            })
            .collect();
        let sdk = SdkClients::new(&sdk, None, None);
        Self::from_parts(sdk, trait_name, methods, CallDefaults::default())
    }

    pub(crate) fn resolved(
        sdk: SdkClients,
        trait_name: &'static str,
        resolved: Vec<(MethodSpec, ResolvedFunction)>,
        defaults: CallDefaults,
    ) -> Self {
        let methods = resolved
            .into_iter()
            .map(|(spec, function)| Method {
                spec,
                function: Ok(function),
            })
            .collect();
        Self::from_parts(sdk, trait_name, methods, defaults)
    }

    fn from_parts(
        sdk: SdkClients,
        trait_name: &'static str,
        methods: Box<[Method]>,
        defaults: CallDefaults,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                sdk,
                trait_name,
                methods,
                defaults,
            }),
        }
    }

    /// The SDK client at-most-once invocations go through (at-least-once ones go through a
    /// copy with another retry classifier, sharing its HTTP client).
    pub fn sdk_client(&self) -> &aws_sdk_lambda::Client {
        self.inner.sdk.primary()
    }

    /// The delivery of methods and calls that name none.
    pub fn delivery(&self) -> Delivery {
        self.inner.defaults.delivery
    }

    /// The tenant of calls that name none
    /// ([`ClientBuilder::tenant_id`](crate::ClientBuilder::tenant_id)).
    pub fn tenant_id(&self) -> Option<&str> {
        self.inner.defaults.tenant_id.as_deref()
    }

    /// The limits checked before sending.
    pub fn limits(&self) -> &Limits {
        &self.inner.defaults.limits
    }

    /// The function name method `index` calls, after resolution.
    pub fn function_name(&self, index: usize) -> Option<&str> {
        let method = self.inner.methods.get(index)?;
        method.function.as_ref().ok().map(|f| f.name.as_str())
    }

    /// Invokes method `index` and decodes the result into `R`, the method's declared return type.
    #[doc(hidden)]
    pub async fn call<R>(&self, index: usize, payload: Result<Vec<u8>, serde_json::Error>) -> R
    where
        R: MethodOutput,
        R::Ok: DeserializeOwned,
    {
        self.call_named::<R>(index, None, payload).await
    }

    /// Like [`call`](Self::call), with the durable execution name the method derived from its
    /// arguments.
    #[doc(hidden)]
    pub async fn call_named<R>(
        &self,
        index: usize,
        durable_execution_name: Option<String>,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) -> R
    where
        R: MethodOutput,
        R::Ok: DeserializeOwned,
    {
        let result = self
            .invoke_named::<R::Ok, <R::Err as ClientError>::Function>(
                index,
                payload,
                None,
                durable_execution_name,
            )
            .await;
        R::from_result(
            result
                .map(|invoked| invoked.output)
                .map_err(R::Err::from_invoke_error),
        )
    }

    /// Invokes method `index` with per-call options, keeping the response metadata.
    #[doc(hidden)]
    pub async fn call_with<R>(
        &self,
        index: usize,
        options: &CallOptions,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) -> Result<Invoked<R::Ok>, R::Err>
    where
        R: MethodOutput,
        R::Ok: DeserializeOwned,
    {
        self.call_with_named::<R>(index, options, None, payload)
            .await
    }

    /// Like [`call_with`](Self::call_with), with the durable execution name the method derived
    /// from its arguments (the options' name, if any, wins).
    #[doc(hidden)]
    pub async fn call_with_named<R>(
        &self,
        index: usize,
        options: &CallOptions,
        durable_execution_name: Option<String>,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) -> Result<Invoked<R::Ok>, R::Err>
    where
        R: MethodOutput,
        R::Ok: DeserializeOwned,
    {
        self.invoke_named::<R::Ok, <R::Err as ClientError>::Function>(
            index,
            payload,
            Some(options),
            durable_execution_name,
        )
        .await
        .map_err(R::Err::from_invoke_error)
    }

    /// Invokes streaming method `index` through `InvokeWithResponseStream`: the stream
    /// `R`'s success type reads, or the error before it started.
    #[doc(hidden)]
    pub async fn call_stream<R>(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) -> R
    where
        R: MethodOutput,
        R::Ok: StreamOutput<Function = <R::Err as ClientError>::Function>,
    {
        R::from_result(
            self.stream::<R::Ok>(index, payload, None)
                .await
                .map(|invoked| invoked.output)
                .map_err(R::Err::from_invoke_error),
        )
    }

    /// Like [`call_stream`](Self::call_stream), with per-call options; the metadata is that
    /// of the response's start.
    #[doc(hidden)]
    pub async fn call_stream_with<R>(
        &self,
        index: usize,
        options: &CallOptions,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) -> Result<Invoked<R::Ok>, R::Err>
    where
        R: MethodOutput,
        R::Ok: StreamOutput<Function = <R::Err as ClientError>::Function>,
    {
        self.stream::<R::Ok>(index, payload, Some(options))
            .await
            .map_err(R::Err::from_invoke_error)
    }

    async fn stream<S: StreamOutput>(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
    ) -> Result<Invoked<S>, InvokeError<S::Function>> {
        match self.stream_raw(index, payload, options).await {
            Ok(remote) => {
                let metadata = remote.metadata().clone();
                Ok(Invoked {
                    output: S::from_remote(remote),
                    metadata,
                })
            }
            Err(error) => Err(error.typed()),
        }
    }

    async fn stream_raw(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
    ) -> Result<RemoteStream, InvokeError<Infallible>> {
        let request = self.prepare(index, payload, options, None)?;
        if request.durable_execution_name.is_some() {
            return Err(InvokeError::Rejected(Box::new(Rejected::NotStreamed {
                option: "a durable execution name",
            })));
        }
        let function = request.function;
        let span = self.span(&request);
        let record_attempts = !span.is_disabled();
        let sdk = self
            .inner
            .sdk
            .for_call(request.delivery, InvocationType::RequestResponse);
        let timeout = request.timeout;
        let send = async move {
            let mut builder = sdk
                .invoke_with_response_stream()
                .function_name(function)
                .set_qualifier(request.qualifier)
                .payload(Blob::new(request.payload))
                .set_client_context(request.client_context)
                .set_tenant_id(request.tenant_id);
            if request.log_tail {
                builder = builder.log_type(LogType::Tail);
            }
            let raw = RawBody::default();
            let mut operation = builder.customize().interceptor(raw.clone());
            if let Some(timeout) = timeout {
                // Bounds the time to the response's start; the reader bounds each wait after.
                let timeouts = aws_smithy_types::timeout::TimeoutConfig::builder()
                    .operation_timeout(timeout)
                    .build();
                operation = operation
                    .config_override(aws_sdk_lambda::Config::builder().timeout_config(timeouts));
            }
            if record_attempts {
                operation = operation.interceptor(crate::client::telemetry::AttemptRecorder);
            }
            match operation.send().await {
                Ok(output) => {
                    use aws_sdk_lambda::operation::RequestId as _;
                    let metadata = ResponseMetadata {
                        status: u16::try_from(output.status_code).unwrap_or_default(),
                        executed_version: output.executed_version.clone(),
                        request_id: output.request_id().map(str::to_owned),
                        log_tail: None,
                        durable_execution_arn: None,
                    };
                    let body = match raw.take() {
                        Some(body) => Body::Raw(body),
                        None => Body::Events(output.event_stream),
                    };
                    let function: Arc<str> = Arc::from(function);
                    RemoteStream::start(
                        Reader::new(function.clone(), body, timeout),
                        function,
                        metadata,
                    )
                    .await
                }
                Err(error) => Err(response::from_sdk_error(function, error)),
            }
        };
        let result = crate::client::telemetry::in_span(span.clone(), send).await;
        crate::client::telemetry::record_outcome(
            &span,
            result.as_ref().map(RemoteStream::metadata),
        );
        result
    }

    /// Invokes method `index` with a serialized payload and decodes the result.
    pub async fn invoke<T, E>(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
    ) -> Result<Invoked<T>, InvokeError<E>>
    where
        T: DeserializeOwned,
        E: FunctionError,
    {
        self.invoke_named(index, payload, options, None).await
    }

    async fn invoke_named<T, E>(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
        durable_execution_name: Option<String>,
    ) -> Result<Invoked<T>, InvokeError<E>>
    where
        T: DeserializeOwned,
        E: FunctionError,
    {
        let function = self.describe(index);
        let invocation = self
            .inner
            .methods
            .get(index)
            .map_or(InvocationType::RequestResponse, |m| m.spec.invocation);
        match self
            .invoke_raw(index, payload, options, durable_execution_name)
            .await
        {
            Ok(raw) => response::decode(function, invocation, raw).map_err(InvokeError::typed),
            Err(error) => Err(error.typed()),
        }
    }

    fn describe(&self, index: usize) -> &str {
        match self.inner.methods.get(index) {
            Some(Method {
                function: Ok(f), ..
            }) => f.name.as_str(),
            Some(method) => method.spec.function,
            None => self.inner.trait_name,
        }
    }

    async fn invoke_raw(
        &self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
        durable_execution_name: Option<String>,
    ) -> Result<RawResponse, InvokeError<Infallible>> {
        let request = self.prepare(index, payload, options, durable_execution_name)?;
        let function = request.function;
        let span = self.span(&request);
        // The attempts are recorded only into a span that records anything: the SDK calls an
        // interceptor at every step of every call, so it is installed for this call alone.
        let record_attempts = !span.is_disabled();
        // The SDK's builder is made inside the future and consumed before its first await, so
        // that it takes no room in the future besides the SDK's own copy.
        let sdk = self
            .inner
            .sdk
            .for_call(request.delivery, request.spec.invocation);
        let send = async move {
            let mut builder = sdk
                .invoke()
                .function_name(function)
                .set_qualifier(request.qualifier)
                // `RequestResponse` is the Invoke API's default: naming it would add a header
                // to every synchronous call, and to what SigV4 signs, for nothing.
                .set_invocation_type(
                    (request.spec.invocation != InvocationType::RequestResponse)
                        .then(|| request.spec.invocation.to_sdk()),
                )
                .payload(Blob::new(request.payload))
                .set_client_context(request.client_context)
                .set_durable_execution_name(request.durable_execution_name)
                .set_tenant_id(request.tenant_id);
            if request.log_tail {
                builder = builder.log_type(LogType::Tail);
            }
            let sent = if request.timeout.is_some() || record_attempts {
                let mut operation = builder.customize();
                if let Some(timeout) = request.timeout {
                    let timeouts = aws_smithy_types::timeout::TimeoutConfig::builder()
                        .operation_timeout(timeout)
                        .build();
                    operation = operation.config_override(
                        aws_sdk_lambda::Config::builder().timeout_config(timeouts),
                    );
                }
                if record_attempts {
                    operation = operation.interceptor(crate::client::telemetry::AttemptRecorder);
                }
                operation.send().await
            } else {
                builder.send().await
            };
            match sent {
                Ok(output) => response::from_output(function, output),
                Err(error) => Err(response::from_sdk_error(function, error)),
            }
        };
        let result = crate::client::telemetry::in_span(span.clone(), send).await;
        crate::client::telemetry::record_outcome(&span, result.as_ref().map(|raw| &raw.metadata));
        result
    }

    /// The `lambda.invoke` span of a checked request.
    fn span(&self, request: &Request<'_>) -> tracing::Span {
        let region = self
            .inner
            .sdk
            .primary()
            .config()
            .region()
            .map(|r| r.as_ref());
        let span = crate::client::telemetry::invocation_span(
            request.name,
            region,
            request.qualifier.as_deref(),
            request.spec.invocation,
        );
        if let Some(sent) = request.trace_sent {
            span.record("lambda_remote.trace_sent", sent);
        }
        span
    }

    /// Checks everything that can be checked before sending.
    fn prepare<'a>(
        &'a self,
        index: usize,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
        derived_name: Option<String>,
    ) -> Result<Request<'a>, InvokeError<Infallible>> {
        let reject = |r: Rejected| InvokeError::Rejected(Box::new(r));
        let method = self.inner.methods.get(index).ok_or_else(|| {
            reject(Rejected::UnknownMethod {
                index,
                methods: self.inner.methods.len(),
            })
        })?;
        let resolved = method
            .function
            .as_ref()
            .map_err(|e| reject(Rejected::Name(e.clone())))?;
        let spec = &method.spec;
        let function = resolved.name.as_str();
        let payload = payload.map_err(|source| {
            InvokeError::Serialize(Box::new(SerializeError {
                function: function.to_owned(),
                source,
            }))
        })?;
        let limit = self.inner.defaults.limits.payload_limit(spec.invocation);
        if payload.len() > limit {
            return Err(reject(Rejected::PayloadTooLarge {
                size: payload.len(),
                limit,
                invocation: spec.invocation,
            }));
        }
        let default = CallOptions::default();
        let options = options.unwrap_or(&default);
        let qualifier = resolved
            .qualifier_for(options.qualifier.as_deref())
            .map_err(|e| reject(Rejected::Name(e)))?;
        let log_tail = spec.log_tail || options.log_tail;
        let synchronous = spec.invocation.is_synchronous();
        if log_tail && !synchronous {
            return Err(reject(Rejected::SynchronousOnly {
                option: "the log tail",
                invocation: spec.invocation,
            }));
        }
        let client_context = match &options.client_context {
            None => None,
            Some(Err(e)) => return Err(reject(Rejected::ClientContext(e.clone()))),
            Some(Ok(_)) if !synchronous => {
                return Err(reject(Rejected::SynchronousOnly {
                    option: "a client context",
                    invocation: spec.invocation,
                }))
            }
            Some(Ok(encoded)) if encoded.len() > self.inner.defaults.limits.client_context => {
                return Err(reject(Rejected::ClientContextTooLarge {
                    size: encoded.len(),
                    limit: self.inner.defaults.limits.client_context,
                }))
            }
            Some(Ok(encoded)) => Some(encoded.clone()),
        };
        let trace = (synchronous && self.inner.defaults.propagate_trace)
            .then(crate::trace::TraceContext::current)
            .filter(|trace| !trace.is_empty());
        let (client_context, trace_sent) = match &trace {
            Some(trace) => {
                match with_trace(
                    client_context.as_deref(),
                    trace,
                    self.inner.defaults.limits.client_context,
                ) {
                    Some(encoded) => (Some(encoded), Some(true)),
                    None => (client_context, Some(false)),
                }
            }
            None => (client_context, None),
        };
        let durable_execution_name = options.durable_execution_name.clone().or(derived_name);
        if let Some(name) = &durable_execution_name {
            crate::client::checks::validate_durable_execution_name(name).map_err(|reason| {
                reject(Rejected::DurableExecutionName {
                    name: name.clone(),
                    reason,
                })
            })?;
        }
        let tenant_id = options
            .tenant_id
            .as_ref()
            .or(self.inner.defaults.tenant_id.as_ref())
            .cloned();
        if let Some(tenant) = &tenant_id {
            crate::client::checks::validate_tenant_id(tenant)
                .map_err(|reason| reject(Rejected::TenantId { reason }))?;
        }
        // A durable execution name makes the call idempotent: Lambda answers a second request
        // of the same name and payload with the existing execution, without running the
        // function again. It may therefore be sent again on any transient failure.
        let delivery = if durable_execution_name.is_some() {
            Delivery::AtLeastOnce
        } else {
            options
                .delivery
                .or(spec.delivery)
                .unwrap_or(self.inner.defaults.delivery)
        };
        Ok(Request {
            spec,
            name: &resolved.name,
            function,
            trace_sent,
            qualifier,
            payload,
            log_tail,
            client_context,
            timeout: options.timeout.or(spec.timeout),
            delivery,
            durable_execution_name,
            tenant_id,
        })
    }
}

/// The client context `encoded` (base64 JSON, or none) with `trace` added to its `custom`
/// map, base64-encoded; `None` when it cannot take it: the caller's context is not a JSON
/// object, or adding the trace would pass `limit` (the call then goes without the trace).
fn with_trace(
    encoded: Option<&str>,
    trace: &crate::trace::TraceContext,
    limit: usize,
) -> Option<String> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut context = match encoded {
        Some(encoded) => serde_json::from_slice(&engine.decode(encoded).ok()?).ok()?,
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    trace.add_to(&mut context)?;
    let encoded = engine.encode(serde_json::to_vec(&context).ok()?);
    (encoded.len() <= limit).then_some(encoded)
}

/// A checked request, ready to send.
struct Request<'a> {
    spec: &'a MethodSpec,
    name: &'a lambda_remote_names::FunctionName,
    function: &'a str,
    /// Whether the trace context went in the client context; `None` when there was none to
    /// send (or the call is not synchronous, or propagation is off).
    trace_sent: Option<bool>,
    qualifier: Option<String>,
    payload: Vec<u8>,
    log_tail: bool,
    client_context: Option<String>,
    timeout: Option<std::time::Duration>,
    delivery: Delivery,
    durable_execution_name: Option<String>,
    tenant_id: Option<String>,
}

impl fmt::Debug for Invoker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let functions: Vec<_> = self
            .inner
            .methods
            .iter()
            .map(|m| match &m.function {
                Ok(f) => (m.spec.method, f.name.as_str(), f.qualifier.as_deref()),
                Err(_) => (m.spec.method, m.spec.function, m.spec.qualifier),
            })
            .collect();
        f.debug_struct("Invoker")
            .field("trait", &self.inner.trait_name)
            .field("functions", &functions)
            .field("limits", &self.inner.defaults.limits)
            .field("delivery", &self.inner.defaults.delivery)
            .field("tenant_id", &self.inner.defaults.tenant_id)
            .finish_non_exhaustive()
    }
}
