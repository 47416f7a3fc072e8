//! The `GeneratedClient` impl of the client: each method's `MethodSpec` (its function, options
//! and argument names, as the attributes give them) and the description of the contract
//! (`GeneratedClient::contract`: each method's spec with its error enum's `errorType`s and,
//! with `schema`, the schemas of its payload, result and error).

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;

use super::model::{ClaimCheck, Contract, Invocation, Log, Method};
use crate::tokens::{
    at_first_token, doc_param, private_binding, qualified, static_lifetimes, with_client,
};

/// `impl GeneratedClient for <Client>`.
pub(crate) fn generated_client(contract: &Contract) -> TokenStream {
    let Contract {
        krate,
        client,
        item,
        methods,
        ..
    } = contract;
    let trait_name = item.ident.unraw().to_string();
    let specs = methods.iter().map(|m| spec(krate, m));
    let invoker = doc_param("invoker");
    let contract_fn = contract_fn(contract);
    let from_invoker = with_client(
        krate,
        quote! {
            fn from_invoker(#invoker: #krate::__private::Invoker) -> Self {
                Self { invoker: #invoker }
            }
        },
        TokenStream::new(),
    );
    quote! {
        impl #krate::GeneratedClient for #client {
            const TRAIT: &'static str = #trait_name;
            const METHODS: &'static [#krate::__private::MethodSpec] = &[#(#specs),*];

            #from_invoker

            #contract_fn
        }
    }
}

/// A method's `MethodSpec`: its function and options as its `#[lambda(…)]` gives them.
fn spec(krate: &syn::Path, method: &Method) -> TokenStream {
    let name = method.ident.unraw().to_string();
    let function = method
        .function
        .as_ref()
        .map(|attr| attr.value.as_str())
        .unwrap_or_default();
    let mut spec = quote!(#krate::__private::MethodSpec::new(#name, #function));
    if let Some(qualifier) = &method.qualifier {
        let qualifier = &qualifier.value;
        spec.extend(quote!(.qualifier(#qualifier)));
    }
    let invocation = method.invocation_type();
    if invocation == Invocation::Stream {
        spec.extend(quote!(.streaming()));
    } else if invocation != Invocation::RequestResponse {
        let variant = format_ident!("{}", invocation.variant());
        spec.extend(quote!(.invocation(#krate::client::InvocationType::#variant)));
    }
    if matches!(&method.log, Some(log) if log.value == Log::Tail) {
        spec.extend(quote!(.log_tail()));
    }
    if let Some(timeout) = &method.timeout {
        let ms = u64::try_from(timeout.value.as_millis()).unwrap_or(u64::MAX);
        spec.extend(quote!(.timeout(::core::time::Duration::from_millis(#ms))));
    }
    if let Some(delivery) = &method.delivery {
        let variant = format_ident!("{}", delivery.value.variant());
        spec.extend(quote!(.delivery(#krate::Delivery::#variant)));
    }
    if !method.args.is_empty() {
        let names = method.args.iter().map(|arg| arg.ident.unraw().to_string());
        spec.extend(quote!(.arguments(&[#(#names),*])));
    }
    if let Some(template) = &method.durable_name {
        let text = &template.value.text;
        spec.extend(quote!(.durable_execution_name(#text)));
    }
    if let Some(template) = &method.idempotency_key {
        let text = &template.value.text;
        spec.extend(quote!(.idempotency_key(#text)));
    }
    if let Some(mode) = &method.claim_check
        && mode.value != ClaimCheck::Auto
    {
        let variant = format_ident!("{}", mode.value.variant());
        spec.extend(quote!(.claim_check(#krate::__private::ClaimCheckMode::#variant)));
    }
    spec
}

/// The body of `GeneratedClient::contract`: each method's spec with its error enum's
/// `errorType`s and, with `schema`, the schemas of its payload, result and error.
fn contract_fn(contract: &Contract) -> TokenStream {
    let krate = &contract.krate;
    let methods = private_binding("methods");
    let pushes = contract.methods.iter().enumerate().map(|(index, method)| {
        let cfgs = crate::tokens::cfgs_for_statements(&method.cfgs);
        let output = &at_first_token(&method.output);
        let err = qualified(output, &quote!(#krate::__private::MethodOutput), "Err");
        let function = qualified(&err, &quote!(#krate::error::ClientError), "Function");
        let function = static_lifetimes(function);
        let mut described = quote! {
            #krate::__private::method_contract::<#function>(
                &<Self as #krate::GeneratedClient>::METHODS[#index],
            )
        };
        if contract.schema {
            let error_types = quote!(<#function as #krate::FunctionError>::ERROR_TYPES);
            let catch_all = quote!(<#function as #krate::FunctionError>::CATCH_ALL);
            let schema = quote!(#krate::__private::schema);
            let payload = match method.args.as_slice() {
                [arg] => {
                    let ty = static_lifetimes(arg.ty.to_token_stream());
                    quote!(#schema::schema_of::<#ty>())
                }
                args => {
                    let adds = args.iter().map(|arg| {
                        let ty = static_lifetimes(arg.ty.to_token_stream());
                        let name = arg.ident.unraw().to_string();
                        quote!(.argument::<#ty>(#name))
                    });
                    quote!(#schema::PayloadSchema::new() #(#adds)* .finish())
                }
            };
            let ok = static_lifetimes(qualified(
                output,
                &quote!(#krate::__private::MethodOutput),
                "Ok",
            ));
            let result = if method.is_streaming() {
                quote!(#schema::stream_schema::<#ok>())
            } else {
                quote!(#schema::schema_of::<#ok>())
            };
            described.extend(quote! {
                .with_schemas(#krate::contract::Schemas::new(
                    #payload,
                    #result,
                    #krate::contract::error_object_schema(#error_types, #catch_all),
                ))
            });
        }
        quote! {
            #(#cfgs)*
            #methods.push(#described);
        }
    });
    quote! {
        fn contract() -> #krate::contract::Contract {
            let mut #methods = ::std::vec::Vec::new();
            #(#pushes)*
            #krate::contract::Contract::new(<Self as #krate::GeneratedClient>::TRAIT, #methods)
        }
    }
}
