//! From tokens to a [`Contract`], collecting every error with its span.
//!
//! Parsing reports what the model cannot hold: a trait or method of a form the macro does not
//! support (generics, associated items, a receiver other than `&self`, an argument pattern), an
//! attribute that cannot be read, a value that is wrong on its own (a malformed function name,
//! an unknown invocation type), a missing `function`. Rules between values, or over the
//! model as a whole, are [`super::check`]'s.
//!
//! Parsing never stops at the first mistake: a method with a bad signature is still read for
//! its attributes, so that one compile reports the errors of both.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Pat, ReturnType, TraitItem};

use lambda_remote_names::{validate_qualifier, FunctionName};

use super::model::{Arg, Contract, Delivery, Invocation, Log, Method, NameTemplate, METHOD_ATTR};
use crate::attr::{quoted, string_value, unknown_key, Attr, UniqueKey};
use crate::errors::Errors;

const TRAIT_KEYS: &[&str] = &["crate", "client", "server", "dyn_trait", "schema"];
const METHOD_KEYS: &[&str] = &[
    "function",
    "qualifier",
    "invocation",
    "log",
    "timeout",
    "delivery",
    "durable_execution_name",
];

/// Parses the trait and its attributes, recording every error in `errors`. The contract is
/// complete enough to check even when errors were found; render it only when neither parsing
/// nor checking found any.
pub(crate) fn contract(errors: &mut Errors, args: TokenStream, item: syn::ItemTrait) -> Contract {
    let (krate, client, server, dyn_trait, schema) = trait_args(errors, args);
    let client = client
        .unwrap_or_else(|| Ident::new(&format!("{}Client", item.ident.unraw()), item.ident.span()));
    let server = server.map(|name| {
        name.unwrap_or_else(|| {
            Ident::new(&format!("{}Server", item.ident.unraw()), item.ident.span())
        })
    });
    let dyn_trait = dyn_trait.map(|name| {
        name.unwrap_or_else(|| Ident::new(&format!("Dyn{}", item.ident.unraw()), item.ident.span()))
    });

    if !item.generics.params.is_empty() {
        errors.spanned(
            &item.generics,
            "a #[lambda_remote] trait cannot be generic: its client needs concrete types to (de)serialize; name the types in each method instead",
        );
    }
    if let Some(where_clause) = &item.generics.where_clause {
        errors.spanned(
            where_clause,
            "a #[lambda_remote] trait cannot have a `where` clause: remove it",
        );
    }
    if let Some(unsafety) = &item.unsafety {
        errors.spanned(
            unsafety,
            "a #[lambda_remote] trait cannot be `unsafe`: remove `unsafe`",
        );
    }
    if let Some(auto) = &item.auto_token {
        errors.spanned(
            auto,
            "a #[lambda_remote] trait cannot be an auto trait: remove `auto`",
        );
    }

    let mut methods = Vec::new();
    for trait_item in &item.items {
        match trait_item {
            TraitItem::Fn(function) => methods.push(method(errors, function)),
            TraitItem::Type(ty) => errors.spanned(
                ty,
                "a #[lambda_remote] trait cannot have associated types: name the concrete type in each method",
            ),
            TraitItem::Const(constant) => errors.spanned(
                constant,
                "a #[lambda_remote] trait cannot have associated consts: move the constant out of the trait",
            ),
            other => errors.spanned(
                other,
                "a #[lambda_remote] trait holds only `async fn` methods: move this item out of the trait",
            ),
        }
    }
    let krate = krate.unwrap_or_else(|| syn::parse_quote!(::lambda_remote));
    Contract {
        vis: item.vis.clone(),
        item,
        krate,
        client,
        methods,
        server,
        dyn_trait,
        schema,
    }
}

/// The trait's arguments: the crate path, the client's name, whether (and under which name)
/// to generate a server and a dyn-compatible handle, and whether the description includes
/// schemas.
type TraitArgs = (
    Option<syn::Path>,
    Option<Ident>,
    Option<Option<Ident>>,
    Option<Option<Ident>>,
    bool,
);

