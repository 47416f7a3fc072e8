//! From a checked [`Contract`] to the trait (each method returning a `Send` future), the
//! client struct and its impls.
//!
//! Every path in the output is absolute (`::core::…`, or through the `crate` path), so the
//! expansion works under `#![no_implicit_prelude]` and next to user items named `Result`,
//! `Option`, `core`, …. Local names are `Span::mixed_site()`, so they neither capture nor
//! shadow the user's argument names.
//!
//! Diagnostics: each piece of code that can fail to type-check carries the span of the user's
//! token it comes from (an argument's type, the return type, `invocation = "event"`), and the
//! checks that both the trait method and the `_with` method need are written identically in
//! both, so rustc reports each mistake once.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, ReturnType, TraitItem};

use super::model::{Contract, Invocation, METHOD_ATTR, Method};
use crate::tokens::{
    at_first_token, doc_param, first_and_last_span, idents_in, private_binding, qualified,
    qualified_at, respan, turbofish, unused_name, with_client, written_success_type,
};

/// The signature every method gets in the trait and its impls: not `async`, returning a
/// `Send` future of the declared type.
fn future_signature(method: &Method) -> syn::Signature {
    let mut sig = method.sig.clone();
    sig.asyncness = None;
    let output = &method.output;
    sig.output = ReturnType::Type(
        Default::default(),
        Box::new(syn::parse_quote_spanned! {output.span()=>
            impl ::core::future::Future<Output = #output> + ::core::marker::Send
        }),
    );
    sig
}

