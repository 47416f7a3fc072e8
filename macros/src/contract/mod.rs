//! `#[lambda_remote]`: parse the trait into a [`model::Contract`], check it, and render the
//! trait with its client (and server); on any error, the errors and the fallback.

mod check;
mod fallback;
mod model;
mod parse;
mod render_client;
mod render_dyn;
mod render_server;
mod render_spec;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// Expands `#[lambda_remote(args)] trait …`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = match syn::parse2::<syn::Item>(input.clone()) {
        Ok(syn::Item::Trait(item)) => item,
        Ok(other) => {
            let mut out = syn::Error::new_spanned(
                item_keyword(&other).unwrap_or_else(|| quote::quote!(#other)),
                "#[lambda_remote] goes on a trait of `async fn` methods, e.g. `trait Billing { … }`",
            )
            .to_compile_error();
            out.extend(input);
            return out;
        }
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(input);
            return out;
        }
    };
    let mut errors = Errors::default();
    let mut contract = parse::contract(args, item);
    check::contract(&mut errors, &mut contract);
    match errors.finish() {
        Ok(()) => {
            let mut out = render_client::trait_item(&contract);
            out.extend(render_client::client(&contract));
            out.extend(render_spec::generated_client(&contract));
            out.extend(render_client::trait_impl(&contract));
            out.extend(render_server::server(&contract));
            out.extend(render_dyn::dyn_trait(&contract));
            out
        }
        Err(error) => {
            let mut out = error.to_compile_error();
            out.extend(fallback::contract(contract));
            out
        }
    }
}

/// The keyword that says what kind of item this is (`struct`, `fn`, `impl`, …).
fn item_keyword(item: &syn::Item) -> Option<TokenStream> {
    use quote::ToTokens;
    let tokens = match item {
        syn::Item::Struct(i) => i.struct_token.to_token_stream(),
        syn::Item::Enum(i) => i.enum_token.to_token_stream(),
        syn::Item::Union(i) => i.union_token.to_token_stream(),
        syn::Item::Fn(i) => i.sig.fn_token.to_token_stream(),
        syn::Item::Impl(i) => i.impl_token.to_token_stream(),
        syn::Item::Mod(i) => i.mod_token.to_token_stream(),
        syn::Item::Type(i) => i.type_token.to_token_stream(),
        syn::Item::TraitAlias(i) => i.trait_token.to_token_stream(),
        _ => return None,
    };
    Some(tokens)
}
