//! The endpoint: its builder, the running server, and what tests can ask it.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_lambda::config::{BehaviorVersion, Region};
use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::errors::{Faults, ServiceError};
use super::events::{DeadLetter, EventQueue};
use super::flavor::Flavor;
use super::function::Function;
use super::function_ref::REGION;
use super::gate::{Gate, GatedListener};
use super::handler::{Handler, Invocation};
use super::recording::{RecordedInvocation, Recorder};
use super::registry::Registry;
use super::state::Shared;
use crate::client::limits::Limits;
use crate::error::object::ErrorObject;

/// Configures and starts a [`LocalLambda`].
#[derive(Debug)]
#[must_use]
pub struct LocalLambdaBuilder {
    functions: Vec<Function>,
    bind: SocketAddr,
    flavor: Flavor,
    limits: Limits,
    event_retry_delays: [Duration; 2],
}

impl LocalLambdaBuilder {
    /// Registers a function with its versions, aliases and configuration.
    pub fn function(mut self, function: Function) -> Self {
        self.functions.push(function);
        self
    }

    /// Registers a function whose `$LATEST` runs `handler` on raw bytes.
    pub fn handler<F, Fut>(self, name: impl Into<String>, handler: F) -> Self
    where
        F: Fn(Invocation) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Bytes, ErrorObject>> + Send + 'static,
    {
        self.function(Function::new(name, Handler::new(handler)))
    }

    /// Registers a function whose `$LATEST` runs a typed handler (see [`Handler::json`]).
    pub fn json_function<In, Out, F, Fut>(self, name: impl Into<String>, handler: F) -> Self
    where
        In: DeserializeOwned,
        Out: Serialize,
        F: Fn(In) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Out, ErrorObject>> + Send + 'static,
    {
        self.function(Function::new(name, Handler::json(handler)))
    }

    /// Serves a contract method (from a generated `<Trait>Server`) as the function its
    /// attribute names (the bare function name, without qualifier or ARN), with Lambda's
    /// default configuration (a 3 s timeout): [`Function::serving`] to configure it. The
    /// handler decodes the payload and encodes the result exactly as the generated client
    /// does, and the method reads the invocation's context with
    /// [`InvocationContext::current`](crate::InvocationContext::current).
    pub fn serve(self, method: crate::serve::method::MethodHandler) -> Self {
        self.function(Function::serving(method))
    }

    /// Serves several contract methods (e.g. `<Trait>Server::handlers()`); when two methods
    /// name the same function, the first one serves it.
    pub fn serve_all(
        mut self,
        methods: impl IntoIterator<Item = crate::serve::method::MethodHandler>,
    ) -> Self {
        for method in methods {
            let name = method.spec().bare_function();
            if !self.functions.iter().any(|f| f.name == name) {
                self = self.serve(method);
            }
        }
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral loopback port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The server to emulate (default [`Flavor::Aws`]).
    pub fn flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// The limits the endpoint enforces, as Lambda does: the same [`Limits`] a client checks
    /// before sending (by default Lambda's: 6 MB synchronous, 1 MB `Event`, 3,583 bytes of
    /// client context). An endpoint with lower limits than its clients shows how Lambda
    /// answers a payload over the limit.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The waits before the second and third attempts of a failed event (Lambda waits about
    /// 1 and 2 minutes; the default here is no wait).
    pub fn event_retry_delays(mut self, second: Duration, third: Duration) -> Self {
        self.event_retry_delays = [second, third];
        self
    }

    /// Binds the listener and starts serving; fails on an invalid function definition
    /// (`InvalidInput`) or if the address cannot be bound.
    pub async fn start(self) -> io::Result<LocalLambda> {
        let registry = Registry::new(self.functions)?;
        let gate = Gate::new(tokio::net::TcpListener::bind(self.bind).await?)?;
        let recorder = Arc::new(Recorder::default());
        let shared = Arc::new(Shared {
            registry,
            flavor: self.flavor,
            limits: self.limits,
            faults: Faults::default(),
            events: EventQueue::start(recorder.clone(), self.event_retry_delays),
            recorder,
            executions: Default::default(),
        });
        let router = super::routes::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let serve =
            axum::serve(GatedListener(gate.clone()), router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
        let server = tokio::spawn(async move {
            if let Err(error) = serve.await {
                tracing::warn!(%error, "local Lambda endpoint failed");
            }
        });
        Ok(LocalLambda {
            gate,
            shared,
            stop: Some(stop),
            server: Some(server),
        })
    }
}

/// An in-process Lambda endpoint on loopback that speaks the Invoke API.
///
/// Dropping it (or [`shutdown`](Self::shutdown)) closes the port at once: later requests fail
/// to connect, and requests on open connections fail.
pub struct LocalLambda {
    gate: Arc<Gate>,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl LocalLambda {
    /// A builder with no functions, bound to `127.0.0.1:0`, emulating AWS.
    pub fn builder() -> LocalLambdaBuilder {
        LocalLambdaBuilder {
            functions: Vec::new(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            flavor: Flavor::Aws,
            limits: Limits::default(),
            event_retry_delays: [Duration::ZERO; 2],
        }
    }

    /// The address the endpoint listens on.
    pub fn addr(&self) -> SocketAddr {
        self.gate.addr()
    }

    /// `http://ADDR:PORT`, for the SDK's `endpoint_url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// SDK configuration for this endpoint: its URL, region `us-east-1`, static test
    /// credentials and the latest behavior version; otherwise the SDK's defaults (including
    /// its retries). Tweak it with `to_builder()`.
    pub fn sdk_config(&self) -> aws_sdk_lambda::Config {
        aws_sdk_lambda::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::from_static(REGION))
            .credentials_provider(Credentials::new(
                "AKIDLOCALLAMBDA",
                "local-lambda-secret",
                None,
                None,
                "lambda-remote-local",
            ))
            .endpoint_url(self.endpoint_url())
            .build()
    }

    /// An SDK client for this endpoint, from [`sdk_config`](Self::sdk_config).
    pub fn sdk_client(&self) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::from_conf(self.sdk_config())
    }

    /// The runs of function `function` (bare name), in the order they started.
    pub fn invocations(&self, function: &str) -> Vec<RecordedInvocation> {
        let mut all = self.all_invocations();
        all.retain(|invocation| invocation.function == function);
        all
    }

    /// Every handler run, in the order they started.
    pub fn all_invocations(&self) -> Vec<RecordedInvocation> {
        self.shared.recorder.all()
    }

    /// Events that failed every attempt.
    pub fn dead_letters(&self) -> Vec<DeadLetter> {
        self.shared.events.dead_letters()
    }

    /// Waits until no event is queued or running.
    pub async fn drain_events(&self) {
        self.shared.events.drain().await;
    }

    /// Answers the next request for function `function` (bare name, registered or not, any
    /// qualifier or invocation type) with `fault` instead of running anything. Faults queue up:
    /// call it N times to fail the next N requests.
    pub fn fail_next_with(&self, function: &str, fault: ServiceError) {
        self.shared.faults.push(function, fault);
    }

    /// Closes the endpoint and waits for the server to stop.
    pub async fn shutdown(mut self) {
        self.close();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    fn close(&mut self) {
        self.gate.close();
        self.stop.take();
        self.shared.events.stop();
    }
}

impl std::fmt::Debug for LocalLambda {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalLambda")
            .field("addr", &self.addr())
            .field("flavor", &self.shared.flavor)
            .finish_non_exhaustive()
    }
}

impl Drop for LocalLambda {
    fn drop(&mut self) {
        self.close();
    }
}
