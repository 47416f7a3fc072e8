//! The typed model of a `#[derive(FunctionError)]` enum.

use syn::{Ident, Path};

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
