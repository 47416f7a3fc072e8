//! Rules over the resolved [`Contract`], each reported at the token that breaks it: names the
//! generated client and server take, a qualifier that disagrees with the function name, options
//! that do not go together, and arguments the generated code cannot (de)serialize as written.
//! (A value that is wrong on its own is reported where it is resolved, in `options.rs`.)

use std::collections::BTreeMap;

use lambda_remote_names::effective_qualifier;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Ident, Type};

use super::super::model::{
    Arg, ClaimCheck, Contract, Invocation, Log, Method, NameTemplate, TemplatePart,
};
use super::options::Meant;
use crate::attr::Attr;
use crate::errors::Errors;
use crate::tokens::written_success_type;

/// Names the generated client defines itself, which no trait method may take.
const RESERVED: &[&str] = &["new", "builder", "invoker"];

/// Names the generated server defines itself, which no trait method may take.
const SERVER_RESERVED: &[&str] = &["new", "from_arc", "implementation", "handlers"];

/// Checks the whole contract, recording every error found; `meant` holds the keys each
/// method's attributes meant to give.
pub(super) fn contract(errors: &mut Errors, contract: &Contract, meant: &[Meant]) {
    let names = GeneratedNames::of(contract);
    for (method, meant) in contract.methods.iter().zip(meant) {
        generated_names(errors, &names, method);
        options(errors, method, meant);
        for arg in &method.args {
            argument(errors, contract.server.is_some(), arg);
        }
    }
}

/// The inherent names the generated client and server take: their own, and each method's
/// `_with`.
struct GeneratedNames<'a> {
    client: &'a Ident,
    server: Option<&'a Ident>,
    /// `<method>_with`, and the method it is generated for.
    with: BTreeMap<String, &'a Ident>,
}

impl<'a> GeneratedNames<'a> {
    fn of(contract: &'a Contract) -> Self {
        let mut with = BTreeMap::new();
        for method in &contract.methods {
            with.entry(format!("{}_with", method.ident.unraw()))
                .or_insert(&method.ident);
        }
        Self {
            client: &contract.client,
            server: contract.server.as_ref(),
            with,
        }
    }
}

/// A method's name is not one the generated client or server takes.
fn generated_names(errors: &mut Errors, names: &GeneratedNames<'_>, method: &Method) {
    let ident = &method.ident;
    let client = names.client;
    let name = ident.unraw().to_string();
    if let Some(owner) = names.with.get(&name) {
        errors.spanned(
            ident,
            format!(
                "`{ident}` collides with `{client}::{ident}`, which the client generates for `{owner}` (with per-call options): rename this method"
            ),
        );
    }
    if RESERVED.contains(&name.as_str()) {
        errors.spanned(
            ident,
            format!(
                "`{ident}` is reserved: the generated client defines `{client}::{ident}` itself; rename this method"
            ),
        );
    }
    if let Some(server) = names.server
        && SERVER_RESERVED.contains(&name.as_str())
        && !RESERVED.contains(&name.as_str())
    {
        errors.spanned(
                ident,
                format!(
                    "`{ident}` is reserved: the generated server defines `{server}::{ident}` itself; rename this method"
                ),
            );
    }
}

/// A method's options agree with each other.
fn options(errors: &mut Errors, method: &Method, meant: &Meant) {
    if let (Some(name), Some(qualifier)) = (&method.function, &method.qualifier)
        && let Err(error) = effective_qualifier(&name.value, Some(&qualifier.value))
    {
        errors.at(qualifier.span, error);
    }
    if let Some(template) = &method.durable_name {
        durable_name(errors, method, template);
        if method.is_streaming() {
            errors.at(
                template.span,
                "Lambda's InvokeWithResponseStream takes no durable execution name: remove `durable_execution_name`, or write `invocation = \"request_response\"` instead of `\"stream\"`",
            );
        }
    }
    if let Some(template) = &method.idempotency_key {
        idempotency_key(errors, method, template);
    }
    // An `invocation` whose value was reported is not reported missing.
    if method.invocation.is_some() || !meant.key("invocation") {
        stream_output(errors, method);
    }
    if let Some(mode) = &method.claim_check
        && mode.value == ClaimCheck::Always
        && method.invocation_type() == Invocation::DryRun
    {
        errors.at(
            mode.span,
            "a `dry_run` invocation runs no function: `claim_check = \"always\"` would store every payload in S3 for nothing; remove `claim_check`, or write `claim_check = \"never\"`",
        );
    }
    if let Some(log) = &method.log {
        let invocation = method.invocation_type();
        if log.value == Log::Tail && !invocation.is_synchronous() {
            errors.at(
                log.span,
                format!(
                    "`log = \"tail\"` needs a synchronous call: Lambda returns no log for `{}` invocations; remove `log = \"tail\"`",
                    invocation.spelling()
                ),
            );
        }
    }
}

