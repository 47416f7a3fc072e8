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
#[cfg(feature = "opentelemetry")]
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
    /// read as a stream (`M`, [`Whole`] or [`Streamed`], says which), keeping the response
    /// metadata; `finish` turns that into what the method returns (a function pointer: every
    /// method of a return type returns the same future type).
    #[doc(hidden)]
    pub fn call<'a, R, M, Out>(
        &'a self,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
        finish: Finish<R::Ok, R::Err, Out>,
    ) -> impl Future<Output = Out> + Send
    where
        R: MethodOutput,
        R::Ok: Receive<R::Err, M>,
    {
        // Not an `async fn`: a layer of its own would hold the path's future (several KB) and
        // copy it whole when it first polls it, a cost a hand-written call does not have
        // (BENCHMARKS.md, issue 21, "Per call, one thread").
        Call {
            future: <R::Ok as Receive<R::Err, M>>::receive(
                self, index, options, derived, payload, finish,
            ),
        }
    }

    /// Reads a streamed response: the one path, by `InvokeWithResponseStream`, up to the
    /// response's start; then `S` reads the rest. `C` is the error type the caller gets,
    /// `finish` what it makes of the result.
    async fn stream<S, C, Out>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
        finish: Finish<S, C, Out>,
    ) -> Out
    where
        S: StreamOutput,
        C: ClientError<Function = S::Function>,
    {
        finish(
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
                Err(error) => Err(C::from_invoke_error(error.typed())),
            },
        )
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
        self.invoke_named::<T, InvokeError<E>, _>(
            index,
            payload,
            options,
            Derived::default(),
            std::convert::identity,
        )
        .await
    }

    /// Decodes a whole response: the one path, by `Invoke`, then the result into `T`. `C` is
    /// the error type the caller gets, `finish` what it makes of the result.
    async fn invoke_named<T, C, Out>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
        finish: Finish<T, C, Out>,
    ) -> Out
    where
        T: DeserializeOwned,
        C: ClientError,
    {
        let function = self.describe(index);
        let invocation = self
            .inner
            .methods
            .get(index)
            .map_or(InvocationType::RequestResponse, |m| m.spec.invocation);
        let decoded = match self.send::<Invoke>(index, payload, options, derived).await {
            Ok(raw) => {
                #[cfg(feature = "claim-check")]
                let raw = match self
                    .claim_check_result(index, invocation, options, raw)
                    .await
                {
                    Ok(raw) => raw,
                    Err(error) => return finish(Err(C::from_invoke_error(error))),
                };
                response::decode(function, invocation, raw).map_err(InvokeError::typed)
            }
            Err(error) => Err(error.typed()),
        };
        finish(decoded.map_err(C::from_invoke_error))
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
    #[cfg(feature = "opentelemetry")]
    async fn send<O: Operation>(
        &self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
    ) -> Result<O::Response, InvokeError<Infallible>> {
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
            // Pinned where it is made and measured through a reference: neither boxed (an
            // allocation of several KB) nor copied into the measuring future. Boxed in a debug
            // build, as `send` without this feature is (see there).
            #[cfg(debug_assertions)]
            let call = Box::pin(self.send_unmeasured::<O>(index, payload, options, derived));
            #[cfg(not(debug_assertions))]
            let call = std::pin::pin!(self.send_unmeasured::<O>(index, payload, options, derived));
            return crate::otel::metrics::measured(
                &method.metrics,
                method.spec.method,
                function,
                operation,
                telemetry::outcome,
                call,
            )
            .await;
        }
        self.send_unmeasured::<O>(index, payload, options, derived)
            .await
    }

    /// The one path of every call: method `index`'s call checked into a [`Request`], then
    /// sent by `O` (Invoke or InvokeWithResponseStream), the outcome recorded in its span.
    ///
    /// Not an `async fn`: every layer of futures around the SDK's operation (several KB)
    /// copies it whole when it first awaits it, a cost a hand-written call does not have
    /// (BENCHMARKS.md, issue 21, "Per call, one thread: where the time goes").
    #[cfg(not(feature = "opentelemetry"))]
    fn send<'a, O: Operation + 'a>(
        &'a self,
        index: usize,
        payload: Result<Payload, serde_json::Error>,
        options: Option<&'a CallOptions>,
        derived: Derived,
    ) -> impl Future<Output = Result<O::Response, InvokeError<Infallible>>> + Send + 'a {
        let call = self.send_unmeasured::<O>(index, payload, options, derived);
        // Boxed in a debug build only, where it was added: the call's whole state (the claim
        // check, the concurrency gates, the SDK's operation, several kilobytes) held in the
        // caller's future overflowed the 2 MiB stack of an async test awaiting many calls
        // (tests/interop.rs, cargo_lambda_watch), unoptimized poll frames keeping copies of
        // it. An optimized build holds it in place, as a hand-written SDK call holds the SDK's
        // future: the box (an allocation of several KB and a copy into it) cost ~1 µs per call
        // on one thread, though without it 0.7k more instructions run (BENCHMARKS.md, issue
        // 21, "What instruction counts did not show").
        #[cfg(debug_assertions)]
        let call = Box::pin(call);
        call
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
        // A labelled block, not an `async` one: a future of its own would copy the SDK's
        // operation once more.
        let reject = |r: Rejected| InvokeError::Rejected(Box::new(r));
        let outcome = 'outcome: {
            let request = match Request::new(
                &method.spec,
                &method.function,
                &self.inner.defaults,
                payload,
                options,
                derived,
            ) {
                Ok(request) => request,
                Err(error) => break 'outcome Err(error),
            };
            // The method's slot, then the client's (always in this order): held until the
            // call returns.
            let _method_slot = match &method.gate {
                Some(gate) => match gate.enter().await {
                    Ok(slot) => Some(slot),
                    Err(rejected) => break 'outcome Err(reject(rejected)),
                },
                None => None,
            };
            let _client_slot = match &self.inner.gate {
                Some(gate) => match gate.enter().await {
                    Ok(slot) => Some(slot),
                    Err(rejected) => break 'outcome Err(reject(rejected)),
                },
                None => None,
            };
            // A keyed call's error carries its key's stored form (what its span records).
            let key = request.idempotency_key.clone();
            let result = send::send::<O>(&self.inner.sdk, request).await;
            match key {
                Some(key) => result.map_err(|error| error.with_idempotency_key(key)),
                None => result,
            }
        };
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