/// The trait, each method returning a `Send` future (see [`future_signature`]).
pub(crate) fn trait_item(contract: &Contract) -> TokenStream {
    let mut item = contract.item.clone();
    let mut methods = contract.methods.iter();
    for trait_item in &mut item.items {
        if let TraitItem::Fn(function) = trait_item {
            function.attrs.retain(|a| !a.path().is_ident(METHOD_ATTR));
            if let Some(method) = methods.next() {
                function.sig = future_signature(method);
            }
        }
    }
    quote!(#item)
}

/// A lifetime named `'base` (or `'base_`, `'base__`, … if the method declares that one).
fn fresh_lifetime(generics: &syn::Generics, base: &str) -> syn::Lifetime {
    let taken: Vec<String> = generics
        .lifetimes()
        .map(|l| l.lifetime.ident.to_string())
        .collect();
    let name = unused_name(base, &taken);
    syn::Lifetime::new(&format!("'{name}"), Span::call_site())
}

/// `(tokens)`, the parentheses spanned at `span`.
fn parenthesized(tokens: TokenStream, span: Span) -> TokenStream {
    let mut group = Group::new(Delimiter::Parenthesis, tokens);
    group.set_span(span);
    TokenTree::Group(group).into()
}

/// The expression of the payload bytes, a `Result<Payload, serde_json::Error>`.
///
/// One argument is the payload; several are the fields of a JSON object, in order. Each
/// argument is serialized through serde's own API with its type named at the type's span, so a
/// type that is not `Serialize` is reported once, at that type.
fn payload(krate: &syn::Path, method: &Method) -> TokenStream {
    let bytes = private_binding("bytes");
    let error = private_binding("error");
    let serde = quote!(#krate::__private::serde);
    let serde_json = quote!(#krate::__private::serde_json);
    match method.args.as_slice() {
        [] => quote!(#krate::__private::empty_object()),
        [arg] => {
            let (ident, ty) = (&arg.ident, &arg.ty);
            let serialize = qualified(ty, &quote!(#serde::Serialize), "serialize");
            let serializer = private_binding("serializer");
            quote! {
                #krate::__private::to_payload(|#serializer| #serialize(&#ident, #serializer))
            }
        }
        args => {
            let serializer = private_binding("serializer");
            let state = private_binding("state");
            let result = private_binding("result");
            let len = args.len();
            let fields = args.iter().map(|arg| {
                let (ident, ty) = (&arg.ident, &arg.ty);
                let key = ident.unraw().to_string();
                let serialize_field =
                    turbofish(&quote!(#serde::ser::SerializeStruct::serialize_field), ty);
                quote! {
                    if ::core::result::Result::is_ok(&#result) {
                        #result = #serialize_field(&mut #state, #key, &#ident);
                    }
                }
            });
            let name = method.ident.unraw().to_string();
            quote! {{
                let mut #bytes = #krate::__private::Payload::new();
                let mut #serializer = #serde_json::Serializer::new(&mut #bytes);
                let #result = match #serde::ser::Serializer::serialize_struct(
                    &mut #serializer, #name, #len,
                ) {
                    ::core::result::Result::Ok(mut #state) => {
                        let mut #result = ::core::result::Result::Ok(());
                        #(#fields)*
                        match #result {
                            ::core::result::Result::Ok(()) => {
                                #serde::ser::SerializeStruct::end(#state)
                            }
                            ::core::result::Result::Err(#error) => ::core::result::Result::Err(#error),
                        }
                    }
                    ::core::result::Result::Err(#error) => ::core::result::Result::Err(#error),
                };
                match #result {
                    ::core::result::Result::Ok(()) => ::core::result::Result::Ok(#bytes),
                    ::core::result::Result::Err(#error) => ::core::result::Result::Err(#error),
                }
            }}
        }
    }
}

/// The checks at the start of the trait method, at the return type (see `at_first_token`):
///
/// - the return type is a `MethodOutput`: reported with that trait's own message, no note;
/// - its success type deserializes: reported with serde's own hints, and a note naming the
///   check.
///
/// The call after them, at the same place, requires the same, and rustc does not show an error
/// implied by an earlier one at the same place.
fn checks(krate: &syn::Path, method: &Method) -> TokenStream {
    let output = &at_first_token(&method.output);
    let first = first_and_last_span(output).0;
    let from_result = qualified(
        output,
        &quote!(#krate::__private::MethodOutput),
        "from_result",
    );
    let ok = qualified(output, &quote!(#krate::__private::MethodOutput), "Ok");
    let (check, bound) = if method.is_streaming() {
        (
            Ident::new("success_type_is_a_stream", first),
            respan(&quote!(#krate::stream::StreamOutput), first),
        )
    } else {
        (
            Ident::new("success_type_is_deserialized", first),
            respan(
                &quote!(for<'de> #krate::__private::serde::Deserialize<'de>),
                first,
            ),
        )
    };
    let param = checked_type_param();
    let call = turbofish(&quote!(#check), &ok);
    let call_args = parenthesized(TokenStream::new(), first);
    quote! {
        let _ = #from_result;
        fn #check<#param: #bound>() {}
        #call #call_args;
    }
}

/// For `event` and `dry_run` methods, in the trait method only: the success type must be `()`.
/// Reported at the success type where the return type is written `Result<T, E>`, with a note
/// at the `invocation` value that requires it.
fn unit_check(krate: &syn::Path, method: &Method) -> TokenStream {
    let Some(invocation) = &method.invocation else {
        return TokenStream::new();
    };
    if matches!(
        invocation.value,
        Invocation::RequestResponse | Invocation::Stream
    ) {
        return TokenStream::new();
    }
    let output = &method.output;
    let at = written_success_type(output)
        .map_or_else(|| first_and_last_span(output), first_and_last_span);
    let check = Ident::new(
        &format!("{}_succeeds_with_unit", invocation.value.spelling()),
        invocation.span,
    );
    let bound = respan(
        &quote!(?::core::marker::Sized + #krate::__private::UnitOutput),
        invocation.span,
    );
    let param = checked_type_param();
    let ok = qualified_at(
        &respan(output, at.0),
        &quote!(#krate::__private::MethodOutput),
        "Ok",
        at,
    );
    quote! {
        fn #check<#param: #bound>() {}
        #check::<#ok>();
    }
}

/// The client struct and its inherent impl: constructors and each method's `_with`; without
/// lambda-remote's `client` feature, an empty enum of that name that carries the contract alone.
pub(crate) fn client(contract: &Contract) -> TokenStream {
    let Contract {
        krate,
        client,
        vis,
        item,
        methods,
        ..
    } = contract;
    let trait_ident = &item.ident;
    let client_doc = format!(
        "Invokes the Lambda functions behind [`{trait_ident}`] through `aws-sdk-lambda`. \
         Generated by `#[lambda_remote]`; cheap to clone (clones share one SDK client)."
    );
    let with_methods = methods
        .iter()
        .enumerate()
        .map(|(index, method)| with_method(contract, index, method));
    let sdk = doc_param("sdk");
    let contract_doc = format!(
        "The contract [`{trait_ident}`] as data: `{client}::contract()` (`GeneratedClient`). \
         Generated by `#[lambda_remote]`; with lambda-remote's `client` feature (default), the \
         client that invokes its functions through `aws-sdk-lambda`."
    );
    let full = quote! {
        #[doc = #client_doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        #vis struct #client {
            invoker: #krate::__private::Invoker,
        }

        // The generated API is there to be used, not all of it by every program.
        #[allow(dead_code)]
        impl #client {
            /// A client calling each method's function as its attributes name it.
            #vis fn new(#sdk: #krate::aws_sdk_lambda::Client) -> Self {
                <Self as #krate::GeneratedClient>::from_invoker(#krate::__private::Invoker::new(
                    #sdk,
                    <Self as #krate::GeneratedClient>::TRAIT,
                    <Self as #krate::GeneratedClient>::METHODS,
                ))
            }

            /// A builder to rename functions (prefixes, suffixes, stages, per-method names,
            /// environment variables), set limits, retries and timeouts.
            #vis fn builder(#sdk: #krate::aws_sdk_lambda::Client) -> #krate::client::ClientBuilder<Self> {
                #krate::client::ClientBuilder::new(#sdk)
            }

            /// The engine behind this client: resolved names, limits and the SDK client.
            #vis fn invoker(&self) -> &#krate::__private::Invoker {
                &self.invoker
            }

            #(#with_methods)*
        }
    };
    let contract_only = quote! {
        #[doc = #contract_doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #vis enum #client {}
    };
    with_client(krate, full, contract_only)
}

/// The trait's impl for the client (none without lambda-remote's `client` feature).
pub(crate) fn trait_impl(contract: &Contract) -> TokenStream {
    let Contract {
        krate,
        client,
        item,
        methods,
        ..
    } = contract;
    let trait_ident = &item.ident;
    let trait_methods = methods
        .iter()
        .enumerate()
        .map(|(index, method)| trait_method(krate, index, method));
    let trait_impl = quote! {
        impl #trait_ident for #client {
            #(#trait_methods)*
        }
    };
    with_client(krate, trait_impl, TokenStream::new())
}

/// `<method>_with`: the call with per-call options, returning the response metadata too.
///
/// Its success and error types are type parameters bound by a `where` clause on the method's
/// return type (`R: MethodOutput<Ok = Success, Err = Failure>`), which callers infer. A
/// mistake in the return type is then no error in this method (the clause mentions its own
/// parameters, and a `for<'r>` binder keeps rustc from checking its `R: MethodOutput` part
/// where it is written): the trait method reports it, once.
fn with_method(contract: &Contract, index: usize, method: &Method) -> TokenStream {
    let Contract {
        krate, vis, item, ..
    } = contract;
    let trait_name = item.ident.to_string();
    let cfgs = &method.cfgs;
    let docs = &method.docs;
    let with_ident = method.with_ident();
    let output = &at_first_token(&method.output);
    let args = method.args.iter().map(|arg| {
        let (ident, ty) = (&arg.ident, &arg.ty);
        quote!(#ident: #ty)
    });
    let lifetime = fresh_lifetime(&method.sig.generics, "client");
    let success = fresh_type_param(method, "Success");
    let failure = fresh_type_param(method, "Failure");
    let mut generics = method.sig.generics.clone();
    generics
        .params
        .push(syn::GenericParam::Lifetime(syn::LifetimeParam::new(
            lifetime.clone(),
        )));
    generics.params.push(syn::parse_quote!(#success));
    generics.params.push(syn::parse_quote!(#failure));
    let options = doc_param("options");
    let payload_ident = private_binding("payload");
    let payload = payload(krate, method);
    let see = format!(
        "Like [`{trait_name}::{}`], with per-call options, returning the response metadata too. \
         `{success}` and `{failure}` are the success and error types of its `Result`.",
        method.ident
    );
    let (name, name_arg) = derived_binding(krate, method);
    let first = first_and_last_span(output).0;
    let call = entry_point(krate, method, output);
    let call_args = parenthesized(
        quote! {
            &self.invoker, #index, ::core::option::Option::Some(#options), #name_arg,
            #payload_ident, ::core::convert::identity
        },
        first,
    );
    // A clause that names no parameter is checked where it is written; this one's
    // `R: MethodOutput` part names none, and `for<'r>` keeps rustc from checking it here.
    let output_bound = quote!(#krate::__private::MethodOutput<Ok = #success, Err = #failure>);
    let binder = fresh_lifetime(&generics, "r");
    // The future holds the function pointer that finishes the result (identity here), whose
    // type names both: they outlive the future as the client does.
    let success_bound = if method.is_streaming() {
        quote! {
            #success: #krate::stream::StreamOutput<Function = <#failure as #krate::error::ClientError>::Function> + #lifetime,
            #failure: #krate::error::ClientError + #lifetime,
        }
    } else {
        quote! {
            #success: #krate::__private::serde::de::DeserializeOwned + #lifetime,
            #failure: #krate::error::ClientError + #lifetime,
        }
    };
    quote! {
        #(#cfgs)*
        #(#docs)*
        ///
        #[doc = #see]
        #[inline(always)]
        #vis fn #with_ident #generics (
            &#lifetime self,
            #options: &#lifetime #krate::CallOptions,
            #(#args),*
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<#krate::client::Invoked<#success>, #failure>,
        > + #lifetime
        where
            for<#binder> #output: #output_bound,
            #success_bound
        {
            #name
            let #payload_ident = #payload;
            #call #call_args
        }
    }
}

/// `Invoker::call::<Ty, Mode>`, the one entry point, for `ty` (spanned as `ty`): `Mode` is
/// `Streamed` for a streaming method, else `Whole`.
fn entry_point(krate: &syn::Path, method: &Method, ty: &impl ToTokens) -> TokenStream {
    let (first, last) = first_and_last_span(ty);
    let path = respan(&quote!(#krate::__private::Invoker::call), first);
    let mode = if method.is_streaming() {
        respan(&quote!(#krate::__private::Streamed), last)
    } else {
        respan(&quote!(#krate::__private::Whole), last)
    };
    let open = quote_spanned!(first=> ::<);
    let close = quote_spanned!(last=> >);
    let finished = quote_spanned!(last=> _);
    quote!(#path #open #ty, #mode, #finished #close)
}

/// The statement binding what a method derives from its arguments — its durable execution
/// name and its idempotency key, each rendered from the arguments as the served side renders
/// them ([`Attr::render`](super::model::Attr)) — and the argument the entry point takes for
/// it (`Derived::default()` when the method derives neither).
fn derived_binding(krate: &syn::Path, method: &Method) -> (TokenStream, TokenStream) {
    let derived_ident = private_binding("derived");
    let rendered = |template: &Option<crate::attr::Attr<super::model::NameTemplate>>| match template
        .as_ref()
        .and_then(|t| t.render(&method.args))
    {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    if method.durable_name.is_none() && method.idempotency_key.is_none() {
        return (
            TokenStream::new(),
            quote!(<#krate::__private::Derived as ::core::default::Default>::default()),
        );
    }
    let (name, key) = (
        rendered(&method.durable_name),
        rendered(&method.idempotency_key),
    );
    (
        quote!(let #derived_ident = #krate::__private::Derived::new(#name, #key);),
        quote!(#derived_ident),
    )
}

/// The trait method: checks the return type (see [`checks`]), serializes the arguments and
/// returns the future of the one entry point, `Invoker::call` (with no options), which turns
/// its result into the return type with a function pointer: no `async` block, so no state
/// machine of its own per method, no combinator around the call's future (which would copy it,
/// several KB, when first polled), and every method of a return type returns the same future
/// type.
///
/// rustc checks the bounds of the invoker's future again wherever it meets it in code of its
/// own (where it checks the returned `impl Future + Send`), at spans of its own: a mistake in
/// the return type would be reported two or three times. So a whole result is called for
/// `Result<<Ok as Decode>::Type, Err>`, where `Decode` holds only for deserializable types, and
/// converted back with `Decode::into_inner` (which does not tie the two types together). When
/// the return type is no `MethodOutput`, or its success type does not deserialize, those
/// projections fail where the checks already reported the mistake (rustc does not show an error
/// implied by an earlier one at the same place), and the types of the call become errors, which
/// rustc reports nowhere else. When the return type is right, `<Ok as Decode>::Type` is `Ok`.
fn trait_method(krate: &syn::Path, index: usize, method: &Method) -> TokenStream {
    let cfgs = &method.cfgs;
    let sig = future_signature(method);
    let output = &at_first_token(&method.output);
    let first = first_and_last_span(output).0;
    let checks = checks(krate, method);
    let unit_check = unit_check(krate, method);
    let payload_ident = private_binding("payload");
    let result = private_binding("result");
    let value = private_binding("value");
    let error = private_binding("error");
    let payload = payload(krate, method);
    let (name, name_arg) = derived_binding(krate, method);
    // A stream is called for the return type itself; a whole result for
    // `Result<<Ok as Decode>::Type, Err>` (see above), converted back.
    let (called, success) = if method.is_streaming() {
        (output.clone(), quote!(#value.output))
    } else {
        let decode = respan(&quote!(#krate::__private::Decode), first);
        let ok = qualified(output, &quote!(#krate::__private::MethodOutput), "Ok");
        let err = qualified(output, &quote!(#krate::__private::MethodOutput), "Err");
        let decoded = qualified(&ok, &quote!(#decode), "Type");
        let into_inner = qualified(&ok, &quote!(#decode), "into_inner");
        let into_inner_args = parenthesized(quote!(#value.output), first);
        (
            respan(&quote!(::core::result::Result<#decoded, #err>), first),
            quote!(#into_inner #into_inner_args),
        )
    };
    let call = entry_point(krate, method, &called);
    let from_result = qualified(
        output,
        &quote!(#krate::__private::MethodOutput),
        "from_result",
    );
    let from_result_args = parenthesized(
        quote! {
            match #result {
                ::core::result::Result::Ok(#value) => ::core::result::Result::Ok(#success),
                ::core::result::Result::Err(#error) => ::core::result::Result::Err(#error),
            }
        },
        first,
    );
    // The closure at the return type, where the checks report a mistake in it: rustc then
    // does not report what the closure's types imply a second time.
    let result_at = Ident::new(&result.to_string(), Span::mixed_site().located_at(first));
    let finish = quote_spanned! {first=>
        |#result_at| {
            let #result = #result_at;
            #from_result #from_result_args
        }
    };
    let call_args = parenthesized(
        quote! {
            &self.invoker, #index, ::core::option::Option::None, #name_arg, #payload_ident,
            #finish
        },
        first,
    );
    // The payload first, then the generated items in a block of their own: items are in scope
    // in their whole block, and must not shadow what the arguments' names and types refer to.
    // `#[inline(always)]`: the future is several KB, and a caller that cannot see where it is made
    // copies it whole (twice, into a temporary and into its own state) before its first poll;
    // inlined, only what the method stores in it (its arguments' payload) is written.
    quote! {
        #(#cfgs)*
        #[inline(always)]
        #sig {
            #name
            let #payload_ident = #payload;
            {
                #checks
                #unit_check
                #call #call_args
            }
        }
    }
}

/// A type parameter named `base` (or `base_`, … if the method's signature names that).
fn fresh_type_param(method: &Method, base: &str) -> Ident {
    let name = unused_name(base, &idents_in(&method.sig));
    Ident::new(&name, Span::call_site())
}

/// The type parameter of the generated check functions: a name no user type has.
fn checked_type_param() -> Ident {
    Ident::new("__LambdaRemoteChecked", Span::call_site())
}
