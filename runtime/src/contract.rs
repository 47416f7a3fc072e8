//! The contract as data: what a generated client calls and how, as a value that can be
//! written as JSON, committed, and compared with another version of itself.
//!
//! Every generated client describes its contract
//! ([`GeneratedClient::contract`](crate::GeneratedClient::contract)): per method its name,
//! function, qualifier, invocation type, timeout, delivery, argument names and the
//! `errorType`s its error enum maps, and — with `#[lambda_remote(schema)]` and the `schema`
//! feature — the JSON Schemas of its payload, result and error. [`Contract::breaking_changes`]
//! lists what a new version breaks for callers and functions built against an old one.
//!
//! ```
//! # use lambda_remote_runtime::contract::{BreakingChange, Contract, MethodContract};
//! # use lambda_remote_runtime::__private::MethodSpec;
//! let old = Contract::new("Billing", vec![
//!     MethodContract::from_spec(&MethodSpec::new("charge", "billing-charge"), &["Declined"], false),
//! ]);
//! let new = Contract::new("Billing", vec![
//!     MethodContract::from_spec(&MethodSpec::new("charge", "billing-charge-v2"), &[], false),
//! ]);
//! let changes = old.breaking_changes(&new);
//! assert_eq!(changes.len(), 2);
//! assert_eq!(
//!     changes[0].to_string(),
//!     "`charge`: the function `billing-charge` is now `billing-charge-v2`"
//! );
//! ```
//!
//! # Evolutions
//!
//! What [`Contract::breaking_changes`] reports for the edits a team makes to a contract, one
//! entry per edit (`tests/contract/evolutions.rs` asserts each row, exactly). "Payload" is a
//! field of an argument's type, "result" a field of the success type; schemas come with
//! `#[lambda_remote(schema)]`, and without them the schema rows report nothing.
//!
//! | edit | entries |
//! |---|---|
//! | a payload field added, optional (`coupon: Option<String>`) | none |
//! | a payload field added, required (`coupon: String`) | [`PayloadFieldRequired`](BreakingChange::PayloadFieldRequired) `coupon` |
//! | a payload field removed | none (old callers' value is ignored) |
//! | a payload field made optional (`qty: u32` → `Option<u32>`) | none |
//! | a payload field made required (`note: Option<String>` → `String`) | [`PayloadFieldRequired`](BreakingChange::PayloadFieldRequired) `note` |
//! | a required payload field renamed (`qty` → `quantity`) | [`PayloadFieldRequired`](BreakingChange::PayloadFieldRequired) `quantity` |
//! | a payload type widened (`qty: u32` → `f64`) | none |
//! | a result field added, optional or required | none |
//! | a required result field removed | [`ResultFieldNotGuaranteed`](BreakingChange::ResultFieldNotGuaranteed) `total` |
//! | a result field made optional (`total: u64` → `Option<u64>`) | [`ResultFieldNotGuaranteed`](BreakingChange::ResultFieldNotGuaranteed) `total` |
//! | a required result field renamed (`total` → `amount`) | [`ResultFieldNotGuaranteed`](BreakingChange::ResultFieldNotGuaranteed) `total` |
//! | a result type widened (`total: u64` → `f64`) | [`TypeChanged`](BreakingChange::TypeChanged) `total`, integer to number |
//! | the argument of a one-argument method renamed | none (the payload is the argument itself) |
//! | an argument of a several-argument method renamed (`qty` → `quantity`) | [`ArgumentAdded`](BreakingChange::ArgumentAdded) `quantity` |
//! | a method renamed, calling the same function | none |
//! | an idempotency key removed, its template changed, or one added | [`IdempotencyKeyChanged`](BreakingChange::IdempotencyKeyChanged) (a change of behaviour: who sends calls again, and who answers them from a record) |
//! | `claim_check` `"auto"` → `"never"`, `"never"` → `"auto"`, `"auto"` → `"always"` | [`ClaimCheckChanged`](BreakingChange::ClaimCheckChanged) (one side refuses or cannot read the references the other sends) |
//! | `claim_check` `"always"` → `"auto"` | none (both read references and inline bodies alike) |
//!
//! A field made optional or required changes both its schema's `required` list and its
//! `type` (`null` added or removed): that is one edit, reported once, as the field's entry.
//! An integer's width (`u32` → `u64`) is not its JSON type: both are `integer`, and widening
//! one is not reported. An optional payload field renamed is a field removed and another
//! added, both compatible: old callers' value is ignored.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::claim_check::ClaimCheckMode;
use crate::delivery::Delivery;
use crate::invocation::InvocationType;
use crate::spec::MethodSpec;

