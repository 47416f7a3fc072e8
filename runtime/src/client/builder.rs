//! Building a generated client: names, limits, retries and timeouts.

use std::marker::PhantomData;
use std::sync::Arc;

use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::client::generated::GeneratedClient;
use crate::client::invoker::Invoker;
use crate::client::limits::Limits;
use crate::client::request::CallDefaults;
use crate::client::resolve::ConfigError;
use crate::client::resolve::Naming;
use crate::client::sdk::SdkClients;
use crate::delivery::Delivery;

/// Configures a generated client, in the style of the AWS SDK's builders.
///
/// ```no_run
/// # async fn f<C: lambda_remote_runtime::GeneratedClient>(sdk: aws_sdk_lambda::Client) -> Result<C, lambda_remote_runtime::ConfigError> {
/// lambda_remote_runtime::ClientBuilder::<C>::new(sdk)
///     .function_prefix("prod-")     // billing-charge → prod-billing-charge
///     .qualifier("live")            // for methods that name no qualifier
///     .function("quote", "arn:aws:lambda:eu-west-1:123456789012:function:quote-eu")
///     .from_env()                   // LAMBDA_REMOTE_<TRAIT>_<METHOD>_FUNCTION, …
///     .build()
/// # }
/// ```
pub struct ClientBuilder<C> {
    sdk: aws_sdk_lambda::Client,
    naming: Naming,
    defaults: CallDefaults,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    client: PhantomData<fn() -> C>,
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// Starts from an SDK client; its HTTP connection pool is shared by every clone.
    pub fn new(sdk: aws_sdk_lambda::Client) -> Self {
        Self {
            sdk,
            naming: Naming::default(),
            defaults: CallDefaults::default(),
            retry: None,
            timeouts: None,
            client: PhantomData,
        }
    }

