//! What `#[lambda_remote]` emits beside its errors: the trait as written, so that the user's
//! code that names it adds no errors of its own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{FnArg, Pat, TraitItem};

use super::model::METHOD_ATTR;

/// The trait as written, without our attributes and without what the compiler would report a
/// second time (argument patterns, default bodies): emitted next to errors so that its users
/// do not report errors of their own.
pub(crate) fn contract(mut item: syn::ItemTrait) -> TokenStream {
    for trait_item in &mut item.items {
        if let TraitItem::Fn(function) = trait_item {
            function.attrs.retain(|a| !a.path().is_ident(METHOD_ATTR));
            if function.default.take().is_some() {
                function.semi_token = Some(Default::default());
            }
            for input in &mut function.sig.inputs {
                if let FnArg::Typed(typed) = input {
                    let plain = matches!(&*typed.pat, Pat::Ident(p)
                        if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none());
                    if !plain {
                        *typed.pat = Pat::Wild(syn::PatWild {
                            attrs: Vec::new(),
                            underscore_token: syn::Token![_](typed.pat.span()),
                        });
                    }
                }
            }
        }
    }
    quote! {
        #[allow(async_fn_in_trait)]
        #item
    }
}