/// The description of a `#[lambda_remote]` trait: its name and its methods, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contract {
    /// The trait's name.
    #[serde(rename = "trait")]
    pub trait_name: String,
    /// The methods, in declaration order.
    pub methods: Vec<MethodContract>,
}

/// The description of one method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MethodContract {
    /// The method's name.
    pub name: String,
    /// The function it calls by default (name, `name:qualifier`, full or partial ARN).
    pub function: String,
    /// The default qualifier, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The invocation type (`RequestResponse`, `Event`, `DryRun`).
    pub invocation: InvocationType,
    /// The method's timeout for the whole call, in milliseconds, if it sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// The method's delivery (`at_most_once`, `at_least_once`); none when it keeps the
    /// client's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// Whether every call asks for the log tail.
    #[serde(default)]
    pub log_tail: bool,
    /// Whether the method streams its response (`InvokeWithResponseStream`): its result
    /// schema is then that of one item (one line of JSON).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub streaming: bool,
    /// Whether the method's bodies may go through an S3 claim check (`auto`, `always`,
    /// `never`; absent for `auto`).
    #[serde(default, skip_serializing_if = "ClaimCheckMode::is_auto")]
    pub claim_check: ClaimCheckMode,
    /// The template of the durable execution name derived from the arguments, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durable_execution_name: Option<String>,
    /// The template of the idempotency key derived from the arguments, if any: the function
    /// runs the method once per key, and the client sends its calls at least once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// The argument names, in order (several arguments are the payload's keys).
    pub arguments: Vec<String>,
    /// The `errorType`s the method's error enum maps by name.
    pub error_types: Vec<String>,
    /// Whether the error enum also maps any other `errorType` (a catch-all variant).
    #[serde(default)]
    pub catch_all_errors: bool,
    /// The JSON Schemas of the payload, result and error, with `#[lambda_remote(schema)]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schemas: Option<Schemas>,
}

/// The JSON Schemas (draft 2020-12) of one method's payload, result and error object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Schemas {
    /// The payload: the argument's schema, or an object of the arguments by name.
    pub payload: Value,
    /// The result the method decodes.
    pub result: Value,
    /// The error object: `errorType` (one of the mapped ones, unless there is a catch-all)
    /// and `errorMessage`.
    pub error: Value,
}

impl Schemas {
    /// The three schemas.
    pub fn new(payload: Value, result: Value, error: Value) -> Self {
        Self {
            payload,
            result,
            error,
        }
    }
}

impl Contract {
    /// A description of trait `trait_name` with `methods`.
    pub fn new(trait_name: impl Into<String>, methods: Vec<MethodContract>) -> Self {
        Self {
            trait_name: trait_name.into(),
            methods,
        }
    }

    /// The method named `name`.
    pub fn method(&self, name: &str) -> Option<&MethodContract> {
        self.methods.iter().find(|m| m.name == name)
    }

    /// The method named `name`, to change it (e.g. to model another version in a test).
    pub fn method_mut(&mut self, name: &str) -> Option<&mut MethodContract> {
        self.methods.iter_mut().find(|m| m.name == name)
    }

    /// What `new` breaks for callers and functions built against `self`: one entry per
    /// edit (the most telling one when an edit shows in several places, as a field made
    /// optional does in `required` and in its `type`), in method order, then in the order of
    /// [`BreakingChange`]'s variants. Empty when `new` is compatible (methods added,
    /// errorTypes added, a timeout or delivery changed, optional payload fields added, a method
    /// renamed that calls the same function: the [evolutions](self#evolutions) table).
    pub fn breaking_changes(&self, new: &Contract) -> Vec<BreakingChange> {
        let mut changes = Vec::new();
        // The new methods an old one may have been renamed to: not in the old contract.
        let mut unclaimed: Vec<&MethodContract> = new
            .methods
            .iter()
            .filter(|m| self.method(&m.name).is_none())
            .collect();
        for old in &self.methods {
            let current = new.method(&old.name).or_else(|| {
                // Renamed: the same function, called by a method of another name. On the wire
                // nothing changed; what else changed is compared as for any method.
                let at = unclaimed.iter().position(|m| m.function == old.function)?;
                Some(unclaimed.remove(at))
            });
            match current {
                None => changes.push(BreakingChange::MethodRemoved {
                    method: old.name.clone(),
                }),
                Some(current) => method_changes(old, current, &mut changes),
            }
        }
        changes
    }
}

