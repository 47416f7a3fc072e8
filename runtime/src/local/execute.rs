//! One run of a handler: recorded, bounded by the function timeout, with panics and timeouts
//! turned into the error objects Lambda reports. The handler runs in the task that serves the
//! request (a panic is caught where it unwinds); if the caller goes away before it ends, the
//! rest of the run becomes a task of its own ([`Running`]): a task is spawned only then.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use futures_util::FutureExt as _;
use serde_json::{Value, json};

use super::handler::{HandlerFuture, Invocation};
use super::log::ExecutionLog;
use super::recording::{RecordedInvocation, Recorder};
use super::registry::Target;
use crate::error::object::ErrorObject;
use crate::invocation::InvocationType;

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
        let started = Instant::now();
        // The handler is called under the panic guard too: a handler that panics before it
        // returns its future is caught like one that panics while it runs.
        let called = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            target.handler.call(invocation)
        }));
        let outcome = match called {
            Err(panic) => Err(panic_object(panic)),
            Ok(run) => {
                let mut run = Running {
                    run: Some(run),
                    deadline: tokio::time::Instant::now() + target.timeout,
                };
                match tokio::time::timeout(target.timeout, &mut run).await {
                    Ok(Ok(Ok(body))) if body.is_empty() => Ok(Bytes::from_static(b"null")),
                    Ok(Ok(Ok(body))) => Ok(body),
                    Ok(Ok(Err(error))) => Err(error.answer()),
                    Ok(Err(panic)) => Err(panic_object(panic)),
                    Err(_elapsed) => {
                        run.stop();
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
                }
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

/// A function's run, polled in the task that awaits it (the request's), under the panic
/// guard. Dropped before the run ends (the caller went away: its call's future dropped, its
/// connection closed), it hands the rest of the run to a task of its own, which the
/// function's deadline still bounds: as on Lambda, a caller that goes away does not stop a
/// function already running. A run that ends where it is awaited costs no task.
struct Running {
    run: Option<HandlerFuture>,
    deadline: tokio::time::Instant,
}

impl Running {
    /// Stops the run here, without handing it on (the function's timeout).
    fn stop(&mut self) {
        self.run = None;
    }
}

impl Future for Running {
    type Output = std::thread::Result<Result<Bytes, ErrorObject>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(run) = self.run.as_mut() else {
            return Poll::Pending;
        };
        let polled =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run.as_mut().poll(cx)));
        let ended = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(result)) => Ok(result),
            Err(panic) => Err(panic),
        };
        self.run = None;
        Poll::Ready(ended)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(run) = self.run.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let deadline = self.deadline;
            runtime.spawn(async move {
                let _ = tokio::time::timeout_at(deadline, run).await;
            });
        }
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

/// What a streamed run sends, each piece as it is made.
pub(crate) type Sent = std::pin::Pin<Box<dyn futures_util::Stream<Item = Bytes> + Send>>;