fn trait_args(errors: &mut Errors, args: TokenStream) -> TraitArgs {
    let mut krate = UniqueKey::new("crate");
    let mut client = UniqueKey::new("client");
    let mut server = UniqueKey::new("server");
    let mut dyn_trait = UniqueKey::new("dyn_trait");
    let mut schema = UniqueKey::new("schema");
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let Some(value) = string_value(errors, &meta, "crate", "::lambda_remote")? else {
                return Ok(());
            };
            match value.parse::<syn::Path>() {
                Ok(path) => krate.set(errors, &meta, path, value.span()),
                Err(_) => errors.spanned(
                    &value,
                    "`crate` takes a path to the lambda-remote crate: write `crate = \"::lambda_remote\"`",
                ),
            }
        } else if meta.path.is_ident("client") {
            let Some(value) = string_value(errors, &meta, "client", "BillingClient")? else {
                return Ok(());
            };
            match value.parse::<Ident>() {
                Ok(ident) => client.set(errors, &meta, ident, value.span()),
                Err(_) => errors.spanned(
                    &value,
                    "`client` takes the name of the struct to generate: write `client = \"BillingClient\"`",
                ),
            }
        } else if meta.path.is_ident("server") {
            if meta.input.peek(syn::Token![=]) {
                let Some(value) = string_value(errors, &meta, "server", "ShopServer")? else {
                    return Ok(());
                };
                match value.parse::<Ident>() {
                    Ok(ident) => server.set(errors, &meta, Some(ident), value.span()),
                    Err(_) => errors.spanned(
                        &value,
                        "`server` takes the name of the struct to generate: write `server` or `server = \"ShopServer\"`",
                    ),
                }
            } else {
                server.set(errors, &meta, None, meta.path.span());
            }
        } else if meta.path.is_ident("dyn_trait") {
            if meta.input.peek(syn::Token![=]) {
                let Some(value) = string_value(errors, &meta, "dyn_trait", "DynBilling")? else {
                    return Ok(());
                };
                match value.parse::<Ident>() {
                    Ok(ident) => dyn_trait.set(errors, &meta, Some(ident), value.span()),
                    Err(_) => errors.spanned(
                        &value,
                        "`dyn_trait` takes the name of the trait to generate: write `dyn_trait` or `dyn_trait = \"DynBilling\"`",
                    ),
                }
            } else {
                dyn_trait.set(errors, &meta, None, meta.path.span());
            }
        } else if meta.path.is_ident("schema") {
            schema.set(errors, &meta, (), meta.path.span());
        } else {
            unknown_key(errors, &meta, TRAIT_KEYS)?;
        }
        Ok(())
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        errors.push(error);
    }
    (
        krate.get().map(|attr| attr.value),
        client.get().map(|attr| attr.value),
        server.get().map(|attr| attr.value),
        dyn_trait.get().map(|attr| attr.value),
        schema.get().is_some(),
    )
}

fn method(errors: &mut Errors, function: &syn::TraitItemFn) -> Method {
    let sig = &function.sig;
    // In source order: the attributes, then the signature.
    let attrs = method_attrs(errors, function);
    if sig.asyncness.is_none() {
        errors.spanned(
            sig.fn_token,
            "methods of a #[lambda_remote] trait must be `async fn`: write `async fn` here",
        );
    }
    if let Some(constness) = &sig.constness {
        errors.spanned(
            constness,
            "a #[lambda_remote] method cannot be `const`: remove `const`",
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.spanned(
            unsafety,
            "a #[lambda_remote] method cannot be `unsafe`: remove `unsafe`",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(
            abi,
            "a #[lambda_remote] method cannot have an ABI: remove it",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "a #[lambda_remote] method cannot be variadic");
    }
    for param in &sig.generics.params {
        match param {
            syn::GenericParam::Lifetime(_) => {}
            syn::GenericParam::Type(_) => errors.spanned(
                param,
                "a #[lambda_remote] method cannot have type parameters: the payload is serialized from concrete types, so name the type of each argument",
            ),
            syn::GenericParam::Const(_) => errors.spanned(
                param,
                "a #[lambda_remote] method cannot have const parameters: use a concrete value in the argument types",
            ),
        }
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        errors.spanned(
            where_clause,
            "a #[lambda_remote] method cannot have a `where` clause: remove it",
        );
    }
    if let Some(body) = &function.default {
        errors.spanned(
            body,
            "a #[lambda_remote] method cannot have a default body: the generated client implements every method; end the declaration with `;`",
        );
    }

    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.colon_token.is_some() {
                errors.spanned(
                    receiver,
                    "a #[lambda_remote] method takes the client by shared reference: write `&self` here",
                );
            } else if receiver.reference.is_none() {
                errors.spanned(
                    receiver,
                    "take `&self`, not `self` by value: a client is shared; write `&self` here",
                );
            } else if let Some(mutability) = &receiver.mutability {
                errors.spanned(
                    mutability,
                    "take `&self`, not `&mut self`: a client is shared; remove `mut`",
                );
            }
        }
        Some(FnArg::Typed(first)) => errors.spanned(
            first,
            "a #[lambda_remote] method takes `&self` first: write `&self, ` before this argument",
        ),
        None => errors.at(
            sig.paren_token.span.join(),
            "a #[lambda_remote] method takes `&self` first: write `(&self)` here",
        ),
    }
    let mut args = Vec::new();
    for input in inputs {
        let FnArg::Typed(typed) = input else { continue };
        if let Some(ident) = argument_name(errors, &typed.pat) {
            args.push(Arg {
                attrs: typed.attrs.clone(),
                ident,
                ty: (*typed.ty).clone(),
            });
        }
    }
    let output = match &sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        ReturnType::Default => {
            errors.spanned(
                sig,
                "a #[lambda_remote] method returns `Result<T, lambda_remote::InvokeError>`: add a return type, e.g. `-> Result<(), InvokeError>`",
            );
            syn::parse_quote!(())
        }
    };

    if !attrs.function_key_read {
        errors.spanned(
            &sig.ident,
            format!(
                "missing function name: add `#[lambda(function = \"…\")]` to `{}`",
                sig.ident
            ),
        );
    }

    let cfgs = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
        .cloned()
        .collect();
    let docs = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    Method {
        ident: sig.ident.clone(),
        cfgs,
        docs,
        sig: sig.clone(),
        args,
        output,
        function: attrs.function,
        qualifier: attrs.qualifier,
        invocation: attrs.invocation,
        log: attrs.log,
        timeout: attrs.timeout,
        delivery: attrs.delivery,
        durable_name: attrs.durable_name,
    }
}

