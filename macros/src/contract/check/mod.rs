//! Every rule of `#[lambda_remote]`, each reported at the token that breaks it with what to
//! write instead; and the resolution of the attributes' arguments into the model's typed
//! options.
//!
//! - `shape.rs`: the trait's and each method's form (async, receiver, generics, default body,
//!   argument patterns, return type);
//! - `options.rs`: the keys of `#[lambda_remote(…)]` and `#[lambda(…)]`, resolved into the
//!   model through the grammars of `values.rs` (durations, name templates, invocation types, …);
//! - `rules.rs`: the rules over the resolved model (names the generated code takes, options
//!   that disagree, arguments it cannot (de)serialize as written).
//!
//! Errors come in the order of the source, trait first then method by method (attributes,
//! signature, a missing `function`), then the rules over the whole model; one mistake is one
//! error: a rule that would only repeat an earlier error is not applied.

mod options;
mod rules;
mod shape;
mod values;

use syn::TraitItem;

use super::model::Contract;
use crate::errors::Errors;

/// Checks the whole contract and resolves its options, recording every error found.
pub(crate) fn contract(errors: &mut Errors, contract: &mut Contract) {
    options::trait_options(errors, contract);
    shape::trait_item(errors, &contract.item);
    let mut methods = contract.methods.iter_mut();
    let mut meant = Vec::new();
    for item in &contract.item.items {
        let TraitItem::Fn(function) = item else {
            shape::not_a_method(errors, item);
            continue;
        };
        let Some(method) = methods.next() else {
            continue;
        };
        let keys = options::method_options(errors, method);
        shape::method(errors, function);
        if method.function.is_none() && !keys.key("function") {
            errors.spanned(
                &method.ident,
                format!(
                    "missing function name: add `#[lambda(function = \"…\")]` to `{}`",
                    method.ident
                ),
            );
        }
        meant.push(keys);
    }
    rules::contract(errors, contract, &meant);
}
