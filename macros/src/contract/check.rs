//! Rules that take more than one token to break, each reported at the token that breaks it:
//! names the generated client takes, the function a method calls, and options that do not go
//! together. (A value that is wrong on its own is reported where it is parsed.)

use std::collections::BTreeMap;

use lambda_remote_names::effective_qualifier;
use syn::ext::IdentExt;
use syn::{Ident, TraitItem};

use super::model::{Invocation, Method};
use crate::errors::Errors;

/// Names the generated client defines itself, which no trait method may take.
const RESERVED: &[&str] = &["new", "builder", "invoker"];

/// Names the generated server defines itself, which no trait method may take.
const SERVER_RESERVED: &[&str] = &["new", "from_arc", "implementation", "handlers"];

/// The inherent names the generated client takes: its own, and each method's `_with`.
pub(crate) struct GeneratedNames {
    client: Ident,
    server: Option<Ident>,
    /// `<method>_with`, and the method it is generated for.
    with: BTreeMap<String, Ident>,
}

impl GeneratedNames {
    pub(crate) fn of(client: &Ident, server: Option<&Ident>, item: &syn::ItemTrait) -> Self {
        let mut with = BTreeMap::new();
        for trait_item in &item.items {
            if let TraitItem::Fn(function) = trait_item {
                let ident = &function.sig.ident;
                with.entry(format!("{}_with", ident.unraw()))
                    .or_insert_with(|| ident.clone());
            }
        }
        Self {
            client: client.clone(),
            server: server.cloned(),
            with,
        }
    }
}

/// Checks one method, recording every error found.
pub(crate) fn method(errors: &mut Errors, names: &GeneratedNames, method: &Method) {
    let ident = &method.ident;
    let client = &names.client;
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
    if let Some(server) = &names.server {
        if SERVER_RESERVED.contains(&name.as_str()) && !RESERVED.contains(&name.as_str()) {
            errors.spanned(
                ident,
                format!(
                    "`{ident}` is reserved: the generated server defines `{server}::{ident}` itself; rename this method"
                ),
            );
        }
    }
    if !method.function_given {
        errors.spanned(
            ident,
            format!("missing function name: add `#[lambda(function = \"…\")]` to `{ident}`"),
        );
    }
    if let (Some((_, name)), Some(qualifier)) = (&method.function, &method.qualifier) {
        let value = qualifier.value();
        if let Err(error) = effective_qualifier(name, Some(&value)) {
            errors.spanned(qualifier, error);
        }
    }
    if let Some(tail) = &method.log_tail {
        if method.invocation != Invocation::RequestResponse {
            errors.spanned(
                tail,
                format!(
                    "`log = \"tail\"` needs a synchronous call: Lambda returns no log for `{}` invocations; remove `log = \"tail\"`",
                    method.invocation.spelling()
                ),
            );
        }
    }
}
