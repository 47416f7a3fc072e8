//! Rules a parsed contract must follow, each reported at the token that breaks it.

use std::collections::BTreeMap;

use lambda_remote_names::{effective_qualifier, validate_qualifier, FunctionName};

use super::model::{Contract, Invocation};
use crate::errors::Errors;

/// Names the generated client defines itself, which no trait method may take.
const RESERVED: &[&str] = &["new", "builder", "invoker"];

/// Checks names, qualifiers, options and generated names; returns every error found.
pub(crate) fn contract(contract: &Contract) -> syn::Result<()> {
    let mut errors = Errors::default();
    let mut generated: BTreeMap<String, &syn::Ident> = BTreeMap::new();
    for method in &contract.methods {
        for name in [method.ident.to_string(), method.with_ident().to_string()] {
            if let Some(first) = generated.get(&name) {
                errors.spanned(
                    &method.ident,
                    format!(
                        "`{}` and `{first}` both resolve to the generated name `{name}`: rename one of them",
                        method.ident
                    ),
                );
            }
            generated.entry(name).or_insert(&method.ident);
        }
        if RESERVED.contains(&method.ident.to_string().as_str()) {
            errors.spanned(
                &method.ident,
                format!(
                    "`{}` is reserved: the generated client defines `{}::{}` itself",
                    method.ident, contract.client, method.ident
                ),
            );
        }

        let Some(function) = &method.function else {
            errors.spanned(
                &method.ident,
                format!(
                    "missing function name: add `#[lambda(function = \"…\")]` to `{}`",
                    method.ident
                ),
            );
            continue;
        };
        let name = match FunctionName::parse(&function.value()) {
            Ok(name) => Some(name),
            Err(error) => {
                errors.spanned(function, format!("invalid function name: {error}"));
                None
            }
        };
        if let Some(qualifier) = &method.qualifier {
            match validate_qualifier(&qualifier.value()) {
                Err(error) => errors.spanned(qualifier, format!("invalid qualifier: {error}")),
                Ok(()) => {
                    if let Some(name) = &name {
                        let value = qualifier.value();
                        if let Err(error) = effective_qualifier(name, Some(&value)) {
                            errors.spanned(qualifier, error);
                        }
                    }
                }
            }
        }
        if let Some(tail) = &method.log_tail {
            if method.invocation != Invocation::RequestResponse {
                errors.spanned(
                    tail,
                    format!(
                        "`log = \"tail\"` needs a synchronous call; Lambda returns no log for `{}` invocations",
                        method.invocation.variant()
                    ),
                );
            }
        }
    }
    errors.finish()
}
