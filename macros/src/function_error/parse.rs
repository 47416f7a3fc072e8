//! From a `DeriveInput` to an [`ErrorEnum`]: the enum as written, each variant's fields, and
//! the arguments of every `#[function_error(…)]` attribute. Parsing judges nothing: every rule
//! is [`super::check`]'s, which also resolves the arguments.

use syn::{Data, DeriveInput, Fields};

use super::model::{ErrorEnum, Shape, Variant};
use crate::attr::Args;

/// The attribute on the enum and its variants.
pub(super) const ATTR: &str = "function_error";

/// Reads the enum; the crate path is `::lambda_remote` until [`super::check`] resolves the
/// arguments.
pub(crate) fn error_enum(input: DeriveInput) -> ErrorEnum {
    let (variants, not_an_enum) = match &input.data {
        Data::Enum(data) => (data.variants.iter().map(variant).collect(), None),
        Data::Struct(data) => (Vec::new(), Some(data.struct_token.span)),
        Data::Union(data) => (Vec::new(), Some(data.union_token.span)),
    };
    ErrorEnum {
        args: args(&input.attrs),
        ident: input.ident,
        generics: input.generics,
        not_an_enum,
        krate: syn::parse_quote!(::lambda_remote),
        variants,
    }
}

fn variant(variant: &syn::Variant) -> Variant {
    let shape = match &variant.fields {
        Fields::Unit => Shape::Unit,
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            Shape::Newtype(fields.unnamed[0].ty.clone())
        }
        Fields::Unnamed(fields) => Shape::Tuple(fields.clone()),
        Fields::Named(fields) => Shape::Struct(fields.named.iter().cloned().collect()),
    };
    Variant {
        ident: variant.ident.clone(),
        args: args(&variant.attrs),
        rename: None,
        other: None,
        shape,
    }
}

fn args(attrs: &[syn::Attribute]) -> Vec<Args> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident(ATTR))
        .map(Args::of)
        .collect()
}
