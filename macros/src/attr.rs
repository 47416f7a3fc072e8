//! Reading `key = value` attribute arguments with precise errors.
//!
//! Errors in a value or an unknown key are recorded and parsing goes on with the next key, so
//! that one compile shows every mistake in an attribute.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Expr, ExprLit, Lit, LitStr};

use crate::errors::Errors;

/// A value read from an attribute, with the span of the tokens that gave it (the string
/// literal of `key = "…"`, or the key itself when it takes no value): what a later error about
/// the value points at.
#[derive(Clone)]
pub(crate) struct Attr<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

impl<T> Attr<T> {
    pub(crate) fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// A key that may be given once: a second occurrence is an error.
pub(crate) struct UniqueKey<T> {
    key: &'static str,
    value: Option<Attr<T>>,
}

impl<T> UniqueKey<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, value: None }
    }

    /// Keeps `value`, given at `span`, unless the key was given before.
    pub(crate) fn set(
        &mut self,
        errors: &mut Errors,
        meta: &ParseNestedMeta<'_>,
        value: T,
        span: Span,
    ) {
        if self.value.is_some() {
            errors.spanned(
                &meta.path,
                format!("duplicate key `{}`: give it once", self.key),
            );
        } else {
            self.value = Some(Attr::new(value, span));
        }
    }

    pub(crate) fn get(self) -> Option<Attr<T>> {
        self.value
    }
}

/// Reads `= "string"` after a key. Any other value is recorded as an error naming what was
/// expected, and `Ok(None)` lets parsing go on; `Err` only when the tokens cannot be read.
pub(crate) fn string_value(
    errors: &mut Errors,
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
) -> syn::Result<Option<LitStr>> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(Some(s)),
        other => {
            errors.spanned(
                other,
                format!("`{key}` takes a string literal: write `{key} = \"{example}\"`"),
            );
            Ok(None)
        }
    }
}

/// Records the error for a key that is not one of `valid` and skips its value, so that
/// parsing goes on.
pub(crate) fn unknown_key(
    errors: &mut Errors,
    meta: &ParseNestedMeta<'_>,
    valid: &[&str],
) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    let name = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "this key".into());
    errors.spanned(
        &meta.path,
        format!("unknown key `{name}`; expected one of {}", quoted(valid)),
    );
    Ok(())
}

/// `a`, `b`, `c` — each value in backticks.
pub(crate) fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
