//! A loopback TCP proxy in front of a real endpoint that spoils answers on purpose: the
//! request reaches the endpoint (the function runs), and only then does the proxy do its
//! [`Fault`] — close the caller's connection without a byte of the answer, cut the answer
//! off, stall it, or answer something else. [`Fault::Answer`] alone answers without
//! forwarding. The function's runs are counted where it runs (see [`Counted`]), the requests
//! where they arrive (here).

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use lambda_remote::ErrorObject;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::local::{Function, Invocation, LocalLambda, LocalLambdaBuilder};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Forwards it and passes the answer on.
    Pass,
    /// Forwards it, then closes the caller's connection without a byte of the answer: a reset
    /// after the request was written.
    Close,
    /// Forwards it, then writes the answer's first half and closes: its head and half its
    /// body, or, when the body is empty, half its head (the status line included).
    Cut,
    /// Forwards it, then holds the answer back this long before passing it on.
    Stall(Duration),
    /// Forwards it, then answers these bytes (a whole response) instead of the answer.
    Replace(Vec<u8>),
    /// Forwards it, then passes the answer on with this status (e.g. `"502 Bad Gateway"`).
    Status(&'static str),
    /// Forwards it, then passes the answer on with this body (`Content-Length` to match).
    Body(Vec<u8>),
    /// Forwards it, then passes the answer on with this header set to this value.
    Header(&'static str, &'static str),
    /// Answers these bytes (a whole response) without forwarding: nothing reaches the
    /// endpoint.
    Answer(Vec<u8>),
}

pub struct LossyProxy {
    pub url: String,
    requests: Arc<AtomicUsize>,
    plan: Arc<Mutex<Plan>>,
    task: tokio::task::JoinHandle<()>,
}

/// The fault to do, and for how many more requests (`None`: for all).
#[derive(Debug)]
struct Plan {
    fault: Fault,
    left: Option<usize>,
}

impl Plan {
    fn next(&mut self) -> Fault {
        match &mut self.left {
            None => self.fault.clone(),
            Some(0) => Fault::Pass,
            Some(left) => {
                *left -= 1;
                self.fault.clone()
            }
        }
    }
}

