//! One run of a handler: recorded, bounded by the function timeout, with panics and timeouts
//! turned into the error objects Lambda reports. The handler runs inside the caller's task (a
//! panic is caught where it unwinds), so an abandoned call drops it and no task is spawned per
//! invocation.

use std::time::{Instant, SystemTime};

use bytes::Bytes;
use futures_util::FutureExt as _;
use serde_json::{json, Value};

use super::handler::Invocation;
use super::log::ExecutionLog;
use super::recording::{RecordedInvocation, Recorder};
use super::registry::Target;
use crate::InvocationType;

/// An accepted invocation, ready to run (once, or up to three times for an event).
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) target: Target,
    pub(crate) qualifier: Option<String>,
    pub(crate) invocation_type: InvocationType,
    pub(crate) payload: Bytes,
    pub(crate) client_context: Option<Value>,
    pub(crate) request_id: String,
    /// The tenant id as sent.
    pub(crate) tenant_id: Option<String>,
    /// The durable execution's name, for a durable function.
    pub(crate) durable_execution_name: Option<String>,
}

/// The result of one run: the payload or the error object, and the execution log.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub(crate) outcome: Result<Bytes, Value>,
    pub(crate) log: String,
}

impl Call {
    /// Records and runs attempt number `attempt`. The log is framed by START/END/REPORT lines
    /// only when `framed` (someone will read its tail): formatting them costs every call.
    pub(crate) async fn run(&self, attempt: u32, recorder: &Recorder, framed: bool) -> Attempt {
        let target = &self.target;
        let request_id = &self.request_id;
        recorder.record(RecordedInvocation {
            request_id: request_id.clone(),
            function: target.name.clone(),
            qualifier: self.qualifier.clone(),
            executed_version: target.executed_version.clone(),
            invocation_type: self.invocation_type,
            payload: self.payload.clone(),
            client_context: self.client_context.clone(),
            tenant_id: self.tenant_id.clone(),
            durable_execution_name: self.durable_execution_name.clone(),
            attempt,
        });
        let log = ExecutionLog::default();
        if framed {
            log.start(request_id, &target.executed_version);
        }
        let synchronous = self.invocation_type == InvocationType::RequestResponse;
        let invocation = Invocation {
            request_id: request_id.clone(),
            invoked_function_arn: std::sync::OnceLock::new(),
            qualifier: self.qualifier.clone(),
            deadline: SystemTime::now() + target.timeout,
            function_name: target.name.clone(),
            executed_version: target.executed_version.clone(),
            invocation_type: self.invocation_type,
            payload: self.payload.clone(),
            client_context: self.client_context.clone().filter(|_| synchronous),
            tenant_id: self.tenant_id.clone().filter(|_| target.tenant_isolated),
            durable_execution_name: self.durable_execution_name.clone(),
            log: log.clone(),
        };
        let handler = target.handler.clone();
        let started = Instant::now();
        // The handler is called inside the guarded future: a handler that panics before it
        // returns its future is caught like one that panics while it runs.
        let run = std::panic::AssertUnwindSafe(async move { handler.call(invocation).await })
            .catch_unwind();
        let outcome = match tokio::time::timeout(target.timeout, run).await {
            Ok(Ok(Ok(body))) if body.is_empty() => Ok(Bytes::from_static(b"null")),
            Ok(Ok(Ok(body))) => Ok(body),
            Ok(Ok(Err(error))) => Err(error.into_json()),
            Ok(Err(panic)) => Err(panic_object(panic)),
            Err(_elapsed) => {
                let message = format!(
                    "Task timed out after {:.2} seconds",
                    target.timeout.as_secs_f64()
                );
                log.line(&format!("{request_id} {message}"));
                Err(json!({
                    "errorType": "Sandbox.Timedout",
                    "errorMessage": format!("RequestId: {request_id} Error: {message}"),
                }))
            }
        };
        let log = if framed {
            log.finish(request_id, started.elapsed())
        } else {
            String::new()
        };
        Attempt { outcome, log }
    }
}

/// A panic as `lambda_runtime` reports it.
fn panic_object(panic: Box<dyn std::any::Any + Send>) -> Value {
    let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => format!("Lambda panicked: {message}"),
        (_, Some(message)) => format!("Lambda panicked: {message}"),
        _ => "Lambda panicked".to_owned(),
    };
    json!({
        "errorType": "&alloc::boxed::Box<dyn core::any::Any + core::marker::Send>",
        "errorMessage": message,
    })
}
