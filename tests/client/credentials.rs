//! The quickstart's SDK configuration (`aws_config::defaults(..).load()`) on a machine without
//! AWS configuration: no credentials and no region in the environment, no `~/.aws` files,
//! the instance metadata service turned off (so that nothing is asked of the network). The
//! call ends in `InvokeError::Config`: no credentials, with every provider of the SDK's default
//! chain named as the SDK reports them; then, with credentials in the environment, no region.
//! The HTTP client of that configuration is given no request (counted: 0), after exactly 1
//! attempt.
//!
//! A binary of its own (Cargo.toml): it sets the process environment before anything reads it.

use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use lambda_remote::aws_sdk_lambda::config::{ConfigBag, Intercept};
use lambda_remote::error::{Redelivery, SdkConfigErrorKind};
use lambda_remote::{InvokeError, aws_config, aws_sdk_lambda, lambda_remote};

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;
}

/// An HTTP client that sends nothing: it counts the requests given to it and refuses them.
#[derive(Debug, Clone, Default)]
struct CountingHttp(Arc<AtomicUsize>);

impl HttpConnector for CountingHttp {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        self.0.fetch_add(1, Ordering::SeqCst);
        HttpConnectorFuture::ready(Err(ConnectorError::other(
            "the test's HTTP client sends nothing".into(),
            None,
        )))
    }
}

impl HttpClient for CountingHttp {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// Counts the SDK's attempts.
#[derive(Debug, Clone, Default)]
struct Attempts(Arc<AtomicUsize>);

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "attempts"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_lambda::error::BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn report(error: &(dyn Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |&e| e.source())
        .map(ToString::to_string)
        .collect()
}

/// A machine without AWS configuration.
fn bare_environment() {
    let home = std::env::temp_dir().join(format!("lambda-remote-bare-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let set = [
        ("HOME", home.to_str().unwrap().to_owned()),
        (
            "AWS_CONFIG_FILE",
            home.join("no-config").to_str().unwrap().to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-credentials").to_str().unwrap().to_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ];
    let unset = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_LAMBDA",
    ];
    // SAFETY: this binary holds a single test (Cargo.toml), and nothing reads or writes the
    // environment while this sets it (before the SDK is loaded).
    for (key, value) in set {
        unsafe { std::env::set_var(key, value) };
    }
    for key in unset {
        unsafe { std::env::remove_var(key) };
    }
}

/// Calls `echo` through the SDK configuration the quickstart loads (with the test's HTTP
/// client): the error, the requests the
/// HTTP client was given and the attempts.
async fn call() -> (InvokeError, usize, usize) {
    let http = CountingHttp::default();
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http.clone())
        .load()
        .await;
    let attempts = Attempts::default();
    let config = aws_sdk_lambda::config::Builder::from(&shared)
        .interceptor(attempts.clone())
        .build();
    let client = EchoClient::new(aws_sdk_lambda::Client::from_conf(config));
    let error = client.echo(serde_json::json!(1)).await.unwrap_err();
    (
        error,
        http.0.load(Ordering::SeqCst),
        attempts.0.load(Ordering::SeqCst),
    )
}

fn kind(error: &InvokeError) -> SdkConfigErrorKind {
    let InvokeError::Config(config) = error else {
        panic!("not a configuration error: {error:?}");
    };
    assert_eq!(error.redelivery(), Redelivery::Never);
    config.kind()
}

#[tokio::test]
async fn the_quickstart_on_a_machine_without_aws_configuration_names_what_is_missing() {
    bare_environment();

    // As the quickstart loads it: no credentials, each provider of the default chain tried
    // (the SDK resolves the identity before the endpoint).
    let (error, requests, attempts) = call().await;
    assert_eq!(kind(&error), SdkConfigErrorKind::NoCredentials);
    let lines = report(&error);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(
        lines[0],
        "invoking `echo`: no AWS credentials were found; nothing was sent (a configuration error)"
    );
    assert_eq!(lines[1], "the credential provider was not enabled");
    assert!(
        lines[2].starts_with("no credentials found in chain. Attempted:"),
        "{lines:#?}"
    );
    for provider in [
        "Environment",
        "Profile",
        "WebIdentityToken",
        "EcsContainer",
        "Ec2InstanceMetadata",
    ] {
        assert!(
            lines[2].contains(&format!("\n  {provider}: ")),
            "{provider}: {lines:#?}"
        );
    }
    assert_eq!((requests, attempts), (0, 1));

    // Credentials in the environment, still no region.
    // SAFETY: as in `bare_environment`: one test, and nothing else reads the environment now.
    unsafe { std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE") };
    unsafe {
        std::env::set_var(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
    };
    let (error, requests, attempts) = call().await;
    assert_eq!(kind(&error), SdkConfigErrorKind::NoRegion);
    assert_eq!(
        report(&error),
        [
            "invoking `echo`: no AWS region is configured (and no endpoint URL); nothing was sent (a configuration error)",
            "Invalid Configuration: Missing Region",
        ]
    );
    assert_eq!((requests, attempts), (0, 1));
}
