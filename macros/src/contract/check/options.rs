//! The keys of `#[lambda_remote(…)]` and `#[lambda(…)]`: each known, given once, with a value
//! of its grammar ([`super::values`]), resolved into the model's typed options.
//!
//! One mistake, one error: an unknown key of `#[lambda(…)]` that is a misspelling of a known
//! one (`fucntion`, `timout`), or a function name under another key (`name = "billing"`), and
//! the keys of a misspelt attribute (`#[lamda(…)]`), are reported once, then resolved as what
//! they meant without reporting their values, so that a missing `function` (or any rule about
//! a key's absence) is not reported on top.

use std::collections::BTreeSet;
use std::time::Duration;

use lambda_remote_names::{FunctionName, validate_qualifier};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::super::model::{
    ClaimCheck, Contract, Delivery, Invocation, Log, Method, MethodAttr, NameTemplate,
};
use super::values;
use crate::attr::{Args, Entry, Value};
use crate::errors::Errors;
use crate::keys::{UniqueKey, near_miss, string_value, unknown_key};

const TRAIT_KEYS: &[&str] = &["crate", "client", "server", "dyn_trait", "schema"];
const METHOD_KEYS: &[&str] = &[
    "function",
    "qualifier",
    "invocation",
    "log",
    "timeout",
    "delivery",
    "durable_execution_name",
    "idempotency_key",
    "claim_check",
];

/// The keys a method's attributes meant to give: written (valid or not), or misspelt; or all
/// of them, when an attribute could not be read to the end.
pub(super) struct Meant {
    keys: BTreeSet<&'static str>,
    unreadable: bool,
}

impl Meant {
    pub(super) fn key(&self, key: &str) -> bool {
        self.unreadable || self.keys.contains(key)
    }
}

/// The trait's options, resolved from `#[lambda_remote(…)]` into `contract`. (An unknown key
/// here has no follow-on error to keep out: rustc reports no unresolved name, such as a client
/// the key meant to name, after a macro's error; `misspelt_client_key.rs` shows it.)
pub(super) fn trait_options(errors: &mut Errors, contract: &mut Contract) {
    let mut keys = TraitKeys::new();
    for entry in &contract.args.entries {
        match TRAIT_KEYS.iter().find(|key| entry.key.is_ident(key)) {
            Some(key) => keys.entry(errors, key, entry),
            None => unknown_key(errors, entry, TRAIT_KEYS),
        }
    }
    if let Some(error) = &contract.args.unreadable {
        errors.push(error.clone());
    }
    let ident = &contract.item.ident;
    let item = ident.unraw();
    let default = |name: String| Ident::new(&name, ident.span());
    if let Some(krate) = keys.krate.get() {
        contract.krate = krate.value;
    }
    if let Some(client) = keys.client.get() {
        contract.client = client.value;
    }
    contract.server = keys.server.get().map(|name| {
        name.value
            .unwrap_or_else(|| default(format!("{item}Server")))
    });
    contract.dyn_trait = keys
        .dyn_trait
        .get()
        .map(|name| name.value.unwrap_or_else(|| default(format!("Dyn{item}"))));
    contract.schema = keys.schema.get().is_some();
}

struct TraitKeys {
    krate: UniqueKey<syn::Path>,
    client: UniqueKey<Ident>,
    server: UniqueKey<Option<Ident>>,
    dyn_trait: UniqueKey<Option<Ident>>,
    schema: UniqueKey<()>,
}

impl TraitKeys {
    fn new() -> Self {
        Self {
            krate: UniqueKey::new("crate"),
            client: UniqueKey::new("client"),
            server: UniqueKey::new("server"),
            dyn_trait: UniqueKey::new("dyn_trait"),
            schema: UniqueKey::new("schema"),
        }
    }

    /// `entry`, read as the trait key `key`.
    fn entry(&mut self, errors: &mut Errors, key: &str, entry: &Entry) {
        let path = &entry.key;
        match key {
            "crate" => {
                if let Some(value) = string_value(errors, entry, "crate", "::lambda_remote") {
                    match value.parse::<syn::Path>() {
                        Ok(krate) => self.krate.set(errors, path, krate, value.span()),
                        Err(_) => errors.spanned(
                            value,
                            "`crate` takes a path to the lambda-remote crate: write `crate = \"::lambda_remote\"`",
                        ),
                    }
                }
            }
            "client" => {
                if let Some(value) = string_value(errors, entry, "client", "BillingClient") {
                    match value.parse::<Ident>() {
                        Ok(name) => self.client.set(errors, path, name, value.span()),
                        Err(_) => errors.spanned(
                            value,
                            "`client` takes the name of the struct to generate: write `client = \"BillingClient\"`",
                        ),
                    }
                }
            }
            "server" => {
                let example = "ShopServer";
                if let Some((name, span)) = optional_name(errors, entry, key, example, "struct") {
                    self.server.set(errors, path, name, span);
                }
            }
            "dyn_trait" => {
                let example = "DynBilling";
                if let Some((name, span)) = optional_name(errors, entry, key, example, "trait") {
                    self.dyn_trait.set(errors, path, name, span);
                }
            }
            _ => match &entry.value {
                Value::Bare => self.schema.set(errors, path, (), path.span()),
                _ => errors.spanned(path, "`schema` takes no value: write `schema`"),
            },
        }
    }
}

