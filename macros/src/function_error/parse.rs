//! From a `DeriveInput` to an [`ErrorEnum`], with every error collected.

use std::collections::BTreeMap;

use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path};

use super::model::{ErrorEnum, Shape, Variant};
use crate::attr::{string_value, unknown_key, UniqueKey};
use crate::errors::Errors;

const ENUM_KEYS: &[&str] = &["crate"];
const VARIANT_KEYS: &[&str] = &["rename", "other"];

pub(crate) fn error_enum(input: DeriveInput) -> syn::Result<ErrorEnum> {
    let mut errors = Errors::default();
    let mut krate = UniqueKey::new("crate");
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("function_error"))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let Some(value) = string_value(&mut errors, &meta, "crate", "::lambda_remote")?
                else {
                    return Ok(());
                };
                match value.parse::<Path>() {
                    Ok(path) => krate.set(&mut errors, &meta, path),
                    Err(_) => errors.spanned(
                        &value,
                        "`crate` takes a path to the lambda-remote crate: write `crate = \"::lambda_remote\"`",
                    ),
                }
                Ok(())
            } else {
                unknown_key(&mut errors, &meta, ENUM_KEYS)
            }
        });
        errors.ok(result);
    }
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(syn::DataStruct { struct_token, .. }) => {
            return Err(not_an_enum(errors, struct_token));
        }
        Data::Union(syn::DataUnion { union_token, .. }) => {
            return Err(not_an_enum(errors, union_token));
        }
    };
    if !input.generics.params.is_empty() {
        errors.spanned(
            &input.generics,
            "a function error enum cannot be generic: name concrete types in its variants",
        );
    }

    let mut variants = Vec::new();
    // Each `errorType` mapped so far: the variant, and whether by its `rename`.
    let mut seen: BTreeMap<String, (Ident, bool)> = BTreeMap::new();
    let mut other: Option<Ident> = None;
    for variant in &data.variants {
        let mut rename: UniqueKey<LitStr> = UniqueKey::new("rename");
        let mut is_other = UniqueKey::new("other");
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("function_error"))
        {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let Some(value) = string_value(&mut errors, &meta, "rename", "CardDeclined")?
                    else {
                        return Ok(());
                    };
                    if value.value().is_empty() {
                        errors.spanned(
                            &value,
                            "`rename` needs the non-empty `errorType` this variant maps, e.g. `rename = \"CardDeclined\"`",
                        );
                    }
                    rename.set(&mut errors, &meta, value);
                    Ok(())
                } else if meta.path.is_ident("other") {
                    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                        errors.spanned(
                            &meta.path,
                            "`other` takes no value: write `#[function_error(other)]`",
                        );
                        let _ = meta.input.parse::<proc_macro2::TokenStream>();
                        return Ok(());
                    }
                    is_other.set(&mut errors, &meta, meta.path.clone());
                    Ok(())
                } else {
                    unknown_key(&mut errors, &meta, VARIANT_KEYS)
                }
            });
            errors.ok(result);
        }
        let shape = match &variant.fields {
            Fields::Unit => Shape::Unit,
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                Shape::Newtype(fields.unnamed[0].ty.clone())
            }
            Fields::Unnamed(fields) => {
                errors.spanned(
                    fields,
                    "a tuple variant of a function error holds exactly one field (`String`, `Option<String>`, `ErrorObject`, `serde_json::Value` or `Details<T>`); for several fields use named fields, e.g. `Declined { code: u32, reason: String }`",
                );
                continue;
            }
            Fields::Named(fields) => Shape::Struct(fields.named.iter().cloned().collect()),
        };
        let other_key = is_other.get();
        let is_other = other_key.is_some();
        if let Some(key) = &other_key {
            if let Some(first) = &other {
                errors.spanned(
                    key,
                    format!(
                        "only one variant can be `#[function_error(other)]`, and `{first}` already is: remove `other` here"
                    ),
                );
            }
            other.get_or_insert_with(|| variant.ident.clone());
            if let Fields::Named(_) = &variant.fields {
                errors.spanned(
                    &variant.ident,
                    "the `other` variant is a unit variant or holds one field, not named fields: write e.g. `Other(ErrorObject)` to keep the error object",
                );
            }
        }
        let rename = rename.get();
        let error_type = rename
            .as_ref()
            .map(LitStr::value)
            .unwrap_or_else(|| variant.ident.to_string());
        if !is_other || rename.is_some() {
            if let Some((first, renamed)) = seen.get(&error_type) {
                let how = if *renamed {
                    "by its `rename`"
                } else {
                    "by its name"
                };
                let message = format!(
                    "`errorType` \"{error_type}\" is already mapped to `{first}` ({how}): each `errorType` maps to one variant, so rename one of them"
                );
                match &rename {
                    Some(lit) => errors.spanned(lit, message),
                    None => errors.spanned(&variant.ident, message),
                }
            }
            seen.entry(error_type.clone())
                .or_insert_with(|| (variant.ident.clone(), rename.is_some()));
        }
        variants.push(Variant {
            ident: variant.ident.clone(),
            error_type,
            shape,
            other: is_other,
        });
    }
    errors.finish()?;
    Ok(ErrorEnum {
        ident: input.ident,
        krate: krate
            .get()
            .unwrap_or_else(|| syn::parse_quote!(::lambda_remote)),
        variants,
    })
}

/// The error for a struct or union, spanned at its keyword, with every other error found.
fn not_an_enum(mut errors: Errors, keyword: impl quote::ToTokens) -> syn::Error {
    errors.spanned(
        keyword,
        "#[derive(FunctionError)] goes on an enum with one variant per `errorType`: write `enum` here",
    );
    match errors.finish() {
        Err(error) => error,
        Ok(()) => unreachable!("an error was just recorded"),
    }
}
