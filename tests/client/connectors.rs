//! Delivery through an HTTP client that is not the SDK's default: the test's own connector,
//! hyper's connection-level HTTP/1 over a tokio `TcpStream` with a DNS resolver of its own,
//! so that no hyper-util client error is in any failure's chain. Whether a connection was
//! ever opened is read from connector-independent errors (a refused connect, a name that did
//! not resolve); what the connector cannot prove (its own connect timeout) is taken as "may
//! have run": sent once at most once, 3 times at least once. Requests are counted where they
//! arrive, runs where the function runs, connects where the connector makes them.

use crate::support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body_util::BodyExt;
use lambda_remote::aws_sdk_lambda::config::timeout::TimeoutConfig;
use lambda_remote::error::Redelivery;
use lambda_remote::{Delivery, InvokeError, lambda_remote};
use support::proxy::Counted;

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;
}

const BOTH: [Delivery; 2] = [Delivery::AtMostOnce, Delivery::AtLeastOnce];

/// A resolver of the test's own: `lambda.test` is 127.0.0.1 when `resolves`, an IP literal is
/// itself, and no other name resolves. Nothing is asked of any DNS server.
#[derive(Debug, Clone)]
struct TestResolver {
    resolves: bool,
}

impl ResolveDns for TestResolver {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        let answer = match name.parse::<IpAddr>() {
            Ok(ip) => Ok(vec![ip]),
            Err(_) if self.resolves && name == "lambda.test" => {
                Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)])
            }
            Err(_) => Err(ResolveDnsError::new(format!("{name}: no such name"))),
        };
        DnsFuture::ready(answer)
    }
}

/// The test's HTTP client: resolves with [`TestResolver`], connects with tokio (bounded by the
/// SDK's connect timeout, which it reports as a timeout of its own), speaks HTTP/1 with
/// hyper's connection-level client. Counts its connects.
#[derive(Debug, Clone)]
struct TcpClient {
    resolver: TestResolver,
    connects: Arc<AtomicUsize>,
}

impl TcpClient {
    fn new(resolves: bool) -> Self {
        Self {
            resolver: TestResolver { resolves },
            connects: Arc::default(),
        }
    }

    fn connects(&self) -> usize {
        self.connects.load(Ordering::SeqCst)
    }
}

#[derive(Debug, Clone)]
struct TcpConnector {
    client: TcpClient,
    connect_timeout: Duration,
}

impl HttpClient for TcpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(TcpConnector {
            client: self.clone(),
            connect_timeout: settings.connect_timeout().expect("a connect timeout"),
        })
    }
}

impl HttpConnector for TcpConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let this = self.clone();
        HttpConnectorFuture::new(async move { this.send(request).await })
    }
}

impl TcpConnector {
    async fn send(self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let mut request = request
            .try_into_http1x()
            .map_err(|e| ConnectorError::user(e.into()))?;
        let uri = request.uri().clone();
        let host = uri.host().expect("a host").to_owned();
        let port = uri.port_u16().expect("a port");
        let ips = self
            .client
            .resolver
            .resolve_dns(&host)
            .await
            .map_err(|e| ConnectorError::io(e.into()))?;
        let addr = SocketAddr::new(ips[0], port);
        self.client.connects.fetch_add(1, Ordering::SeqCst);
        let stream =
            match tokio::time::timeout(self.connect_timeout, tokio::net::TcpStream::connect(addr))
                .await
            {
                Err(_elapsed) => {
                    return Err(ConnectorError::timeout(
                        std::io::Error::from(std::io::ErrorKind::TimedOut).into(),
                    ));
                }
                Ok(Err(e)) => return Err(ConnectorError::io(e.into())),
                Ok(Ok(stream)) => stream,
            };
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .map_err(|e| ConnectorError::io(e.into()))?;
        tokio::spawn(connection);
        *request.uri_mut() = uri
            .path_and_query()
            .expect("a path")
            .as_str()
            .parse()
            .unwrap();
        let authority = format!("{host}:{port}");
        request
            .headers_mut()
            .insert(hyper::header::HOST, authority.parse().unwrap());
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| ConnectorError::io(e.into()))?;
        let (parts, body) = response.into_parts();
        let body: Bytes = body
            .collect()
            .await
            .map_err(|e| ConnectorError::io(e.into()))?
            .to_bytes();
        HttpResponse::try_from(hyper::Response::from_parts(parts, SdkBody::from(body)))
            .map_err(|e| ConnectorError::other(e.into(), None))
    }
}