/// A key written bare (`server`: the default name, spanned at the key) or with the name to
/// give (`server = "ShopServer"`, spanned at the literal); `None` when the value is neither
/// (its error recorded).
fn optional_name(
    errors: &mut Errors,
    entry: &Entry,
    key: &str,
    example: &str,
    what: &str,
) -> Option<(Option<Ident>, Span)> {
    if let Value::Bare = entry.value {
        return Some((None, entry.key.span()));
    }
    let value = string_value(errors, entry, key, example)?;
    match value.parse::<Ident>() {
        Ok(name) => Some((Some(name), value.span())),
        Err(_) => {
            errors.spanned(
                value,
                format!("`{key}` takes the name of the {what} to generate: write `{key}` or `{key} = \"{example}\"`"),
            );
            None
        }
    }
}

/// A method's options, resolved from its `#[lambda(…)]` attributes into `method`; and which
/// keys they meant to give, for the rules about a key's absence.
pub(super) fn method_options(errors: &mut Errors, method: &mut Method) -> Meant {
    let mut keys = MethodKeys::new();
    let mut meant = Meant {
        keys: BTreeSet::new(),
        unreadable: false,
    };
    let mut misspelt = Vec::new();
    for attr in &method.attrs {
        let args = match attr {
            MethodAttr::Args(args) => args,
            MethodAttr::NotAList(meta) => {
                errors.spanned(
                    meta,
                    "`#[lambda]` takes the method's options: write `#[lambda(function = \"…\")]`",
                );
                // Whatever this attribute meant to say, do not also report it missing.
                meant.unreadable = true;
                continue;
            }
            MethodAttr::Misspelt(path, args) => {
                let name = quote::quote!(#path).to_string();
                errors.spanned(
                    path,
                    format!("unknown attribute `{name}`: write `#[lambda(…)]` instead"),
                );
                meant.unreadable |= args.unreadable.is_some();
                misspelt.extend(args.entries.iter().filter_map(|entry| {
                    let key = METHOD_KEYS.iter().find(|key| entry.key.is_ident(key));
                    Some((key.copied().or_else(|| meant_key(entry))?, entry))
                }));
                continue;
            }
        };
        method_args(errors, &mut keys, &mut misspelt, args);
        meant.unreadable |= args.unreadable.is_some();
    }
    for (key, entry) in misspelt {
        meant.keys.insert(key);
        keys.entry(&mut Errors::default(), key, entry);
    }
    for attr in &method.attrs {
        if let MethodAttr::Args(args) = attr {
            meant
                .keys
                .extend(METHOD_KEYS.iter().filter(|key| args.has(key)));
        }
    }
    keys.resolve_into(method);
    meant
}

/// The entries of one `#[lambda(…)]`, in order, then the error of what could not be read.
fn method_args<'a>(
    errors: &mut Errors,
    keys: &mut MethodKeys,
    misspelt: &mut Vec<(&'static str, &'a Entry)>,
    args: &'a Args,
) {
    for entry in &args.entries {
        match METHOD_KEYS.iter().find(|key| entry.key.is_ident(key)) {
            Some(key) => keys.entry(errors, key, entry),
            None => {
                unknown_key(errors, entry, METHOD_KEYS);
                misspelt.extend(meant_key(entry).map(|key| (key, entry)));
            }
        }
    }
    if let Some(error) = &args.unreadable {
        errors.push(error.clone());
    }
}

/// The key an unknown key of `#[lambda(…)]` meant: the one it misspells; or, when it
/// misspells none, `function` if its value is a function name (`name = "billing-charge"`).
fn meant_key(entry: &Entry) -> Option<&'static str> {
    if let Some(key) = near_miss(&entry.key, METHOD_KEYS) {
        return Some(key);
    }
    match &entry.value {
        Value::Expr(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(value),
            ..
        })) if FunctionName::parse(&value.value()).is_ok() => Some("function"),
        _ => None,
    }
}

