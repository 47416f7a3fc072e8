//! Configuration failures of the SDK client, found before anything is sent: no credentials
//! provider, a provider that fails, no region (and no endpoint URL), an endpoint URL that is
//! not one, endpoint settings the SDK's rules refuse. Each is `InvokeError::Config` of its
//! kind, in both delivery modes: nothing reaches the loopback server or the HTTP client
//! (counted: 0), and the SDK makes exactly 1 attempt (counted by an interceptor). The report a
//! person reads (the error and its `source()` chain, one line each) is asserted line by line.
//! A missing or empty credentials chain, as on a laptop without AWS credentials, is
//! `tests/client/credentials.rs` (a binary of its own: it sets the process environment).

use crate::support;

use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::future::ProvideCredentials as ProvideFuture;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::config::retry::{RetryConfig, RetryPartition, TokenBucket};
use lambda_remote::aws_sdk_lambda::config::{BehaviorVersion, ProvideCredentials, Region};
use lambda_remote::error::{Redelivery, SdkConfigErrorKind};
use lambda_remote::{Delivery, InvokeError, lambda_remote};

#[lambda_remote]
pub trait Echo {
    #[lambda(function = "echo")]
    async fn echo(&self, value: serde_json::Value) -> Result<serde_json::Value, InvokeError>;
}

const BOTH: [Delivery; 2] = [Delivery::AtMostOnce, Delivery::AtLeastOnce];

/// The error and each of its sources, one line each, as a report (`anyhow`, `eyre`) prints
/// them.
pub fn report(error: &(dyn Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |&e| e.source())
        .map(ToString::to_string)
        .collect()
}

/// An HTTP client that sends nothing: it counts the requests given to it and refuses them.
#[derive(Debug, Clone, Default)]
struct CountingHttp(Arc<AtomicUsize>);

