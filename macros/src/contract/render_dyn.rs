//! `Dyn<Trait>`, generated with `#[lambda_remote(dyn_trait)]`: a cloneable handle to any
//! implementation of the contract behind `Arc<dyn …>` (the generated client in production, a
//! fake in tests), which implements the contract itself. Behind it, a dyn-compatible object
//! trait with the same methods returning boxed futures, implemented only by a private wrapper,
//! so that no method call on the user's own types becomes ambiguous.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, GenericParam, Ident, Lifetime};

use super::model::{Contract, Method};
use crate::tokens::unused_name;

/// The companion handle, its object trait and their impls, when `dyn_trait` was asked for.
pub(crate) fn dyn_trait(contract: &Contract) -> TokenStream {
    let Some(name) = &contract.dyn_trait else {
        return TokenStream::new();
    };
    let contract_trait = &contract.item.ident;
    let vis = &contract.vis;
    // The object trait is implemented only by the wrapper, never by the user's types or the
    // client: no method call on those can become ambiguous.
    let object = format_ident!("__LambdaRemote{}Object", name);
    let wrapper = format_ident!("__LambdaRemote{}Implementation", name);
    let implementation = Ident::new("__LambdaRemoteImplementation", name.span());
    let signatures: Vec<syn::Signature> = contract.methods.iter().map(boxed_signature).collect();
    let declarations = contract
        .methods
        .iter()
        .zip(&signatures)
        .map(|(method, sig)| {
            let cfgs = &method.cfgs;
            quote! { #(#cfgs)* #sig; }
        });
    let forwards = forwards(contract, &signatures, &implementation);
    let unboxed = unboxed(contract, &object);
    let doc = format!(
        "A [`{contract_trait}`] behind a trait object: the generated client or any other \
         implementation (a fake in tests), chosen at run time and cheap to clone. It implements \
         `{contract_trait}` itself; each call costs one allocation for its boxed future."
    );
    let new_doc = format!("Wraps any implementation of [`{contract_trait}`].");
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone)]
        #vis struct #name(::std::sync::Arc<dyn #object>);

        impl #name {
            #[doc = #new_doc]
            #vis fn new<#implementation>(implementation: #implementation) -> Self
            where
                #implementation: #contract_trait
                    + ::core::marker::Send
                    + ::core::marker::Sync
                    + 'static,
            {
                Self(::std::sync::Arc::new(#wrapper(implementation)))
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(::core::stringify!(#name))
            }
        }

        impl #contract_trait for #name {
            #(#unboxed)*
        }

        #[doc(hidden)]
        trait #object: ::core::marker::Send + ::core::marker::Sync {
            #(#declarations)*
        }

        #[doc(hidden)]
        struct #wrapper<#implementation>(#implementation);

        impl<#implementation> #object for #wrapper<#implementation>
        where
            #implementation: #contract_trait + ::core::marker::Send + ::core::marker::Sync,
        {
            #(#forwards)*
        }
    }
}

/// The object trait's methods for the wrapper: each calls the implementation's and boxes its
/// future.
fn forwards(
    contract: &Contract,
    signatures: &[syn::Signature],
    implementation: &Ident,
) -> Vec<TokenStream> {
    let contract_trait = &contract.item.ident;
    contract.methods.iter().zip(signatures).map(|(method, sig)| {
        let cfgs = &method.cfgs;
        let ident = &method.ident;
        let args = method.args.iter().map(|arg| &arg.ident);
        quote! {
            #(#cfgs)*
            #sig {
                ::std::boxed::Box::pin(<#implementation as #contract_trait>::#ident(&self.0, #(#args),*))
            }
        }
    })
    .collect()
}

/// The contract's methods for the handle: each awaits the object's boxed future.
fn unboxed(contract: &Contract, object: &Ident) -> Vec<TokenStream> {
    contract
        .methods
        .iter()
        .map(|method| {
            let cfgs = &method.cfgs;
            let ident = &method.ident;
            let args = method.args.iter().map(|arg| &arg.ident);
            let mut sig = method.sig.clone();
            sig.asyncness = None;
            let output = &method.output;
            sig.output = syn::parse_quote! {
                -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
            };
            quote! {
                #(#cfgs)*
                #sig {
                    // An async block, not the boxed future itself: its type names the arguments'
                    // lifetimes one by one, where the boxed future's names only their intersection.
                    async move { #object::#ident(&*self.0, #(#args),*).await }
                }
            }
        })
        .collect()
}

/// The method's signature returning `Pin<Box<dyn Future<Output = …> + Send + 'l>>`, where
/// `'l` is a fresh lifetime that `self`, every elided lifetime in the arguments and every
/// lifetime the method declares outlive.
fn boxed_signature(method: &Method) -> syn::Signature {
    let mut sig = method.sig.clone();
    sig.asyncness = None;
    let taken: Vec<String> = sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.ident.to_string())
        .collect();
    let life = Lifetime::new(
        &format!("'{}", unused_name("__lambda_remote", &taken)),
        proc_macro2::Span::call_site(),
    );
    let declared: Vec<Lifetime> = sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.clone())
        .collect();
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                if let Some((_, lifetime)) = &mut receiver.reference {
                    lifetime.get_or_insert_with(|| life.clone());
                }
                let self_ty: syn::Type = match &receiver.reference {
                    Some((_, lifetime)) => {
                        let mutability = &receiver.mutability;
                        syn::parse_quote!(&#lifetime #mutability Self)
                    }
                    None => syn::parse_quote!(Self),
                };
                *receiver.ty = self_ty;
            }
            FnArg::Typed(typed) => NameElided(&life).visit_type_mut(&mut typed.ty),
        }
    }
    sig.generics.params.insert(
        0,
        GenericParam::Lifetime(syn::LifetimeParam::new(life.clone())),
    );
    let where_clause = sig.generics.make_where_clause();
    for lifetime in declared {
        where_clause
            .predicates
            .push(syn::parse_quote!(#lifetime: #life));
    }
    let output = &method.output;
    sig.output = syn::parse_quote! {
        -> ::core::pin::Pin<::std::boxed::Box<
            dyn ::core::future::Future<Output = #output> + ::core::marker::Send + #life
        >>
    };
    sig
}

/// Names every elided lifetime (`&T`, `'_`) in a type with the given lifetime.
struct NameElided<'a>(&'a Lifetime);

impl VisitMut for NameElided<'_> {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        reference.lifetime.get_or_insert_with(|| self.0.clone());
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }
}
