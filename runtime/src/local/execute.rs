//! One run of a handler: recorded, spawned in its own task, bounded by the function timeout,
//! with panics and timeouts turned into the error objects Lambda reports.

use std::time::Instant;

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::task::{JoinError, JoinHandle};

use super::handler::{Invocation, InvocationType};
use super::log::ExecutionLog;
use super::recording::{RecordedInvocation, Recorder};
use super::registry::Target;

/// An accepted invocation, ready to run (once, or up to three times for an event).
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) target: Target,
    pub(crate) qualifier: Option<String>,
    pub(crate) invocation_type: InvocationType,
    pub(crate) payload: Bytes,
    pub(crate) client_context: Option<Value>,
    pub(crate) request_id: String,
}

/// The result of one run: the payload or the error object, and the execution log.
#[derive(Debug)]
pub(crate) struct Attempt {
    pub(crate) outcome: Result<Bytes, Value>,
    pub(crate) log: String,
}

/// Aborts the handler task if the run is abandoned (caller gone, endpoint shut down).
struct AbortOnDrop(JoinHandle<Result<Bytes, super::handler::HandlerError>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Call {
    /// Records and runs attempt number `attempt`.
    pub(crate) async fn run(&self, attempt: u32, recorder: &Recorder) -> Attempt {
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
            attempt,
        });
        let log = ExecutionLog::default();
        log.start(request_id, &target.executed_version);
        let synchronous = self.invocation_type == InvocationType::RequestResponse;
        let invocation = Invocation {
            request_id: request_id.clone(),
            function_name: target.name.clone(),
            executed_version: target.executed_version.clone(),
            invocation_type: self.invocation_type,
            payload: self.payload.clone(),
            client_context: self.client_context.clone().filter(|_| synchronous),
            log: log.clone(),
        };
        let handler = target.handler.clone();
        let started = Instant::now();
        let mut task = AbortOnDrop(tokio::spawn(async move { handler.call(invocation).await }));
        let outcome = match tokio::time::timeout(target.timeout, &mut task.0).await {
            Ok(Ok(Ok(body))) if body.is_empty() => Ok(Bytes::from_static(b"null")),
            Ok(Ok(Ok(body))) => Ok(body),
            Ok(Ok(Err(error))) => Err(error.into_json()),
            Ok(Err(join_error)) => Err(crash_object(request_id, join_error)),
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
        drop(task);
        Attempt {
            outcome,
            log: log.finish(request_id, started.elapsed()),
        }
    }
}

/// A panic as `lambda_runtime` reports it; any other abnormal end as a runtime exit.
fn crash_object(request_id: &str, error: JoinError) -> Value {
    if !error.is_panic() {
        return json!({
            "errorType": "Runtime.ExitError",
            "errorMessage": format!("RequestId: {request_id} Error: Runtime exited unexpectedly"),
        });
    }
    let panic = error.into_panic();
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
