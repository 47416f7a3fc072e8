//! Building a generated client: names, limits, retries and timeouts.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::naming::Naming;
use crate::retry::LambdaRetryClassifier;
use crate::{ConfigError, Invoker, Limits, MethodSpec};

/// Implemented by every client `#[lambda_remote]` generates.
pub trait GeneratedClient: Sized {
    /// The trait's name.
    const TRAIT: &'static str;
    /// The trait's methods, in declaration order.
    const METHODS: &'static [MethodSpec];

    /// Wraps an invoker for this trait's methods.
    fn from_invoker(invoker: Invoker) -> Self;
}

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
    limits: Limits,
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
            limits: Limits::default(),
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
        self.limits = limits;
        self
    }

    /// Sets the SDK's retry configuration (attempts, backoff, or `RetryConfig::disabled()`).
    /// Function errors and configuration failures are never retried, whatever this says.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the SDK's timeouts (connect, read, attempt and operation).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Resolves and validates every method's name, and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        for method in self
            .naming
            .functions
            .keys()
            .chain(self.naming.qualifiers.keys())
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
        let sdk = configure(&self.sdk, self.retry, self.timeouts);
        Ok(C::from_invoker(Invoker::resolved(
            sdk,
            C::TRAIT,
            resolved,
            self.limits,
        )))
    }
}

/// How long one attempt of a call may take by default: Lambda's longest function timeout
/// (900 s) plus a margin, so that no synchronous invocation is cut short.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(930);

/// How long connecting may take by default (the SDK's own default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The SDK client with lambda-remote's retry classifier and the given settings. Timeouts
/// not set by `timeouts` or by the SDK client's own configuration default to
/// [`DEFAULT_CONNECT_TIMEOUT`] and [`DEFAULT_ATTEMPT_TIMEOUT`].
pub(crate) fn configure(
    sdk: &aws_sdk_lambda::Client,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
) -> aws_sdk_lambda::Client {
    let mut config = sdk
        .config()
        .to_builder()
        .retry_classifier(LambdaRetryClassifier);
    if let Some(retry) = retry {
        config = config.retry_config(retry);
    }
    let given = timeouts
        .as_ref()
        .or(sdk.config().timeout_config())
        .map(TimeoutConfig::to_builder)
        .unwrap_or_default();
    let defaults = TimeoutConfig::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .operation_attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT);
    config = config.timeout_config(given.take_unset_from(defaults).build());
    aws_sdk_lambda::Client::from_conf(config.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdk(timeouts: Option<TimeoutConfig>) -> aws_sdk_lambda::Client {
        let mut config = aws_sdk_lambda::Config::builder()
            .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
            .region(aws_sdk_lambda::config::Region::new("us-east-1"));
        if let Some(timeouts) = timeouts {
            config = config.timeout_config(timeouts);
        }
        aws_sdk_lambda::Client::from_conf(config.build())
    }

    #[test]
    fn default_timeouts_let_the_longest_function_finish() {
        let client = configure(&sdk(None), None, None);
        let timeouts = client.config().timeout_config().unwrap();
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(DEFAULT_ATTEMPT_TIMEOUT)
        );
        assert!(DEFAULT_ATTEMPT_TIMEOUT > Duration::from_secs(900));
        assert_eq!(timeouts.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(timeouts.read_timeout(), None);
        assert_eq!(timeouts.operation_timeout(), None);
    }

    #[test]
    fn given_timeouts_win_and_the_rest_keep_their_defaults() {
        let sdk_level = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .build();
        let client = configure(&sdk(Some(sdk_level)), None, None);
        let timeouts = client.config().timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(DEFAULT_ATTEMPT_TIMEOUT)
        );

        let builder_level = TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(30))
            .build();
        let client = configure(&sdk(None), None, Some(builder_level));
        let timeouts = client.config().timeout_config().unwrap();
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(DEFAULT_ATTEMPT_TIMEOUT)
        );
    }
}
