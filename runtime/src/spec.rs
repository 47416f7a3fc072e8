//! The static description of one trait method, emitted by `#[lambda_remote]`.

use std::time::Duration;

use crate::claim_check::ClaimCheckMode;
use crate::delivery::Delivery;
use crate::invocation::InvocationType;

/// What `#[lambda_remote]` knows about one method at compile time: the function it calls by
/// default and how. Names here were validated by the macro; the client builder may override them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodSpec {
    /// The method's name in the trait.
    pub method: &'static str,
    /// The default function name, ARN or partial ARN.
    pub function: &'static str,
    /// The default qualifier (version or alias), if any.
    pub qualifier: Option<&'static str>,
    /// How the function is invoked.
    pub invocation: InvocationType,
    /// Whether the log tail is requested on every call.
    pub log_tail: bool,
    /// A per-method timeout for the whole call, overriding the client's.
    pub timeout: Option<Duration>,
    /// The method's delivery guarantee, overriding the client's; `None` keeps the client's.
    pub delivery: Option<Delivery>,
    /// The method's argument names, in order (several arguments are the payload's keys).
    pub arguments: &'static [&'static str],
    /// The template the durable execution name is derived from, as written in
    /// `#[lambda(durable_execution_name = "…")]` (e.g. `"order-{order_id}"`), if any.
    pub durable_execution_name: Option<&'static str>,
    /// The template the idempotency key is derived from, as written in
    /// `#[lambda(idempotency_key = "…")]` (e.g. `"order-{order_id}"`), if any: the function
    /// deduplicates calls of the same key, so the method's calls are sent
    /// [`AtLeastOnce`](Delivery::AtLeastOnce).
    pub idempotency_key: Option<&'static str>,
    /// Whether the method streams its response (`invocation = "stream"`, Lambda's
    /// `InvokeWithResponseStream`); `invocation` is then `RequestResponse`.
    pub streaming: bool,
    /// Whether the method's bodies may go through an S3 claim check
    /// (`#[lambda(claim_check = "…")]`).
    pub claim_check: ClaimCheckMode,
}

impl MethodSpec {
    /// A synchronous method calling `function` with no qualifier.
    pub const fn new(method: &'static str, function: &'static str) -> Self {
        Self {
            method,
            function,
            qualifier: None,
            invocation: InvocationType::RequestResponse,
            log_tail: false,
            timeout: None,
            delivery: None,
            arguments: &[],
            durable_execution_name: None,
            idempotency_key: None,
            streaming: false,
            claim_check: ClaimCheckMode::Auto,
        }
    }

    /// Makes the method stream its response (`InvokeWithResponseStream`).
    pub const fn streaming(mut self) -> Self {
        self.streaming = true;
        self
    }

    /// Sets whether the method's bodies may go through a claim check.
    pub const fn claim_check(mut self, mode: ClaimCheckMode) -> Self {
        self.claim_check = mode;
        self
    }

    /// Sets the argument names.
    pub const fn arguments(mut self, arguments: &'static [&'static str]) -> Self {
        self.arguments = arguments;
        self
    }

    /// Records the durable execution name template (the generated method derives the name).
    pub const fn durable_execution_name(mut self, template: &'static str) -> Self {
        self.durable_execution_name = Some(template);
        self
    }

    /// Records the idempotency key template (the generated method and server derive the key).
    pub const fn idempotency_key(mut self, template: &'static str) -> Self {
        self.idempotency_key = Some(template);
        self
    }

    /// Sets the default qualifier.
    pub const fn qualifier(mut self, qualifier: &'static str) -> Self {
        self.qualifier = Some(qualifier);
        self
    }

    /// Sets the invocation type.
    pub const fn invocation(mut self, invocation: InvocationType) -> Self {
        self.invocation = invocation;
        self
    }

    /// Requests the log tail on every call.
    pub const fn log_tail(mut self) -> Self {
        self.log_tail = true;
        self
    }

    /// Sets the method's delivery guarantee.
    pub const fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = Some(delivery);
        self
    }

    /// Sets the per-method timeout.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The bare name of the function the attribute names: `shop-order` for `shop-order:live`
    /// or an ARN of it (the attribute as written when it does not parse).
    pub fn bare_function(&self) -> String {
        lambda_remote_names::FunctionName::parse(self.function)
            .map(|name| name.function().to_owned())
            .unwrap_or_else(|_| self.function.to_owned())
    }
}
