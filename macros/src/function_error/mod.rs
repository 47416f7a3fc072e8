//! `#[derive(FunctionError)]`: parse the enum into a [`model::ErrorEnum`], check it, and render
//! its `FunctionError` impl; on any error, the errors and the fallback impl.

mod check;
mod fallback;
mod model;
mod parse;
mod render;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// Expands the derive.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let mut model = parse::error_enum(input);
    check::error_enum(&mut errors, &mut model);
    match errors.finish() {
        Ok(()) => render::function_error(&model),
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(fallback::error_enum(&model));
            out
        }
    }
}
