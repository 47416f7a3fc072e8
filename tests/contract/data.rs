//! The contract as data: every generated client describes its contract, with schemas under
//! `#[lambda_remote(schema)]`; two versions of one contract, compared, list exactly the
//! changes that break.

use lambda_remote::contract::{BreakingChange, Contract, Part};
use lambda_remote::{Delivery, GeneratedClient, client::InvocationType};

/// The contract as deployed.
#[allow(dead_code)]
mod v1 {
    use lambda_remote::{FunctionError, InvokeError, lambda_remote};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
    #[schemars(crate = "lambda_remote::schemars")]
    pub struct Order {
        pub sku: String,
        pub qty: u32,
        pub note: Option<String>,
    }

    #[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
    #[schemars(crate = "lambda_remote::schemars")]
    pub struct Receipt {
        pub id: String,
        pub total_cents: u64,
    }

    #[derive(Debug, FunctionError)]
    pub enum ChargeError {
        #[function_error(rename = "CardDeclined")]
        Declined(String),
        InsufficientFunds {
            missing_cents: u64,
        },
        #[function_error(other)]
        Other(lambda_remote::ErrorObject),
    }

    #[lambda_remote(schema)]
    pub trait Billing {
        #[lambda(function = "billing-charge", qualifier = "live", timeout = "30s")]
        async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;

        #[lambda(function = "billing-audit", invocation = "event")]
        async fn audit(&self, entry: String) -> Result<(), InvokeError>;

        #[lambda(
            function = "billing-quote",
            delivery = "at_least_once",
            durable_execution_name = "quote-{sku}"
        )]
        async fn quote(&self, sku: String, qty: u32) -> Result<u64, InvokeError>;

        #[lambda(function = "billing-refund")]
        async fn refund(&self, id: String) -> Result<(), InvokeError>;
    }
}

/// The next version: breaking changes next to compatible ones.
#[allow(dead_code)]
mod v2 {
    use lambda_remote::{FunctionError, InvokeError, lambda_remote};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
    #[schemars(crate = "lambda_remote::schemars")]
    pub struct Order {
        pub sku: String,
        pub qty: u32,
        /// Was optional: newly required.
        pub note: String,
        /// New and optional: compatible.
        pub coupon: Option<String>,
    }

    #[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
    #[schemars(crate = "lambda_remote::schemars")]
    pub struct Receipt {
        pub id: String,
        /// Was required: no longer guaranteed.
        pub total_cents: Option<u64>,
    }

    #[derive(Debug, FunctionError)]
    pub enum ChargeError {
        /// `CardDeclined` is no longer mapped; the catch-all is gone.
        Declined(String),
        InsufficientFunds {
            missing_cents: u64,
        },
        /// New: compatible.
        Expired,
    }

    #[lambda_remote(schema)]
    pub trait Billing {
        /// Timeout changed: compatible.
        #[lambda(function = "billing-charge", qualifier = "live", timeout = "1m")]
        async fn charge(&self, order: Order) -> Result<Receipt, InvokeError<ChargeError>>;

        /// Now synchronous.
        #[lambda(function = "billing-audit")]
        async fn audit(&self, entry: String) -> Result<(), InvokeError>;

        /// Renamed function, a new argument, another durable name, a result of another type.
        #[lambda(
            function = "billing-quote-v2",
            delivery = "at_least_once",
            durable_execution_name = "quote-{sku}-{currency}"
        )]
        async fn quote(
            &self,
            sku: String,
            qty: u32,
            currency: String,
        ) -> Result<String, InvokeError>;

        // `refund` removed.

        /// New method: compatible.
        #[lambda(function = "billing-void")]
        async fn void(&self, id: String) -> Result<(), InvokeError>;
    }
}

/// Without `schema`: the description still lists everything but the schemas.
#[allow(dead_code)]
mod plain {
    use lambda_remote::{InvokeError, lambda_remote};

    #[lambda_remote]
    pub trait Plain {
        #[lambda(function = "plain-ping")]
        async fn ping(&self) -> Result<(), InvokeError>;
    }
}

fn method<'a>(contract: &'a Contract, name: &str) -> &'a lambda_remote::contract::MethodContract {
    contract.method(name).unwrap()
}

