//! From a `DeriveInput` to the model of a function error enum, with every error collected.

use std::collections::BTreeMap;

use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path};

use crate::attr::{string_value, unknown_key, Once};
use crate::errors::Errors;

const ENUM_KEYS: &[&str] = &["crate"];
const VARIANT_KEYS: &[&str] = &["rename", "other"];

/// A function error enum.
pub(crate) struct ErrorEnum {
    pub(crate) ident: Ident,
    pub(crate) krate: Path,
    pub(crate) variants: Vec<Variant>,
}

/// One variant and the `errorType` it maps.
pub(crate) struct Variant {
    pub(crate) ident: Ident,
    pub(crate) error_type: String,
    pub(crate) shape: Shape,
    pub(crate) other: bool,
}

/// The variant's fields.
pub(crate) enum Shape {
    Unit,
    Newtype(syn::Type),
    Struct(Vec<syn::Field>),
}

pub(crate) fn error_enum(input: DeriveInput) -> syn::Result<ErrorEnum> {
    let mut errors = Errors::default();
    let mut krate = Once::new("crate");
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("function_error"))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let value = string_value(&meta, "crate")?;
                let path = value.parse::<Path>()?;
                krate.set(&mut errors, &meta, path);
                Ok(())
            } else {
                Err(unknown_key(&meta, ENUM_KEYS))
            }
        });
        errors.ok(result);
    }
    let Data::Enum(data) = &input.data else {
        errors.spanned(
            &input.ident,
            "#[derive(FunctionError)] goes on an enum: one variant per `errorType`",
        );
        errors.finish()?;
        unreachable_enum()?
    };
    if !input.generics.params.is_empty() {
        errors.spanned(&input.generics, "a function error enum cannot be generic");
    }

    let mut variants = Vec::new();
    let mut seen: BTreeMap<String, Ident> = BTreeMap::new();
    let mut other: Option<Ident> = None;
    for variant in &data.variants {
        let mut rename: Once<LitStr> = Once::new("rename");
        let mut is_other = Once::new("other");
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("function_error"))
        {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value = string_value(&meta, "rename")?;
                    if value.value().is_empty() {
                        errors.spanned(&value, "`rename` needs a non-empty `errorType`");
                    }
                    rename.set(&mut errors, &meta, value);
                    Ok(())
                } else if meta.path.is_ident("other") {
                    is_other.set(&mut errors, &meta, ());
                    Ok(())
                } else {
                    Err(unknown_key(&meta, VARIANT_KEYS))
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
                    "a tuple variant holds exactly one field (the message, the `ErrorObject`, or `Details<T>`); use named fields for more",
                );
                continue;
            }
            Fields::Named(fields) => Shape::Struct(fields.named.iter().cloned().collect()),
        };
        let is_other = is_other.get().is_some();
        if is_other {
            if let Some(first) = &other {
                errors.spanned(
                    &variant.ident,
                    format!(
                        "only one variant can be `#[function_error(other)]`; `{first}` already is"
                    ),
                );
            }
            other = Some(variant.ident.clone());
            if matches!(shape, Shape::Struct(_)) {
                errors.spanned(
                    &variant.ident,
                    "the `other` variant is a unit variant or holds one field (e.g. `ErrorObject`)",
                );
            }
        }
        let rename = rename.get();
        let error_type = rename
            .as_ref()
            .map(LitStr::value)
            .unwrap_or_else(|| variant.ident.to_string());
        if !is_other || rename.is_some() {
            if let Some(first) = seen.get(&error_type) {
                match &rename {
                    Some(lit) => errors.spanned(
                        lit,
                        format!("`errorType` \"{error_type}\" is already mapped to `{first}`"),
                    ),
                    None => errors.spanned(
                        &variant.ident,
                        format!("`errorType` \"{error_type}\" is already mapped to `{first}`"),
                    ),
                }
            }
            seen.entry(error_type.clone())
                .or_insert_with(|| variant.ident.clone());
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

/// The error for a non-enum input when no other error was recorded (kept separate so that
/// the parse never panics).
fn unreachable_enum<T>() -> syn::Result<T> {
    Err(syn::Error::new(
        proc_macro2::Span::call_site(),
        "#[derive(FunctionError)] goes on an enum",
    ))
}
