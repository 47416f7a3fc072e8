//! Typed errors round-trip exactly through both served paths: the real `lambda_runtime` behind
//! the mini Lambda (which sends only `errorType` and `errorMessage`) and the local endpoint.
//! Generated error values of every variant kind, with optional and defaulted fields, come back
//! equal; an unmapped error relayed by the server keeps its original message and fields.
//!
//! One test in this binary: `lambda_runtime` reads its configuration from the process
//! environment, which this test sets.

#[path = "../support/mod.rs"]
mod support;

use lambda_remote::local::LocalLambda;
use lambda_remote::{ErrorObject, FunctionError as _, InvokeError, error::Details, lambda_remote};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use support::runtime_api::MiniLambda;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub code: u32,
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u8,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

/// Every variant kind, with required, optional and defaulted fields.
#[derive(Debug, Clone, PartialEq, lambda_remote::FunctionError, thiserror::Error)]
pub enum Wanted {
    #[error("unit")]
    Unit,
    #[error("{0}")]
    Message(String),
    #[error("over the limit")]
    Limit {
        required: i64,
        max: Option<u64>,
        #[serde(default)]
        unit: String,
    },
    /// Every field optional or defaulted: the whole body always decodes into it.
    #[error("capped")]
    Capped {
        max: Option<u64>,
        #[serde(default)]
        count: u32,
    },
    #[error("declined")]
    Declined(Details<Decline>),
    #[error("other")]
    #[function_error(other)]
    Other(ErrorObject),
}

/// What the served method is asked to fail with (the catch-all as its parts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Planned {
    Unit,
    Message(String),
    Limit {
        required: i64,
        max: Option<u64>,
        unit: String,
    },
    Capped {
        max: Option<u64>,
        count: u32,
    },
    Declined(Decline),
    Other {
        error_type: String,
        message: String,
        extra: Map<String, Value>,
    },
    /// Relay the downstream function's error.
    Relay,
}

impl Planned {
    fn wanted(&self) -> Wanted {
        match self.clone() {
            Planned::Unit => Wanted::Unit,
            Planned::Message(m) => Wanted::Message(m),
            Planned::Limit {
                required,
                max,
                unit,
            } => Wanted::Limit {
                required,
                max,
                unit,
            },
            Planned::Capped { max, count } => Wanted::Capped { max, count },
            Planned::Declined(d) => Wanted::Declined(Details(d)),
            Planned::Other {
                error_type,
                message,
                extra,
            } => Wanted::Other(ErrorObject::with_fields(error_type, message, extra)),
            Planned::Relay => Wanted::Other(ErrorObject::from_bytes(DOWNSTREAM_ERROR.to_string())),
        }
    }
}

#[lambda_remote(server)]
pub trait Errors {
    #[lambda(function = "errors-fail")]
    async fn fail(&self, planned: Planned) -> Result<(), InvokeError<Wanted>>;
}

/// The same function seen by a caller without typed errors.
#[lambda_remote]
pub trait Untyped {
    #[lambda(function = "errors-fail")]
    async fn fail(&self, planned: Planned) -> Result<(), InvokeError>;
}

/// A function the served method calls, failing the way a Node.js function does.
#[lambda_remote]
pub trait Downstream {
    #[lambda(function = "downstream")]
    async fn boom(&self) -> Result<(), InvokeError>;
}

const DOWNSTREAM_ERROR: &str = r#"{"errorType":"Error","errorMessage":"boom: {\"not\":\"fields\"}","trace":["Error: boom","    at x"],"code":7}"#;

struct Impl {
    downstream: DownstreamClient,
}

impl Errors for Impl {
    async fn fail(&self, planned: Planned) -> Result<(), InvokeError<Wanted>> {
        match planned {
            Planned::Relay => self
                .downstream
                .boom()
                .await
                .map_err(|e| e.map_function_error(|never| match never {})),
            planned => Err(planned.wanted().into()),
        }
    }
}

