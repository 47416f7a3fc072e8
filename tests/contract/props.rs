//! Property tests of our own code, driven end to end: the multi-argument payload as the macro
//! renders it on the client against the decoding the macro renders on the server, and typed
//! mapping through a derived enum with `errorType`s drawn from its own names.

use std::collections::BTreeMap;
use std::fmt;

use lambda_remote::local::LocalLambda;
use lambda_remote::{CallOptions, FunctionError, InvokeError, lambda_remote};
use proptest::prelude::*;

type Nested = BTreeMap<String, Vec<String>>;
type Several = (String, i64, Vec<Option<u32>>, Nested, bool);

#[lambda_remote(server)]
pub trait Args {
    /// Five arguments, one of them a raw identifier: the payload is an object keyed by name.
    #[lambda(function = "args")]
    async fn several(
        &self,
        text: String,
        number: i64,
        list: Vec<Option<u32>>,
        r#type: Nested,
        flag: bool,
    ) -> Result<Several, InvokeError>;

    /// Fails with the typed error it is given.
    #[lambda(function = "fail")]
    async fn fail(&self, error: Planned) -> Result<(), InvokeError<Mapped>>;
}

/// The error a served method is asked to return.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Planned {
    Unit,
    Message(String),
    Fields { code: u32, reason: String },
    Renamed,
}

/// A derived enum with every variant shape and a catch-all.
#[derive(Debug, Clone, PartialEq, FunctionError)]
pub enum Mapped {
    Unit,
    Message(String),
    Fields {
        code: u32,
        reason: String,
    },
    #[function_error(rename = "Renamed.Wire-Name")]
    Renamed,
    #[function_error(other)]
    Other(lambda_remote::ErrorObject),
}

impl fmt::Display for Mapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Mapped {}

struct Impl;

impl Args for Impl {
    async fn several(
        &self,
        text: String,
        number: i64,
        list: Vec<Option<u32>>,
        r#type: Nested,
        flag: bool,
    ) -> Result<Several, InvokeError> {
        Ok((text, number, list, r#type, flag))
    }

    async fn fail(&self, error: Planned) -> Result<(), InvokeError<Mapped>> {
        Err(match error {
            Planned::Unit => Mapped::Unit,
            Planned::Message(m) => Mapped::Message(m),
            Planned::Fields { code, reason } => Mapped::Fields { code, reason },
            Planned::Renamed => Mapped::Renamed,
        })?
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn served(runtime: &tokio::runtime::Runtime) -> (LocalLambda, ArgsClient) {
    runtime.block_on(async {
        let lambda = LocalLambda::builder()
            .serve_all(ArgsServer::new(Impl).handlers())
            .start()
            .await
            .unwrap();
        let client = ArgsClient::new(lambda.sdk_client());
        (lambda, client)
    })
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    #[test]
    fn several_arguments_reach_the_served_method_as_the_client_sent_them(
        text in "\\PC*",
        number in any::<i64>(),
        list in prop::collection::vec(proptest::option::of(any::<u32>()), 0..6),
        nested in prop::collection::btree_map("\\PC{0,8}", prop::collection::vec("\\PC{0,8}", 0..3), 0..4),
        flag in any::<bool>(),
    ) {
        let runtime = runtime();
        let (lambda, client) = served(&runtime);
        let sent = (text, number, list, nested, flag);
        let got = runtime
            .block_on(client.several(sent.0.clone(), sent.1, sent.2.clone(), sent.3.clone(), sent.4))
            .unwrap();
        prop_assert_eq!(&got, &sent);
        // On the wire: one JSON object keyed by the parameter names (`r#type` as `type`).
        let runs = lambda.invocations("args");
        prop_assert_eq!(runs.len(), 1);
        let payload: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&runs[0].payload).unwrap();
        let mut keys: Vec<&str> = payload.keys().map(String::as_str).collect();
        keys.sort_unstable();
        prop_assert_eq!(keys, vec!["flag", "list", "number", "text", "type"]);
    }

    #[test]
    fn a_served_typed_error_comes_back_as_the_same_variant(
        planned in prop_oneof![
            Just(Planned::Unit),
            "\\PC*".prop_map(Planned::Message),
            (any::<u32>(), "\\PC*").prop_map(|(code, reason)| Planned::Fields { code, reason }),
            Just(Planned::Renamed),
        ],
    ) {
        let runtime = runtime();
        let (_lambda, client) = served(&runtime);
        let error = runtime.block_on(client.fail(planned.clone())).unwrap_err();
        let expected = match planned {
            Planned::Unit => Mapped::Unit,
            Planned::Message(m) => Mapped::Message(m),
            Planned::Fields { code, reason } => Mapped::Fields { code, reason },
            Planned::Renamed => Mapped::Renamed,
        };
        prop_assert_eq!(error.function_error(), Some(&expected));
        let error_type = error.failure().unwrap().error_type().map(str::to_owned);
        prop_assert_eq!(error_type, Some(expected.error_type().into_owned()));
    }

    /// `errorType`s drawn from the enum's own names map onto their variants; any other
    /// `errorType` falls to the catch-all with its bytes.
    #[test]
    fn error_types_map_by_the_derived_names(
        error_type in prop_oneof![
            Just("Unit".to_owned()),
            Just("Message".to_owned()),
            Just("Fields".to_owned()),
            Just("Renamed.Wire-Name".to_owned()),
            Just("Renamed".to_owned()),
            Just("unit".to_owned()),
            "\\PC*",
        ],
        message in "\\PC*",
        code in any::<u32>(),
    ) {
        let body = serde_json::json!({
            "errorType": error_type,
            "errorMessage": message,
            "code": code,
            "reason": message,
        })
        .to_string();
        let object = lambda_remote::ErrorObject::from_bytes(body.clone());
        let mapped = Mapped::from_error_object(&object).expect("the catch-all takes the rest");
        let expected = match error_type.as_str() {
            "Unit" => Mapped::Unit,
            "Message" => Mapped::Message(message.clone()),
            "Fields" => Mapped::Fields { code, reason: message.clone() },
            "Renamed.Wire-Name" => Mapped::Renamed,
            _ => Mapped::Other(object.clone()),
        };
        match (&mapped, &expected) {
            (Mapped::Other(got), Mapped::Other(_)) => prop_assert_eq!(got.raw().as_ref(), body.as_bytes()),
            _ => prop_assert_eq!(&mapped, &expected),
        }
        // The mapped variant names the errorType it came from.
        if !matches!(mapped, Mapped::Other(_)) {
            let named = mapped.error_type().into_owned();
            prop_assert_eq!(named, error_type);
        }
    }
}

#[test]
fn call_options_do_not_change_the_payload() {
    let runtime = runtime();
    let (lambda, client) = served(&runtime);
    runtime
        .block_on(client.several_with(
            &CallOptions::new(),
            "t".into(),
            1,
            vec![None],
            Nested::new(),
            true,
        ))
        .unwrap();
    assert_eq!(
        lambda.invocations("args")[0].payload.as_ref(),
        br#"{"text":"t","number":1,"list":[null],"type":{},"flag":true}"#
    );
}