struct MethodKeys {
    function: UniqueKey<FunctionName>,
    qualifier: UniqueKey<String>,
    invocation: UniqueKey<Invocation>,
    log: UniqueKey<Log>,
    timeout: UniqueKey<Duration>,
    delivery: UniqueKey<Delivery>,
    durable_name: UniqueKey<NameTemplate>,
    idempotency_key: UniqueKey<NameTemplate>,
    claim_check: UniqueKey<ClaimCheck>,
}

impl MethodKeys {
    fn new() -> Self {
        Self {
            function: UniqueKey::new("function"),
            qualifier: UniqueKey::new("qualifier"),
            invocation: UniqueKey::new("invocation"),
            log: UniqueKey::new("log"),
            timeout: UniqueKey::new("timeout"),
            delivery: UniqueKey::new("delivery"),
            durable_name: UniqueKey::new("durable_execution_name"),
            idempotency_key: UniqueKey::new("idempotency_key"),
            claim_check: UniqueKey::new("claim_check"),
        }
    }

    /// `entry`, read as the method key `key`: a string literal of the key's grammar.
    fn entry(&mut self, errors: &mut Errors, key: &str, entry: &Entry) {
        let path = &entry.key;
        match key {
            "function" => {
                let grammar = |text: &str| {
                    FunctionName::parse(text).map_err(|e| format!("invalid function name: {e}"))
                };
                if let Some((name, span)) = typed(errors, entry, key, "my-function", grammar) {
                    self.function.set(errors, path, name, span);
                }
            }
            "qualifier" => {
                let grammar = |text: &str| match validate_qualifier(text) {
                    Ok(()) => Ok(text.to_owned()),
                    Err(e) => Err(format!("invalid qualifier: {e}")),
                };
                if let Some((qualifier, span)) = typed(errors, entry, key, "live", grammar) {
                    self.qualifier.set(errors, path, qualifier, span);
                }
            }
            "invocation" => {
                if let Some((kind, span)) = typed(errors, entry, key, "event", values::invocation) {
                    self.invocation.set(errors, path, kind, span);
                }
            }
            "log" => {
                if let Some((log, span)) = typed(errors, entry, key, "tail", values::log) {
                    self.log.set(errors, path, log, span);
                }
            }
            "timeout" => {
                if let Some((timeout, span)) = typed(errors, entry, key, "30s", values::timeout) {
                    self.timeout.set(errors, path, timeout, span);
                }
            }
            "delivery" => {
                let example = "at_least_once";
                if let Some((kind, span)) = typed(errors, entry, key, example, values::delivery) {
                    self.delivery.set(errors, path, kind, span);
                }
            }
            "idempotency_key" => {
                let example = "order-{order_id}";
                let grammar = values::key_template;
                if let Some((template, span)) = typed(errors, entry, key, example, grammar) {
                    self.idempotency_key.set(errors, path, template, span);
                }
            }
            "claim_check" => {
                let grammar = values::claim_check;
                if let Some((mode, span)) = typed(errors, entry, key, "auto", grammar) {
                    self.claim_check.set(errors, path, mode, span);
                }
            }
            _ => {
                let example = "order-{order_id}";
                let grammar = values::name_template;
                if let Some((template, span)) = typed(errors, entry, key, example, grammar) {
                    self.durable_name.set(errors, path, template, span);
                }
            }
        }
    }

    fn resolve_into(self, method: &mut Method) {
        method.function = self.function.get();
        method.qualifier = self.qualifier.get();
        method.invocation = self.invocation.get();
        method.log = self.log.get();
        method.timeout = self.timeout.get();
        method.delivery = self.delivery.get();
        method.durable_name = self.durable_name.get();
        method.idempotency_key = self.idempotency_key.get();
        method.claim_check = self.claim_check.get();
    }
}

/// The value of `key = "…"` read by its `grammar`, spanned at the literal; `None` when it is
/// no string literal or breaks the grammar (the error recorded at the literal).
fn typed<T>(
    errors: &mut Errors,
    entry: &Entry,
    key: &str,
    example: &str,
    grammar: impl FnOnce(&str) -> Result<T, String>,
) -> Option<(T, Span)> {
    let value: &LitStr = string_value(errors, entry, key, example)?;
    match grammar(&value.value()) {
        Ok(typed) => Some((typed, value.span())),
        Err(message) => {
            errors.spanned(value, message);
            None
        }
    }
}