impl LossyProxy {
    /// Proxies to `upstream` (`127.0.0.1:PORT`), passing every answer on.
    pub async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let plan = Arc::new(Mutex::new(Plan {
            fault: Fault::Pass,
            left: None,
        }));
        let (counter, current) = (requests.clone(), plan.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, current) = (counter.clone(), current.clone());
                tokio::spawn(async move { serve(stream, upstream, counter, current).await });
            }
        });
        Self {
            url,
            requests,
            plan,
            task,
        }
    }

    /// Does `fault` to every request from now on.
    pub fn fault(&self, fault: Fault) {
        *self.plan.lock().unwrap() = Plan { fault, left: None };
    }

    /// Does `fault` to the next `n` requests, then passes answers on.
    pub fn fault_next(&self, fault: Fault, n: usize) {
        *self.plan.lock().unwrap() = Plan {
            fault,
            left: Some(n),
        };
    }

    /// Loses the answers to the next `n` requests ([`Fault::Close`]), then passes answers on.
    pub fn lose_next(&self, n: usize) {
        *self.plan.lock().unwrap() = Plan {
            fault: Fault::Close,
            left: Some(n),
        };
    }

    /// How many complete requests arrived (forwarded or answered by [`Fault::Answer`]).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    plan: Arc<Mutex<Plan>>,
) {
    let mut server = None;
    loop {
        let Some(request) = super::raw::read_message(&mut client).await else {
            return;
        };
        requests.fetch_add(1, Ordering::SeqCst);
        let fault = plan.lock().unwrap().next();
        if let Fault::Answer(bytes) = &fault {
            if client.write_all(bytes).await.is_err() {
                return;
            }
            continue;
        }
        if server.is_none() {
            let Ok(stream) = TcpStream::connect(upstream).await else {
                return;
            };
            server = Some(stream);
        }
        let server = server.as_mut().unwrap();
        if server.write_all(&request).await.is_err() {
            return;
        }
        let Some(answer) = super::raw::read_message(server).await else {
            return;
        };
        // The function ran (or its event was queued) and answered; now the fault.
        let answer = match fault {
            Fault::Pass | Fault::Answer(_) => answer,
            Fault::Close => return,
            Fault::Cut => {
                let _ = client.write_all(&first_half(&answer)).await;
                return;
            }
            Fault::Stall(duration) => {
                tokio::time::sleep(duration).await;
                answer
            }
            Fault::Replace(bytes) => bytes,
            Fault::Status(status) => Answer::parse(&answer).status(status).bytes(),
            Fault::Body(body) => Answer::parse(&answer).body(body).bytes(),
            Fault::Header(name, value) => Answer::parse(&answer).header(name, value).bytes(),
        };
        if client.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// The head and half the body, or half the head when the body is empty.
fn first_half(answer: &[u8]) -> Vec<u8> {
    let head = head_length(answer);
    let cut = if answer.len() > head {
        head + (answer.len() - head) / 2
    } else {
        head / 2
    };
    answer[..cut].to_vec()
}

fn head_length(message: &[u8]) -> usize {
    message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(message.len(), |end| end + 4)
}

/// An HTTP/1.1 answer taken apart, to be put back together changed.
struct Answer {
    status: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Self {
        let head_end = head_length(bytes);
        let head = String::from_utf8_lossy(&bytes[..head_end]);
        let mut lines = head.split("\r\n").filter(|line| !line.is_empty());
        let status = lines
            .next()
            .and_then(|line| line.split_once(' '))
            .map(|(_, status)| status.to_owned())
            .unwrap_or_default();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
            .collect();
        Self {
            status,
            headers,
            body: bytes[head_end..].to_vec(),
        }
    }

    fn status(mut self, status: &str) -> Self {
        status.clone_into(&mut self.status);
        self
    }

    fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn bytes(self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {}\r\n", self.status);
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("content-length") {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        out.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// Functions on the local endpoint that count their runs where they run (in the handler),
/// behind a [`LossyProxy`]: a client pointed at [`url`](Self::url) reaches them through it.
pub struct Counted {
    pub lambda: LocalLambda,
    pub proxy: LossyProxy,
    runs: Arc<AtomicUsize>,
}

impl Counted {
    /// Functions `names` on a default endpoint, each counting, then running `handler`.
    pub async fn start<F, Fut>(names: &[&str], handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Bytes, ErrorObject>> + Send + 'static,
    {
        Self::start_on(LocalLambda::builder(), names, |function| function, handler).await
    }

    /// [`start`](Self::start) on `builder`, each function set up by `setup`.
    pub async fn start_on<F, Fut>(
        mut builder: LocalLambdaBuilder,
        names: &[&str],
        setup: impl Fn(Function) -> Function,
        handler: F,
    ) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Bytes, ErrorObject>> + Send + 'static,
    {
        let runs = Arc::new(AtomicUsize::new(0));
        let (counter, handler) = (runs.clone(), Arc::new(handler));
        let counting = lambda_remote::local::Handler::new(move |invocation| {
            counter.fetch_add(1, Ordering::SeqCst);
            handler(invocation)
        });
        for name in names {
            builder = builder.function(setup(Function::new(*name, counting.clone())));
        }
        let lambda = builder.start().await.unwrap();
        let proxy = LossyProxy::start(lambda.addr()).await;
        Self {
            lambda,
            proxy,
            runs,
        }
    }

    /// Where a client reaches the functions: the proxy.
    pub fn url(&self) -> String {
        self.proxy.url.clone()
    }

    /// An SDK client for [`url`](Self::url), with the tests' fast retries.
    pub fn sdk(&self) -> aws_sdk_lambda::Client {
        super::sdk_client(&self.url())
    }

    /// How many requests reached the proxy.
    pub fn requests(&self) -> usize {
        self.proxy.requests()
    }

    /// How many times the functions ran, once every queued event has run.
    pub async fn runs(&self) -> usize {
        self.lambda.drain_events().await;
        self.runs.load(Ordering::SeqCst)
    }

    /// Requests and runs, once every queued event has run.
    pub async fn counts(&self) -> (usize, usize) {
        let runs = self.runs().await;
        (self.requests(), runs)
    }
}
