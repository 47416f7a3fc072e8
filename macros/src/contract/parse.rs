//! From tokens to a [`Contract`]: the trait as written, each method's signature, named
//! arguments and return type, and the arguments of every attribute, each with its tokens.
//!
//! Parsing judges nothing: every rule (the trait's and methods' shapes, which keys exist, what
//! their values may be, how options go together) is [`super::check`]'s, which also resolves
//! the attributes' arguments into the typed options.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::{FnArg, Ident, Pat, ReturnType, TraitItem};

use super::model::{Arg, Contract, METHOD_ATTR, Method, MethodAttr};
use crate::attr::Args;
use crate::keys::near_miss;

/// Reads the trait and the arguments of `#[lambda_remote(args)]`. The options take their
/// defaults (`<Trait>Client`, `::lambda_remote`, no server) until [`super::check`] resolves
/// the arguments.
pub(crate) fn contract(args: TokenStream, item: syn::ItemTrait) -> Contract {
    let methods = item
        .items
        .iter()
        .filter_map(|trait_item| match trait_item {
            TraitItem::Fn(function) => Some(method(function)),
            _ => None,
        })
        .collect();
    Contract {
        vis: item.vis.clone(),
        args: Args::read(args),
        krate: syn::parse_quote!(::lambda_remote),
        client: Ident::new(&format!("{}Client", item.ident.unraw()), item.ident.span()),
        server: None,
        dyn_trait: None,
        schema: false,
        methods,
        item,
    }
}

fn method(function: &syn::TraitItemFn) -> Method {
    let sig = &function.sig;
    let args = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(pat) => Some(Arg {
                    attrs: typed.attrs.clone(),
                    ident: pat.ident.clone(),
                    ty: (*typed.ty).clone(),
                }),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect();
    let output = match &sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        ReturnType::Default => syn::parse_quote!(()),
    };
    let attrs = |keep: &dyn Fn(&syn::Attribute) -> bool| {
        function.attrs.iter().filter(|a| keep(a)).cloned().collect()
    };
    Method {
        ident: sig.ident.clone(),
        cfgs: attrs(&|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr")),
        docs: attrs(&|a| a.path().is_ident("doc")),
        sig: sig.clone(),
        attrs: function.attrs.iter().filter_map(method_attr).collect(),
        args,
        output,
        function: None,
        qualifier: None,
        invocation: None,
        log: None,
        timeout: None,
        delivery: None,
        durable_name: None,
        idempotency_key: None,
        claim_check: None,
    }
}

/// A `#[lambda…]` attribute, or one whose name is a misspelling of it.
fn method_attr(attr: &syn::Attribute) -> Option<MethodAttr> {
    let path = attr.path();
    if path.is_ident(METHOD_ATTR) {
        return Some(match &attr.meta {
            syn::Meta::List(_) => MethodAttr::Args(Args::of(attr)),
            other => MethodAttr::NotAList(other.clone()),
        });
    }
    near_miss(path, &[METHOD_ATTR]).map(|_| MethodAttr::Misspelt(path.clone(), Args::of(attr)))
}
