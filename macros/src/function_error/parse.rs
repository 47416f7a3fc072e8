//! From a `DeriveInput` to an [`ErrorEnum`], with every error collected.
//!
//! Parsing reports what the model cannot hold: a struct or union, an attribute that cannot be
//! read, a value that is wrong on its own (an empty `rename`), a tuple variant of several
//! fields. Rules between variants are [`super::check`]'s.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Path};

use super::model::{ErrorEnum, Shape, Variant};
use crate::attr::{string_value, unknown_key, UniqueKey};
use crate::errors::Errors;

const ENUM_KEYS: &[&str] = &["crate"];
const VARIANT_KEYS: &[&str] = &["rename", "other"];

/// The attribute on the enum and its variants.
const ATTR: &str = "function_error";

/// Parses the enum and its attributes, recording every error in `errors`. The model is
/// complete enough to check, and to render the fallback from, even when errors were found.
pub(crate) fn error_enum(errors: &mut Errors, input: DeriveInput) -> ErrorEnum {
    let krate = enum_attrs(errors, &input);
    let variants = match &input.data {
        Data::Enum(data) => data
            .variants
            .iter()
            .filter_map(|variant| self::variant(errors, variant))
            .collect(),
        Data::Struct(syn::DataStruct { struct_token, .. }) => {
            not_an_enum(errors, struct_token.span);
            Vec::new()
        }
        Data::Union(syn::DataUnion { union_token, .. }) => {
            not_an_enum(errors, union_token.span);
            Vec::new()
        }
    };
    ErrorEnum {
        ident: input.ident,
        generics: input.generics,
        krate: krate.unwrap_or_else(|| syn::parse_quote!(::lambda_remote)),
        variants,
    }
}

/// `#[function_error(crate = "…")]` on the enum.
fn enum_attrs(errors: &mut Errors, input: &DeriveInput) -> Option<Path> {
    let mut krate = UniqueKey::new("crate");
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(ATTR)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let Some(value) = string_value(errors, &meta, "crate", "::lambda_remote")? else {
                    return Ok(());
                };
                match value.parse::<Path>() {
                    Ok(path) => krate.set(errors, &meta, path, value.span()),
                    Err(_) => errors.spanned(
                        &value,
                        "`crate` takes a path to the lambda-remote crate: write `crate = \"::lambda_remote\"`",
                    ),
                }
                Ok(())
            } else {
                unknown_key(errors, &meta, ENUM_KEYS)
            }
        });
        errors.ok(result);
    }
    krate.get().map(|attr| attr.value)
}

/// One variant, or `None` when its fields have a shape the model cannot hold.
fn variant(errors: &mut Errors, variant: &syn::Variant) -> Option<Variant> {
    let mut rename = UniqueKey::new("rename");
    let mut other = UniqueKey::new("other");
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident(ATTR)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let Some(value) = string_value(errors, &meta, "rename", "CardDeclined")? else {
                    return Ok(());
                };
                if value.value().is_empty() {
                    errors.spanned(
                        &value,
                        "`rename` needs the non-empty `errorType` this variant maps, e.g. `rename = \"CardDeclined\"`",
                    );
                }
                rename.set(errors, &meta, value.value(), value.span());
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
                other.set(errors, &meta, (), meta.path.span());
                Ok(())
            } else {
                unknown_key(errors, &meta, VARIANT_KEYS)
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
            return None;
        }
        Fields::Named(fields) => Shape::Struct(fields.named.iter().cloned().collect()),
    };
    Some(Variant {
        ident: variant.ident.clone(),
        rename: rename.get(),
        other: other.get(),
        shape,
    })
}

/// The error for a struct or union, at its keyword.
fn not_an_enum(errors: &mut Errors, keyword: Span) {
    errors.at(
        keyword,
        "#[derive(FunctionError)] goes on an enum with one variant per `errorType`: write `enum` here",
    );
}
