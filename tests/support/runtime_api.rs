//! A minimal Lambda: an Invoke endpoint in front of a Lambda Runtime API, so that a function
//! served by the real `lambda_runtime` answers calls from the real SDK over loopback.
//!
//! Invoke `POST /2015-03-31/functions/{name}/invocations` → queued event → the runtime's
//! `GET /2018-06-01/runtime/invocation/next` → its `POST …/{id}/response` or `…/{id}/error` →
//! 200 with the result, or 200 with `X-Amz-Function-Error: Unhandled` and the error object.

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
                post(|state, path, body| finish(state, path, body, false)),
            )
            .route(
                "/2018-06-01/runtime/invocation/{id}/error",
                post(|state, path, body| finish(state, path, body, true)),
            )
            .with_state(shared.clone());
        let front = axum::Router::new()
            .route("/2015-03-31/functions/{name}/invocations", post(invoke))
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
    match outcome.await {
        Ok(Outcome::Response(body)) => (StatusCode::OK, body).into_response(),
        Ok(Outcome::Error(body)) => (
            StatusCode::OK,
            [("X-Amz-Function-Error", "Unhandled")],
            body,
        )
            .into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "runtime went away").into_response(),
    }
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