#[test]
fn a_client_describes_its_contract() {
    let contract = v1::BillingClient::contract();
    assert_eq!(contract.trait_name, "Billing");
    let names: Vec<_> = contract.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["charge", "audit", "quote", "refund"]);

    let charge = method(&contract, "charge");
    assert_eq!(charge.function, "billing-charge");
    assert_eq!(charge.qualifier.as_deref(), Some("live"));
    assert_eq!(charge.invocation, InvocationType::RequestResponse);
    assert_eq!(charge.timeout_ms, Some(30_000));
    assert_eq!(charge.delivery, None);
    assert_eq!(charge.arguments, ["order"]);
    assert_eq!(charge.error_types, ["CardDeclined", "InsufficientFunds"]);
    assert!(charge.catch_all_errors);

    let quote = method(&contract, "quote");
    assert_eq!(quote.delivery, Some(Delivery::AtLeastOnce));
    assert_eq!(quote.arguments, ["sku", "qty"]);
    assert_eq!(quote.durable_execution_name.as_deref(), Some("quote-{sku}"));
    assert!(quote.error_types.is_empty());
    assert_eq!(method(&contract, "audit").invocation, InvocationType::Event);

    // The schemas: the payload, the result, the error object.
    let schemas = charge.schemas.as_ref().expect("schemas");
    assert_eq!(schemas.payload["title"], "Order");
    assert_eq!(
        schemas.payload["required"],
        serde_json::json!(["sku", "qty"])
    );
    assert_eq!(
        schemas.result["required"],
        serde_json::json!(["id", "total_cents"])
    );
    assert_eq!(schemas.error["properties"]["errorType"]["type"], "string");
    let quote_schemas = quote.schemas.as_ref().unwrap();
    assert_eq!(
        quote_schemas.payload["required"],
        serde_json::json!(["sku", "qty"])
    );
    assert_eq!(
        quote_schemas.payload["properties"]["qty"]["type"],
        "integer"
    );
    assert_eq!(quote_schemas.result["type"], "integer");
    assert_eq!(
        quote_schemas.error["properties"]["errorType"],
        serde_json::json!({"type": "string"})
    );

    // Written as JSON, and read back.
    let json = serde_json::to_string_pretty(&contract).unwrap();
    assert!(
        json.contains("\"errorTypes\": [\n        \"CardDeclined\""),
        "{json}"
    );
    let back: Contract = serde_json::from_str(&json).unwrap();
    assert_eq!(back, contract);
    assert!(contract.breaking_changes(&back).is_empty());

    let plain = plain::PlainClient::contract();
    assert_eq!(plain.methods.len(), 1);
    assert_eq!(plain.methods[0].arguments, Vec::<String>::new());
    assert!(plain.methods[0].schemas.is_none());
}

#[test]
fn a_new_version_lists_exactly_its_breaking_changes() {
    let deployed = v1::BillingClient::contract();
    let next = v2::BillingClient::contract();

    let changes = deployed.breaking_changes(&next);

    let method = |m: &str| m.to_owned();
    assert_eq!(
        changes,
        [
            BreakingChange::ErrorTypeUnmapped {
                method: method("charge"),
                error_type: "CardDeclined".into(),
            },
            BreakingChange::CatchAllRemoved {
                method: method("charge"),
            },
            BreakingChange::PayloadFieldRequired {
                method: method("charge"),
                field: "note".into(),
            },
            BreakingChange::ResultFieldNotGuaranteed {
                method: method("charge"),
                field: "total_cents".into(),
            },
            BreakingChange::InvocationChanged {
                method: method("audit"),
                old: InvocationType::Event,
                new: InvocationType::RequestResponse,
            },
            BreakingChange::FunctionChanged {
                method: method("quote"),
                old: "billing-quote".into(),
                new: "billing-quote-v2".into(),
            },
            BreakingChange::ArgumentAdded {
                method: method("quote"),
                argument: "currency".into(),
            },
            BreakingChange::DurableExecutionNameChanged {
                method: method("quote"),
                old: Some("quote-{sku}".into()),
                new: Some("quote-{sku}-{currency}".into()),
            },
            BreakingChange::TypeChanged {
                method: method("quote"),
                part: Part::Result,
                path: String::new(),
                old: "integer".into(),
                new: "string".into(),
            },
            BreakingChange::MethodRemoved {
                method: method("refund"),
            },
        ]
    );
    let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "`charge`: the errorType `CardDeclined` is no longer mapped",
            "`charge`: other errorTypes are no longer mapped (the catch-all was removed)",
            "`charge`: the payload field `note` is newly required",
            "`charge`: the result field `total_cents` is no longer required",
            "`audit`: the invocation type Event is now RequestResponse",
            "`quote`: the function `billing-quote` is now `billing-quote-v2`",
            "`quote`: the argument `currency` was added",
            "`quote`: the durable execution name `quote-{sku}` is now `quote-{sku}-{currency}`",
            "`quote`: the result changed type from integer to string",
            "`refund`: the method was removed",
        ]
    );
    // Going back is breaking too, but differently: v1 lacks `void`, and maps no `Expired`.
    let back = next.breaking_changes(&deployed);
    assert!(back.contains(&BreakingChange::MethodRemoved {
        method: "void".into()
    }));
    assert!(back.contains(&BreakingChange::ErrorTypeUnmapped {
        method: "charge".into(),
        error_type: "Expired".into()
    }));
}