/// The name of an argument, which is its key in the payload; anything but a plain name is an
/// error that says what to write instead.
fn argument_name(errors: &mut Errors, pat: &Pat) -> Option<Ident> {
    const WHY: &str = "the name of each argument is its key in the JSON payload";
    match pat {
        Pat::Ident(pat) => {
            let mut ok = true;
            if let Some(by_ref) = &pat.by_ref {
                errors.spanned(
                    by_ref,
                    format!("remove `ref`: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
                ok = false;
            }
            if let Some(mutability) = &pat.mutability {
                errors.spanned(
                    mutability,
                    format!("remove `mut`: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
                ok = false;
            }
            if let Some((at, subpat)) = &pat.subpat {
                errors.spanned(
                    quote::quote!(#at #subpat),
                    format!("remove this pattern: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
                ok = false;
            }
            ok.then(|| pat.ident.clone())
        }
        Pat::Wild(_) => {
            errors.spanned(
                pat,
                format!("name this argument (e.g. `order: Order`): {WHY}"),
            );
            None
        }
        _ => {
            errors.spanned(
                pat,
                format!(
                    "bind this argument to a plain name (e.g. `order: Order`) instead of a pattern: {WHY}"
                ),
            );
            None
        }
    }
}

/// The values of a method's `#[lambda(…)]` attributes; a key whose value was invalid is left
/// out (its error is recorded).
struct MethodAttrs {
    function: Option<Attr<FunctionName>>,
    /// Whether a `function` key was read, valid or not, or an attribute could not be read to
    /// the end: either way a missing `function` is not reported on top.
    function_key_read: bool,
    qualifier: Option<Attr<String>>,
    invocation: Option<Attr<Invocation>>,
    log: Option<Attr<Log>>,
    timeout: Option<Attr<std::time::Duration>>,
    delivery: Option<Attr<Delivery>>,
    durable_name: Option<Attr<NameTemplate>>,
}

fn method_attrs(errors: &mut Errors, function: &syn::TraitItemFn) -> MethodAttrs {
    let mut name = UniqueKey::new("function");
    let mut qualifier = UniqueKey::new("qualifier");
    let mut invocation = UniqueKey::new("invocation");
    let mut log = UniqueKey::new("log");
    let mut timeout = UniqueKey::new("timeout");
    let mut delivery = UniqueKey::new("delivery");
    let mut durable_name = UniqueKey::new("durable_execution_name");
    let mut function_key_read = false;
    for attr in function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident(METHOD_ATTR))
    {
        if !matches!(attr.meta, syn::Meta::List(_)) {
            errors.spanned(
                &attr.meta,
                "`#[lambda]` takes the method's options: write `#[lambda(function = \"…\")]`",
            );
            // Whatever this attribute meant to say, do not also report it missing.
            function_key_read = true;
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("function") {
                function_key_read = true;
                let Some(value) = string_value(errors, &meta, "function", "my-function")? else {
                    return Ok(());
                };
                match FunctionName::parse(&value.value()) {
                    Ok(parsed) => name.set(errors, &meta, parsed, value.span()),
                    Err(error) => errors.spanned(&value, format!("invalid function name: {error}")),
                }
            } else if meta.path.is_ident("qualifier") {
                let Some(value) = string_value(errors, &meta, "qualifier", "live")? else {
                    return Ok(());
                };
                match validate_qualifier(&value.value()) {
                    Ok(()) => qualifier.set(errors, &meta, value.value(), value.span()),
                    Err(error) => errors.spanned(&value, format!("invalid qualifier: {error}")),
                }
            } else if meta.path.is_ident("invocation") {
                let Some(value) = string_value(errors, &meta, "invocation", "event")? else {
                    return Ok(());
                };
                match Invocation::from_str(&value.value()) {
                    Some(kind) => invocation.set(errors, &meta, kind, value.span()),
                    None => errors.spanned(
                        &value,
                        format!(
                            "unknown invocation type `{}`; expected one of {}",
                            value.value(),
                            quoted(Invocation::SPELLINGS)
                        ),
                    ),
                }
            } else if meta.path.is_ident("log") {
                let Some(value) = string_value(errors, &meta, "log", "tail")? else {
                    return Ok(());
                };
                match value.value().as_str() {
                    "tail" | "Tail" => log.set(errors, &meta, Log::Tail, value.span()),
                    "none" | "None" => log.set(errors, &meta, Log::None, value.span()),
                    other => errors.spanned(
                        &value,
                        format!("unknown log type `{other}`; expected one of `tail`, `none`"),
                    ),
                }
            } else if meta.path.is_ident("timeout") {
                let Some(value) = string_value(errors, &meta, "timeout", "30s")? else {
                    return Ok(());
                };
                match parse_duration_ms(&value.value()) {
                    Ok(ms) => timeout.set(
                        errors,
                        &meta,
                        std::time::Duration::from_millis(ms),
                        value.span(),
                    ),
                    Err(message) => errors.spanned(&value, message),
                }
            } else if meta.path.is_ident("delivery") {
                let Some(value) = string_value(errors, &meta, "delivery", "at_least_once")? else {
                    return Ok(());
                };
                match Delivery::from_str(&value.value()) {
                    Some(kind) => delivery.set(errors, &meta, kind, value.span()),
                    None => errors.spanned(
                        &value,
                        format!(
                            "unknown delivery `{}`; expected one of {}",
                            value.value(),
                            quoted(Delivery::SPELLINGS)
                        ),
                    ),
                }
            } else if meta.path.is_ident("durable_execution_name") {
                let Some(value) =
                    string_value(errors, &meta, "durable_execution_name", "order-{order_id}")?
                else {
                    return Ok(());
                };
                match NameTemplate::parse(&value.value()) {
                    Ok(template) => durable_name.set(errors, &meta, template, value.span()),
                    Err(message) => errors.spanned(&value, message),
                }
            } else {
                unknown_key(errors, &meta, METHOD_KEYS)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
            // The rest of this attribute is unread: do not also report `function` missing.
            function_key_read = true;
        }
    }
    MethodAttrs {
        function: name.get(),
        function_key_read,
        qualifier: qualifier.get(),
        invocation: invocation.get(),
        log: log.get(),
        timeout: timeout.get(),
        delivery: delivery.get(),
        durable_name: durable_name.get(),
    }
}

/// Parses `"30s"`, `"500ms"`, `"2m"`, `"1m30s"` into milliseconds.
pub(crate) fn parse_duration_ms(text: &str) -> Result<u64, String> {
    const HELP: &str = "write a duration such as `\"30s\"`, `\"500ms\"`, `\"15m\"` or `\"1m30s\"`";
    let mut total: u64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(format!("empty timeout; {HELP}"));
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid timeout `{text}`; {HELP}"));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("timeout `{text}` is too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "" if rest.is_empty() => {
                return Err(format!(
                "invalid timeout `{text}`: a number needs a unit (`ms`, `s`, `m` or `h`); {HELP}"
            ))
            }
            _ => return Err(format!("invalid timeout `{text}`: unknown unit; {HELP}")),
        };
        rest = &rest[unit_len..];
        total = number
            .checked_mul(factor)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(|| format!("timeout `{text}` is too large"))?;
    }
    if total == 0 {
        return Err(format!("a timeout of zero would fail every call; {HELP}"));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_duration_ms;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("30s"), Ok(30_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("1m30s"), Ok(90_000));
        assert_eq!(parse_duration_ms("15m"), Ok(900_000));
        assert!(parse_duration_ms("").is_err());
        assert!(parse_duration_ms("30").is_err());
        assert!(parse_duration_ms("s").is_err());
        assert!(parse_duration_ms("0s").is_err());
        assert!(parse_duration_ms("3days").is_err());
        assert!(parse_duration_ms("99999999999999999999s").is_err());
    }
}
