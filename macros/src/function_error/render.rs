//! From the model of a function error enum to its `FunctionError` impl.
//!
//! The content of a newtype variant is always named as `<T as ErrorContent>` at the span of
//! `T`, so that a type that is no `ErrorContent` is reported once, at the field's type.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::model::{ErrorEnum, Shape, Variant};
use crate::tokens::{doc_param, idents_in, private_binding, respan, serde_crate_path, unused_name};

/// `<T as ErrorContent>::method`, spanned at `T`.
fn payload_fn(krate: &syn::Path, ty: &syn::Type, method: &str) -> TokenStream {
    let method = Ident::new(method, ty.span());
    quote_spanned!(ty.span()=> <#ty as #krate::error::ErrorContent>::#method)
}

pub(crate) fn function_error(model: &ErrorEnum) -> TokenStream {
    let ErrorEnum {
        ident,
        krate,
        variants,
        ..
    } = model;
    let serde_crate = serde_crate_path(krate);
    let object = doc_param("object");
    let mapped = variants.iter().filter(|v| !v.is_other()).map(|v| {
        let error_type = v.error_type();
        let build = build_variant(krate, &serde_crate, &object, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let renamed_other = variants.iter().filter(|v| v.is_other()).map(|v| {
        let error_type = v.error_type();
        let build = build_variant(krate, &serde_crate, &object, v);
        quote!(::core::option::Option::Some(#error_type) => #build,)
    });
    let fallback = match variants.iter().find(|v| v.is_other()) {
        Some(v) => build_variant(krate, &serde_crate, &object, v),
        None => quote!(::core::option::Option::None),
    };
    let types = variants.iter().map(|v| error_type_arm(krate, v));
    let messages = variants.iter().filter_map(|v| message_arm(krate, v));
    let fields_json = variants
        .iter()
        .filter_map(|v| fields_arm(krate, &serde_crate, v));
    // `match *self {}` for an enum without variants: a reference is never uninhabited.
    let error_type_body = if variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#types)* })
    };
    // The `errorType`s this enum maps by name, in declaration order: every variant's but a
    // catch-all's, which maps its own only when renamed.
    let error_types = variants
        .iter()
        .filter(|v| !v.is_other() || v.rename.is_some())
        .map(Variant::error_type);
    let catch_all = variants.iter().any(Variant::is_other);
    quote! {
        impl #krate::FunctionError for #ident {
            const ERROR_TYPES: &'static [&'static str] = &[#(#error_types),*];
            const CATCH_ALL: bool = #catch_all;

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
                #error_type_body
            }

            fn error_message(&self) -> ::core::option::Option<::std::string::String> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#messages)*
                    _ => ::core::option::Option::None,
                }
            }

            fn error_fields(&self) -> #krate::__private::serde_json::Map<::std::string::String, #krate::__private::serde_json::Value> {
                #krate::__private::fields_map(#krate::FunctionError::error_fields_json(self))
            }

            fn error_fields_json(&self) -> ::core::option::Option<::std::boxed::Box<#krate::__private::serde_json::value::RawValue>> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#fields_json)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}

/// The arm of `error_type` for a variant: its `errorType`, or for a catch-all that keeps the
/// error object, the original one.
fn error_type_arm(krate: &syn::Path, v: &Variant) -> TokenStream {
    let payload = private_binding("payload");
    let kept = private_binding("kept");
    let variant = &v.ident;
    let error_type = v.error_type();
    match (&v.shape, v.is_other()) {
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
}

/// The arm of `error_message` for a newtype variant: its payload's message.
fn message_arm(krate: &syn::Path, v: &Variant) -> Option<TokenStream> {
    let payload = private_binding("payload");
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
}

/// The arm of `error_fields_json` for a variant that keeps fields (`error_fields` reads what
/// it writes).
fn fields_arm(krate: &syn::Path, serde_crate: &str, v: &Variant) -> Option<TokenStream> {
    let payload = private_binding("payload");
    let variant = &v.ident;
    match &v.shape {
        Shape::Unit | Shape::Tuple(_) => None,
        Shape::Newtype(ty) => {
            let fields = payload_fn(krate, ty, "fields_json");
            Some(quote! {
                Self::#variant(#payload) => #fields(#payload),
            })
        }
        Shape::Struct(fields) => Some(serialize_fields(krate, serde_crate, variant, fields)),
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
        Shape::Struct(fields) => deserialize_fields(krate, serde_crate, object, variant, fields),
        // Reported by the check: a model with one is never rendered.
        Shape::Tuple(_) => quote!(::core::option::Option::None),
    }
}

/// The `serde` attributes of a field, and whether one of them names a function of the user's
/// for (de)serializing it (`with`, `deserialize_with`, `serialize_with`), which takes the field's
/// own type.
fn serde_attrs(field: &syn::Field) -> (Vec<&syn::Attribute>, bool) {
    let attrs: Vec<_> = field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .collect();
    let with = attrs.iter().any(|attr| {
        let mut with = false;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("with")
                || meta.path.is_ident("deserialize_with")
                || meta.path.is_ident("serialize_with")
            {
                with = true;
            }
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                content.parse::<TokenStream>()?;
            }
            Ok(())
        });
        with
    });
    (attrs, with)
}

/// The name of the struct a struct variant's fields are (de)serialized through: the variant's,
/// as rustc names it in an error ("required for `OverLimit<Limit>` to implement
/// `Deserialize<'de>`"), unless a field's type names it too.
fn fields_struct_name(variant: &Ident, fields: &[syn::Field]) -> Ident {
    let taken: Vec<String> = fields
        .iter()
        .flat_map(|field| idents_in(&field.ty))
        .collect();
    Ident::new(
        &unused_name(&variant.unraw().to_string(), &taken),
        variant.span(),
    )
}

/// A type parameter per field, `__LambdaRemoteField0`, `__LambdaRemoteField1`, …, at the
/// variant's name: a field with a `with` function keeps its own type, which must not name one
/// of them.
fn field_params(variant: &Ident, fields: &[syn::Field]) -> Vec<Ident> {
    (0..fields.len())
        .map(|i| Ident::new(&format!("__LambdaRemoteField{i}"), variant.span()))
        .collect()
}

/// The expression building a struct variant from `object`, an `Option<Self>`.
///
/// The fields are read through a struct generic over their types, derived with serde (so that
/// the fields' `serde` attributes apply): serde's bounds are then on its impl, and a field type
/// that does not deserialize is reported once, where the struct is used, at the variant's name.
/// A field with a `with`/`deserialize_with` function keeps its own type.
fn deserialize_fields(
    krate: &syn::Path,
    serde_crate: &str,
    object: &Ident,
    variant: &Ident,
    fields: &[syn::Field],
) -> TokenStream {
    let name = fields_struct_name(variant, fields);
    let params = field_params(variant, fields);
    let read = private_binding("read");
    let mut generics = Vec::new();
    let mut arguments = Vec::new();
    let decls = fields.iter().zip(&params).map(|(field, param)| {
        let (ident, ty) = (&field.ident, &field.ty);
        let (attrs, with) = serde_attrs(field);
        if with {
            quote!(#(#attrs)* #ident: #ty)
        } else {
            generics.push(param.clone());
            arguments.push(ty.clone());
            quote!(#(#attrs)* #ident: #param)
        }
    });
    let decls: Vec<_> = decls.collect();
    let names: Vec<_> = fields.iter().map(|f| &f.ident).collect();
    let at = variant.span();
    let instance = quote_spanned!(at=> #name<#(#arguments),*>);
    let derive = respan(
        &quote!(#[derive(#krate::__private::serde::Deserialize)]),
        at,
    );
    let deserialize = quote_spanned!(at=> #object.deserialize_details::<#instance>());
    quote! {{
        #derive
        #[serde(crate = #serde_crate)]
        struct #name<#(#generics),*> { #(#decls),* }
        ::core::option::Option::map(
            ::core::result::Result::ok(#deserialize),
            |#read| Self::#variant { #(#names: #read.#names),* },
        )
    }}
}

/// The arm of `error_fields_json` for a struct variant: its fields serialized straight into
/// JSON text (no `serde_json::Value`) through a struct generic over their types (see
/// [`deserialize_fields`]), holding references to them.
fn serialize_fields(
    krate: &syn::Path,
    serde_crate: &str,
    variant: &Ident,
    fields: &[syn::Field],
) -> TokenStream {
    let name = fields_struct_name(variant, fields);
    let params = field_params(variant, fields);
    let bindings: Vec<_> = (0..fields.len())
        .map(|i| private_binding(&format!("field{i}")))
        .collect();
    let idents: Vec<_> = fields.iter().map(|f| &f.ident).collect();
    let decls = fields.iter().zip(&params).map(|(field, param)| {
        let ident = &field.ident;
        let (attrs, _) = serde_attrs(field);
        quote!(#(#attrs)* #ident: #param)
    });
    let at = variant.span();
    let types = fields.iter().map(|f| {
        let ty = &f.ty;
        quote_spanned!(at=> &#ty)
    });
    let instance = quote_spanned!(at=> #name<#(#types),*>);
    let to_raw_value =
        quote_spanned!(at=> #krate::__private::serde_json::value::to_raw_value::<#instance>);
    let derive = respan(&quote!(#[derive(#krate::__private::serde::Serialize)]), at);
    quote! {
        Self::#variant { #(#idents: #bindings),* } => {
            #derive
            #[serde(crate = #serde_crate)]
            struct #name<#(#params),*> { #(#decls),* }
            ::core::result::Result::ok(#to_raw_value(&#name { #(#idents: #bindings),* }))
        }
    }
}