pin_project_lite::pin_project! {
    /// The future of a generated method's call: the path's future, made in place and polled
    /// out of line, so that a caller's own `poll` (often its `main`, inlined into the
    /// runtime's `block_on`) does not take in the whole call's code (BENCHMARKS.md, issue 21,
    /// the quickstart's binary).
    struct Call<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for Call<F> {
    type Output = F::Output;

    #[inline(never)]
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        self.project().future.poll(cx)
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

/// What turns a call's result (its success `T` with the response metadata, or its error `C`)
/// into what the method returns (`Out`): a function pointer, so that every method of a return
/// type returns the same future type.
pub type Finish<T, C, Out> = fn(Result<Invoked<T>, C>) -> Out;

/// How a method's success type is received, and by which operation: `M` is [`Whole`] for a
/// type that deserializes from the whole response (by `Invoke`), [`Streamed`] for a stream
/// ([`StreamOutput`]: `ResponseStream`, `ByteStream`, by `InvokeWithResponseStream`). `C` is the
/// error type of the call (its [`ClientError::Function`] the function error). The generated
/// code names `M` from the method's invocation.
pub trait Receive<C: ClientError, M>: Sized {
    /// Sends method `index`'s call, reads its response into `Self` and gives the result to
    /// `finish`.
    #[doc(hidden)]
    fn receive<'a, Out>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
        finish: Finish<Self, C, Out>,
    ) -> impl Future<Output = Out> + Send;
}

/// [`Receive`]'s mode of a method whose result is read whole.
pub enum Whole {}

/// [`Receive`]'s mode of a streaming method.
pub enum Streamed {}

impl<T: DeserializeOwned, C: ClientError> Receive<C, Whole> for T {
    fn receive<'a, Out>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
        finish: Finish<T, C, Out>,
    ) -> impl Future<Output = Out> + Send {
        invoker.invoke_named(index, payload, options, derived, finish)
    }
}

impl<S: StreamOutput, C: ClientError<Function = S::Function>> Receive<C, Streamed> for S {
    fn receive<'a, Out>(
        invoker: &'a Invoker,
        index: usize,
        options: Option<&'a CallOptions>,
        derived: Derived,
        payload: Result<Payload, serde_json::Error>,
        finish: Finish<S, C, Out>,
    ) -> impl Future<Output = Out> + Send {
        invoker.stream(index, payload, options, derived, finish)
    }
}