impl MethodContract {
    /// The description of a method from its spec and its error enum's mapped `errorType`s.
    pub fn from_spec(spec: &MethodSpec, error_types: &[&str], catch_all_errors: bool) -> Self {
        Self {
            name: spec.method.to_owned(),
            function: spec.function.to_owned(),
            qualifier: spec.qualifier.map(str::to_owned),
            invocation: spec.invocation,
            timeout_ms: spec
                .timeout
                .map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
            delivery: spec.delivery,
            log_tail: spec.log_tail,
            streaming: spec.streaming,
            claim_check: spec.claim_check,
            durable_execution_name: spec.durable_execution_name.map(str::to_owned),
            idempotency_key: spec.idempotency_key.map(str::to_owned),
            arguments: spec.arguments.iter().map(|a| (*a).to_owned()).collect(),
            error_types: error_types.iter().map(|e| (*e).to_owned()).collect(),
            catch_all_errors,
            schemas: None,
        }
    }

    /// The same description with its schemas.
    pub fn with_schemas(mut self, schemas: Schemas) -> Self {
        self.schemas = Some(schemas);
        self
    }
}

/// Which part of a method a schema change is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The payload the function receives.
    Payload,
    /// The result the caller decodes.
    Result,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Payload => "payload",
            Self::Result => "result",
        })
    }
}

/// One change that breaks callers or functions built against the old contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BreakingChange {
    /// The method is gone.
    MethodRemoved {
        /// The method.
        method: String,
    },
    /// The method calls another function (renamed, or another ARN).
    FunctionChanged {
        /// The method.
        method: String,
        /// The old function.
        old: String,
        /// The new function.
        new: String,
    },
    /// The method calls another version or alias.
    QualifierChanged {
        /// The method.
        method: String,
        /// The old qualifier.
        old: Option<String>,
        /// The new qualifier.
        new: Option<String>,
    },
    /// The method is invoked another way (a caller that waited for a result gets none, or a
    /// function that answered at once now holds the caller).
    InvocationChanged {
        /// The method.
        method: String,
        /// The old invocation type.
        old: InvocationType,
        /// The new invocation type.
        new: InvocationType,
    },
    /// The payload changed shape: one argument is the payload itself, several are an object.
    PayloadShapeChanged {
        /// The method.
        method: String,
        /// The old argument names.
        old: Vec<String>,
        /// The new argument names.
        new: Vec<String>,
    },
    /// The method streams its response now, or no longer does: old callers read the other
    /// API's answer (or call the other API).
    StreamingChanged {
        /// The method.
        method: String,
        /// Whether it streams now.
        streaming: bool,
    },
    /// A new argument: a key old callers do not send.
    ArgumentAdded {
        /// The method.
        method: String,
        /// The argument.
        argument: String,
    },
    /// The durable execution name is derived otherwise: the same call no longer finds the
    /// execution an old caller started.
    DurableExecutionNameChanged {
        /// The method.
        method: String,
        /// The old template.
        old: Option<String>,
        /// The new template.
        new: Option<String>,
    },
    /// The idempotency key is derived otherwise, or was added or removed: a change of
    /// behaviour. Removed, callers built against the old contract still send calls again on
    /// failures that may have run, and the function now runs each of them; changed, a call
    /// sent again by an old caller no longer finds its first run's record; added, old callers
    /// send no call twice, but the function now answers a repeated call with the first one's
    /// result.
    IdempotencyKeyChanged {
        /// The method.
        method: String,
        /// The old template.
        old: Option<String>,
        /// The new template.
        new: Option<String>,
    },
    /// The method's `claim_check` changed so that a peer built against the old contract may
    /// fail on what the new one sends, or send what it refuses. Reported: `"never"` to
    /// `"auto"` or `"always"` (a peer built with `"never"` refuses a request reference and
    /// cannot read a result reference; with `"auto"`, bodies over the threshold — the
    /// deployment's setting, not the contract's, so possibly bodies that fitted before); back
    /// to `"never"` (the new function refuses old callers' references, new callers cannot
    /// read an old function's result references); `"auto"` to `"always"` (every body now
    /// goes through S3, and a peer with `"auto"` may have no claim check configured). Not
    /// reported: `"always"` to `"auto"` (both sides read references and inline bodies alike).
    ClaimCheckChanged {
        /// The method.
        method: String,
        /// The old setting.
        old: ClaimCheckMode,
        /// The new setting.
        new: ClaimCheckMode,
    },
    /// An `errorType` the error enum mapped is no longer mapped: it arrives unmapped.
    ErrorTypeUnmapped {
        /// The method.
        method: String,
        /// The `errorType`.
        error_type: String,
    },
    /// The error enum no longer maps every other `errorType`.
    CatchAllRemoved {
        /// The method.
        method: String,
    },
    /// A payload field is newly required: old callers do not send it.
    PayloadFieldRequired {
        /// The method.
        method: String,
        /// The field, as a path from the payload (`order.sku`).
        field: String,
    },
    /// A result field is no longer required: old callers that need it may not get it.
    ResultFieldNotGuaranteed {
        /// The method.
        method: String,
        /// The field, as a path from the result.
        field: String,
    },
    /// A value changed its JSON type.
    TypeChanged {
        /// The method.
        method: String,
        /// The payload or the result.
        part: Part,
        /// The value, as a path (empty for the whole payload or result).
        path: String,
        /// The old `type`.
        old: String,
        /// The new `type`.
        new: String,
    },
}

