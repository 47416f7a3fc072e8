//! Rules over the parsed [`ErrorEnum`], each reported at the token that breaks it: no generics,
//! one catch-all variant and of a shape that can keep any error, each `errorType` mapped once.
//! (A value that is wrong on its own is reported where it is parsed.)

use std::collections::BTreeMap;

use syn::Ident;

use super::model::{ErrorEnum, Shape};
use crate::errors::Errors;

/// Checks the whole enum, recording every error found.
pub(crate) fn error_enum(errors: &mut Errors, model: &ErrorEnum) {
    if !model.generics.params.is_empty() {
        errors.spanned(
            &model.generics,
            "a function error enum cannot be generic: name concrete types in its variants",
        );
    }
    // Each `errorType` mapped so far: the variant, and whether by its `rename`.
    let mut seen: BTreeMap<String, (&Ident, bool)> = BTreeMap::new();
    let mut other: Option<&Ident> = None;
    for variant in &model.variants {
        if let Some(key) = &variant.other {
            if let Some(first) = other {
                errors.at(
                    key.span,
                    format!(
                        "only one variant can be `#[function_error(other)]`, and `{first}` already is: remove `other` here"
                    ),
                );
            }
            other.get_or_insert(&variant.ident);
            if let Shape::Struct(_) = &variant.shape {
                errors.spanned(
                    &variant.ident,
                    "the `other` variant is a unit variant or holds one field, not named fields: write e.g. `Other(ErrorObject)` to keep the error object",
                );
            }
        }
        if variant.is_other() && variant.rename.is_none() {
            continue;
        }
        let error_type = variant.error_type();
        if let Some((first, renamed)) = seen.get(&error_type) {
            let how = if *renamed {
                "by its `rename`"
            } else {
                "by its name"
            };
            let message = format!(
                "`errorType` \"{error_type}\" is already mapped to `{first}` ({how}): each `errorType` maps to one variant, so rename one of them"
            );
            match &variant.rename {
                Some(rename) => errors.at(rename.span, message),
                None => errors.spanned(&variant.ident, message),
            }
        }
        seen.entry(error_type)
            .or_insert((&variant.ident, variant.rename.is_some()));
    }
}