fn planned() -> impl Strategy<Value = Planned> {
    let value = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop::collection::vec(any::<bool>(), 0..3).prop_map(Value::from),
    ];
    prop_oneof![
        Just(Planned::Unit),
        "\\PC*".prop_map(Planned::Message),
        (
            any::<i64>(),
            proptest::option::of(any::<u64>()),
            "[a-z]{0,3}"
        )
            .prop_map(|(required, max, unit)| Planned::Limit {
                required,
                max,
                unit
            }),
        (proptest::option::of(any::<u64>()), any::<u32>())
            .prop_map(|(max, count)| Planned::Capped { max, count }),
        (
            any::<u32>(),
            proptest::option::of("\\PC{0,12}"),
            any::<u8>()
        )
            .prop_map(|(code, reason, retries)| Planned::Declined(Decline {
                code,
                reason,
                retries
            })),
        (
            "X[a-zA-Z.]{0,10}",
            "\\PC*",
            prop::collection::btree_map("[a-z]{1,6}", value, 0..4)
        )
            .prop_map(|(error_type, message, extra)| Planned::Other {
                error_type,
                message,
                extra: extra.into_iter().collect(),
            }),
        Just(Planned::Relay),
    ]
}

#[test]
fn typed_errors_round_trip_exactly_through_lambda_runtime_and_the_local_endpoint() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (_downstream, _mini, _local, clients) = runtime.block_on(async {
        let downstream = LocalLambda::builder()
            .handler("downstream", |_| async {
                Err(ErrorObject::from_json(
                    serde_json::from_str(DOWNSTREAM_ERROR).unwrap(),
                ))
            })
            .start()
            .await
            .unwrap();
        let server = ErrorsServer::new(Impl {
            downstream: DownstreamClient::new(downstream.sdk_client()),
        });
        let mini = MiniLambda::start().await;
        // SAFETY of the environment: this binary holds a single test.
        for (key, value) in [
            ("AWS_LAMBDA_RUNTIME_API", mini.runtime_api.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", "errors-fail".to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ] {
            // SAFETY: this test is a binary of its own (Cargo.toml), and it sets the variables before
            // anything else of its reads or writes the environment.
            unsafe { std::env::set_var(key, value) };
        }
        tokio::spawn(lambda_remote::server::run(server.fail()));
        let local = LocalLambda::builder()
            .serve_all(server.handlers())
            .start()
            .await
            .unwrap();
        let via_runtime = support::sdk_client(&mini.invoke_url);
        let via_local = local.sdk_client();
        let clients = [
            (
                "lambda_runtime",
                ErrorsClient::new(via_runtime.clone()),
                UntypedClient::new(via_runtime),
            ),
            (
                "local",
                ErrorsClient::new(via_local.clone()),
                UntypedClient::new(via_local),
            ),
        ];
        (downstream, mini, local, clients)
    });

    // The case the issue names: an optional field that is set.
    let limit = Planned::Capped {
        max: Some(10),
        count: 2,
    };
    for (path, client, _) in &clients {
        let error = runtime.block_on(client.fail(limit.clone())).unwrap_err();
        assert_eq!(error.function_error(), Some(&limit.wanted()), "{path}");
    }

    // A relayed unmapped error keeps its message (even one holding JSON) and its fields.
    for (path, _, untyped) in &clients {
        match runtime.block_on(untyped.fail(Planned::Relay)).unwrap_err() {
            InvokeError::UnmappedFunction(failure) => {
                assert_eq!(failure.error_type(), Some("Error"), "{path}");
                assert_eq!(
                    failure.error_message(),
                    Some(r#"boom: {"not":"fields"}"#),
                    "{path}"
                );
                let fields = failure.object().fields();
                assert_eq!(fields.len(), 2, "{path}: {fields:?}");
                assert_eq!(fields["code"], json!(7), "{path}");
                assert_eq!(
                    fields["trace"],
                    json!(["Error: boom", "    at x"]),
                    "{path}"
                );
            }
            other => panic!("{path}: unexpected {other:?}"),
        }
    }

    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(planned in planned())| {
        let wanted = planned.wanted();
        for (path, client, _) in &clients {
            let error = runtime.block_on(client.fail(planned.clone())).unwrap_err();
            prop_assert_eq!(error.function_error(), Some(&wanted), "{}", path);
            let error_type = error.failure().unwrap().error_type().map(str::to_owned);
            prop_assert_eq!(error_type, Some(wanted.error_type().into_owned()), "{}", path);
        }
    });
}
