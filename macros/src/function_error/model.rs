//! The typed model of a `#[derive(FunctionError)]` enum. Each attribute value keeps its span,
//! for the checks that point at it.

use syn::{Generics, Ident, Path};

use crate::attr::Attr;

/// A function error enum.
pub(crate) struct ErrorEnum {
    pub(crate) ident: Ident,
    /// As written: a generic enum is an error ([`super::check`]), and the fallback impl names
    /// them.
    pub(crate) generics: Generics,
    /// The path to the `lambda-remote` crate, `::lambda_remote` by default.
    pub(crate) krate: Path,
    /// The variants whose shape could be read, in order.
    pub(crate) variants: Vec<Variant>,
}

/// One variant and the `errorType` it maps.
pub(crate) struct Variant {
    pub(crate) ident: Ident,
    /// `#[function_error(rename = "…")]`.
    pub(crate) rename: Option<Attr<String>>,
    /// `#[function_error(other)]`, spanned at `other`.
    pub(crate) other: Option<Attr<()>>,
    pub(crate) shape: Shape,
}

/// The variant's fields.
pub(crate) enum Shape {
    Unit,
    Newtype(syn::Type),
    Struct(Vec<syn::Field>),
}

impl Variant {
    /// The `errorType` this variant maps: its `rename`, or its name.
    pub(crate) fn error_type(&self) -> String {
        match &self.rename {
            Some(rename) => rename.value.clone(),
            None => self.ident.to_string(),
        }
    }

    /// Whether this is the catch-all variant.
    pub(crate) fn is_other(&self) -> bool {
        self.other.is_some()
    }
}
