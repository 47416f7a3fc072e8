//! Call AWS Lambda functions through a typed Rust trait.
//!
//! Put [`#[lambda_remote]`](macro@lambda_remote) on a trait of `async fn`s and get
//! `<Trait>Client`, which implements the trait by invoking each method's function through
//! [`aws_sdk_lambda`]: the arguments become the JSON payload, the result is deserialized into
//! the declared type, and the function's errors come back as your own enum
//! ([`FunctionError`](derive@FunctionError)). Everything else is one error type,
//! [`InvokeError`], which keeps every byte it could not read. The same trait serves the
//! function's side ([`server`]), and the [`local`] endpoint and typed [`mock`]s test it all
//! with no AWS account.
//!
//! ```no_run
//! use lambda_remote::aws_config::{self, BehaviorVersion};
//! use lambda_remote::{aws_sdk_lambda, lambda_remote, FunctionError, InvokeError};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! pub struct Order { pub sku: String, pub qty: u32 }
//!
//! #[derive(Serialize, Deserialize)]
//! pub struct Receipt { pub id: String, pub total_cents: u64 }
//!
//! #[derive(Debug, FunctionError, thiserror::Error)]
//! pub enum ChargeError {
//!     #[error("card declined")]
//!     #[function_error(rename = "CardDeclined")]
//!     Declined,
//! }
//!
//! #[lambda_remote]
//! pub trait Billing {
//!     #[lambda(function = "billing-charge")]
//!     async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;
//!
//!     #[lambda(function = "billing-audit", invocation = "event")]
//!     async fn audit(&self, entry: String) -> Result<(), InvokeError>;
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
//!     let client = BillingClient::new(aws_sdk_lambda::Client::new(&config));
//!     match client.charge(Order { sku: "A-1".into(), qty: 2 }).await {
//!         Ok(receipt) => println!("charged {}", receipt.total_cents),
//!         Err(InvokeError::Function { error: ChargeError::Declined, .. }) => {
//!             println!("declined")
//!         }
//!         Err(other) => return Err(other.into()),
//!     }
//!     client.audit("charged A-1".into()).await?;
//!     Ok(())
//! }
//! ```
//!
//! # The guide
//!
//! The [`guide`] explains it all, one chapter per topic, every example compiled:
//! [the contract](guide::contract), [invocation types](guide::invocation_types),
//! [typed errors](guide::typed_errors), [delivery](guide::delivery),
//! [timeouts and limits](guide::timeouts_and_limits), [streaming](guide::streaming),
//! [serving the same trait](guide::serving), [testing](guide::testing),
//! [durable names and tenants](guide::durable_and_tenants),
//! [the contract as data](guide::contract_as_data) and [observability](guide::observability).
//! [`lambda_remote`](macro@lambda_remote) lists every key of the attribute, and [`rules`] shows
//! the contract's rules by the compile errors that enforce them.
//!
//! # Features
//!
//! | feature | what it adds |
//! |---|---|
//! | `client` (default) | [`aws_config`] and the SDK's default HTTPS client and tokio sleep; without it, pass in an SDK client built your way |
//! | `sso`, `credentials-process` | those credential providers in `aws_config` |
//! | `local` | [`local`]: an in-process Lambda endpoint on loopback, for tests and local runs |
//! | `server` | [`server`]: serve a `#[lambda_remote(server)]` trait's methods on `lambda_runtime` |
//! | `mocks` | [`mock`]: typed `aws-smithy-mocks` rules for a contract's methods |
//! | `schema` | JSON Schemas in a contract's description, on [`schemars`] 1 |

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The root: what a user names in code every day, by name (ARCHITECTURE.md lists each; the
// `root_names` test fails when this list and that one disagree). The rest is in the modules,
// one per side; what only generated code names is in `__private`.
pub use lambda_remote_macros::{FunctionError, lambda_remote};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use lambda_remote_runtime::CallOptions;
pub use lambda_remote_runtime::{
    ByteStream, Delivery, ErrorObject, FunctionError, GeneratedClient, InvocationContext,
    InvokeError, MethodHandler, ResponseStream, TraceContext,
};

/// The AWS SDK for Lambda, as used by the generated clients. Feature `client` (default).
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use aws_sdk_lambda;

/// AWS configuration loading, as AWS documents it:
/// `aws_config::defaults(BehaviorVersion::latest()).load().await`. Feature `aws-config`
/// (default); `sso` and `credentials-process` turn on those credential providers.
#[cfg(feature = "aws-config")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-config")))]
pub use aws_config;

/// schemars 1, to derive `JsonSchema` without depending on it: `#[derive(lambda_remote::schemars::JsonSchema)]`
/// with `#[schemars(crate = "lambda_remote::schemars")]`.
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub use lambda_remote_runtime::schemars;

/// The caller's side: building a client, its limits and defaults, what a call's response
/// says besides its result. Without the `client` feature, only what a served function's
/// errors and contract hold.
pub mod client {
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub use lambda_remote_runtime::{
        ClientBuilder, ConcurrencyLimit, ConfigError, DEFAULT_CONNECT_TIMEOUT, Limits,
    };
    pub use lambda_remote_runtime::{InvocationType, Invoked, LogTail, ResponseMetadata};
}

/// Every error a call can end with, besides [`InvokeError`] itself and
/// the function's own [`FunctionError`]: the service's, the
/// transport's, a refusal before sending, the SDK client's configuration, a function error as
/// it arrived, and what a failure says about sending the call again.
pub mod error {
    pub use lambda_remote_runtime::{
        ClientError, DeserializeError, Details, ErrorContent, FunctionFailure, INVOKE_ERROR_TYPE,
        InvalidTraceContext, PAYLOAD_ERROR_TYPE, Redelivery, Rejected, SdkConfigError,
        SdkConfigErrorKind, SerializeError, ServiceError, ServiceErrorKind, ThrottleReason,
        TransportError,
    };
}

/// Streamed responses beyond [`ResponseStream`] and
/// [`ByteStream`]: feeding one from a function's implementation, what a
/// streaming method's success type is on either side, and a served method's raw chunks.
pub mod stream {
    pub use lambda_remote_runtime::{
        ResponseChunks, ServedStream, StreamClosed, StreamOutput, StreamSender,
    };
}

/// Payloads and results of any size through S3 (the S3 parts with the feature `claim-check`).
pub use lambda_remote_runtime::claim_check;
#[cfg(feature = "local")]
#[cfg_attr(docsrs, doc(cfg(feature = "local")))]
pub use lambda_remote_runtime::local;
#[cfg(feature = "mocks")]
#[cfg_attr(docsrs, doc(cfg(feature = "mocks")))]
pub use lambda_remote_runtime::mock;
#[cfg(feature = "opentelemetry")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry")))]
pub use lambda_remote_runtime::otel;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub use lambda_remote_runtime::schema;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub use lambda_remote_runtime::server;
pub use lambda_remote_runtime::{contract, deploy, idempotency, names};

/// What the code `#[lambda_remote]` and `#[derive(FunctionError)]` generate names. Not a
/// public API: it changes without notice.
#[doc(hidden)]
pub use lambda_remote_runtime::__private;

pub mod guide;
pub mod rules;

/// The README's Rust blocks, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The names this file puts at the root: its `pub use` and `pub mod` items outside the
    /// inline modules' bodies, `__private` aside.
    fn root_names(source: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut depth = 0usize;
        let mut item = String::new();
        for line in source.lines().map(str::trim) {
            if line.starts_with("//") || line.starts_with("#") {
                continue;
            }
            if depth == 0 && (line.starts_with("pub use ") || !item.is_empty()) {
                item.push_str(line);
                item.push(' ');
                if line.ends_with(';') {
                    let path = item
                        .trim_start_matches("pub use ")
                        .trim_end()
                        .trim_end_matches(';');
                    match path.split_once('{') {
                        Some((_, group)) => names.extend(
                            group
                                .trim_end_matches('}')
                                .split(',')
                                .map(str::trim)
                                .filter(|name| !name.is_empty())
                                .map(String::from),
                        ),
                        None => {
                            let last = path.rsplit("::").next().unwrap_or(path);
                            names.insert(last.rsplit(" as ").next().unwrap_or(last).to_owned());
                        }
                    }
                    item.clear();
                }
                continue;
            }
            if depth == 0
                && let Some(rest) = line.strip_prefix("pub mod ")
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
            depth += line.matches('{').count();
            depth -= line.matches('}').count();
        }
        names.remove("__private");
        names
    }

    /// The names ARCHITECTURE.md lists under "The root of `lambda-remote`", one line each.
    fn listed_names(architecture: &str) -> BTreeSet<String> {
        let section = architecture
            .split("\n## ")
            .find(|section| section.starts_with("The root of `lambda-remote`"))
            .expect("ARCHITECTURE.md has a section \"The root of `lambda-remote`\"");
        section
            .lines()
            .filter_map(|line| line.strip_prefix("- `"))
            .map(|rest| rest.split('`').next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn the_root_names_are_those_architecture_md_lists() {
        let root = root_names(include_str!("lib.rs"));
        let listed = listed_names(include_str!("../ARCHITECTURE.md"));
        let unlisted: Vec<_> = root.difference(&listed).collect();
        let gone: Vec<_> = listed.difference(&root).collect();
        assert!(
            unlisted.is_empty() && gone.is_empty(),
            "the root of lambda_remote and ARCHITECTURE.md disagree: at the root but not listed \
             {unlisted:?}, listed but not at the root {gone:?}"
        );
        assert_eq!(root.len(), 30, "{root:?}");
    }
}
