//! `#[lambda_remote]`: parse the trait into a [`model::Contract`], check it, render it.

mod check;
mod model;
mod parse;
mod render;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// Expands `#[lambda_remote(args)] trait …`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = match syn::parse2::<syn::ItemTrait>(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let mut error = error;
            error.combine(syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[lambda_remote] goes on a trait",
            ));
            let mut out = Errors::into_compile_errors(error);
            out.extend(input);
            return out;
        }
    };
    match parse::contract(args, item.clone()).and_then(|contract| {
        check::contract(&contract)?;
        Ok(contract)
    }) {
        Ok(contract) => render::contract(&contract),
        Err(error) => {
            // Emit the trait unchanged (less our attributes) so that uses of it do not add
            // errors of their own.
            let mut out = Errors::into_compile_errors(error);
            out.extend(render::plain_trait(item));
            out
        }
    }
}
