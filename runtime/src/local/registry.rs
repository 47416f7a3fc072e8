//! The deployed functions, and resolution of a request's name and qualifier to what runs.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::errors::ServiceError;
use super::function::Function;
use super::function_ref::{FunctionRef, function_arn};
use super::handler::Handler;

const LATEST: &str = "$LATEST";

/// A deployed function: its definition and its reserved concurrency slots.
#[derive(Debug)]
struct Deployed {
    function: Function,
    slots: Option<Arc<Semaphore>>,
}

/// What a resolved request runs.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) executed_version: String,
    pub(crate) handler: Handler,
    pub(crate) timeout: Duration,
    pub(crate) reserved_concurrency: Option<u32>,
    pub(crate) durable: bool,
    pub(crate) tenant_isolated: bool,
    slots: Option<Arc<Semaphore>>,
}

impl Target {
    /// A concurrency slot now, or the throttling error Lambda answers.
    pub(crate) fn try_acquire(&self) -> Result<Option<OwnedSemaphorePermit>, ServiceError> {
        match &self.slots {
            None => Ok(None),
            Some(slots) => slots.clone().try_acquire_owned().map(Some).map_err(|_| {
                ServiceError::too_many_requests("ReservedFunctionConcurrentInvocationLimitExceeded")
            }),
        }
    }

    /// Waits for a concurrency slot (events queue rather than being throttled).
    pub(crate) async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        match &self.slots {
            None => None,
            Some(slots) => slots.clone().acquire_owned().await.ok(),
        }
    }
}

/// All deployed functions by name.
#[derive(Debug)]
pub(crate) struct Registry(HashMap<String, Deployed>);

impl Registry {
    /// Deploys `functions`, rejecting invalid definitions and duplicate names.
    pub(crate) fn new(functions: Vec<Function>) -> io::Result<Self> {
        let mut deployed = HashMap::new();
        for function in functions {
            let problem = function.problem().or_else(|| {
                deployed
                    .contains_key(&function.name)
                    .then(|| format!("function {:?} registered twice", function.name))
            });
            if let Some(problem) = problem {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, problem));
            }
            let slots = function
                .reserved_concurrency
                .map(|limit| Arc::new(Semaphore::new(limit as usize)));
            deployed.insert(function.name.clone(), Deployed { function, slots });
        }
        Ok(Self(deployed))
    }

    /// Resolves a name and qualifier: `$LATEST`, a version, or an alias to a version.
    pub(crate) fn resolve(&self, reference: &FunctionRef) -> Result<Target, ServiceError> {
        let not_found = |qualifier: Option<&str>| {
            ServiceError::resource_not_found(format!(
                "Function not found: {}",
                function_arn(&reference.name, qualifier)
            ))
        };
        let deployed = self.0.get(&reference.name).ok_or_else(|| not_found(None))?;
        let function = &deployed.function;
        let qualifier = reference.qualifier.as_deref();
        let version = match qualifier {
            None => LATEST,
            Some(q) if q == LATEST || function.versions.contains_key(q) => q,
            Some(q) => function
                .aliases
                .get(q)
                .map(String::as_str)
                .ok_or_else(|| not_found(Some(q)))?,
        };
        let handler = match function.versions.get(version) {
            Some(handler) => handler,
            None if version == LATEST => &function.latest,
            None => return Err(not_found(qualifier)),
        };
        Ok(Target {
            name: function.name.clone(),
            executed_version: version.to_owned(),
            handler: handler.clone(),
            timeout: function.timeout,
            reserved_concurrency: function.reserved_concurrency,
            durable: function.durable,
            tenant_isolated: function.tenant_isolated,
            slots: deployed.slots.clone(),
        })
    }

    /// The registered names, sorted.
    pub(crate) fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}