/// An SDK client for `url` on `http`, counting its attempts; connects time out after 200 ms.
fn client(url: &str, http: &TcpClient, delivery: Delivery) -> (EchoClient, support::Attempts) {
    let attempts = support::Attempts::default();
    let config = support::sdk_config(url)
        .http_client(http.clone())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(200))
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
        .interceptor(attempts.clone())
        .build();
    let sdk = lambda_remote::aws_sdk_lambda::Client::from_conf(config);
    let client = EchoClient::builder(sdk).delivery(delivery).build().unwrap();
    (client, attempts)
}

/// `echo` answers its payload and counts.
async fn functions() -> Counted {
    Counted::start(&["echo"], |invocation| {
        let payload = Bytes::copy_from_slice(invocation.payload());
        async move { Ok(payload) }
    })
    .await
}

/// A loopback listener that never accepts, its backlog full: a connection to it is never
/// opened (its SYN goes unanswered). The filling connections are kept with it.
fn full_backlog() -> (
    SocketAddr,
    Vec<std::net::TcpStream>,
    tokio::net::TcpListener,
) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut filling = Vec::new();
    for _ in 0..64 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => filling.push(stream),
            Err(_) => return (addr, filling, listener),
        }
    }
    panic!("the backlog never filled up");
}

#[tokio::test]
async fn the_tests_own_connector_reaches_the_function() {
    for delivery in BOTH {
        let functions = functions().await;
        let port = functions.url().rsplit(':').next().unwrap().to_owned();
        let http = TcpClient::new(true);
        let (client, attempts) = client(&format!("http://lambda.test:{port}"), &http, delivery);
        let value = client.echo(serde_json::json!({"n": 1})).await.unwrap();
        assert_eq!(value, serde_json::json!({"n": 1}));
        assert_eq!(
            (attempts.get(), http.connects(), functions.counts().await),
            (1, 1, (1, 1)),
            "{delivery}"
        );
    }
}

#[tokio::test]
async fn a_refused_connect_or_an_unresolved_name_is_retried_in_every_mode_and_runs_nothing() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    for delivery in BOTH {
        // The functions exist and count; no connection to them is ever opened.
        let functions = functions().await;
        let port = functions.url().rsplit(':').next().unwrap().to_owned();
        let cases = [
            ("refused", format!("http://{refused}"), true, 3),
            (
                "name not resolved",
                format!("http://lambda.test:{port}"),
                false,
                0,
            ),
        ];
        for (what, url, resolves, connects) in cases {
            let http = TcpClient::new(resolves);
            let (client, attempts) = client(&url, &http, delivery);
            let error = client.echo(serde_json::json!(1)).await.unwrap_err();
            assert!(
                matches!(error, InvokeError::Transport(_)),
                "{what}: {error:?}"
            );
            assert_eq!(error.redelivery(), Redelivery::Safe, "{what} {delivery}");
            assert_eq!(
                (attempts.get(), http.connects(), functions.counts().await),
                (3, connects, (0, 0)),
                "{what} {delivery}: 3 attempts, no request, no run"
            );
        }
    }
}

#[tokio::test]
async fn a_connect_timeout_the_connector_cannot_prove_is_sent_again_only_at_least_once() {
    let (never_accepted, _filling, _listener) = full_backlog();
    for delivery in BOTH {
        let functions = functions().await;
        let http = TcpClient::new(true);
        let (client, attempts) = client(&format!("http://{never_accepted}"), &http, delivery);
        let error = client.echo(serde_json::json!(1)).await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(error.redelivery(), Redelivery::IfIdempotent, "{delivery}");
        let sent = match delivery {
            Delivery::AtMostOnce => 1,
            Delivery::AtLeastOnce => 3,
            other => unreachable!("a delivery mode this test does not know: {other}"),
        };
        assert_eq!(
            (attempts.get(), http.connects(), functions.counts().await),
            (sent, sent, (0, 0)),
            "{delivery}"
        );
    }
}
