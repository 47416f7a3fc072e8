//! Reading `key = value` attribute arguments with precise errors.

use syn::meta::ParseNestedMeta;
use syn::{Expr, ExprLit, Lit, LitStr};

use crate::errors::Errors;

/// A value read once: a second occurrence of the key is an error.
pub(crate) struct Once<T> {
    key: &'static str,
    value: Option<T>,
}

impl<T> Once<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, value: None }
    }

    pub(crate) fn set(&mut self, errors: &mut Errors, meta: &ParseNestedMeta<'_>, value: T) {
        if self.value.is_some() {
            errors.spanned(&meta.path, format!("duplicate key `{}`", self.key));
        } else {
            self.value = Some(value);
        }
    }

    pub(crate) fn get(self) -> Option<T> {
        self.value
    }
}

/// Reads `= "string"` after a key; any other value is an error naming what was expected.
pub(crate) fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string literal, e.g. `{key} = \"…\"`"),
        )),
    }
}

/// The error for a key that is not one of `valid`; skips its value so parsing goes on.
pub(crate) fn unknown_key(meta: &ParseNestedMeta<'_>, valid: &[&str]) -> syn::Error {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value().and_then(|v| v.parse::<Expr>());
    }
    let name = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "this key".into());
    let list = valid
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    syn::Error::new_spanned(
        &meta.path,
        format!("unknown key `{name}`; expected one of {list}"),
    )
}