impl BreakingChange {
    /// The method the change is in.
    pub fn method(&self) -> &str {
        match self {
            Self::MethodRemoved { method }
            | Self::FunctionChanged { method, .. }
            | Self::QualifierChanged { method, .. }
            | Self::InvocationChanged { method, .. }
            | Self::StreamingChanged { method, .. }
            | Self::PayloadShapeChanged { method, .. }
            | Self::ArgumentAdded { method, .. }
            | Self::DurableExecutionNameChanged { method, .. }
            | Self::IdempotencyKeyChanged { method, .. }
            | Self::ClaimCheckChanged { method, .. }
            | Self::ErrorTypeUnmapped { method, .. }
            | Self::CatchAllRemoved { method }
            | Self::PayloadFieldRequired { method, .. }
            | Self::ResultFieldNotGuaranteed { method, .. }
            | Self::TypeChanged { method, .. } => method,
        }
    }
}

fn or_none(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("`{v}`"),
        None => "none".to_owned(),
    }
}

impl fmt::Display for BreakingChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: ", self.method())?;
        match self {
            Self::MethodRemoved { .. } => f.write_str("the method was removed"),
            Self::FunctionChanged { old, new, .. } => {
                write!(f, "the function `{old}` is now `{new}`")
            }
            Self::QualifierChanged { old, new, .. } => {
                write!(f, "the qualifier {} is now {}", or_none(old), or_none(new))
            }
            Self::InvocationChanged { old, new, .. } => {
                write!(f, "the invocation type {old} is now {new}")
            }
            Self::StreamingChanged {
                streaming: true, ..
            } => f.write_str("the method streams its response now (InvokeWithResponseStream)"),
            Self::StreamingChanged {
                streaming: false, ..
            } => f.write_str("the method no longer streams its response (Invoke)"),
            Self::PayloadShapeChanged { old, new, .. } => write!(
                f,
                "the payload changed shape: arguments ({}) are now ({})",
                old.join(", "),
                new.join(", ")
            ),
            Self::ArgumentAdded { argument, .. } => {
                write!(f, "the argument `{argument}` was added")
            }
            Self::DurableExecutionNameChanged { old, new, .. } => write!(
                f,
                "the durable execution name {} is now {}",
                or_none(old),
                or_none(new)
            ),
            Self::IdempotencyKeyChanged { old, new, .. } => write!(
                f,
                "the idempotency key {} is now {}",
                or_none(old),
                or_none(new)
            ),
            Self::ClaimCheckChanged { old, new, .. } => {
                write!(f, "the claim check `{old}` is now `{new}`")
            }
            Self::ErrorTypeUnmapped { error_type, .. } => {
                write!(f, "the errorType `{error_type}` is no longer mapped")
            }
            Self::CatchAllRemoved { .. } => {
                f.write_str("other errorTypes are no longer mapped (the catch-all was removed)")
            }
            Self::PayloadFieldRequired { field, .. } => {
                write!(f, "the payload field `{field}` is newly required")
            }
            Self::ResultFieldNotGuaranteed { field, .. } => {
                write!(f, "the result field `{field}` is no longer required")
            }
            Self::TypeChanged {
                part,
                path,
                old,
                new,
                ..
            } => {
                let at = if path.is_empty() {
                    format!("the {part}")
                } else {
                    format!("the {part} field `{path}`")
                };
                write!(f, "{at} changed type from {old} to {new}")
            }
        }
    }
}

