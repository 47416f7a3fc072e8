//! The untyped engine behind every generated client.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::client::concurrency::Gate;
use crate::client::limits::Limits;
use crate::client::metadata::Invoked;
use crate::client::options::CallOptions;
use crate::client::output::MethodOutput;
use crate::client::payload::Payload;
use crate::client::request::{CallDefaults, Derived, Request};
use crate::client::resolve::ResolvedFunction;
use crate::client::response;
use crate::client::sdk::SdkClients;
use crate::client::send::{self, Invoke, InvokeWithResponseStream, Operation};
use crate::client::telemetry;
use crate::delivery::Delivery;
use crate::error::function::FunctionError;
use crate::error::{ClientError, InvokeError, Rejected};
use crate::invocation::InvocationType;
use crate::spec::MethodSpec;
use crate::stream::read::StreamOutput;

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
    /// The client's concurrency limit, if any.
    gate: Option<Gate>,
}

struct Method {
    spec: MethodSpec,
    function: Result<ResolvedFunction, lambda_remote_names::NameError>,
    /// The method's concurrency limit, if any.
    gate: Option<Gate>,
    /// The method's metric attributes, made once (feature `opentelemetry`).
    #[cfg(feature = "opentelemetry")]
    metrics: crate::otel::metrics::CallAttributes,
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
                gate: None,
                #[cfg(feature = "opentelemetry")]
                metrics: Default::default(),
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
                gate: defaults
                    .method_concurrency
                    .iter()
                    .rev()
                    .find(|(method, _)| method == spec.method)
                    .map(|(_, limit)| Gate::new(*limit, spec.method)),
                spec,
                function: Ok(function),
                #[cfg(feature = "opentelemetry")]
                metrics: Default::default(),
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
                gate: defaults.concurrency.map(|limit| Gate::new(limit, "client")),
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

    /// The one entry point of the generated code: invokes method `index` with the call's
    /// options (`None` for a trait method's call) and what the method derived from its
    /// arguments (a durable execution name — the options' name, if any, wins — and an
    /// idempotency key), and reads the response into
    /// `R`'s success type: by `Invoke` and decoded whole, or by `InvokeWithResponseStream` and
    /// read as a stream (`M`, [`Whole`] or [`Streamed`], says which), keeping the response metadata.
    #[doc(hidden)]
    pub async fn call<R, M>(
        &self,
        index: usize,
        options: Option<&CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
    ) -> Result<Invoked<R::Ok>, R::Err>
    where
        R: MethodOutput,
        R::Ok: Receive<<R::Err as ClientError>::Function, M>,
    {
        <R::Ok as Receive<_, M>>::receive(self, index, options, derived, payload)
            .await
            .map_err(R::Err::from_invoke_error)
    }

