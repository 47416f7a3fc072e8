//! A loopback HTTP proxy in front of moto_server's S3 that counts the S3 requests where they
//! arrive (by method and key) and can refuse some of them as S3 does (403 `AccessDenied`), so
//! a test asserts exactly how many `PutObject`, `GetObject` and `DeleteObject` requests reached
//! S3. Bodies stream through; nothing is buffered.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// One S3 request as it arrived: its method and path (`/bucket/key`), and whether the proxy
/// refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub refused: bool,
    pub headers: http::HeaderMap,
}

type Refuse = dyn Fn(&Method, &str) -> bool + Send + Sync;

pub struct S3Proxy {
    pub url: String,
    arrived: Arc<Mutex<Vec<Arrived>>>,
    refuse: Arc<Mutex<Arc<Refuse>>>,
    task: tokio::task::JoinHandle<()>,
}

impl S3Proxy {
    pub async fn start(upstream: SocketAddr) -> Self {
        let client: Client<HttpConnector, Body> =
            Client::builder(TokioExecutor::new()).build_http();
        let arrived = Arc::new(Mutex::new(Vec::new()));
        let refuse: Arc<Mutex<Arc<Refuse>>> =
            Arc::new(Mutex::new(Arc::new(|_: &Method, _: &str| false)));
        let state = (client, arrived.clone(), refuse.clone());
        let app = axum::Router::new().fallback(move |request: Request<Body>| {
            let (client, arrived, refuse) = state.clone();
            async move {
                let method = request.method().clone();
                let path = request.uri().path().to_owned();
                let query = request.uri().query().map(str::to_owned);
                let refused = (refuse.lock().unwrap().clone())(&method, &path);
                let headers = request.headers().clone();
                arrived.lock().unwrap().push(Arrived {
                    method,
                    path,
                    query,
                    refused,
                    headers,
                });
                if refused {
                    // Read the request's body first, as S3 does before its answer: an answer
                    // while the body is still being sent would reset the connection.
                    let _ = http_body_util::BodyExt::collect(request.into_body()).await;
                    return Response::builder()
                        .status(StatusCode::FORBIDDEN)
                        .header("content-type", "application/xml")
                        .body(Body::from(
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied\
                             </Code><Message>Access Denied</Message><RequestId>proxy</RequestId>\
                             </Error>",
                        ))
                        .unwrap();
                }
                let (mut parts, body) = request.into_parts();
                let path_and_query = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "/".into());
                parts.uri = format!("http://{upstream}{path_and_query}")
                    .parse()
                    .unwrap();
                match client.request(Request::from_parts(parts, body)).await {
                    Ok(response) => response.map(Body::new),
                    Err(e) => Response::builder()
                        .status(StatusCode::BAD_GATEWAY)
                        .body(Body::from(e.to_string()))
                        .unwrap(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            arrived,
            refuse,
            task,
        }
    }

    /// Refuses (403 `AccessDenied`) the requests `refuse` picks from now on.
    pub fn refuse(&self, refuse: impl Fn(&Method, &str) -> bool + Send + Sync + 'static) {
        *self.refuse.lock().unwrap() = Arc::new(refuse);
    }

    /// Every request so far.
    pub fn arrived(&self) -> Vec<Arrived> {
        self.arrived.lock().unwrap().clone()
    }

    /// Forgets the requests so far.
    pub fn reset(&self) {
        self.arrived.lock().unwrap().clear();
    }

    /// How many requests of `method` on an object under `prefix` (`/bucket/prefix…`) arrived:
    /// `PUT` is `PutObject` (or `PutObjectTagging` with `?tagging`), `GET` `GetObject`,
    /// `DELETE` `DeleteObject`.
    pub fn count(&self, method: Method, prefix: &str) -> usize {
        self.arrived
            .lock()
            .unwrap()
            .iter()
            .filter(|a| {
                a.method == method
                    && a.path.starts_with(prefix)
                    && !a.query.as_deref().unwrap_or_default().contains("tagging")
            })
            .count()
    }
}

impl Drop for S3Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