/// Whether a method's claim check going from `old` to `new` breaks a peer built against the
/// old contract ([`BreakingChange::ClaimCheckChanged`] says why).
fn claim_check_breaks(old: ClaimCheckMode, new: ClaimCheckMode) -> bool {
    use ClaimCheckMode::{Always, Auto};
    old != new && !(old == Always && new == Auto)
}

fn method_changes(old: &MethodContract, new: &MethodContract, out: &mut Vec<BreakingChange>) {
    let method = || old.name.clone();
    if old.function != new.function {
        out.push(BreakingChange::FunctionChanged {
            method: method(),
            old: old.function.clone(),
            new: new.function.clone(),
        });
    }
    if old.qualifier != new.qualifier {
        out.push(BreakingChange::QualifierChanged {
            method: method(),
            old: old.qualifier.clone(),
            new: new.qualifier.clone(),
        });
    }
    if old.streaming != new.streaming {
        out.push(BreakingChange::StreamingChanged {
            method: method(),
            streaming: new.streaming,
        });
    }
    if old.invocation != new.invocation {
        out.push(BreakingChange::InvocationChanged {
            method: method(),
            old: old.invocation,
            new: new.invocation,
        });
    }
    let single = |m: &MethodContract| m.arguments.len() == 1;
    if single(old) != single(new) {
        out.push(BreakingChange::PayloadShapeChanged {
            method: method(),
            old: old.arguments.clone(),
            new: new.arguments.clone(),
        });
    } else if !single(new) {
        for argument in new.arguments.iter().filter(|a| !old.arguments.contains(a)) {
            out.push(BreakingChange::ArgumentAdded {
                method: method(),
                argument: argument.clone(),
            });
        }
    }
    if old.durable_execution_name != new.durable_execution_name {
        out.push(BreakingChange::DurableExecutionNameChanged {
            method: method(),
            old: old.durable_execution_name.clone(),
            new: new.durable_execution_name.clone(),
        });
    }
    if old.idempotency_key != new.idempotency_key {
        out.push(BreakingChange::IdempotencyKeyChanged {
            method: method(),
            old: old.idempotency_key.clone(),
            new: new.idempotency_key.clone(),
        });
    }
    if claim_check_breaks(old.claim_check, new.claim_check) {
        out.push(BreakingChange::ClaimCheckChanged {
            method: method(),
            old: old.claim_check,
            new: new.claim_check,
        });
    }
    for error_type in old
        .error_types
        .iter()
        .filter(|e| !new.error_types.contains(e))
    {
        out.push(BreakingChange::ErrorTypeUnmapped {
            method: method(),
            error_type: error_type.clone(),
        });
    }
    if old.catch_all_errors && !new.catch_all_errors {
        out.push(BreakingChange::CatchAllRemoved { method: method() });
    }
    if let (Some(old_schemas), Some(new_schemas)) = (&old.schemas, &new.schemas) {
        if single(old) && single(new) {
            let payload = Walk::new(Part::Payload, &old.name, old_schemas, new_schemas);
            payload.compare(
                &old_schemas.payload,
                &new_schemas.payload,
                "",
                0,
                false,
                out,
            );
        } else if !single(old) && !single(new) {
            // Each argument a caller already sends, by name: a new argument is reported above.
            let payload = Walk::new(Part::Payload, &old.name, old_schemas, new_schemas);
            for argument in old.arguments.iter().filter(|a| new.arguments.contains(a)) {
                let pointer = format!("/properties/{argument}");
                if let (Some(o), Some(n)) = (
                    old_schemas.payload.pointer(&pointer),
                    new_schemas.payload.pointer(&pointer),
                ) {
                    payload.compare(o, n, argument, 0, false, out);
                }
            }
        }
        let result = Walk::new(Part::Result, &old.name, old_schemas, new_schemas);
        result.compare(&old_schemas.result, &new_schemas.result, "", 0, false, out);
    }
}

