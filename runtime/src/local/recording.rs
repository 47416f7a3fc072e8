//! The record of every handler run, for tests to inspect.

use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use serde_json::Value;

use crate::invocation::InvocationType;

/// One run of a handler, as the endpoint saw it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedInvocation {
    /// The request id (shared by all attempts of an event).
    pub request_id: String,
    /// The bare function name.
    pub function: String,
    /// The qualifier as requested (in the name or `?Qualifier=`), if any.
    pub qualifier: Option<String>,
    /// The version that ran: `$LATEST` or a version number.
    pub executed_version: String,
    /// The invocation type as requested.
    pub invocation_type: InvocationType,
    /// The payload the handler received.
    pub payload: Bytes,
    /// The decoded client context as sent (a handler sees it on synchronous calls only).
    pub client_context: Option<Value>,
    /// The tenant id as sent (`X-Amz-Tenant-Id`), if any.
    pub tenant_id: Option<String>,
    /// The durable execution this run belongs to (durable functions only).
    pub durable_execution_name: Option<String>,
    /// 1 for a synchronous call; 1 to 3 for the attempts of an event.
    pub attempt: u32,
}

/// All runs, in the order they started.
#[derive(Debug, Default)]
pub(crate) struct Recorder(Mutex<Vec<RecordedInvocation>>);

impl Recorder {
    pub(crate) fn record(&self, invocation: RecordedInvocation) {
        self.lock().push(invocation);
    }

    pub(crate) fn all(&self) -> Vec<RecordedInvocation> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<RecordedInvocation>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
