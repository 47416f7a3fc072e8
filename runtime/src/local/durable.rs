//! Durable executions: the name of an execution is an idempotency key per function.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use tokio::sync::OnceCell;

use super::errors::ServiceError;
use super::execute::Attempt;

/// One durable execution: what started it, its ARN, and its outcome once it has run.
#[derive(Debug)]
pub(crate) struct Execution {
    payload: Bytes,
    pub(crate) arn: String,
    /// Set by the first synchronous run; later requests of the same name wait for it.
    pub(crate) outcome: OnceCell<Attempt>,
}

/// Every durable execution started, by function and name.
#[derive(Debug, Default)]
pub(crate) struct Executions(Mutex<HashMap<(String, String), Arc<Execution>>>);

impl Executions {
    /// The execution `name` of `function`: the existing one if it was started with the same
    /// payload (`false`), a new one otherwise (`true`); the same name with another payload is
    /// `DurableExecutionAlreadyStartedException`.
    pub(crate) fn find_or_start(
        &self,
        function: &str,
        name: &str,
        payload: &Bytes,
        arn: impl FnOnce() -> String,
    ) -> Result<(Arc<Execution>, bool), ServiceError> {
        let mut executions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (function.to_owned(), name.to_owned());
        if let Some(existing) = executions.get(&key) {
            if existing.payload != *payload {
                return Err(ServiceError::durable_execution_already_started(format!(
                    "Durable execution {name} of function {function} has already been started with a different payload."
                )));
            }
            return Ok((existing.clone(), false));
        }
        let execution = Arc::new(Execution {
            payload: payload.clone(),
            arn: arn(),
            outcome: OnceCell::new(),
        });
        executions.insert(key, execution.clone());
        Ok((execution, true))
    }
}