/// A comparison of two schemas of one part, each resolving `$ref`s against its own root.
struct Walk<'a> {
    part: Part,
    method: &'a str,
    old_root: &'a Value,
    new_root: &'a Value,
}

/// Deep enough for any real payload, and a bound for recursive types.
const MAX_DEPTH: usize = 32;

impl<'a> Walk<'a> {
    fn new(part: Part, method: &'a str, old: &'a Schemas, new: &'a Schemas) -> Self {
        let root = |s: &'a Schemas| match part {
            Part::Payload => &s.payload,
            Part::Result => &s.result,
        };
        Self {
            part,
            method,
            old_root: root(old),
            new_root: root(new),
        }
    }

    /// Compares one value's schemas. `optionality_reported`: the field was reported as newly
    /// required (payload) or no longer required (result), so the `null` its type gained or
    /// lost is the same edit and is not reported again.
    fn compare(
        &self,
        old: &Value,
        new: &Value,
        path: &str,
        depth: usize,
        optionality_reported: bool,
        out: &mut Vec<BreakingChange>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = resolve(self.old_root, old);
        let new = resolve(self.new_root, new);
        let (old_type, new_type) = (json_type(old), json_type(new));
        if let (Some(o), Some(n)) = (&old_type, &new_type) {
            // A payload may accept more than before (`integer` to `number`, a value made
            // nullable): old callers still fit. A result may produce less: old callers still
            // read it. Any other change of type breaks.
            let (compatible, nullability) = match self.part {
                Part::Payload => (accepts_all_of(n, o), only_null_added(o, n)),
                Part::Result => (accepts_all_of(o, n), only_null_added(n, o)),
            };
            if o != n && !compatible && !(optionality_reported && nullability) {
                out.push(BreakingChange::TypeChanged {
                    method: self.method.to_owned(),
                    part: self.part,
                    path: path.to_owned(),
                    old: o.clone(),
                    new: n.clone(),
                });
                return;
            }
        }
        let (old_required, new_required) = (required(old), required(new));
        let field = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        let reported: BTreeSet<String> = match self.part {
            Part::Payload => new_required.difference(&old_required).cloned().collect(),
            Part::Result => old_required.difference(&new_required).cloned().collect(),
        };
        for name in &reported {
            out.push(match self.part {
                Part::Payload => BreakingChange::PayloadFieldRequired {
                    method: self.method.to_owned(),
                    field: field(name),
                },
                Part::Result => BreakingChange::ResultFieldNotGuaranteed {
                    method: self.method.to_owned(),
                    field: field(name),
                },
            });
        }
        if let (Some(old_props), Some(new_props)) = (
            old.get("properties").and_then(Value::as_object),
            new.get("properties").and_then(Value::as_object),
        ) {
            for (name, old_prop) in old_props {
                if let Some(new_prop) = new_props.get(name) {
                    let optionality_reported = reported.contains(name);
                    self.compare(
                        old_prop,
                        new_prop,
                        &field(name),
                        depth + 1,
                        optionality_reported,
                        out,
                    );
                }
            }
        }
    }
}

/// Follows a local `$ref` (`#/$defs/Order`), once per level.
fn resolve<'v>(root: &'v Value, schema: &'v Value) -> &'v Value {
    let mut current = schema;
    for _ in 0..MAX_DEPTH {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => match root.pointer(pointer) {
                Some(target) => current = target,
                None => break,
            },
            None => break,
        }
    }
    current
}

/// The `type` keyword as one string: `"string"`, or `["string","null"]` as `string | null`.
fn json_type(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(t) => Some(t.clone()),
        Value::Array(types) => {
            let names: BTreeSet<&str> = types.iter().filter_map(Value::as_str).collect();
            Some(names.into_iter().collect::<Vec<_>>().join(" | "))
        }
        _ => None,
    }
}

