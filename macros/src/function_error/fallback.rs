//! What `#[derive(FunctionError)]` emits beside its errors: a `FunctionError` impl that maps no
//! error, so that the user's code that needs one (an `InvokeError<ChargeError>` in a contract)
//! adds no errors of its own: one mistake, one error. Its methods cannot panic, and are never
//! called, since the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::ErrorEnum;

/// The stub impl.
pub(crate) fn error_enum(model: &ErrorEnum) -> TokenStream {
    let ErrorEnum {
        ident,
        generics,
        krate,
        ..
    } = model;
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics #krate::FunctionError for #ident #type_generics #where_clause {
            fn from_error_object(
                _: &#krate::ErrorObject,
            ) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }

            fn error_type(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed("")
            }
        }
    }
}
