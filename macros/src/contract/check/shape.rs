//! The shapes the generated code supports: the trait holds only methods and is not generic,
//! each method is `async fn name(&self, arg: Type, …) -> Result<…>;` without generics or a
//! default body, each argument bound to a plain name.

use syn::{FnArg, Pat, ReturnType, TraitItem};

use crate::errors::Errors;

/// The trait itself: no generics, `where` clause, `unsafe` or `auto`.
pub(super) fn trait_item(errors: &mut Errors, item: &syn::ItemTrait) {
    if !item.generics.params.is_empty() {
        errors.spanned(
            &item.generics,
            "a #[lambda_remote] trait cannot be generic: its client needs concrete types to (de)serialize; name the types in each method instead",
        );
    }
    if let Some(where_clause) = &item.generics.where_clause {
        errors.spanned(
            where_clause,
            "a #[lambda_remote] trait cannot have a `where` clause: remove it",
        );
    }
    if let Some(unsafety) = &item.unsafety {
        errors.spanned(
            unsafety,
            "a #[lambda_remote] trait cannot be `unsafe`: remove `unsafe`",
        );
    }
    if let Some(auto) = &item.auto_token {
        errors.spanned(
            auto,
            "a #[lambda_remote] trait cannot be an auto trait: remove `auto`",
        );
    }
}

/// An item of the trait other than a method.
pub(super) fn not_a_method(errors: &mut Errors, item: &TraitItem) {
    match item {
        TraitItem::Fn(_) => {}
        TraitItem::Type(ty) => errors.spanned(
            ty,
            "a #[lambda_remote] trait cannot have associated types: name the concrete type in each method",
        ),
        TraitItem::Const(constant) => errors.spanned(
            constant,
            "a #[lambda_remote] trait cannot have associated consts: move the constant out of the trait",
        ),
        other => errors.spanned(
            other,
            "a #[lambda_remote] trait holds only `async fn` methods: move this item out of the trait",
        ),
    }
}

/// A method's signature and body, then its receiver, arguments and return type.
pub(super) fn method(errors: &mut Errors, function: &syn::TraitItemFn) {
    let sig = &function.sig;
    qualifiers(errors, sig);
    generics(errors, &sig.generics);
    if let Some(body) = &function.default {
        errors.spanned(
            body,
            "a #[lambda_remote] method cannot have a default body: the generated client implements every method; end the declaration with `;`",
        );
    }
    receiver(errors, sig);
    for input in sig.inputs.iter().skip(1) {
        if let FnArg::Typed(typed) = input {
            argument_pattern(errors, &typed.pat);
        }
    }
    if let ReturnType::Default = sig.output {
        errors.spanned(
            sig,
            "a #[lambda_remote] method returns `Result<T, lambda_remote::InvokeError>`: add a return type, e.g. `-> Result<(), InvokeError>`",
        );
    }
}

/// `async`, and none of `const`, `unsafe`, `extern`, `...`.
fn qualifiers(errors: &mut Errors, sig: &syn::Signature) {
    if sig.asyncness.is_none() {
        errors.spanned(
            sig.fn_token,
            "methods of a #[lambda_remote] trait must be `async fn`: write `async fn` here",
        );
    }
    if let Some(constness) = &sig.constness {
        errors.spanned(
            constness,
            "a #[lambda_remote] method cannot be `const`: remove `const`",
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.spanned(
            unsafety,
            "a #[lambda_remote] method cannot be `unsafe`: remove `unsafe`",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(
            abi,
            "a #[lambda_remote] method cannot have an ABI: remove it",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "a #[lambda_remote] method cannot be variadic");
    }
}

/// Lifetimes only, and no `where` clause.
fn generics(errors: &mut Errors, generics: &syn::Generics) {
    for param in &generics.params {
        match param {
            syn::GenericParam::Lifetime(_) => {}
            syn::GenericParam::Type(_) => errors.spanned(
                param,
                "a #[lambda_remote] method cannot have type parameters: the payload is serialized from concrete types, so name the type of each argument",
            ),
            syn::GenericParam::Const(_) => errors.spanned(
                param,
                "a #[lambda_remote] method cannot have const parameters: use a concrete value in the argument types",
            ),
        }
    }
    if let Some(where_clause) = &generics.where_clause {
        errors.spanned(
            where_clause,
            "a #[lambda_remote] method cannot have a `where` clause: remove it",
        );
    }
}

/// `&self` first.
fn receiver(errors: &mut Errors, sig: &syn::Signature) {
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.colon_token.is_some() {
                errors.spanned(
                    receiver,
                    "a #[lambda_remote] method takes the client by shared reference: write `&self` here",
                );
            } else if receiver.reference.is_none() {
                errors.spanned(
                    receiver,
                    "take `&self`, not `self` by value: a client is shared; write `&self` here",
                );
            } else if let Some(mutability) = &receiver.mutability {
                errors.spanned(
                    mutability,
                    "take `&self`, not `&mut self`: a client is shared; remove `mut`",
                );
            }
        }
        Some(FnArg::Typed(first)) => errors.spanned(
            first,
            "a #[lambda_remote] method takes `&self` first: write `&self, ` before this argument",
        ),
        None => errors.at(
            sig.paren_token.span.join(),
            "a #[lambda_remote] method takes `&self` first: write `(&self)` here",
        ),
    }
}

/// An argument is bound to a plain name, which is its key in the payload.
fn argument_pattern(errors: &mut Errors, pat: &Pat) {
    const WHY: &str = "the name of each argument is its key in the JSON payload";
    match pat {
        Pat::Ident(pat) => {
            if let Some(by_ref) = &pat.by_ref {
                errors.spanned(
                    by_ref,
                    format!("remove `ref`: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
            }
            if let Some(mutability) = &pat.mutability {
                errors.spanned(
                    mutability,
                    format!("remove `mut`: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
            }
            if let Some((at, subpat)) = &pat.subpat {
                errors.spanned(
                    quote::quote!(#at #subpat),
                    format!("remove this pattern: arguments of a #[lambda_remote] method are plain names, as {WHY}"),
                );
            }
        }
        Pat::Wild(_) => errors.spanned(
            pat,
            format!("name this argument (e.g. `order: Order`): {WHY}"),
        ),
        _ => errors.spanned(
            pat,
            format!(
                "bind this argument to a plain name (e.g. `order: Order`) instead of a pattern: {WHY}"
            ),
        ),
    }
}