/// Whether a value of type `wider` can be any value of type `narrower` (types as
/// [`json_type`] writes them; every integer is a number).
fn accepts_all_of(wider: &str, narrower: &str) -> bool {
    let wider: BTreeSet<&str> = wider.split(" | ").collect();
    narrower
        .split(" | ")
        .all(|t| wider.contains(t) || (t == "integer" && wider.contains("number")))
}

/// Whether `wider` is `narrower` with `null` added, and nothing else (types as [`json_type`]
/// writes them): the value was made nullable.
fn only_null_added(wider: &str, narrower: &str) -> bool {
    let wider: BTreeSet<&str> = wider.split(" | ").collect();
    let mut narrower: BTreeSet<&str> = narrower.split(" | ").collect();
    !narrower.contains("null") && {
        narrower.insert("null");
        narrower == wider
    }
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Serialize for InvocationType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InvocationType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        InvocationType::from_wire(&value).ok_or_else(|| {
            serde::de::Error::unknown_variant(&value, &["RequestResponse", "Event", "DryRun"])
        })
    }
}

impl Serialize for Delivery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Delivery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        [Delivery::AtMostOnce, Delivery::AtLeastOnce]
            .into_iter()
            .find(|d| d.as_str() == value)
            .ok_or_else(|| {
                serde::de::Error::unknown_variant(&value, &["at_most_once", "at_least_once"])
            })
    }
}

/// The schema of an error object whose `errorType` is one of `error_types` (any string with
/// a catch-all).
pub fn error_object_schema(error_types: &[&str], catch_all: bool) -> Value {
    let error_type = if catch_all || error_types.is_empty() {
        serde_json::json!({"type": "string"})
    } else {
        serde_json::json!({"type": "string", "enum": error_types})
    };
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ErrorObject",
        "type": "object",
        "properties": {
            "errorType": error_type,
            "errorMessage": {"type": "string"},
        },
        "required": ["errorType"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(spec: MethodSpec) -> MethodContract {
        MethodContract::from_spec(&spec, &["Declined", "Expired"], true)
    }

    #[test]
    fn a_description_round_trips_through_json() {
        let contract = Contract::new(
            "Billing",
            vec![method(
                MethodSpec::new("charge", "billing-charge")
                    .qualifier("live")
                    .delivery(Delivery::AtLeastOnce)
                    .arguments(&["order", "card"]),
            )],
        );
        let json = serde_json::to_value(&contract).unwrap();
        assert_eq!(json["trait"], "Billing");
        assert_eq!(json["methods"][0]["invocation"], "RequestResponse");
        assert_eq!(json["methods"][0]["delivery"], "at_least_once");
        assert_eq!(
            json["methods"][0]["errorTypes"],
            json!(["Declined", "Expired"])
        );
        let back: Contract = serde_json::from_value(json).unwrap();
        assert_eq!(back, contract);
    }

    #[test]
    fn schema_changes_are_found_through_refs() {
        let payload = |required: Value| {
            json!({"$ref": "#/$defs/Order", "$defs": {"Order": {
                "type": "object",
                "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
                "required": required,
            }}})
        };
        let result = |qty: &str| {
            json!({"type": "object", "properties": {"id": {"type": "string"}, "total": {"type": qty}},
                   "required": ["id", "total"]})
        };
        let old = method(MethodSpec::new("charge", "f").arguments(&["order"])).with_schemas(
            Schemas::new(payload(json!(["sku"])), result("integer"), json!({})),
        );
        let new = method(MethodSpec::new("charge", "f").arguments(&["order"])).with_schemas(
            Schemas::new(payload(json!(["sku", "qty"])), result("string"), json!({})),
        );
        let changes =
            Contract::new("T", vec![old]).breaking_changes(&Contract::new("T", vec![new]));
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "`charge`: the payload field `qty` is newly required",
                "`charge`: the result field `total` changed type from integer to string",
            ]
        );
    }

    #[test]
    fn widening_a_type_breaks_nothing() {
        assert!(accepts_all_of("number", "integer"));
        assert!(accepts_all_of("null | string", "string"));
        assert!(!accepts_all_of("string", "null | string"));
        assert!(!accepts_all_of("integer", "number"));
    }
}