impl Call {
    /// Records and runs the call for `InvokeWithResponseStream`: its chunks as `PayloadChunk`
    /// frames as the handler yields them (read only as fast as the caller takes them), then
    /// `InvokeComplete` with the function's error and the log tail. A panic, the function's
    /// timeout (over the whole stream) and a response over `limit` bytes end the stream with
    /// the error Lambda reports. `permit` (the concurrency slot) is held until the end.
    pub(crate) fn run_streaming(
        self,
        recorder: &Recorder,
        tail: bool,
        limit: usize,
        permit: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> Sent {
        use crate::stream::frames::{MAX_CHUNK, invoke_complete, payload_chunk};
        let state = self.streamed(recorder, tail, limit, permit);
        let frames = futures_util::stream::unfold(state, |mut state| async move {
            let frames = match state.next_step().await? {
                Step::Chunk(mut chunk) => {
                    let mut frames = Vec::with_capacity(1 + chunk.len() / MAX_CHUNK);
                    while chunk.len() > MAX_CHUNK {
                        frames.push(payload_chunk(chunk.split_to(MAX_CHUNK)));
                    }
                    frames.push(payload_chunk(chunk));
                    frames
                }
                Step::End(outcome) => {
                    let log = state.log_tail();
                    vec![invoke_complete(outcome.as_ref().err(), log)]
                }
            };
            Some((futures_util::stream::iter(frames), state))
        });
        Box::pin(futures_util::StreamExt::flatten(frames))
    }

    /// Like [`run_streaming`](Self::run_streaming), as `cargo lambda watch` answers: the raw
    /// chunks, then a function error as the text `lambda_runtime` writes for it, no limit.
    pub(crate) fn run_raw_stream(self, recorder: &Recorder) -> Sent {
        let state = self.streamed(recorder, false, usize::MAX, None);
        Box::pin(futures_util::stream::unfold(
            state,
            |mut state| async move {
                let sent = match state.next_step().await? {
                    Step::Chunk(chunk) => chunk,
                    Step::End(Ok(())) => Bytes::new(),
                    Step::End(Err(object)) => Bytes::from(format!(
                        "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: {}\r\n",
                        aws_smithy_types::base64::encode(object.to_string())
                    )),
                };
                Some((sent, state))
            },
        ))
    }

    fn streamed(
        self,
        recorder: &Recorder,
        tail: bool,
        limit: usize,
        permit: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> Streamed {
        let target = self.target.clone();
        recorder.record(RecordedInvocation {
            request_id: self.request_id.clone(),
            function: target.name.clone(),
            qualifier: self.qualifier.clone(),
            executed_version: target.executed_version.clone(),
            invocation_type: self.invocation_type,
            payload: self.payload.clone(),
            client_context: self.client_context.clone(),
            tenant_id: self.tenant_id.clone(),
            durable_execution_name: None,
            attempt: 1,
        });
        let log = ExecutionLog::default();
        if tail {
            log.start(&self.request_id, &target.executed_version);
        }
        let invocation = Invocation {
            request_id: self.request_id.clone(),
            invoked_function_arn: std::sync::OnceLock::new(),
            qualifier: self.qualifier.clone(),
            deadline: SystemTime::now() + target.timeout,
            function_name: target.name.clone(),
            executed_version: target.executed_version.clone(),
            invocation_type: self.invocation_type,
            payload: self.payload.clone(),
            client_context: self.client_context.clone(),
            tenant_id: self.tenant_id.clone().filter(|_| target.tenant_isolated),
            durable_execution_name: None,
            log: log.clone(),
        };
        Streamed {
            phase: Phase::Start(Box::new(invocation)),
            handler: target.handler.clone(),
            deadline: tokio::time::Instant::now() + target.timeout,
            timeout: target.timeout,
            started: Instant::now(),
            request_id: self.request_id,
            log,
            tail,
            sent: 0,
            limit,
            _permit: permit,
        }
    }
}

/// One step of a streamed run.
enum Step {
    /// A chunk the handler yielded.
    Chunk(Bytes),
    /// The end: the function's error object, if it failed.
    End(Result<(), Value>),
}

enum Phase {
    Start(Box<Invocation>),
    Chunks(crate::serve::method::ResponseChunks),
    Done,
}

struct Streamed {
    phase: Phase,
    handler: super::handler::Handler,
    deadline: tokio::time::Instant,
    timeout: std::time::Duration,
    started: Instant,
    request_id: String,
    log: ExecutionLog,
    tail: bool,
    sent: usize,
    limit: usize,
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Streamed {
    /// The next chunk, or the end; `None` after the end.
    async fn next_step(&mut self) -> Option<Step> {
        use futures_util::StreamExt as _;
        loop {
            let end = match std::mem::replace(&mut self.phase, Phase::Done) {
                Phase::Done => return None,
                Phase::Start(invocation) => {
                    let handler = self.handler.clone();
                    let started = std::panic::AssertUnwindSafe(async move {
                        handler.call_streaming(*invocation).await
                    })
                    .catch_unwind();
                    match tokio::time::timeout_at(self.deadline, started).await {
                        Ok(Ok(Ok(chunks))) => {
                            self.phase = Phase::Chunks(chunks);
                            continue;
                        }
                        Ok(Ok(Err(error))) => Err(error.answer()),
                        Ok(Err(panic)) => Err(panic_object(panic)),
                        Err(_elapsed) => Err(self.timed_out()),
                    }
                }
                Phase::Chunks(mut chunks) => {
                    let next = std::panic::AssertUnwindSafe(chunks.next()).catch_unwind();
                    match tokio::time::timeout_at(self.deadline, next).await {
                        Ok(Ok(Some(Ok(chunk)))) => {
                            self.sent = self.sent.saturating_add(chunk.len());
                            if self.sent > self.limit {
                                Err(json!({
                                    "errorType": "Function.ResponseSizeTooLarge",
                                    "errorMessage": format!(
                                        "Response payload size exceeded maximum allowed payload size ({} bytes).",
                                        self.limit
                                    ),
                                }))
                            } else {
                                self.phase = Phase::Chunks(chunks);
                                if chunk.is_empty() {
                                    continue;
                                }
                                return Some(Step::Chunk(chunk));
                            }
                        }
                        Ok(Ok(Some(Err(object)))) => Err(object.answer()),
                        Ok(Ok(None)) => Ok(()),
                        Ok(Err(panic)) => Err(panic_object(panic)),
                        Err(_elapsed) => Err(self.timed_out()),
                    }
                }
            };
            return Some(Step::End(end));
        }
    }

    /// The base64 log tail, when the caller asked for it (after the end).
    fn log_tail(&self) -> Option<String> {
        self.tail.then(|| {
            super::log::tail_base64(&self.log.finish(&self.request_id, self.started.elapsed()))
        })
    }

    fn timed_out(&self) -> Value {
        let message = format!(
            "Task timed out after {:.2} seconds",
            self.timeout.as_secs_f64()
        );
        self.log.line(&format!("{} {message}", self.request_id));
        json!({
            "errorType": "Sandbox.Timedout",
            "errorMessage": format!("RequestId: {} Error: {message}", self.request_id),
        })
    }
}
