//! Test support: a scripted Invoke endpoint on loopback and an SDK client pointed at it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::retry::{RetryConfig, RetryPartition, TokenBucket};
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use lambda_remote::aws_sdk_lambda::config::{Intercept, RuntimeComponents};

/// What the scripted server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::status(200, body)
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A service error as AWS encodes it.
    pub fn service_error(status: u16, code: &str, message: &str) -> Self {
        Self::status(
            status,
            serde_json::json!({"Type": "User", "message": message}).to_string(),
        )
        .header("x-amzn-ErrorType", code)
        .header("content-type", "application/json")
    }

    /// A function error as Lambda encodes it.
    pub fn function_error(body: &str) -> Self {
        Self::ok(body.as_bytes().to_vec()).header("X-Amz-Function-Error", "Unhandled")
    }
}

type Script = dyn Fn(&Received) -> Reply + Send + Sync;

/// A loopback server that answers every request with a script and records what it received.
pub struct Scripted {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    pub async fn start(script: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let script: Arc<Script> = Arc::new(script);
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = (script, received.clone());
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (script, received) = state.clone();
                async move {
                    let request = Received {
                        method,
                        path: uri.path().to_owned(),
                        query: uri.query().map(str::to_owned),
                        headers,
                        body,
                    };
                    let reply = script(&request);
                    received.lock().unwrap().push(request);
                    let mut response: Response =
                        (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
                    for (name, value) in reply.headers {
                        response.headers_mut().insert(
                            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                            value.parse().unwrap(),
                        );
                    }
                    response
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            received,
            task,
        }
    }

    /// How many requests reached the server.
    pub fn requests(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn last(&self) -> Received {
        self.received().pop().expect("a request was received")
    }

    /// An SDK client for this server with fast retries (3 attempts, 1 ms backoff).
    pub fn sdk(&self) -> aws_sdk_lambda::Client {
        sdk_client(&self.url())
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An SDK client for a loopback endpoint: static test credentials, fast retries (3 attempts,
/// 1–5 ms backoff) and a retry quota of its own that never runs out, so that the number of
/// attempts depends on the failure alone, not on what other tests spent.
pub fn sdk_client(url: &str) -> aws_sdk_lambda::Client {
    aws_sdk_lambda::Client::from_conf(sdk_config(url).build())
}

/// [`sdk_client`], also counting the attempts the SDK makes (connections refused included).
pub fn counting_sdk_client(url: &str) -> (aws_sdk_lambda::Client, Attempts) {
    let attempts = Attempts::default();
    let config = sdk_config(url).interceptor(attempts.clone()).build();
    (aws_sdk_lambda::Client::from_conf(config), attempts)
}

/// The configuration of [`sdk_client`], to add to.
pub fn sdk_config(url: &str) -> aws_sdk_lambda::config::Builder {
    aws_sdk_lambda::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            TEST_ACCESS_KEY,
            TEST_SECRET_KEY,
            Some(TEST_SESSION_TOKEN.into()),
            None,
            "test",
        ))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .retry_partition(
            RetryPartition::custom("lambda-remote-tests")
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
}

/// The test credentials: none of them may ever be printed.
pub const TEST_ACCESS_KEY: &str = "AKIDTEST";
pub const TEST_SECRET_KEY: &str = "wJalrXUtnFEMI-test-secret-key";
pub const TEST_SESSION_TOKEN: &str = "FwoGZXIvYXdzE-test-session-token";

/// Counts the attempts the SDK makes.
#[derive(Debug, Clone, Default)]
pub struct Attempts(Arc<AtomicUsize>);

impl Attempts {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "attempts"
    }

    fn read_before_attempt(
        &self,
        _context: &aws_sdk_lambda::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut aws_sdk_lambda::config::ConfigBag,
    ) -> Result<(), aws_sdk_lambda::error::BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

pub mod event_stream;
pub mod proxy;
pub mod raw;
pub mod runtime_api;
pub mod spans;
