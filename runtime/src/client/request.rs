//! A call checked before anything is sent: [`Request`], made from the method's spec and
//! resolved function, the client's [`CallDefaults`] and the call's options. Everything that
//! can be refused is refused here, with [`InvokeError::Rejected`] (or
//! [`InvokeError::Serialize`]).

use std::convert::Infallible;
use std::time::Duration;

use lambda_remote_names::{FunctionName, NameError};

use crate::client::checks::{validate_durable_execution_name, validate_tenant_id};
use crate::client::limits::Limits;
use crate::client::options::CallOptions;
use crate::client::resolve::ResolvedFunction;
use crate::delivery::Delivery;
use crate::error::{InvokeError, Rejected, SerializeError};
use crate::idempotency::key::scoped_id;
use crate::spec::MethodSpec;
use crate::trace::TraceContext;

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
    /// Where bodies over the threshold go (`ClientBuilder::claim_check`).
    #[cfg(feature = "claim-check")]
    pub(crate) claim_check: Option<crate::claim_check::ClaimCheck>,
    /// The bound on the client's calls in flight, if any.
    pub(crate) concurrency: Option<crate::client::concurrency::ConcurrencyLimit>,
    /// The bounds on one method's calls in flight, by method name.
    pub(crate) method_concurrency: Vec<(String, crate::client::concurrency::ConcurrencyLimit)>,
}

impl Default for CallDefaults {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            delivery: Delivery::default(),
            propagate_trace: true,
            tenant_id: None,
            #[cfg(feature = "claim-check")]
            claim_check: None,
            concurrency: None,
            method_concurrency: Vec::new(),
        }
    }
}

/// What a generated method derived from its arguments, passed to
/// [`Invoker::call`](crate::client::invoker::Invoker::call).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Derived {
    pub(crate) durable_execution_name: Option<String>,
    /// The idempotency key as the template renders it (not yet scoped and hashed).
    pub(crate) idempotency_key: Option<String>,
}

impl Derived {
    /// A durable execution name and an idempotency key, each if the method derives one.
    pub fn new(durable_execution_name: Option<String>, idempotency_key: Option<String>) -> Self {
        Self {
            durable_execution_name,
            idempotency_key,
        }
    }
}

/// A checked request, ready to send.
pub(crate) struct Request<'a> {
    pub(crate) spec: &'a MethodSpec,
    pub(crate) name: &'a FunctionName,
    pub(crate) function: &'a str,
    /// Whether the trace context went in the client context; `None` when there was none to
    /// send (or the call is not synchronous, or propagation is off). Set by [`carry`](Self::carry).
    pub(crate) trace_sent: Option<bool>,
    /// The trace context in scope (synchronous calls, propagation on), added by `carry`.
    trace: Option<TraceContext>,
    /// Whether the trace is propagated at all (synchronous calls, propagation on).
    #[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
    propagate_trace: bool,
    /// The time the caller will still wait (synchronous calls), added by `carry`.
    budget: Option<Duration>,
    /// The client context's limit, in base64 bytes.
    context_limit: usize,
    pub(crate) qualifier: Option<String>,
    pub(crate) payload: Vec<u8>,
    pub(crate) log_tail: bool,
    pub(crate) client_context: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) delivery: Delivery,
    pub(crate) durable_execution_name: Option<String>,
    pub(crate) tenant_id: Option<String>,
    /// A keyed call's idempotency key as the function stores it
    /// ([`scoped_id`](crate::idempotency::scoped_id): scoped and hashed).
    pub(crate) idempotency_key: Option<String>,
}

