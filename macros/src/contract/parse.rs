//! From tokens to a [`Contract`], collecting every error with its span.

use proc_macro2::TokenStream;
use syn::{FnArg, Ident, LitStr, Pat, ReturnType, TraitItem};

use super::model::{Arg, Contract, Invocation, Method};
use crate::attr::{string_value, unknown_key, Once};
use crate::errors::Errors;

const TRAIT_KEYS: &[&str] = &["crate", "client"];
const METHOD_KEYS: &[&str] = &["function", "qualifier", "invocation", "log", "timeout"];

/// The attribute on each method.
pub(crate) const METHOD_ATTR: &str = "lambda";

/// Parses the trait and its attributes. Every error found is returned, combined.
pub(crate) fn contract(args: TokenStream, mut item: syn::ItemTrait) -> syn::Result<Contract> {
    let mut errors = Errors::default();
    let (krate, client) = trait_args(&mut errors, args);
    let client =
        client.unwrap_or_else(|| Ident::new(&format!("{}Client", item.ident), item.ident.span()));

    if !item.generics.params.is_empty() {
        errors.spanned(
            &item.generics,
            "a #[lambda_remote] trait cannot be generic: its client needs concrete types to (de)serialize",
        );
    }
    if let Some(where_clause) = &item.generics.where_clause {
        errors.spanned(
            where_clause,
            "a #[lambda_remote] trait cannot have a `where` clause",
        );
    }
    if let Some(unsafety) = &item.unsafety {
        errors.spanned(unsafety, "a #[lambda_remote] trait cannot be `unsafe`");
    }
    if let Some(auto) = &item.auto_token {
        errors.spanned(auto, "a #[lambda_remote] trait cannot be an auto trait");
    }

    let mut methods = Vec::new();
    for trait_item in &mut item.items {
        match trait_item {
            TraitItem::Fn(function) => {
                if let Some(method) = method(&mut errors, function) {
                    methods.push(method);
                }
                function
                    .attrs
                    .retain(|attr| !attr.path().is_ident(METHOD_ATTR));
            }
            TraitItem::Type(ty) => errors.spanned(
                ty,
                "a #[lambda_remote] trait cannot have associated types: name the concrete type in each method",
            ),
            TraitItem::Const(constant) => errors.spanned(
                constant,
                "a #[lambda_remote] trait cannot have associated consts",
            ),
            other => errors.spanned(
                other,
                "a #[lambda_remote] trait holds only `async fn` methods",
            ),
        }
    }
    errors.finish()?;
    let krate = krate.unwrap_or_else(|| syn::parse_quote!(::lambda_remote));
    Ok(Contract {
        vis: item.vis.clone(),
        item,
        krate,
        client,
        methods,
    })
}

fn trait_args(errors: &mut Errors, args: TokenStream) -> (Option<syn::Path>, Option<Ident>) {
    let mut krate = Once::new("crate");
    let mut client = Once::new("client");
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let value = string_value(&meta, "crate")?;
            match value.parse::<syn::Path>() {
                Ok(path) => krate.set(errors, &meta, path),
                Err(_) => errors.spanned(
                    &value,
                    "`crate` takes a path, e.g. `crate = \"::lambda_remote\"`",
                ),
            }
        } else if meta.path.is_ident("client") {
            let value = string_value(&meta, "client")?;
            match value.parse::<Ident>() {
                Ok(ident) => client.set(errors, &meta, ident),
                Err(_) => errors.spanned(
                    &value,
                    "`client` takes a type name, e.g. `client = \"BillingClient\"`",
                ),
            }
        } else {
            return Err(unknown_key(&meta, TRAIT_KEYS));
        }
        Ok(())
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        errors.push(error);
    }
    (krate.get(), client.get())
}