    /// Reads a streamed response: the one path, by `InvokeWithResponseStream`, up to the
    /// response's start; then `S` reads the rest.
    async fn stream<S: StreamOutput>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
    ) -> Result<Invoked<S>, InvokeError<S::Function>> {
        match self
            .send::<InvokeWithResponseStream>(index, payload, options, derived)
            .await
        {
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

    /// Invokes method `index` with a serialized payload and decodes the result.
    pub async fn invoke<T, E>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
    ) -> Result<Invoked<T>, InvokeError<E>>
    where
        T: DeserializeOwned,
        E: FunctionError,
    {
        self.invoke_named(index, payload, options, Derived::default())
            .await
    }

    /// Decodes a whole response: the one path, by `Invoke`, then the result into `T`.
    async fn invoke_named<T, E>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
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
        match self.send::<Invoke>(index, payload, options, derived).await {
            Ok(raw) => {
                #[cfg(feature = "claim-check")]
                let raw = self
                    .claim_check_result(index, invocation, options, raw)
                    .await?;
                response::decode(function, invocation, raw).map_err(InvokeError::typed)
            }
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

    /// The one path of every call: method `index`'s call checked into a [`Request`], then
    /// sent by `O` (Invoke or InvokeWithResponseStream), the outcome recorded in its span.
    async fn send<O: Operation>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
    ) -> Result<O::Response, InvokeError<Infallible>> {
        #[cfg(feature = "opentelemetry")]
        if let Some(method) = self.inner.methods.get(index) {
            let function = match &method.function {
                Ok(resolved) => resolved.name.function(),
                Err(_) => method.spec.function,
            };
            let operation = if O::STREAMING {
                "InvokeWithResponseStream"
            } else {
                "Invoke"
            };
            return crate::otel::metrics::measured(
                &method.metrics,
                method.spec.method,
                function,
                operation,
                telemetry::outcome,
                Box::pin(self.send_unmeasured::<O>(index, payload, options, derived)),
            )
            .await;
        }
        // Boxed in a debug build only, where it was added: the call's whole state (the claim
        // check, the concurrency gates, the SDK's operation, several kilobytes) held in the
        // caller's future overflowed the 2 MiB stack of an async test awaiting many calls
        // (tests/interop.rs, cargo_lambda_watch), unoptimized poll frames keeping copies of
        // it. An optimized build holds it in place, as a hand-written SDK call holds the SDK's
        // future: the box (an allocation of several KB and a copy into it) cost ~1 µs per call
        // on one thread, though without it 0.7k more instructions run (BENCHMARKS.md, issue
        // 21, "What instruction counts did not show").
        let call = self.send_unmeasured::<O>(index, payload, options, derived);
        #[cfg(debug_assertions)]
        let call = Box::pin(call);
        call.await
    }

    /// [`send`](Self::send), without the metrics of feature `opentelemetry`.
    async fn send_unmeasured<O: Operation>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
    ) -> Result<O::Response, InvokeError<Infallible>> {
        let method = self.inner.methods.get(index).ok_or_else(|| {
            InvokeError::Rejected(Box::new(Rejected::UnknownMethod {
                index,
                methods: self.inner.methods.len(),
            }))
        })?;
        // A body over the threshold goes to S3 first (one PutObject); its envelope is sent,
        // again on every retry, and the object deleted once the outcome is final.
        #[cfg(feature = "claim-check")]
        let (payload, offloaded) = match payload {
            Ok(payload) if method.function.is_ok() => {
                // As the request names it: the call's option first, else the method's.
                let durable = options
                    .and_then(|o| o.durable_execution_name.as_deref())
                    .or(derived.durable_execution_name.as_deref());
                let (payload, offloaded) = crate::claim_check::client::offload(
                    self.inner.defaults.claim_check.as_ref(),
                    &method.spec,
                    &self.inner.defaults.limits,
                    self.call_tenant(options),
                    durable,
                    payload,
                )
                .await?;
                (Ok(payload), offloaded)
            }
            payload => (payload.map(Payload::into_vec), None),
        };
        #[cfg(not(feature = "claim-check"))]
        let payload = payload.map(Payload::into_vec);
        let outcome = async {
            let request = Request::new(
                &method.spec,
                &method.function,
                &self.inner.defaults,
                payload,
                options,
                derived,
            )?;
            // The method's slot, then the client's (always in this order): held until the
            // call returns.
            let reject = |r: Rejected| InvokeError::Rejected(Box::new(r));
            let _method_slot = match &method.gate {
                Some(gate) => Some(gate.enter().await.map_err(reject)?),
                None => None,
            };
            let _client_slot = match &self.inner.gate {
                Some(gate) => Some(gate.enter().await.map_err(reject)?),
                None => None,
            };
            // A keyed call's error carries its key's stored form (what its span records).
            let key = request.idempotency_key.clone();
            let (span, sending) = send::send::<O>(&self.inner.sdk, request)?;
            let result = sending.await;
            telemetry::record_outcome(&span, result.as_ref().map(O::metadata));
            match key {
                Some(key) => result.map_err(|error| error.with_idempotency_key(key)),
                None => result,
            }
        }
        .await;
        #[cfg(feature = "claim-check")]
        let outcome = {
            let outcome = crate::claim_check::client::function_side(outcome);
            let claim_check = self.inner.defaults.claim_check.as_ref();
            let settled = crate::claim_check::client::Outcome::of(&outcome);
            crate::claim_check::client::finish(claim_check, offloaded, settled).await;
            outcome
        };
        outcome
    }

    /// The tenant of a call: its options', else the client's.
    #[cfg(feature = "claim-check")]
    fn call_tenant<'a>(&'a self, options: Option<&'a CallOptions>) -> Option<&'a str> {
        options
            .and_then(|o| o.tenant_id.as_deref())
            .or(self.inner.defaults.tenant_id.as_deref())
    }

    /// A synchronous result that came as a claim-check reference, read back from S3.
    #[cfg(feature = "claim-check")]
    async fn claim_check_result<E: FunctionError>(
        &self,
        index: usize,
        invocation: InvocationType,
        options: Option<&CallOptions>,
        raw: response::RawResponse,
    ) -> Result<response::RawResponse, InvokeError<E>> {
        let Some(method) = self.inner.methods.get(index) else {
            return Ok(raw);
        };
        let payload = crate::claim_check::client::receive(
            self.inner.defaults.claim_check.as_ref(),
            &method.spec,
            invocation,
            self.call_tenant(options),
            raw.payload,
        )
        .await
        .map_err(InvokeError::typed)?;
        Ok(response::RawResponse {
            payload,
            metadata: raw.metadata,
        })
    }
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

/// How a method's success type is received, and by which operation: `M` is [`Whole`] for a
/// type that deserializes from the whole response (by `Invoke`), [`Streamed`] for a stream
/// ([`StreamOutput`]: `ResponseStream`, `ByteStream`, by `InvokeWithResponseStream`). `F` is the
/// function error of the call. The generated code names `M` from the method's invocation.
pub trait Receive<F: FunctionError, M>: Sized {
    /// Sends method `index`'s call and reads its response into `Self`.
    #[doc(hidden)]
    fn receive<'a>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
    ) -> impl Future<Output = Result<Invoked<Self>, InvokeError<F>>> + Send;
}

/// [`Receive`]'s mode of a method whose result is read whole.
pub enum Whole {}

/// [`Receive`]'s mode of a streaming method.
pub enum Streamed {}

impl<T: DeserializeOwned, F: FunctionError> Receive<F, Whole> for T {
    fn receive<'a>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
    ) -> impl Future<Output = Result<Invoked<T>, InvokeError<F>>> + Send {
        invoker.invoke_named(index, payload, options, derived)
    }
}

impl<S: StreamOutput<Function = F>, F: FunctionError> Receive<F, Streamed> for S {
    fn receive<'a>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
    ) -> impl Future<Output = Result<Invoked<S>, InvokeError<F>>> + Send {
        invoker.stream(index, payload, options, derived)
    }
}
