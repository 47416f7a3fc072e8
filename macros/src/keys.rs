//! The rules every attribute's keys follow, for both macros' checks: a key is one of the
//! attribute's, given once, and a string value is a string literal. Each error is recorded and
//! checking goes on with the next key, so that one compile shows every mistake in an attribute.

use proc_macro2::Span;
use syn::{Expr, ExprLit, Lit, LitStr, Path};

use crate::attr::{Attr, Entry, Value};
use crate::errors::Errors;

/// A key that may be given once: a second occurrence is an error.
pub(crate) struct UniqueKey<T> {
    key: &'static str,
    value: Option<Attr<T>>,
}

impl<T> UniqueKey<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, value: None }
    }

    /// Keeps `value`, given at `span` by the key `path`, unless the key was given before.
    pub(crate) fn set(&mut self, errors: &mut Errors, path: &Path, value: T, span: Span) {
        if self.value.is_some() {
            errors.spanned(path, format!("duplicate key `{}`: give it once", self.key));
        } else {
            self.value = Some(Attr::new(value, span));
        }
    }

    pub(crate) fn get(self) -> Option<Attr<T>> {
        self.value
    }
}

/// The string literal of `key = "…"`. Any other value is recorded as an error naming what was
/// expected.
pub(crate) fn string_value<'a>(
    errors: &mut Errors,
    entry: &'a Entry,
    key: &str,
    example: &str,
) -> Option<&'a LitStr> {
    let message = format!("`{key}` takes a string literal: write `{key} = \"{example}\"`");
    match &entry.value {
        Value::Expr(Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        })) => return Some(s),
        Value::Expr(other) => errors.spanned(other, message),
        Value::Bare | Value::List => errors.spanned(&entry.key, message),
    }
    None
}

/// Records the error for a key that is not one of `valid`.
pub(crate) fn unknown_key(errors: &mut Errors, entry: &Entry, valid: &[&str]) {
    let name = entry
        .key
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "this key".into());
    errors.spanned(
        &entry.key,
        format!("unknown key `{name}`; expected one of {}", quoted(valid)),
    );
}

/// The key of `valid` that an unknown `key` is a misspelling of, if it is close enough to one
/// (`fucntion`, `sever`, `renam`): one edit away for a key of up to four letters, two for a
/// longer one, a swap of two neighbours counting as one edit. An error that would only follow
/// from the misspelling (a `function` then missing) is not reported on top of it.
pub(crate) fn near_miss(key: &Path, valid: &[&'static str]) -> Option<&'static str> {
    let key = key.get_ident()?.to_string();
    valid
        .iter()
        .map(|known| (edit_distance(&key, known), *known))
        .filter(|(distance, known)| *distance <= if known.len() <= 4 { 1 } else { 2 })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// The optimal string alignment distance between `a` and `b`: insertions, deletions,
/// substitutions and swaps of two neighbours.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![(0..=b.len()).collect::<Vec<_>>()];
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (rows[i - 1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(row);
    }
    rows[a.len()][b.len()]
}

/// `a`, `b`, `c` — each value in backticks.
pub(crate) fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::near_miss;

    fn miss(key: &str, valid: &[&'static str]) -> Option<&'static str> {
        near_miss(&syn::parse_str(key).unwrap(), valid)
    }

    #[test]
    fn near_misses() {
        let keys = &["function", "qualifier", "timeout", "log"];
        assert_eq!(miss("fucntion", keys), Some("function"));
        assert_eq!(miss("functon", keys), Some("function"));
        assert_eq!(miss("timout", keys), Some("timeout"));
        assert_eq!(miss("lgo", keys), Some("log"));
        assert_eq!(miss("name", keys), None);
        assert_eq!(miss("retries", keys), None);
        assert_eq!(miss("lo", &["log"]), Some("log"));
        assert_eq!(miss("l", &["log"]), None);
        assert_eq!(miss("sever", &["client", "server"]), Some("server"));
        assert_eq!(miss("a::b", keys), None);
    }
}