fn method(errors: &mut Errors, function: &syn::TraitItemFn) -> Option<Method> {
    let sig = &function.sig;
    let mut ok = true;
    let mut fail = |errors: &mut Errors, tokens: &dyn quote::ToTokens, message: &str| {
        errors.spanned(tokens, message);
        ok = false;
    };
    if sig.asyncness.is_none() {
        fail(
            errors,
            &sig.fn_token,
            "methods of a #[lambda_remote] trait must be `async fn`: write `async fn` here",
        );
    }
    if let Some(constness) = &sig.constness {
        fail(
            errors,
            constness,
            "a #[lambda_remote] method cannot be `const`",
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        fail(
            errors,
            unsafety,
            "a #[lambda_remote] method cannot be `unsafe`",
        );
    }
    if let Some(abi) = &sig.abi {
        fail(errors, abi, "a #[lambda_remote] method cannot have an ABI");
    }
    if let Some(variadic) = &sig.variadic {
        fail(
            errors,
            variadic,
            "a #[lambda_remote] method cannot be variadic",
        );
    }
    for param in &sig.generics.params {
        if !matches!(param, syn::GenericParam::Lifetime(_)) {
            fail(
                errors,
                param,
                "a #[lambda_remote] method cannot be generic: the payload needs concrete types",
            );
        }
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        fail(
            errors,
            where_clause,
            "a #[lambda_remote] method cannot have a `where` clause",
        );
    }
    if let Some(body) = &function.default {
        fail(
            errors,
            body,
            "a #[lambda_remote] method cannot have a default body: the client implements every method",
        );
    }

    let mut args = Vec::new();
    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none() {
                fail(
                    errors,
                    receiver,
                    "take `&self`, not `self` by value: a client is shared",
                );
            } else if receiver.mutability.is_some() {
                fail(
                    errors,
                    receiver,
                    "take `&self`, not `&mut self`: a client is shared",
                );
            } else if receiver.colon_token.is_some() {
                fail(errors, receiver, "take `&self` without a type");
            }
        }
        Some(FnArg::Typed(first)) => {
            fail(errors, first, "the first argument must be `&self`");
        }
        None => fail(
            errors,
            &sig.ident,
            "a #[lambda_remote] method must take `&self`",
        ),
    }
    for input in inputs {
        let FnArg::Typed(typed) = input else { continue };
        match &*typed.pat {
            Pat::Ident(pat)
                if pat.by_ref.is_none() && pat.subpat.is_none() && pat.mutability.is_none() =>
            {
                args.push(Arg {
                    ident: pat.ident.clone(),
                    ty: (*typed.ty).clone(),
                });
            }
            other => fail(
                errors,
                other,
                "arguments of a #[lambda_remote] method must be plain names (`order: Order`): the name is the payload's key",
            ),
        }
    }
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some((**ty).clone()),
        ReturnType::Default => {
            fail(
                errors,
                sig,
                "a #[lambda_remote] method must return `Result<T, lambda_remote::InvokeError>`",
            );
            None
        }
    };

    let attrs = method_attrs(errors, function);
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
    let attrs = attrs?;
    if !ok {
        return None;
    }
    Some(Method {
        ident: sig.ident.clone(),
        cfgs,
        docs,
        sig: sig.clone(),
        args,
        output: output?,
        function: attrs.function,
        qualifier: attrs.qualifier,
        invocation: attrs.invocation.unwrap_or(Invocation::RequestResponse),
        log_tail: attrs.log_tail,
        timeout_ms: attrs.timeout_ms,
    })
}

/// The values of a method's `#[lambda(…)]` attributes.
struct MethodAttrs {
    function: Option<LitStr>,
    qualifier: Option<LitStr>,
    invocation: Option<Invocation>,
    log_tail: Option<LitStr>,
    timeout_ms: Option<u64>,
}

fn method_attrs(errors: &mut Errors, function: &syn::TraitItemFn) -> Option<MethodAttrs> {
    let mut name = Once::new("function");
    let mut qualifier = Once::new("qualifier");
    let mut invocation = Once::new("invocation");
    let mut log = Once::new("log");
    let mut timeout = Once::new("timeout");
    let mut local = Errors::default();
    for attr in function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident(METHOD_ATTR))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("function") {
                let value = string_value(&meta, "function")?;
                name.set(&mut local, &meta, value);
            } else if meta.path.is_ident("qualifier") {
                let value = string_value(&meta, "qualifier")?;
                qualifier.set(&mut local, &meta, value);
            } else if meta.path.is_ident("invocation") {
                let value = string_value(&meta, "invocation")?;
                match Invocation::from_str(&value.value()) {
                    Some(kind) => invocation.set(&mut local, &meta, kind),
                    None => local.spanned(
                        &value,
                        format!(
                            "unknown invocation type `{}`; expected one of {}",
                            value.value(),
                            quoted(Invocation::SPELLINGS)
                        ),
                    ),
                }
            } else if meta.path.is_ident("log") {
                let value = string_value(&meta, "log")?;
                match value.value().as_str() {
                    "tail" | "Tail" => log.set(&mut local, &meta, Some(value)),
                    "none" | "None" => log.set(&mut local, &meta, None),
                    other => local.spanned(
                        &value,
                        format!("unknown log type `{other}`; expected one of `tail`, `none`"),
                    ),
                }
            } else if meta.path.is_ident("timeout") {
                let value = string_value(&meta, "timeout")?;
                match parse_duration_ms(&value.value()) {
                    Ok(ms) => timeout.set(&mut local, &meta, ms),
                    Err(message) => local.spanned(&value, message),
                }
            } else {
                return Err(unknown_key(&meta, METHOD_KEYS));
            }
            Ok(())
        });
        if let Err(error) = result {
            local.push(error);
        }
    }
    let failed = local.finish().map_err(|e| errors.push(e)).is_err();
    if failed {
        return None;
    }
    Some(MethodAttrs {
        function: name.get(),
        qualifier: qualifier.get(),
        invocation: invocation.get(),
        log_tail: log.get().flatten(),
        timeout_ms: timeout.get(),
    })
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
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
