//! Every rule of `#[derive(FunctionError)]`, each reported at the token that breaks it: an
//! enum, the keys of `#[function_error(…)]` (resolved into the model), variants of a shape a
//! payload fits, no generics, one catch-all variant and of a shape that can keep any error,
//! each `errorType` mapped once.
//!
//! One mistake, one error: a misspelt key (`renam`, `othr`) is reported, then resolved as the
//! key it was meant to be without reporting its value; a variant whose `rename` was reported
//! (or may have been meant by an unknown key) is left out of the rule that each `errorType`
//! maps once.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::{Ident, Path};

use super::model::{ErrorEnum, Shape, Variant};
use crate::attr::{Args, Entry, Value};
use crate::errors::Errors;
use crate::keys::{UniqueKey, near_miss, string_value, unknown_key};

const ENUM_KEYS: &[&str] = &["crate"];
const VARIANT_KEYS: &[&str] = &["rename", "other"];

/// Checks the whole enum and resolves its attributes, recording every error found.
pub(crate) fn error_enum(errors: &mut Errors, model: &mut ErrorEnum) {
    if let Some(krate) = enum_keys(errors, &model.args) {
        model.krate = krate;
    }
    if let Some(keyword) = model.not_an_enum {
        errors.at(
            keyword,
            "#[derive(FunctionError)] goes on an enum with one variant per `errorType`: write `enum` here",
        );
    }
    let mut uncertain = Vec::new();
    for variant in &mut model.variants {
        uncertain.push(variant_keys(errors, variant));
        if let Shape::Tuple(fields) = &variant.shape {
            errors.spanned(
                fields,
                "a tuple variant of a function error holds exactly one field (`String`, `Option<String>`, `ErrorObject`, `serde_json::Value` or `Details<T>`); for several fields use named fields, e.g. `Declined { code: u32, reason: String }`",
            );
        }
    }
    variants(errors, model, &uncertain);
}

/// `#[function_error(crate = "…")]` on the enum.
fn enum_keys(errors: &mut Errors, args: &[Args]) -> Option<Path> {
    let mut krate = UniqueKey::new("crate");
    for args in args {
        for entry in &args.entries {
            if !entry.key.is_ident("crate") {
                unknown_key(errors, entry, ENUM_KEYS);
                continue;
            }
            let Some(value) = string_value(errors, entry, "crate", "::lambda_remote") else {
                continue;
            };
            match value.parse::<Path>() {
                Ok(path) => krate.set(errors, &entry.key, path, value.span()),
                Err(_) => errors.spanned(
                    value,
                    "`crate` takes a path to the lambda-remote crate: write `crate = \"::lambda_remote\"`",
                ),
            }
        }
        if let Some(error) = &args.unreadable {
            errors.push(error.clone());
        }
    }
    krate.get().map(|attr| attr.value)
}

/// `#[function_error(rename = "…")]` and `#[function_error(other)]` on a variant, resolved
/// into it. `true` when the `errorType` it maps is uncertain: a `rename` was reported, or an
/// unknown key or unreadable tokens may have meant one.
fn variant_keys(errors: &mut Errors, variant: &mut Variant) -> bool {
    let mut keys = VariantKeys {
        rename: UniqueKey::new("rename"),
        other: UniqueKey::new("other"),
        uncertain: false,
    };
    let mut misspelt = Vec::new();
    for args in &variant.args {
        for entry in &args.entries {
            match VARIANT_KEYS.iter().find(|key| entry.key.is_ident(key)) {
                Some(key) => keys.entry(errors, key, entry),
                None => {
                    unknown_key(errors, entry, VARIANT_KEYS);
                    keys.uncertain = true;
                    misspelt.extend(near_miss(&entry.key, VARIANT_KEYS).map(|key| (key, entry)));
                }
            }
        }
        if let Some(error) = &args.unreadable {
            errors.push(error.clone());
            keys.uncertain = true;
        }
    }
    for (key, entry) in misspelt {
        keys.entry(&mut Errors::default(), key, entry);
    }
    variant.rename = keys.rename.get();
    variant.other = keys.other.get();
    keys.uncertain && variant.rename.is_none()
}

struct VariantKeys {
    rename: UniqueKey<String>,
    other: UniqueKey<()>,
    uncertain: bool,
}

impl VariantKeys {
    /// `entry`, read as the variant key `key`.
    fn entry(&mut self, errors: &mut Errors, key: &str, entry: &Entry) {
        if key == "other" {
            match entry.value {
                Value::Bare => self.other.set(errors, &entry.key, (), key_span(entry)),
                _ => errors.spanned(
                    &entry.key,
                    "`other` takes no value: write `#[function_error(other)]`",
                ),
            }
            return;
        }
        let Some(value) = string_value(errors, entry, "rename", "CardDeclined") else {
            self.uncertain = true;
            return;
        };
        if value.value().is_empty() {
            errors.spanned(
                value,
                "`rename` needs the non-empty `errorType` this variant maps, e.g. `rename = \"CardDeclined\"`",
            );
            self.uncertain = true;
            return;
        }
        self.rename
            .set(errors, &entry.key, value.value(), value.span());
    }
}

fn key_span(entry: &Entry) -> Span {
    syn::spanned::Spanned::span(&entry.key)
}

/// Rules between the variants; those whose `errorType` is `uncertain` map none.
fn variants(errors: &mut Errors, model: &ErrorEnum, uncertain: &[bool]) {
    if !model.generics.params.is_empty() {
        errors.spanned(
            &model.generics,
            "a function error enum cannot be generic: name concrete types in its variants",
        );
    }
    // Each `errorType` mapped so far: the variant, and whether by its `rename`.
    let mut seen: BTreeMap<String, (&Ident, bool)> = BTreeMap::new();
    let mut other: Option<&Ident> = None;
    for (variant, uncertain) in model.variants.iter().zip(uncertain) {
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
        if *uncertain || (variant.is_other() && variant.rename.is_none()) {
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