/// What the CI check of the guide's contract-as-data chapter does: the committed description against the current one.
/// `UPDATE_CONTRACTS=1 cargo test --test contract data::` writes the current one instead.
#[test]
fn the_committed_description_is_compatible_with_the_current_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/contract/billing.contract.json");
    let current = v1::BillingClient::contract();
    if std::env::var_os("UPDATE_CONTRACTS").is_some() {
        let json = serde_json::to_string_pretty(&current).unwrap() + "\n";
        std::fs::write(&path, json).unwrap();
    }
    let committed: Contract =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        committed, current,
        "the committed description is up to date"
    );
    let changes = committed.breaking_changes(&current);
    assert!(
        changes.is_empty(),
        "breaking changes:\n{}",
        changes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Streaming methods: described as streaming, with the schema of one item; a method that
/// starts or stops streaming is a breaking change.
#[allow(dead_code)]
mod streams_v1 {
    use lambda_remote::{ByteStream, InvokeError, ResponseStream, lambda_remote};
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, lambda_remote::schemars::JsonSchema)]
    #[schemars(crate = "lambda_remote::schemars")]
    pub struct Row {
        pub n: u64,
    }

    #[lambda_remote(schema)]
    pub trait Reports {
        #[lambda(function = "report-rows", invocation = "stream")]
        async fn rows(&self, count: u64) -> Result<ResponseStream<Row>, InvokeError>;

        #[lambda(function = "report-export", invocation = "stream")]
        async fn export(&self, id: u64) -> Result<ByteStream, InvokeError>;

        #[lambda(function = "report-count")]
        async fn count(&self) -> Result<u64, InvokeError>;
    }
}

#[allow(dead_code)]
mod streams_v2 {
    use lambda_remote::{ByteStream, InvokeError, ResponseStream, lambda_remote};

    #[lambda_remote(schema)]
    pub trait Reports {
        #[lambda(function = "report-rows")]
        async fn rows(&self, count: u64) -> Result<Vec<u64>, InvokeError>;

        #[lambda(function = "report-export", invocation = "stream")]
        async fn export(&self, id: u64) -> Result<ByteStream, InvokeError>;

        #[lambda(function = "report-count", invocation = "stream")]
        async fn count(&self) -> Result<ResponseStream<u64>, InvokeError>;
    }
}

#[test]
fn streaming_methods_are_described_and_changes_to_streaming_are_breaking() {
    let deployed = streams_v1::ReportsClient::contract();
    let rows = method(&deployed, "rows");
    assert!(rows.streaming);
    assert!(!method(&deployed, "count").streaming);
    let schemas = rows.schemas.as_ref().unwrap();
    assert_eq!(schemas.result["type"], "object");
    assert_eq!(schemas.result["required"], serde_json::json!(["n"]));
    let export = method(&deployed, "export").schemas.as_ref().unwrap();
    assert_eq!(
        export.result["contentMediaType"],
        "application/octet-stream"
    );
    let json = serde_json::to_value(&deployed).unwrap();
    assert_eq!(json["methods"][0]["streaming"], true);
    assert!(json["methods"][2].get("streaming").is_none());

    let next = streams_v2::ReportsClient::contract();
    let changes = deployed.breaking_changes(&next);
    let streaming: Vec<&BreakingChange> = changes
        .iter()
        .filter(|c| matches!(c, BreakingChange::StreamingChanged { .. }))
        .collect();
    assert_eq!(
        streaming,
        [
            &BreakingChange::StreamingChanged {
                method: "rows".into(),
                streaming: false
            },
            &BreakingChange::StreamingChanged {
                method: "count".into(),
                streaming: true
            },
        ]
    );
    assert_eq!(
        streaming[0].to_string(),
        "`rows`: the method no longer streams its response (Invoke)"
    );
}