impl<'a> Request<'a> {
    /// Checks everything that can be checked before sending: the resolved name, the payload,
    /// the qualifier, the sync-only options, the client context and its limit, the durable
    /// execution name (the options', else the one the method derived from its arguments) and
    /// the tenant id; scopes and hashes the idempotency key the method derived as the function
    /// does; adds the current trace context to a synchronous call's
    /// client context when it fits.
    pub(crate) fn new(
        spec: &'a MethodSpec,
        function: &'a Result<ResolvedFunction, NameError>,
        defaults: &CallDefaults,
        payload: Result<Vec<u8>, serde_json::Error>,
        options: Option<&CallOptions>,
        derived: Derived,
    ) -> Result<Self, InvokeError<Infallible>> {
        let reject = |r: Rejected| InvokeError::Rejected(Box::new(r));
        let resolved = function
            .as_ref()
            .map_err(|e| reject(Rejected::Name(e.clone())))?;
        let function = resolved.name.as_str();
        let payload = payload.map_err(|source| {
            InvokeError::Serialize(Box::new(SerializeError {
                function: function.to_owned(),
                source,
            }))
        })?;
        let limit = defaults.limits.payload_limit(spec.invocation);
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
                }));
            }
            Some(Ok(encoded)) if encoded.len() > defaults.limits.client_context => {
                return Err(reject(Rejected::ClientContextTooLarge {
                    size: encoded.len(),
                    limit: defaults.limits.client_context,
                }));
            }
            Some(Ok(encoded)) => Some(encoded.clone()),
        };
        // What travels in the client context beside the caller's own keys (added by `carry`,
        // once the call's span exists): the trace, and the time the caller will still wait.
        let trace = (synchronous && defaults.propagate_trace)
            .then(TraceContext::current)
            .filter(|trace| !trace.is_empty());
        let timeout = options.timeout.or(spec.timeout);
        let budget = synchronous
            .then(|| {
                let left = crate::serve::context::InvocationContext::current()
                    .and_then(|context| context.time_left());
                crate::deadline::budget(timeout, left)
            })
            .flatten();
        let durable_execution_name = options
            .durable_execution_name
            .clone()
            .or(derived.durable_execution_name);
        if let Some(name) = &durable_execution_name {
            validate_durable_execution_name(name).map_err(|reason| {
                reject(Rejected::DurableExecutionName {
                    name: name.clone(),
                    reason,
                })
            })?;
        }
        let tenant_id = options
            .tenant_id
            .as_ref()
            .or(defaults.tenant_id.as_ref())
            .cloned();
        if let Some(tenant) = &tenant_id {
            validate_tenant_id(tenant).map_err(|reason| reject(Rejected::TenantId { reason }))?;
        }
        // The function scopes the key by the function it runs as (the invoked ARN's name and
        // qualifier) and the tenant: so does the client, from what it sends.
        let idempotency_key = derived.idempotency_key.map(|key| {
            let qualifier = qualifier.as_deref().or(resolved.name.qualifier());
            scoped_id(
                resolved.name.function(),
                qualifier,
                tenant_id.as_deref(),
                &key,
            )
        });
        // A durable execution name makes the call idempotent: Lambda answers a second request
        // of the same name and payload with the existing execution, without running the
        // function again. So does an idempotency key, by the contract's word: the function
        // answers a second call of the same key with the first one's stored result. Either
        // may therefore be sent again on any transient failure.
        let delivery = if durable_execution_name.is_some() || spec.idempotency_key.is_some() {
            Delivery::AtLeastOnce
        } else {
            options
                .delivery
                .or(spec.delivery)
                .unwrap_or(defaults.delivery)
        };
        Ok(Request {
            spec,
            name: &resolved.name,
            function,
            trace_sent: None,
            trace,
            propagate_trace: synchronous && defaults.propagate_trace,
            budget,
            context_limit: defaults.limits.client_context,
            qualifier,
            payload,
            log_tail,
            client_context,
            timeout,
            delivery,
            durable_execution_name,
            tenant_id,
            idempotency_key,
        })
    }
}

impl Request<'_> {
    /// Adds to the client context what travels beside the caller's own keys, which win: the
    /// trace — with feature `opentelemetry`, the context of `span` (the call's own span) as
    /// the global propagator writes it, else the [`TraceContext`] in scope — and the time the
    /// caller will still wait ([`crate::deadline`]). When the caller's context is not a JSON
    /// object, or the whole would pass the client context's limit, the call goes with the
    /// caller's context alone (`trace_sent` is then `false`).
    pub(crate) fn carry(&mut self, span: &tracing::Span) {
        let _ = span;
        #[cfg(feature = "opentelemetry")]
        let propagated = self
            .propagate_trace
            .then(|| crate::otel::propagate::fields(span))
            .filter(|fields| !fields.is_empty());
        #[cfg(not(feature = "opentelemetry"))]
        let propagated: Option<Vec<(String, String)>> = None;
        if self.trace.is_none() && propagated.is_none() && self.budget.is_none() {
            return;
        }
        let traced = self.trace.is_some() || propagated.is_some();
        match with_carried(
            self.client_context.as_deref(),
            propagated.as_deref().unwrap_or_default(),
            self.trace.as_ref(),
            self.budget,
            self.context_limit,
        ) {
            Some(encoded) => {
                self.client_context = Some(encoded);
                self.trace_sent = traced.then_some(true);
            }
            None => self.trace_sent = traced.then_some(false),
        }
    }
}

/// The client context `encoded` (base64 JSON, or none) with `propagated` (the propagator's
/// fields), then `trace` (what the propagator did not write: a W3C pair only when it wrote no
/// `traceparent`) and `budget` added to its `custom` map, base64-encoded; `None` when it
/// cannot take them: the caller's context is not a JSON object, or the whole would pass
/// `limit`.
fn with_carried(
    encoded: Option<&str>,
    propagated: &[(String, String)],
    trace: Option<&TraceContext>,
    budget: Option<Duration>,
    limit: usize,
) -> Option<String> {
    let mut context = match encoded {
        Some(encoded) => {
            serde_json::from_slice(&aws_smithy_types::base64::decode(encoded).ok()?).ok()?
        }
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    if !propagated.is_empty() {
        let custom = context
            .as_object_mut()?
            .entry("custom")
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()))
            .as_object_mut()?;
        for (key, value) in propagated {
            if !custom.keys().any(|k| k.eq_ignore_ascii_case(key)) {
                custom.insert(key.clone(), serde_json::Value::String(value.clone()));
            }
        }
    }
    if let Some(trace) = trace {
        let wrote = |key: &str| propagated.iter().any(|(k, _)| k.eq_ignore_ascii_case(key));
        let rest = trace.without_propagated(wrote("traceparent"), wrote("x-amzn-trace-id"));
        if !rest.is_empty() {
            rest.add_to(&mut context)?;
        }
    }
    if let Some(budget) = budget {
        crate::deadline::add_to(&mut context, budget)?;
    }
    let encoded = aws_smithy_types::base64::encode(serde_json::to_vec(&context).ok()?);
    (encoded.len() <= limit).then_some(encoded)
}
