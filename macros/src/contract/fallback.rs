//! What `#[lambda_remote]` emits beside its errors: the trait as written and stubs of the types
//! it would have generated, so that the user's code that names them (`impl Billing for …`,
//! `BillingClient::new(sdk)`, `BillingServer::new(…)`) adds no errors of its own: one mistake,
//! one error. No stub has a method that could run: they exist to be type-checked, never called,
//! since the crate does not compile.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Pat, TraitItem};

use super::model::{Contract, METHOD_ATTR};
use crate::keys::near_miss;
use crate::tokens::{doc_param, private_binding};

/// The trait, and stubs of the client, and of the server and the dyn companion when asked for.
pub(crate) fn contract(contract: Contract) -> TokenStream {
    let mut out = stub_client(&contract);
    out.extend(stub_server(&contract));
    if let Some(name) = &contract.dyn_trait {
        let vis = &contract.vis;
        out.extend(quote! {
            #vis struct #name;
            impl #name {
                #vis fn new<__LambdaRemoteImplementation>(
                    _implementation: __LambdaRemoteImplementation,
                ) -> Self {
                    #name
                }
            }
        });
    }
    out.extend(plain_trait(contract.item));
    out
}

/// The trait as written, without our attributes (misspelt ones included) and without what the
/// compiler would report a second time (argument patterns and attributes, default bodies).
pub(crate) fn plain_trait(mut item: syn::ItemTrait) -> TokenStream {
    for trait_item in &mut item.items {
        if let TraitItem::Fn(function) = trait_item {
            function.attrs.retain(|a| {
                !a.path().is_ident(METHOD_ATTR) && near_miss(a.path(), &[METHOD_ATTR]).is_none()
            });
            if function.default.take().is_some() {
                function.semi_token = Some(Default::default());
            }
            for input in &mut function.sig.inputs {
                if let FnArg::Typed(typed) = input {
                    typed.attrs.clear();
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

/// The client with its constructors and no methods of the trait.
fn stub_client(contract: &Contract) -> TokenStream {
    let Contract {
        krate,
        client,
        vis,
        item,
        ..
    } = contract;
    let trait_name = item.ident.to_string();
    let sdk = doc_param("sdk");
    let invoker = doc_param("invoker");
    let stub = quote! {
        /// A stub: the contract has errors.
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #vis struct #client {
            invoker: #krate::__private::Invoker,
        }

        #[allow(dead_code)]
        impl #client {
            /// A stub.
            #vis fn new(#sdk: #krate::aws_sdk_lambda::Client) -> Self {
                <Self as #krate::GeneratedClient>::from_invoker(#krate::__private::Invoker::new(
                    #sdk,
                    <Self as #krate::GeneratedClient>::TRAIT,
                    <Self as #krate::GeneratedClient>::METHODS,
                ))
            }

            /// A stub.
            #vis fn builder(#sdk: #krate::aws_sdk_lambda::Client) -> #krate::client::ClientBuilder<Self> {
                #krate::client::ClientBuilder::new(#sdk)
            }

            /// A stub.
            #vis fn invoker(&self) -> &#krate::__private::Invoker {
                &self.invoker
            }
        }

        impl #krate::GeneratedClient for #client {
            const TRAIT: &'static str = #trait_name;
            const METHODS: &'static [#krate::__private::MethodSpec] = &[];

            fn from_invoker(#invoker: #krate::__private::Invoker) -> Self {
                Self { invoker: #invoker }
            }
        }
    };
    let contract_only = quote! {
        /// A stub: the contract has errors.
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #vis enum #client {}

        impl #krate::GeneratedClient for #client {
            const TRAIT: &'static str = #trait_name;
            const METHODS: &'static [#krate::__private::MethodSpec] = &[];
        }
    };
    crate::tokens::with_client(krate, stub, contract_only)
}

/// The server with its constructors and no handlers, when `server` was asked for.
fn stub_server(contract: &Contract) -> TokenStream {
    let Contract {
        krate,
        server,
        vis,
        item,
        ..
    } = contract;
    let Some(server) = server else {
        return TokenStream::new();
    };
    let trait_ident = &item.ident;
    let served = Ident::new("__LambdaRemoteImplementation", Span::call_site());
    let field = private_binding("implementation");
    let implementation = doc_param("implementation");
    quote! {
        /// A stub: the contract has errors.
        #vis struct #server<#served> {
            #field: ::std::sync::Arc<#served>,
        }

        #[allow(dead_code)]
        impl<#served> #server<#served>
        where
            #served: #trait_ident + ::core::marker::Send + ::core::marker::Sync + 'static,
        {
            /// A stub.
            #vis fn new(#implementation: #served) -> Self {
                Self {
                    #field: ::std::sync::Arc::new(#implementation),
                }
            }

            /// A stub.
            #vis fn from_arc(#implementation: ::std::sync::Arc<#served>) -> Self {
                Self { #field: #implementation }
            }

            /// A stub.
            #vis fn implementation(&self) -> &::std::sync::Arc<#served> {
                &self.#field
            }

            /// A stub.
            #vis fn handlers(&self) -> ::std::vec::Vec<#krate::MethodHandler> {
                ::std::vec::Vec::new()
            }
        }
    }
}
