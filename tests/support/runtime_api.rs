//! A minimal Lambda: an Invoke endpoint in front of a Lambda Runtime API, so that a function
//! served by the real `lambda_runtime` answers calls from the real SDK over loopback.
//!
//! Invoke `POST /2015-03-31/functions/{name}/invocations` → queued event → the runtime's
//! `GET /2018-06-01/runtime/invocation/next` → its `POST …/{id}/response` or `…/{id}/error` →
//! 200 with the result, or 200 with `X-Amz-Function-Error: Unhandled` and the error object.
//!
//! `InvokeWithResponseStream` (`POST /2021-11-15/functions/{name}/response-streaming-invocations`)
//! answers as Lambda does: each piece of the runtime's streamed response body (sent with
//! `Lambda-Runtime-Function-Response-Mode: streaming`) as a `PayloadChunk` event, as it
//! arrives and untouched (`lambda_runtime`'s metadata prelude included, as Lambda passes it
//! on), then `InvokeComplete` — with the error of HTTP trailers or of `…/error`, if any.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{mpsc, oneshot};

/// The X-Ray header the Runtime API gives every invocation.
pub const XRAY_TRACE_ID: &str =
    "Root=1-00000000-000000000000000000000001;Parent=0000000000000001;Sampled=1";

/// The ARN the Runtime API says every invocation was invoked by.
pub const INVOKED_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:served";

/// How the runtime finished an invocation.
#[derive(Debug)]
enum Outcome {
    Response(Bytes),
    Error(Bytes),
    /// A streamed response's body, and who to tell when it was read.
    Streamed(axum::body::Body, oneshot::Sender<()>),
}

struct Event {
    id: String,
    payload: Bytes,
    /// The decoded `X-Amz-Client-Context`, passed as `Lambda-Runtime-Client-Context`.
    client_context: Option<String>,
}

#[derive(Clone)]
struct Shared {
    queue: mpsc::UnboundedSender<Event>,
    next: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<Outcome>>>>,
    ids: Arc<AtomicU64>,
}

/// The Invoke front (for the SDK) and the Runtime API (for `lambda_runtime`), one port each.
pub struct MiniLambda {
    pub invoke_url: String,
    pub runtime_api: SocketAddr,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl MiniLambda {
    pub async fn start() -> Self {
        let (queue, next) = mpsc::unbounded_channel();
        let shared = Shared {
            queue,
            next: Arc::new(tokio::sync::Mutex::new(next)),
            waiting: Arc::default(),
            ids: Arc::default(),
        };
        let runtime = axum::Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next_event))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route(
                "/2018-06-01/runtime/invocation/{id}/error",
                post(|state, path, body| finish(state, path, body, true)),
            )
            .with_state(shared.clone());
        let front = axum::Router::new()
            .route("/2015-03-31/functions/{name}/invocations", post(invoke))
            .route(
                "/2021-11-15/functions/{name}/response-streaming-invocations",
                post(invoke_streaming),
            )
            .with_state(shared);
        let (runtime_api, runtime_task) = serve(runtime).await;
        let (invoke, invoke_task) = serve(front).await;
        Self {
            invoke_url: format!("http://{invoke}"),
            runtime_api,
            tasks: vec![runtime_task, invoke_task],
        }
    }
}

impl Drop for MiniLambda {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn serve(router: axum::Router) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (addr, task)
}

async fn invoke(
    State(shared): State<Shared>,
    Path(_name): Path<String>,
    request: HeaderMap,
    body: Bytes,
) -> Response {
    match run(&shared, &request, body).await {
        Ok(Outcome::Response(body)) => (StatusCode::OK, body).into_response(),
        Ok(Outcome::Error(body)) => (
            StatusCode::OK,
            [("X-Amz-Function-Error", "Unhandled")],
            body,
        )
            .into_response(),
        Ok(Outcome::Streamed(body, read)) => {
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let _ = read.send(());
            (StatusCode::OK, body).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "runtime went away").into_response(),
    }
}

async fn invoke_streaming(
    State(shared): State<Shared>,
    Path(_name): Path<String>,
    request: HeaderMap,
    body: Bytes,
) -> Response {
    use futures_util::StreamExt as _;
    let events = match run(&shared, &request, body).await {
        Ok(Outcome::Response(body)) => {
            futures_util::stream::iter(vec![chunk_event(body), complete_event(None)]).boxed()
        }
        Ok(Outcome::Error(body)) => {
            futures_util::stream::iter(vec![complete_event(Some(&body))]).boxed()
        }
        Ok(Outcome::Streamed(body, read)) => relay(body, read).boxed(),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "runtime went away").into_response(),
    };
    (
        StatusCode::OK,
        [("content-type", "application/vnd.amazon.eventstream")],
        axum::body::Body::from_stream(events.map(Ok::<_, std::convert::Infallible>)),
    )
        .into_response()
}