/// A method written to return a stream is a streaming method (the other way round, the type
/// system checks that a streaming method returns a stream, where the type is resolved).
fn stream_output(errors: &mut Errors, method: &Method) {
    let Some(success) = written_success_type(&method.output) else {
        return;
    };
    let syn::Type::Path(path) = success else {
        return;
    };
    let Some(last) = path.path.segments.last() else {
        return;
    };
    let is_stream = last.ident == "ResponseStream" || last.ident == "ByteStream";
    if method.is_streaming() {
        if is_stream {
            stream_error_type(errors, method, last);
        }
        return;
    }
    if is_stream {
        let invocation = match &method.invocation {
            Some(attr) => format!(
                "write `invocation = \"stream\"` instead of `invocation = \"{}\"`",
                attr.value.spelling()
            ),
            None => "add `invocation = \"stream\"` to its `#[lambda(…)]`".to_owned(),
        };
        errors.spanned(
            success,
            format!(
                "`{}` returns a `{}`, which only a streaming method returns: {invocation}",
                method.ident, last.ident
            ),
        );
    }
}

/// As written, the stream's error type and the call's are one type: `ResponseStream<T, E>`
/// with `InvokeError<E>` (both `E` left out, or both the same tokens). Types written
/// otherwise (aliases) are left to the type system.
fn stream_error_type(errors: &mut Errors, method: &Method, stream: &syn::PathSegment) {
    fn type_args(segment: &syn::PathSegment) -> Vec<String> {
        match &segment.arguments {
            syn::PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|arg| match arg {
                    // By the last segment: `crate::E` and `E` may be one type.
                    syn::GenericArgument::Type(Type::Path(path)) => path
                        .path
                        .segments
                        .last()
                        .map(|last| last.to_token_stream().to_string()),
                    syn::GenericArgument::Type(ty) => Some(ty.to_token_stream().to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    let Type::Path(output) = &method.output else {
        return;
    };
    let Some(syn::PathArguments::AngleBracketed(args)) =
        output.path.segments.last().map(|s| &s.arguments)
    else {
        return;
    };
    let Some(Type::Path(error)) = args
        .args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .nth(1)
    else {
        return;
    };
    let Some(invoke_error) = error.path.segments.last() else {
        return;
    };
    if invoke_error.ident != "InvokeError" {
        return;
    }
    let call_error = type_args(invoke_error).into_iter().next();
    let stream_args = type_args(stream);
    let stream_error = if stream.ident == "ByteStream" {
        stream_args.first().cloned()
    } else {
        stream_args.get(1).cloned()
    };
    if call_error == stream_error {
        return;
    }
    let item = if stream.ident == "ByteStream" {
        String::new()
    } else {
        format!("{}, ", stream_args.first().map_or("Item", String::as_str))
    };
    let written = match &call_error {
        Some(error) => format!("{}<{item}{error}>", stream.ident),
        None if item.is_empty() => stream.ident.to_string(),
        None => format!("{}<{}>", stream.ident, item.trim_end_matches(", ")),
    };
    errors.spanned(
        stream,
        format!(
            "the stream ends with the same function error as the call: write `{written}` instead"
        ),
    );
}

/// A durable execution name template names arguments of the method, and its text is what a
/// name may hold.
fn durable_name(errors: &mut Errors, method: &Method, template: &Attr<NameTemplate>) {
    template_arguments(errors, method, template);
    let mut literal_len = 0;
    for part in &template.value.parts {
        if let TemplatePart::Literal(text) = part {
            literal_len += text.len();
            if let Some(bad) = text
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
            {
                errors.at(
                    template.span,
                    format!(
                        "a durable execution name holds only [a-zA-Z0-9-_], not {bad:?}: remove it from `{}`",
                        template.value.text
                    ),
                );
            }
        }
    }
    if literal_len > 64 {
        errors.at(
            template.span,
            format!(
                "a durable execution name is at most 64 characters; the text of `{}` alone is {literal_len}",
                template.value.text
            ),
        );
    }
}

/// An idempotency key template names arguments of the method, on a method whose result the
/// function can keep: not a streamed one, not a dry run, not one with a durable execution name
/// (which Lambda deduplicates itself).
fn idempotency_key(errors: &mut Errors, method: &Method, template: &Attr<NameTemplate>) {
    template_arguments(errors, method, template);
    if method.is_streaming() {
        errors.at(
            template.span,
            "a streamed response is not kept, so a repeated call could not be answered with it: remove `idempotency_key`, or write `invocation = \"request_response\"` instead of `\"stream\"`",
        );
    }
    if method.invocation_type() == Invocation::DryRun {
        errors.at(
            template.span,
            "a `dry_run` call never runs the function, so there is nothing to deduplicate: remove `idempotency_key`",
        );
    }
    if method.durable_name.is_some() {
        errors.at(
            template.span,
            "Lambda already deduplicates a durable function's calls by their durable execution name: remove `idempotency_key`, or remove `durable_execution_name` for a function that is not durable",
        );
    }
}

/// Each `{argument}` of a template names an argument of the method.
fn template_arguments(errors: &mut Errors, method: &Method, template: &Attr<NameTemplate>) {
    let names: Vec<String> = method
        .args
        .iter()
        .map(|arg| arg.ident.unraw().to_string())
        .collect();
    // An argument bound to a pattern (reported) may be the one the template names.
    let unnamed = method.sig.inputs.iter().any(
        |input| matches!(input, syn::FnArg::Typed(typed) if !matches!(*typed.pat, syn::Pat::Ident(_))),
    );
    for part in &template.value.parts {
        match part {
            TemplatePart::Argument(name) if !names.contains(name) && !unnamed => errors.at(
                template.span,
                format!(
                    "`{{{name}}}` names no argument of `{}`: use one of {}",
                    method.ident,
                    if names.is_empty() {
                        "its arguments (it has none)".to_owned()
                    } else {
                        names
                            .iter()
                            .map(|n| format!("`{{{n}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
            ),
            _ => {}
        }
    }
}

/// An argument has no attributes, a type the client can name (no `impl Trait`) and, when the
/// contract is served, a type the server can own.
fn argument(errors: &mut Errors, served: bool, arg: &Arg) {
    for attr in &arg.attrs {
        errors.spanned(
            attr,
            format!(
                "remove `{}`: arguments of a #[lambda_remote] method take no attributes (each argument's key in the payload is its name, so rename the argument instead)",
                compact(attr)
            ),
        );
    }
    if let Some(impl_trait) = find_type(&arg.ty, &|ty| matches!(ty, Type::ImplTrait(_))) {
        errors.spanned(
            impl_trait,
            format!(
                "write a concrete type (e.g. `String`) instead of `{}`: each argument is serialized as its type, and the client implements the trait for that type",
                compact(impl_trait)
            ),
        );
        return;
    }
    if served
        && let Some(Type::Reference(reference)) =
            find_type(&arg.ty, &|ty| matches!(ty, Type::Reference(_)))
    {
        errors.spanned(
                reference,
                format!(
                    "write an owned type such as `{}` instead of `{}`: the server deserializes each argument from the payload, so it cannot borrow",
                    owned(&reference.elem),
                    compact(reference)
                ),
            );
    }
}

/// The owned counterpart of a borrowed `T`, as a suggestion: `String` for `str`, `Vec<T>` for
/// `[T]`, `T` itself otherwise.
fn owned(ty: &Type) -> String {
    match ty {
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => "String".into(),
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("Path") => "PathBuf".into(),
        Type::Slice(slice) => format!("Vec<{}>", compact(&slice.elem)),
        other => compact(other),
    }
}

/// `tokens` as written, without the spaces `to_string` puts between tokens where none are
/// needed.
fn compact(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let tight = matches!(prev, Some('#' | '&' | '<' | '(' | '[' | '\'' | ':'))
                || matches!(next, Some('>' | ',' | ')' | ']' | ':' | '<' | '('));
            if tight {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The first type in `ty` (itself, or one nested in it) for which `matches` holds.
fn find_type<'a>(ty: &'a Type, matches: &dyn Fn(&Type) -> bool) -> Option<&'a Type> {
    if matches(ty) {
        return Some(ty);
    }
    match ty {
        Type::Array(array) => find_type(&array.elem, matches),
        Type::Group(group) => find_type(&group.elem, matches),
        Type::Paren(paren) => find_type(&paren.elem, matches),
        Type::Ptr(ptr) => find_type(&ptr.elem, matches),
        Type::Reference(reference) => find_type(&reference.elem, matches),
        Type::Slice(slice) => find_type(&slice.elem, matches),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(|elem| find_type(elem, matches)),
        Type::Path(path) => {
            let qself = path
                .qself
                .as_ref()
                .and_then(|qself| find_type(&qself.ty, matches));
            qself.or_else(|| {
                path.path
                    .segments
                    .iter()
                    .find_map(|segment| match &segment.arguments {
                        syn::PathArguments::AngleBracketed(args) => {
                            args.args.iter().find_map(|arg| match arg {
                                syn::GenericArgument::Type(ty) => find_type(ty, matches),
                                _ => None,
                            })
                        }
                        _ => None,
                    })
            })
        }
        _ => None,
    }
}
