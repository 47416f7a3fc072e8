//! From the model of a function error enum to its `FunctionError` impl.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::{ErrorEnum, Shape, Variant};

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
    let mapped = variants.iter().filter(|v| !v.other).map(|v| {
        let error_type = &v.error_type;
        let build = build_variant(krate, &serde_crate, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let renamed_other = variants.iter().filter(|v| v.other).map(|v| {
        let error_type = &v.error_type;
        let build = build_variant(krate, &serde_crate, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let fallback = match variants.iter().find(|v| v.other) {
        Some(v) => build_variant(krate, &serde_crate, v),
        None => quote!(::core::option::Option::None),
    };
    let types = variants.iter().map(|v| {
        let variant = &v.ident;
        let error_type = &v.error_type;
        match (&v.shape, v.other) {
            (Shape::Newtype(_), true) => quote! {
                Self::#variant(payload) => match #krate::ErrorPayload::error_type(payload) {
                    ::core::option::Option::Some(t) => ::std::borrow::Cow::Owned(::std::string::ToString::to_string(t)),
                    ::core::option::Option::None => ::std::borrow::Cow::Borrowed(#error_type),
                },
            },
            _ => quote!(Self::#variant { .. } => ::std::borrow::Cow::Borrowed(#error_type),),
        }
    });
    let messages = variants.iter().filter_map(|v| {
        let variant = &v.ident;
        match &v.shape {
            Shape::Newtype(_) => Some(quote! {
                Self::#variant(payload) => #krate::ErrorPayload::message(payload),
            }),
            _ => None,
        }
    });
    let fields = variants.iter().filter_map(|v| {
        let variant = &v.ident;
        match &v.shape {
            Shape::Unit => None,
            Shape::Newtype(_) => Some(quote! {
                Self::#variant(payload) => #krate::ErrorPayload::fields(payload),
            }),
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
                object: &#krate::ErrorObject,
            ) -> ::core::option::Option<Self> {
                match object.error_type() {
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
fn build_variant(krate: &syn::Path, serde_crate: &str, v: &Variant) -> TokenStream {
    let variant = &v.ident;
    match &v.shape {
        Shape::Unit => quote!(::core::option::Option::Some(Self::#variant)),
        Shape::Newtype(ty) => quote! {
            ::core::option::Option::map(
                <#ty as #krate::ErrorPayload>::from_error_object(object),
                Self::#variant,
            )
        },
        Shape::Struct(fields) => {
            let names: Vec<_> = fields.iter().map(|f| &f.ident).collect();
            let decls = fields.iter().map(|f| {
                let (name, ty) = (&f.ident, &f.ty);
                let attrs = f.attrs.iter().filter(|a| a.path().is_ident("serde"));
                quote!(#(#attrs)* #name: #ty)
            });
            quote! {{
                #[derive(#krate::__private::serde::Deserialize)]
                #[serde(crate = #serde_crate)]
                struct __LambdaRemoteFields { #(#decls),* }
                ::core::option::Option::map(
                    ::core::result::Result::ok(object.deserialize::<__LambdaRemoteFields>()),
                    |fields| Self::#variant { #(#names: fields.#names),* },
                )
            }}
        }
    }
}
