//! What the benchmarks share: one contract, the hand-written SDK calls it is measured against,
//! the plain hyper client that gives the loopback floor, a bare axum echo server, and a TCP
//! proxy that counts the connections a client opens.
//!
//! Every server here listens on 127.0.0.1 only.

#![allow(dead_code)]

pub mod counting;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::operation::invoke::InvokeOutput;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::aws_sdk_lambda::types::InvocationType;
use lambda_remote::local::{Handler, LocalLambda};
use lambda_remote::{FunctionError, InvokeError, lambda_remote};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The small struct payload of the per-call and fan-out benchmarks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub sku: String,
    pub qty: u32,
    pub customer: String,
}

/// What the order function answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub total_cents: u64,
}

/// The large payload: one string of [`LARGE_BYTES`] characters, as a struct.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub body: String,
}

/// The order function's own errors (never raised here: the success path is measured).
#[derive(Debug, FunctionError, thiserror::Error)]
pub enum OrderError {
    #[error("declined")]
    Declined,
}

/// The contract under test.
#[lambda_remote]
pub trait Shop {
    #[lambda(function = "bench-order")]
    async fn order(&self, order: Order) -> Result<Receipt, InvokeError<OrderError>>;

    /// A 5 MB request, a small answer.
    #[lambda(function = "bench-upload")]
    async fn upload(&self, document: Document) -> Result<u64, InvokeError>;

    /// A small request, a 5 MB answer.
    #[lambda(function = "bench-download")]
    async fn download(&self, name: String) -> Result<Document, InvokeError>;
}

/// 5 MB (MiB), under the 6 MB synchronous limit with room for the JSON around it.
pub const LARGE_BYTES: usize = 5 * 1024 * 1024;

pub const ORDER_PATH: &str = "/2015-03-31/functions/bench-order/invocations";
pub const ECHO_PATH: &str = "/2015-03-31/functions/bench-echo/invocations";
pub const UPLOAD_PATH: &str = "/2015-03-31/functions/bench-upload/invocations";
pub const DOWNLOAD_PATH: &str = "/2015-03-31/functions/bench-download/invocations";

pub fn order() -> Order {
    Order {
        sku: "SKU-0001-BLUE".to_owned(),
        qty: 3,
        customer: "c-1234567890".to_owned(),
    }
}

pub fn receipt_bytes() -> Bytes {
    Bytes::from(
        serde_json::to_vec(&Receipt {
            id: "r-SKU-0001-BLUE-3".to_owned(),
            total_cents: 3750,
        })
        .expect("a receipt serializes"),
    )
}

pub fn large_document() -> Document {
    Document {
        name: "large".to_owned(),
        body: "x".repeat(LARGE_BYTES),
    }
}

/// The local endpoint with the benchmark functions. Each answers a precomputed payload, so
/// the endpoint's own work is the same for every client measured against it:
/// - `bench-order`: a small receipt;
/// - `bench-echo`: the request payload;
/// - `bench-upload`: `1` (the endpoint still reads and checks the whole request as JSON);
/// - `bench-download`: a 5 MB document.
pub async fn local_lambda() -> LocalLambda {
    let receipt = receipt_bytes();
    let document = Bytes::from(serde_json::to_vec(&large_document()).expect("serializes"));
    LocalLambda::builder()
        .handler("bench-order", move |_| {
            let receipt = receipt.clone();
            async move { Ok(receipt) }
        })
        .handler("bench-echo", |invocation| async move {
            Ok(Bytes::copy_from_slice(invocation.payload()))
        })
        .handler("bench-upload", |_| async { Ok(Bytes::from_static(b"1")) })
        .function(lambda_remote::local::Function::new(
            "bench-download",
            Handler::new(move |_| {
                let document = document.clone();
                async move { Ok(document) }
            }),
        ))
        .start()
        .await
        .expect("the local endpoint starts")
}

/// The SDK configuration of `local`, pointed at `endpoint` (the endpoint itself or a proxy in
/// front of it).
pub fn sdk_client_via(local: &LocalLambda, endpoint: SocketAddr) -> aws_sdk_lambda::Client {
    let config = local
        .sdk_config()
        .to_builder()
        .endpoint_url(format!("http://{endpoint}"))
        .build();
    aws_sdk_lambda::Client::from_conf(config)
}

/// What the hand-written call can fail with.
#[derive(Debug)]
pub enum HandError {
    Sdk(Box<dyn std::error::Error + Send + Sync>),
    Function(String, Bytes),
    Json(serde_json::Error),
}

