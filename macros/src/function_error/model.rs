//! The typed model of a `#[derive(FunctionError)]` enum. [`super::parse`] fills it with the
//! enum as written and the arguments of its `#[function_error(…)]` attributes; [`super::check`]
//! applies every rule and resolves the arguments (`crate`, `rename`, `other`), each value
//! keeping its span for the rules that point at it.

use proc_macro2::Span;
use syn::{Generics, Ident, Path};

use crate::attr::{Args, Attr};

/// A function error enum.
pub(crate) struct ErrorEnum {
    pub(crate) ident: Ident,
    /// As written: a generic enum is an error ([`super::check`]), and the fallback impl names
    /// them.
    pub(crate) generics: Generics,
    /// The `struct` or `union` keyword, when the input is no enum (an error).
    pub(crate) not_an_enum: Option<Span>,
    /// The arguments of the enum's `#[function_error(…)]` attributes, as written.
    pub(crate) args: Vec<Args>,
    /// The path to the `lambda-remote` crate, `::lambda_remote` by default.
    pub(crate) krate: Path,
    /// The variants, in order.
    pub(crate) variants: Vec<Variant>,
}

/// One variant and the `errorType` it maps.
pub(crate) struct Variant {
    pub(crate) ident: Ident,
    /// The arguments of its `#[function_error(…)]` attributes, as written.
    pub(crate) args: Vec<Args>,
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
    /// A tuple of other than one field, which no payload fits (an error: never rendered).
    Tuple(syn::FieldsUnnamed),
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
