//! The SDK client's configuration as the reason a call was not sent: no credentials, no
//! region, an endpoint URL that is not one. Read from the SDK's own typed errors.

use std::error::Error as StdError;
use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::error::ResolveEndpointError as ApplyEndpointError;
use aws_smithy_runtime_api::http::HttpError;

/// The SDK client's configuration kept a call from being sent: no credentials, no region, an
/// endpoint URL that is not a URL. Nothing was sent, nothing about the network failed, and
/// sending the call again cannot help: it is never retried
/// ([`Redelivery::Never`](crate::Redelivery::Never)). The SDK's own error, which
/// says what to change (for credentials: each provider tried and why it found none), is its
/// `source()`.
///
/// [`ConfigError`](crate::ConfigError) is the other configuration error:
/// lambda-remote's own settings (names, tenant), refused when the client is built.
pub struct SdkConfigError {
    pub(crate) function: String,
    pub(crate) kind: SdkConfigErrorKind,
    /// The SDK's error, as the orchestrator returned it.
    pub(crate) sdk: BoxError,
}

/// What is missing or wrong in the SDK client's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SdkConfigErrorKind {
    /// No credentials: the SDK client has no credentials provider, or none of its providers
    /// found credentials (the SDK's `CredentialsError::CredentialsNotLoaded`; its report lists
    /// each provider of the chain it tried).
    NoCredentials,
    /// A credentials provider failed: it is misconfigured (a profile that does not parse), it
    /// timed out, or it failed while loading (an STS or SSO error, a file it could not read).
    Credentials,
    /// No region and no endpoint URL: the SDK cannot tell which Lambda endpoint to call.
    NoRegion,
    /// The endpoint URL is not a URL a request can be sent to (no scheme, a character a URL
    /// cannot hold, …).
    InvalidEndpoint,
    /// Another setting the SDK's endpoint rules refuse (FIPS or dual-stack with a custom
    /// endpoint, a region that is not a valid host name, …).
    Endpoint,
}

impl SdkConfigError {
    /// What is missing or wrong.
    pub fn kind(&self) -> SdkConfigErrorKind {
        self.kind
    }

    /// The function that was to be called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// A configuration error of `kind` ([`classify`]), holding the SDK's error.
    #[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
    pub(crate) fn new(function: &str, kind: SdkConfigErrorKind, sdk: BoxError) -> Self {
        Self {
            function: function.to_owned(),
            kind,
            sdk,
        }
    }

    /// The error `source()` returns: the SDK's, or for an endpoint URL that is not one, the
    /// URL's own error (the SDK's message around it prints the whole request, payload and
    /// client context included).
    fn shown_source(&self) -> &(dyn StdError + 'static) {
        let sdk: &(dyn StdError + 'static) = &*self.sdk;
        match self.kind {
            SdkConfigErrorKind::InvalidEndpoint => {
                chain(sdk).find(|e| e.is::<HttpError>()).unwrap_or(sdk)
            }
            _ => sdk,
        }
    }
}

/// The kind of configuration error `error` (or an error in its chain) is, if it is one, by the
/// SDK's own types; `has_region` is whether the SDK client's configuration has a region:
/// - the SDK's `CredentialsError`: [`NoCredentials`](SdkConfigErrorKind::NoCredentials) when
///   no provider found any (`CredentialsNotLoaded`), else
///   [`Credentials`](SdkConfigErrorKind::Credentials);
/// - the orchestrator's error when no auth scheme can sign the request because there is no
///   identity (no credentials provider): a private type of `aws-smithy-runtime`
///   (`NoMatchingAuthSchemeError`), recognized by its name in `Debug` — the one case read
///   from text, as no public type says it;
/// - an endpoint that could not be applied to the request because of the URL (an
///   `HttpError` under `aws-smithy-runtime-api`'s `ResolveEndpointError`):
///   [`InvalidEndpoint`](SdkConfigErrorKind::InvalidEndpoint);
/// - the endpoint rules' error (`aws-smithy-http`'s `ResolveEndpointError`):
///   [`NoRegion`](SdkConfigErrorKind::NoRegion) when the client has no region, else
///   [`Endpoint`](SdkConfigErrorKind::Endpoint).
#[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
pub(crate) fn classify(
    error: &(dyn StdError + 'static),
    has_region: bool,
) -> Option<SdkConfigErrorKind> {
    for error in chain(error) {
        if let Some(credentials) = error.downcast_ref::<CredentialsError>() {
            return Some(match credentials {
                CredentialsError::CredentialsNotLoaded(_) => SdkConfigErrorKind::NoCredentials,
                _ => SdkConfigErrorKind::Credentials,
            });
        }
        if format!("{error:?}").starts_with("NoMatchingAuthSchemeError(") {
            return Some(SdkConfigErrorKind::NoCredentials);
        }
        if error.is::<ApplyEndpointError>() && chain(error).any(|e| e.is::<HttpError>()) {
            return Some(SdkConfigErrorKind::InvalidEndpoint);
        }
        if error.is::<aws_smithy_http::endpoint::ResolveEndpointError>() {
            return Some(match has_region {
                false => SdkConfigErrorKind::NoRegion,
                true => SdkConfigErrorKind::Endpoint,
            });
        }
    }
    None
}

/// `first` and its sources.
fn chain<'a>(
    first: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(first), |&error| error.source())
}

impl fmt::Display for SdkConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            SdkConfigErrorKind::NoCredentials => "no AWS credentials were found",
            SdkConfigErrorKind::Credentials => "the AWS credentials could not be loaded",
            SdkConfigErrorKind::NoRegion => "no AWS region is configured (and no endpoint URL)",
            SdkConfigErrorKind::InvalidEndpoint => "the endpoint URL cannot be used",
            SdkConfigErrorKind::Endpoint => "the SDK's endpoint rules refuse the configuration",
        };
        write!(
            f,
            "invoking `{}`: {what}; nothing was sent (a configuration error)",
            self.function
        )
    }
}

impl fmt::Debug for SdkConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkConfigError")
            .field("function", &self.function)
            .field("kind", &self.kind)
            .field("source", &self.shown_source())
            .finish()
    }
}

impl StdError for SdkConfigError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.shown_source())
    }
}
