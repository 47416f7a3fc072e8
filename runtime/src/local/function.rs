//! The definition of a function: `$LATEST`, published versions, aliases and configuration.

use std::collections::BTreeMap;
use std::time::Duration;

use super::handler::Handler;
use lambda_remote_names::{FunctionName, validate_qualifier};

/// Lambda's default function timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// Lambda's maximum function timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(900);

/// A function to register with [`LocalLambdaBuilder::function`](super::LocalLambdaBuilder::function).
///
/// ```
/// # use std::time::Duration;
/// # use lambda_remote_runtime::local::{Function, Handler};
/// let latest = Handler::new(|_| async { Ok(bytes::Bytes::from_static(b"\"latest\"")) });
/// let v1 = Handler::new(|_| async { Ok(bytes::Bytes::from_static(b"\"v1\"")) });
/// Function::new("orders", latest)
///     .version("1", v1)
///     .alias("live", "1")
///     .timeout(Duration::from_millis(200))
///     .reserved_concurrency(5);
/// ```
#[derive(Debug, Clone)]
pub struct Function {
    pub(crate) name: String,
    pub(crate) latest: Handler,
    pub(crate) versions: BTreeMap<String, Handler>,
    pub(crate) aliases: BTreeMap<String, String>,
    pub(crate) timeout: Duration,
    pub(crate) reserved_concurrency: Option<u32>,
    pub(crate) durable: bool,
    pub(crate) tenant_isolated: bool,
}

impl Function {
    /// The function a contract method (from a generated `<Trait>Server`) is served as: named
    /// as its attribute names it (the bare name), running [`Handler::serving`]; configure it
    /// like any other (`.timeout(…)` for a long stream, versions, aliases).
    pub fn serving(method: crate::serve::method::MethodHandler) -> Self {
        Self::new(method.spec().bare_function(), Handler::serving(method))
    }

    /// A function whose `$LATEST` runs `handler`, with Lambda's 3 s default timeout and no
    /// reserved concurrency.
    pub fn new(name: impl Into<String>, handler: Handler) -> Self {
        Self {
            name: name.into(),
            latest: handler,
            versions: BTreeMap::new(),
            aliases: BTreeMap::new(),
            timeout: DEFAULT_TIMEOUT,
            reserved_concurrency: None,
            durable: false,
            tenant_isolated: false,
        }
    }

    /// Makes the function durable: every invocation starts (or finds) a durable execution,
    /// named by the caller's `X-Amz-Durable-Execution-Name` or, without one, by its request id,
    /// and answered with `X-Amz-Durable-Execution-Arn`. The name is an idempotency key, per
    /// function: the same name with the same payload answers the existing execution's result
    /// without running the function again (a request that arrives while it runs waits for
    /// it); the same name with another payload is 409 `DurableExecutionAlreadyStartedException`.
    /// A name sent to a function that is not durable is 400 `InvalidParameterValueException`.
    ///
    /// As on Lambda, a durable function is invoked by a qualified name (a version, an alias or
    /// `$LATEST` named outright): an unqualified invocation is 400
    /// `InvalidParameterValueException` "You cannot invoke a durable function using an
    /// unqualified ARN.", and nothing runs.
    pub fn durable(mut self) -> Self {
        self.durable = true;
        self
    }

    /// Turns on tenant isolation (`TenancyConfig {TenantIsolationMode: PER_TENANT}`): every
    /// invocation must carry a tenant id (`X-Amz-Tenant-Id`), or it is answered 400
    /// `InvalidParameterValueException`; the handler sees it as
    /// [`Invocation::tenant_id`](super::Invocation::tenant_id). A function without tenant
    /// isolation accepts a tenant id and ignores it (its handler sees none; the recording
    /// keeps what was sent).
    pub fn tenant_isolated(mut self) -> Self {
        self.tenant_isolated = true;
        self
    }

    /// Publishes version `version` (a number, e.g. `"1"`) running `handler`.
    pub fn version(mut self, version: impl Into<String>, handler: Handler) -> Self {
        self.versions.insert(version.into(), handler);
        self
    }

    /// Points alias `alias` at `version` (a published version or `$LATEST`).
    pub fn alias(mut self, alias: impl Into<String>, version: impl Into<String>) -> Self {
        self.aliases.insert(alias.into(), version.into());
        self
    }

    /// How long a run may take before it fails with `Sandbox.Timedout` (at most 900 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// At most `limit` runs at once; a synchronous call beyond it is throttled (429), an event
    /// waits. With 0 the function never runs: events go straight to the dead letters.
    pub fn reserved_concurrency(mut self, limit: u32) -> Self {
        self.reserved_concurrency = Some(limit);
        self
    }

    /// Why this definition cannot be deployed, if it cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        let name = &self.name;
        let bare = FunctionName::parse(name).is_ok_and(|n| n.function() == name.as_str());
        if !bare || name.contains('.') {
            return Some(format!("invalid function name {name:?}"));
        }
        if self.timeout.is_zero() || self.timeout > MAX_TIMEOUT {
            return Some(format!("{name}: timeout must be within (0, 900 s]"));
        }
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some(version) = self.versions.keys().find(|v| !numeric(v)) {
            return Some(format!("{name}: version {version:?} is not a number"));
        }
        for (alias, version) in &self.aliases {
            if numeric(alias) || validate_qualifier(alias).is_err() || alias.starts_with('$') {
                return Some(format!("{name}: invalid alias name {alias:?}"));
            }
            if version != "$LATEST" && !self.versions.contains_key(version) {
                return Some(format!(
                    "{name}: alias {alias:?} points at unknown version {version:?}"
                ));
            }
        }
        None
    }
}