    /// Prepends `prefix` to every function name the attributes give (e.g. a stage, `prod-`).
    pub fn function_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.naming.prefix = Some(prefix.into());
        self
    }

    /// Appends `suffix` to every function name the attributes give.
    pub fn function_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.naming.suffix = Some(suffix.into());
        self
    }

    /// The qualifier (e.g. a stage alias) for methods that name none.
    pub fn qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.naming.qualifier = Some(qualifier.into());
        self
    }

    /// Calls `function` (a name, ARN or partial ARN, used as given) for `method`.
    pub fn function(mut self, method: impl Into<String>, function: impl Into<String>) -> Self {
        self.naming.functions.insert(method.into(), function.into());
        self
    }

    /// Calls `qualifier` for `method`, overriding its attribute.
    pub fn method_qualifier(
        mut self,
        method: impl Into<String>,
        qualifier: impl Into<String>,
    ) -> Self {
        self.naming
            .qualifiers
            .insert(method.into(), qualifier.into());
        self
    }

    /// Reads names from the process environment at [`build`](Self::build) time:
    /// `LAMBDA_REMOTE_<TRAIT>_<METHOD>_FUNCTION` and `…_QUALIFIER` per method (in
    /// SCREAMING_SNAKE_CASE, e.g. `LAMBDA_REMOTE_BILLING_CHARGE_FUNCTION`), and
    /// `LAMBDA_REMOTE_FUNCTION_PREFIX`, `LAMBDA_REMOTE_FUNCTION_SUFFIX` and
    /// `LAMBDA_REMOTE_QUALIFIER`. Values set on the builder win over the environment.
    pub fn from_env(self) -> Self {
        self.env_lookup(|key| std::env::var(key).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.naming.env = Some(Arc::new(lookup));
        self
    }

    /// Replaces the size limits checked before sending.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.defaults.limits = limits;
        self
    }

    /// Sets the SDK's retry configuration (attempts, backoff, or `RetryConfig::disabled()`).
    /// Which failures are retried is the [`Delivery`]'s: function errors and failures that
    /// cannot go away never are.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The delivery guarantee of methods that name none: [`Delivery::AtMostOnce`] by
    /// default. `.delivery(Delivery::AtLeastOnce)` gives the whole client the AWS SDKs'
    /// default behaviour: timeouts, resets and 5xx answers are retried too.
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.defaults.delivery = delivery;
        self
    }

    /// Whether synchronous calls carry the current [`TraceContext`](crate::TraceContext)
    /// (W3C `traceparent`/`tracestate`, X-Ray header) in the client context's `custom` map,
    /// beside what a call's own client context holds (on by default). A call whose client
    /// context would pass the 3,583-byte limit with the trace goes without it.
    pub fn propagate_trace(mut self, propagate: bool) -> Self {
        self.defaults.propagate_trace = propagate;
        self
    }

    /// Invokes every method for `tenant` (`X-Amz-Tenant-Id`, for tenant-isolated functions),
    /// unless a call names another with [`CallOptions::tenant_id`](crate::CallOptions::tenant_id).
    /// Checked at [`build`](Self::build): 1 to 256 characters of `[a-zA-Z0-9._:/=+\-@ ]`.
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.defaults.tenant_id = Some(tenant.into());
        self
    }

    /// Sends request bodies over the threshold (by default the invocation type's limit)
    /// through S3, and reads results the function answered the same way: see
    /// [`claim_check`](crate::claim_check). Methods with `#[lambda(claim_check = "never")]`
    /// never do; with `"always"`, every call does.
    #[cfg(feature = "claim-check")]
    #[cfg_attr(docsrs, doc(cfg(feature = "claim-check")))]
    pub fn claim_check(mut self, claim_check: crate::claim_check::ClaimCheck) -> Self {
        self.defaults.claim_check = Some(claim_check);
        self
    }

    /// Sets the SDK's timeouts (connect, read, attempt and operation). What this leaves
    /// unset keeps the SDK client's own value, then lambda-remote's default
    /// ([`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT); nothing else: a
    /// synchronous call may legitimately wait for a 15-minute function).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Bounds the calls this client has in flight, all methods together: past the limit a
    /// call waits in a bounded queue, past the queue it is refused with
    /// [`Rejected::Overloaded`](crate::error::Rejected::Overloaded) and nothing is sent. To slow
    /// down when Lambda throttles (429), set the SDK's adaptive retry mode
    /// ([`retry_config`](Self::retry_config) with `RetryConfig::adaptive()`).
    pub fn concurrency_limit(
        mut self,
        limit: crate::client::concurrency::ConcurrencyLimit,
    ) -> Self {
        self.defaults.concurrency = Some(limit);
        self
    }

    /// Bounds the calls of one method in flight (beside the client's bound, if any); as
    /// [`concurrency_limit`](Self::concurrency_limit). An unknown method fails [`build`](Self::build).
    pub fn method_concurrency_limit(
        mut self,
        method: impl Into<String>,
        limit: crate::client::concurrency::ConcurrencyLimit,
    ) -> Self {
        self.defaults
            .method_concurrency
            .push((method.into(), limit));
        self
    }

    /// Resolves and validates every method's name, and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        for method in self
            .naming
            .functions
            .keys()
            .chain(self.naming.qualifiers.keys())
            .chain(self.defaults.method_concurrency.iter().map(|(m, _)| m))
        {
            if !C::METHODS.iter().any(|spec| spec.method == method) {
                return Err(ConfigError::UnknownMethod {
                    r#trait: C::TRAIT,
                    method: method.clone(),
                });
            }
        }
        let resolved = C::METHODS
            .iter()
            .map(|spec| Ok((*spec, self.naming.resolve(C::TRAIT, spec)?)))
            .collect::<Result<Vec<_>, ConfigError>>()?;
        if let Some(tenant) = &self.defaults.tenant_id {
            crate::client::checks::validate_tenant_id(tenant)
                .map_err(|reason| ConfigError::TenantId { reason })?;
        }
        let clients = SdkClients::new(&self.sdk, self.retry, self.timeouts);
        Ok(C::from_invoker(Invoker::resolved(
            clients,
            C::TRAIT,
            resolved,
            self.defaults,
        )))
    }
}