/// The hand-written SDK call the generated client is measured against: serialize with
/// `serde_json::to_vec`, send, check `function_error()`, deserialize the payload.
pub async fn hand_call<I, O>(
    sdk: &aws_sdk_lambda::Client,
    function: &str,
    input: &I,
) -> Result<O, HandError>
where
    I: Serialize,
    O: DeserializeOwned,
{
    let payload = serde_json::to_vec(input).map_err(HandError::Json)?;
    let output = sdk
        .invoke()
        .function_name(function)
        .payload(Blob::new(payload))
        .send()
        .await
        .map_err(|e| HandError::Sdk(Box::new(e)))?;
    decode(&output)
}

/// [`hand_call`] naming the invocation type, `RequestResponse`, as the generated client does
/// (an `X-Amz-Invocation-Type` header more, which SigV4 signs): a diagnostic, to tell the cost
/// of that header from the rest.
pub async fn hand_call_explicit<I, O>(
    sdk: &aws_sdk_lambda::Client,
    function: &str,
    input: &I,
) -> Result<O, HandError>
where
    I: Serialize,
    O: DeserializeOwned,
{
    let payload = serde_json::to_vec(input).map_err(HandError::Json)?;
    let output = sdk
        .invoke()
        .function_name(function)
        .invocation_type(InvocationType::RequestResponse)
        .payload(Blob::new(payload))
        .send()
        .await
        .map_err(|e| HandError::Sdk(Box::new(e)))?;
    decode(&output)
}

fn decode<O: DeserializeOwned>(output: &InvokeOutput) -> Result<O, HandError> {
    let body = output.payload().map(Blob::as_ref).unwrap_or(b"null");
    if let Some(error) = output.function_error() {
        return Err(HandError::Function(
            error.to_owned(),
            Bytes::copy_from_slice(body),
        ));
    }
    serde_json::from_slice(body).map_err(HandError::Json)
}

/// The plain hyper client (hyper-util's legacy client, as the SDK uses) for the loopback
/// floor and the endpoint comparison.
pub type HyperClient = hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>;

pub fn hyper_client() -> HyperClient {
    hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http()
}

/// POSTs `body` to `http://addr{path}` and reads the whole answer.
pub async fn hyper_post(client: &HyperClient, addr: SocketAddr, path: &str, body: Bytes) -> Bytes {
    let request = hyper::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(body))
        .expect("a valid request");
    let response = client.request(request).await.expect("the server answers");
    assert!(
        response.status().is_success(),
        "status {}",
        response.status()
    );
    response
        .into_body()
        .collect()
        .await
        .expect("the body arrives")
        .to_bytes()
}

/// A bare axum server answering every Invoke path with the request body.
pub async fn axum_echo() -> (SocketAddr, JoinHandle<()>) {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/2015-03-31/functions/{function}/invocations",
        post(|body: Bytes| async move { ([("content-type", "application/json")], body) }),
    );
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("binds loopback");
    let addr = listener.local_addr().expect("has an address");
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, server)
}

/// A TCP proxy on loopback that forwards to `target` and counts the connections it accepts.
pub struct CountingProxy {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl CountingProxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("binds loopback");
        let addr = listener.local_addr().expect("has an address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        let task = tokio::spawn(async move {
            loop {
                // An accept error (out of file descriptors in a wide fan-out, say) is passing:
                // wait a moment and accept on, as servers do, instead of dropping the listener
                // and refusing every later connection.
                let mut inbound = match listener.accept().await {
                    Ok((inbound, _)) => inbound,
                    Err(_) => {
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
            }
        });
        Self {
            addr,
            accepted,
            task,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The benchmarks' runtime: tokio's multi-threaded scheduler on both cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The median of `values` (sorted in place).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Shuffles `order` for round `round` (a fixed xorshift sequence, so runs are comparable). A
/// rotation would keep the cyclic order, so each kind would always follow the same other kind
/// and inherit its allocator and cache state.
pub fn shuffle(order: &mut [usize], round: usize) {
    let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ (round as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

/// The CPU time all threads of this process have run, in nanoseconds
/// (`CLOCK_PROCESS_CPUTIME_ID`). Unlike wall time, it barely moves when other processes
/// compete for the two cores, so its ratios back the wall-time ones on a busy machine.
pub fn cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant libc knows.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}
