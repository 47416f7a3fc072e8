//! From the model of a function error enum to its `FunctionError` impl.
//!
//! The payload of a newtype variant is always named as `<T as ErrorPayload>` at the span of
//! `T`, so that a type that is no `ErrorPayload` is reported once, at the field's type.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Ident;

use super::parse::{ErrorEnum, Shape, Variant};

/// A local name of the generated code, invisible to the user's code.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `<T as ErrorPayload>::method`, spanned at `T`.
fn payload_fn(krate: &syn::Path, ty: &syn::Type, method: &str) -> TokenStream {
    let method = Ident::new(method, ty.span());
    quote_spanned!(ty.span()=> <#ty as #krate::ErrorPayload>::#method)
}

pub(crate) fn function_error(model: &ErrorEnum) -> TokenStream {
    let ErrorEnum {
        ident,
        krate,
        variants,
    } = model;
    let serde_crate = format!(
        "{}::__private::serde",
        quote!(#krate).to_string().replace(' ', "")
    );
    let object = local("object");
    let payload = local("payload");
    let kept = local("kept");
    let mapped = variants.iter().filter(|v| !v.other).map(|v| {
        let error_type = &v.error_type;
        let build = build_variant(krate, &serde_crate, &object, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let renamed_other = variants.iter().filter(|v| v.other).map(|v| {
        let error_type = &v.error_type;
        let build = build_variant(krate, &serde_crate, &object, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let fallback = match variants.iter().find(|v| v.other) {
        Some(v) => build_variant(krate, &serde_crate, &object, v),
        None => quote!(::core::option::Option::None),
    };
    let types = variants.iter().map(|v| {
        let variant = &v.ident;
        let error_type = &v.error_type;
        match (&v.shape, v.other) {
            (Shape::Newtype(ty), true) => {
                let error_type_of = payload_fn(krate, ty, "error_type");
                quote! {
                    Self::#variant(#payload) => match #error_type_of(#payload) {
                        ::core::option::Option::Some(#kept) => ::std::borrow::Cow::Owned(::std::string::ToString::to_string(#kept)),
                        ::core::option::Option::None => ::std::borrow::Cow::Borrowed(#error_type),
                    },
                }
            }
            _ => quote!(Self::#variant { .. } => ::std::borrow::Cow::Borrowed(#error_type),),
        }
    });
    let messages = variants.iter().filter_map(|v| {
        let variant = &v.ident;
        match &v.shape {
            Shape::Newtype(ty) => {
                let message = payload_fn(krate, ty, "message");
                Some(quote! {
                    Self::#variant(#payload) => #message(#payload),
                })
            }
            _ => None,
        }
    });
    let fields = variants.iter().filter_map(|v| {
        let variant = &v.ident;
        match &v.shape {
            Shape::Unit => None,
            Shape::Newtype(ty) => {
                let fields = payload_fn(krate, ty, "fields");
                Some(quote! {
                    Self::#variant(#payload) => #fields(#payload),
                })
            }
            Shape::Struct(fields) => {
                let names: Vec<_> = fields.iter().map(|f| &f.ident).collect();
                let decls = fields.iter().map(|f| {
                    let (name, ty) = (&f.ident, &f.ty);
                    let attrs = f.attrs.iter().filter(|a| a.path().is_ident("serde"));
                    quote!(#(#attrs)* #name: &'__lambda_remote #ty)
                });
                Some(quote! {
                    Self::#variant { #(#names),* } => {
                        #[derive(#krate::__private::serde::Serialize)]
                        #[serde(crate = #serde_crate)]
                        struct __LambdaRemoteFields<'__lambda_remote> { #(#decls),* }
                        #krate::__private::fields_of(&__LambdaRemoteFields { #(#names),* })
                    }
                })
            }
        }
    });
    quote! {
        impl #krate::FunctionError for #ident {
            fn from_error_object(
                #object: &#krate::ErrorObject,
            ) -> ::core::option::Option<Self> {
                match #object.error_type() {
                    #(#mapped)*
                    #(#renamed_other)*
                    _ => #fallback,
                }
            }

            fn error_type(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#types)*
                }
            }

            fn error_message(&self) -> ::core::option::Option<::std::string::String> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#messages)*
                    _ => ::core::option::Option::None,
                }
            }

            fn error_fields(&self) -> #krate::__private::serde_json::Map<::std::string::String, #krate::__private::serde_json::Value> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#fields)*
                    _ => #krate::__private::serde_json::Map::new(),
                }
            }
        }
    }
}

/// The expression building `variant` from `object`, an `Option<Self>`.
fn build_variant(krate: &syn::Path, serde_crate: &str, object: &Ident, v: &Variant) -> TokenStream {
    let variant = &v.ident;
    match &v.shape {
        Shape::Unit => quote!(::core::option::Option::Some(Self::#variant)),
        Shape::Newtype(ty) => {
            let from_error_object = payload_fn(krate, ty, "from_error_object");
            quote! {
                ::core::option::Option::map(#from_error_object(#object), Self::#variant)
            }
        }
        Shape::Struct(fields) => {
            let names: Vec<_> = fields.iter().map(|f| &f.ident).collect();
            let decls = fields.iter().map(|f| {
                let (name, ty) = (&f.ident, &f.ty);
                let attrs = f.attrs.iter().filter(|a| a.path().is_ident("serde"));
                quote!(#(#attrs)* #name: #ty)
            });
            let read = local("read");
            quote! {{
                #[derive(#krate::__private::serde::Deserialize)]
                #[serde(crate = #serde_crate)]
                struct __LambdaRemoteFields { #(#decls),* }
                ::core::option::Option::map(
                    ::core::result::Result::ok(#object.deserialize::<__LambdaRemoteFields>()),
                    |#read| Self::#variant { #(#names: #read.#names),* },
                )
            }}
        }
    }
}