/// The runtime's streamed body as events: each data frame a `PayloadChunk`, then
/// `InvokeComplete` (with the error its trailers report, if any).
fn relay(
    body: axum::body::Body,
    read: oneshot::Sender<()>,
) -> impl futures_util::Stream<Item = Bytes> + Send {
    futures_util::stream::unfold(Some((body, read)), |state| async move {
        use http_body_util::BodyExt as _;
        let (mut body, read) = state?;
        match body.frame().await {
            Some(Ok(frame)) if frame.is_data() => {
                let data = frame.into_data().unwrap_or_default();
                Some((chunk_event(data), Some((body, read))))
            }
            Some(Ok(frame)) => {
                let trailers = frame.into_trailers().unwrap_or_default();
                let error = trailers
                    .get("lambda-runtime-function-error-body")
                    .and_then(|b| {
                        use base64::Engine as _;
                        base64::engine::general_purpose::STANDARD
                            .decode(b.as_bytes())
                            .ok()
                    })
                    .map(Bytes::from);
                let _ = read.send(());
                Some((complete_event(error.as_ref()), None))
            }
            Some(Err(_)) | None => {
                let _ = read.send(());
                Some((complete_event(None), None))
            }
        }
    })
}

fn chunk_event(data: Bytes) -> Bytes {
    Bytes::from(super::event_stream::chunk(&data))
}

/// `InvokeComplete`; an error object's `errorType` as `ErrorCode`, the object as
/// `ErrorDetails`.
fn complete_event(error: Option<&Bytes>) -> Bytes {
    let body = match error {
        None => serde_json::json!({}),
        Some(error) => {
            let object: serde_json::Value = serde_json::from_slice(error).unwrap_or_default();
            serde_json::json!({
                "ErrorCode": object["errorType"].as_str().unwrap_or("Unhandled"),
                "ErrorDetails": String::from_utf8_lossy(error),
            })
        }
    };
    Bytes::from(super::event_stream::complete(&body.to_string()))
}

/// Queues one event and waits for the runtime to answer it.
async fn run(
    shared: &Shared,
    request: &HeaderMap,
    body: Bytes,
) -> Result<Outcome, oneshot::error::RecvError> {
    use base64::Engine as _;
    let id = format!("req-{}", shared.ids.fetch_add(1, Ordering::SeqCst));
    let (done, outcome) = oneshot::channel();
    shared.waiting.lock().unwrap().insert(id.clone(), done);
    let client_context = request
        .get("x-amz-client-context")
        .and_then(|v| {
            base64::engine::general_purpose::STANDARD
                .decode(v.as_bytes())
                .ok()
        })
        .and_then(|json| String::from_utf8(json).ok());
    let _ = shared.queue.send(Event {
        id,
        payload: body,
        client_context,
    });
    outcome.await
}

async fn next_event(State(shared): State<Shared>) -> Response {
    let event = shared.next.lock().await.recv().await;
    match event {
        Some(event) => {
            let mut headers = HeaderMap::new();
            headers.insert("lambda-runtime-aws-request-id", event.id.parse().unwrap());
            headers.insert(
                "lambda-runtime-deadline-ms",
                "99999999999999".parse().unwrap(),
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                INVOKED_ARN.parse().unwrap(),
            );
            headers.insert("lambda-runtime-trace-id", XRAY_TRACE_ID.parse().unwrap());
            if let Some(context) = event.client_context {
                headers.insert("lambda-runtime-client-context", context.parse().unwrap());
            }
            (StatusCode::OK, headers, event.payload).into_response()
        }
        None => StatusCode::GONE.into_response(),
    }
}

/// The runtime's answer: whole, or (`Lambda-Runtime-Function-Response-Mode: streaming`) a
/// body relayed as it arrives, answered once it was read.
async fn respond(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> StatusCode {
    let streaming = request
        .headers()
        .get("lambda-runtime-function-response-mode")
        .is_some_and(|mode| mode == "streaming");
    if !streaming {
        let body = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        return finish(State(shared), Path(id), body, false).await;
    }
    let Some(done) = shared.waiting.lock().unwrap().remove(&id) else {
        return StatusCode::ACCEPTED;
    };
    let (read, was_read) = oneshot::channel();
    let _ = done.send(Outcome::Streamed(request.into_body(), read));
    let _ = was_read.await;
    StatusCode::ACCEPTED
}

async fn finish(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
    error: bool,
) -> StatusCode {
    if let Some(done) = shared.waiting.lock().unwrap().remove(&id) {
        let _ = done.send(if error {
            Outcome::Error(body)
        } else {
            Outcome::Response(body)
        });
    }
    StatusCode::ACCEPTED
}