impl CountingHttp {
    fn requests(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

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

/// A credentials provider whose provider fails (as an STS or SSO error would).
#[derive(Debug)]
struct Failing;

impl ProvideCredentials for Failing {
    fn provide_credentials<'a>(&'a self) -> ProvideFuture<'a>
    where
        Self: 'a,
    {
        ProvideFuture::ready(Err(CredentialsError::provider_error(
            "the test's provider fails",
        )))
    }
}

/// An SDK configuration with the test's retries (3 attempts, 1–5 ms backoff, a quota of its
/// own) and the attempts counted; nothing else set.
fn base(attempts: &support::Attempts) -> aws_sdk_lambda::config::Builder {
    aws_sdk_lambda::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .retry_partition(
            RetryPartition::custom("lambda-remote-config-tests")
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
        .interceptor(attempts.clone())
}

fn test_credentials() -> aws_sdk_lambda::config::Credentials {
    aws_sdk_lambda::config::Credentials::new("AKID", "SECRET", None, None, "test")
}

/// Calls `echo` through an SDK client of `config` in `delivery`: the error, and the attempts.
async fn call(
    config: impl Fn(&support::Attempts) -> aws_sdk_lambda::config::Builder,
    delivery: Delivery,
) -> (InvokeError, usize) {
    let attempts = support::Attempts::default();
    let sdk = aws_sdk_lambda::Client::from_conf(config(&attempts).build());
    let client = EchoClient::builder(sdk).delivery(delivery).build().unwrap();
    let error = client.echo(serde_json::json!(1)).await.unwrap_err();
    (error, attempts.get())
}

/// The configuration error's kind, after checking what every configuration error says.
fn config_kind(error: &InvokeError) -> SdkConfigErrorKind {
    let InvokeError::Config(config) = error else {
        panic!("not a configuration error: {error:?}");
    };
    assert_eq!(error.redelivery(), Redelivery::Never);
    assert_eq!(config.function(), "echo");
    config.kind()
}

#[tokio::test]
async fn no_credentials_provider_is_a_configuration_error_and_sends_nothing() {
    for delivery in BOTH {
        let server = support::Scripted::start(|_| support::Reply::ok("1")).await;
        let url = server.url();
        let (error, attempts) = call(
            |a| base(a).region(Region::new("us-east-1")).endpoint_url(&url),
            delivery,
        )
        .await;
        assert_eq!(config_kind(&error), SdkConfigErrorKind::NoCredentials);
        let lines = report(&error);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert_eq!(
            lines[0],
            "invoking `echo`: no AWS credentials were found; nothing was sent (a configuration error)"
        );
        assert!(
            lines[1].contains(
                "\"sigv4\" wasn't a valid option because there was no identity resolver for it"
            ),
            "{lines:#?}"
        );
        assert_eq!((server.requests(), attempts), (0, 1), "{delivery}");
    }
}

#[tokio::test]
async fn a_failing_credentials_provider_is_a_configuration_error_and_sends_nothing() {
    for delivery in BOTH {
        let server = support::Scripted::start(|_| support::Reply::ok("1")).await;
        let url = server.url();
        let (error, attempts) = call(
            |a| {
                base(a)
                    .region(Region::new("us-east-1"))
                    .endpoint_url(&url)
                    .credentials_provider(Failing)
            },
            delivery,
        )
        .await;
        assert_eq!(config_kind(&error), SdkConfigErrorKind::Credentials);
        assert_eq!(
            report(&error),
            [
                "invoking `echo`: the AWS credentials could not be loaded; nothing was sent (a configuration error)",
                "an error occurred while loading credentials",
                "the test's provider fails",
            ]
        );
        assert_eq!((server.requests(), attempts), (0, 1), "{delivery}");
    }
}

#[tokio::test]
async fn no_region_is_a_configuration_error_and_sends_nothing() {
    for delivery in BOTH {
        let http = CountingHttp::default();
        let (error, attempts) = call(
            |a| {
                base(a)
                    .credentials_provider(test_credentials())
                    .http_client(http.clone())
            },
            delivery,
        )
        .await;
        assert_eq!(config_kind(&error), SdkConfigErrorKind::NoRegion);
        assert_eq!(
            report(&error),
            [
                "invoking `echo`: no AWS region is configured (and no endpoint URL); nothing was sent (a configuration error)",
                "Invalid Configuration: Missing Region",
            ]
        );
        assert_eq!((http.requests(), attempts), (0, 1), "{delivery}");
    }
}

#[tokio::test]
async fn an_endpoint_url_that_is_not_one_is_a_configuration_error_and_sends_nothing() {
    let cases = [
        (
            "not a url",
            ["endpoint is not a valid URI", "invalid uri character"].as_slice(),
        ),
        (
            "lambda.test:9000",
            ["endpoint must contain scheme"].as_slice(),
        ),
        (
            "http://[::1",
            ["endpoint is not a valid URI", "invalid authority"].as_slice(),
        ),
    ];
    for (url, causes) in cases {
        for delivery in BOTH {
            let http = CountingHttp::default();
            let (error, attempts) = call(
                |a| {
                    base(a)
                        .region(Region::new("us-east-1"))
                        .credentials_provider(test_credentials())
                        .endpoint_url(url)
                        .http_client(http.clone())
                },
                delivery,
            )
            .await;
            assert_eq!(config_kind(&error), SdkConfigErrorKind::InvalidEndpoint);
            let mut expected = vec![
                "invoking `echo`: the endpoint URL cannot be used; nothing was sent (a configuration error)",
            ];
            expected.extend(causes);
            assert_eq!(report(&error), expected, "{url}");
            // The SDK's message around the URL's error prints the whole request (payload and
            // client context): neither the report nor `Debug` shows it.
            assert!(!format!("{error:?}").contains("Request {"), "{error:?}");
            assert_eq!((http.requests(), attempts), (0, 1), "{url} {delivery}");
        }
    }
}

#[tokio::test]
async fn endpoint_settings_the_rules_refuse_are_a_configuration_error_and_send_nothing() {
    for delivery in BOTH {
        let server = support::Scripted::start(|_| support::Reply::ok("1")).await;
        let url = server.url();
        let (error, attempts) = call(
            |a| {
                base(a)
                    .region(Region::new("us-east-1"))
                    .credentials_provider(test_credentials())
                    .endpoint_url(&url)
                    .use_fips(true)
            },
            delivery,
        )
        .await;
        assert_eq!(config_kind(&error), SdkConfigErrorKind::Endpoint);
        assert_eq!(
            report(&error),
            [
                "invoking `echo`: the SDK's endpoint rules refuse the configuration; nothing was sent (a configuration error)",
                "Invalid Configuration: FIPS and custom endpoint are not supported",
            ]
        );
        assert_eq!((server.requests(), attempts), (0, 1), "{delivery}");
    }
}

/// The control: the same counting HTTP client, the configuration complete, is given the
/// request (and refuses it: an error that is not a configuration error).
#[tokio::test]
async fn a_complete_configuration_reaches_the_http_client() {
    let http = CountingHttp::default();
    let (error, attempts) = call(
        |a| {
            base(a)
                .region(Region::new("us-east-1"))
                .credentials_provider(test_credentials())
                .http_client(http.clone())
        },
        Delivery::AtMostOnce,
    )
    .await;
    assert!(matches!(error, InvokeError::Transport(_)), "{error:?}");
    assert_eq!((http.requests(), attempts), (1, 1));
}
