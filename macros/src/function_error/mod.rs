//! `#[derive(FunctionError)]`: parse the enum into a model, check it, render the impl.

mod model;
mod parse;
mod render;

use proc_macro2::TokenStream;

/// Expands the derive.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let parsed = syn::parse2::<syn::DeriveInput>(input).and_then(parse::error_enum);
    match parsed {
        Ok(model) => render::function_error(&model),
        Err(error) => error.to_compile_error(),
    }
}
