//! Reading attribute arguments as written: `key`, `key = value` or `key(…)`, each with its
//! tokens, into [`Args`] for the model. Nothing here judges a key or a value: which keys exist
//! and what their values may be are the rules of each macro's `check` (with the shared ones in
//! [`crate::keys`]).

use proc_macro2::{Span, TokenStream};
use syn::{Expr, Path};

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

/// One argument of an attribute, as written.
pub(crate) struct Entry {
    pub(crate) key: Path,
    pub(crate) value: Value,
}

/// What follows an argument's key.
pub(crate) enum Value {
    /// Nothing: `key`.
    Bare,
    /// `key = value`.
    Expr(Expr),
    /// `key(…)` (what the parentheses hold is skipped: no key takes it).
    List,
}

/// The arguments of one attribute, in order: the entries that could be read, and the error of
/// the tokens after them that could not (reading stops there).
pub(crate) struct Args {
    pub(crate) entries: Vec<Entry>,
    pub(crate) unreadable: Option<syn::Error>,
}

impl Args {
    /// Reads `key = value, key, key(…), …`.
    pub(crate) fn read(tokens: TokenStream) -> Self {
        let mut entries = Vec::new();
        let parser = syn::meta::parser(|meta| {
            entries.push(entry(&meta)?);
            Ok(())
        });
        let unreadable = syn::parse::Parser::parse2(parser, tokens).err();
        Self {
            entries,
            unreadable,
        }
    }

    /// Reads the arguments of `#[name(…)]`.
    pub(crate) fn of(attr: &syn::Attribute) -> Self {
        let mut entries = Vec::new();
        let unreadable = attr
            .parse_nested_meta(|meta| {
                entries.push(entry(&meta)?);
                Ok(())
            })
            .err();
        Self {
            entries,
            unreadable,
        }
    }

    /// Whether an entry has this key.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|entry| entry.key.is_ident(key))
    }
}

fn entry(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Entry> {
    let value = if meta.input.peek(syn::Token![=]) {
        Value::Expr(meta.value()?.parse()?)
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
        Value::List
    } else {
        Value::Bare
    };
    Ok(Entry {
        key: meta.path.clone(),
        value,
    })
}
