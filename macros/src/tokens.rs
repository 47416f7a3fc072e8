//! Helpers every renderer shares: names the generated code binds, spans, and paths. The
//! renderers of both macros take them from here and never from each other.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;

/// A parameter name the generated code binds and shows in the documentation (`options`,
/// `sdk`). Mixed-site, so it neither captures nor shadows the user's names.
pub(crate) fn doc_param(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// A name the generated code binds internally. Mixed-site, and prefixed too: a binding is
/// resolved against the constants and unit structs in scope, so a user's `const payload` would
/// otherwise turn it into a pattern.
pub(crate) fn private_binding(name: &str) -> Ident {
    Ident::new(&format!("__lambda_remote_{name}"), Span::mixed_site())
}

/// The spans of the first and last tokens of `tokens`: generated code that wraps a user's type
/// starts at the first and ends at the last, so rustc points at the whole type.
pub(crate) fn first_and_last_span(tokens: &impl ToTokens) -> (Span, Span) {
    let mut iter = tokens.to_token_stream().into_iter();
    let first = iter.next().map_or_else(Span::call_site, |t| t.span());
    let last = iter.last().map_or(first, |t| t.span());
    (first, last)
}

/// `tokens` with every span set to `span`.
pub(crate) fn respan(tokens: &impl ToTokens, span: Span) -> TokenStream {
    tokens
        .to_token_stream()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut respanned = Group::new(group.delimiter(), respan(&group.stream(), span));
                respanned.set_span(span);
                TokenTree::Group(respanned)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// Every identifier in `tokens`, nested groups included.
pub(crate) fn idents_in(tokens: &impl ToTokens) -> Vec<String> {
    fn collect(tokens: TokenStream, names: &mut Vec<String>) {
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => names.push(ident.to_string()),
                TokenTree::Group(group) => collect(group.stream(), names),
                _ => {}
            }
        }
    }
    let mut names = Vec::new();
    collect(tokens.to_token_stream(), &mut names);
    names
}

/// `base`, or `base_`, `base__`, …: the first that is not in `taken`.
pub(crate) fn unused_name(base: &str, taken: &[String]) -> String {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    name
}

/// The path to serde through the `lambda-remote` crate, as the string `#[serde(crate = "…")]`
/// takes.
pub(crate) fn serde_crate_path(krate: &syn::Path) -> String {
    format!(
        "{}::__private::serde",
        quote!(#krate).to_string().replace(' ', "")
    )
}

/// The `#[cfg]` side of a method's `cfgs`, for a statement or an expression: `#[cfg(…)]` as
/// written, and of each `#[cfg_attr(pred, …)]` only the `cfg`s it applies (`#[cfg_attr(pred,
/// doc = …)]` on a statement would be an unused doc comment).
pub(crate) fn cfgs_for_statements(attrs: &[syn::Attribute]) -> Vec<TokenStream> {
    use syn::punctuated::Punctuated;
    attrs
        .iter()
        .filter_map(|attr| {
            if attr.path().is_ident("cfg") {
                return Some(quote::quote!(#attr));
            }
            let metas = attr
                .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()?;
            let mut metas = metas.into_iter();
            let predicate = metas.next()?;
            let kept: Vec<syn::Meta> = metas
                .filter(|meta| meta.path().is_ident("cfg") || meta.path().is_ident("cfg_attr"))
                .collect();
            (!kept.is_empty()).then(|| quote::quote!(#[cfg_attr(#predicate, #(#kept),*)]))
        })
        .collect()
}

/// The success type `T` of a return type written `Result<T, E>` (or any `Alias<T, E>`).
pub(crate) fn written_success_type(output: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = output else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next(), types.next(), types.next()) {
        (Some(ok), Some(_), None) => Some(ok),
        _ => None,
    }
}

/// The return type as written, every token spanned at its first one.
///
/// The generated code names the return type in several places (the `_with` method's signature,
/// the checks, the calls), and rustc points at different parts of them: at the whole type, at a
/// path segment, at an `async` or `.await`. Spanned at one token, they all point at the same
/// place, so rustc shows each mistake once (identical errors are shown once, and an error
/// implied by an earlier one at the same place is not shown).
pub(crate) fn at_first_token(output: &syn::Type) -> TokenStream {
    respan(output, first_and_last_span(output).0)
}

/// `<Ty as Trait>::item`, spanning `ty` exactly (`Ty` keeps its own spans).
pub(crate) fn qualified(ty: &impl ToTokens, trait_path: &TokenStream, item: &str) -> TokenStream {
    let (first, last) = first_and_last_span(ty);
    qualified_at(ty, trait_path, item, (first, last))
}

/// `<Ty as Trait>::item`, from the `first` to the `last` span.
pub(crate) fn qualified_at(
    ty: &impl ToTokens,
    trait_path: &TokenStream,
    item: &str,
    (first, last): (Span, Span),
) -> TokenStream {
    let open = quote_spanned!(first=> <);
    let trait_path = respan(trait_path, last);
    let item = Ident::new(item, last);
    let rest = quote_spanned!(last=> as #trait_path>::#item);
    quote!(#open #ty #rest)
}

/// `ty` with every lifetime `'static`, to name it outside the method (in `contract()`).
pub(crate) fn static_lifetimes(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                if let Some(TokenTree::Ident(_)) = iter.peek() {
                    iter.next();
                    out.extend(quote_spanned!(p.span()=> 'static));
                } else {
                    out.extend([TokenTree::Punct(p)]);
                }
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), static_lifetimes(group.stream()));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// `path::<Ty>`, spanning `ty` exactly (`Ty` keeps its own spans).
pub(crate) fn turbofish(path: &TokenStream, ty: &impl ToTokens) -> TokenStream {
    let (first, last) = first_and_last_span(ty);
    let path = respan(path, first);
    let open = quote_spanned!(first=> ::<);
    let close = quote_spanned!(last=> >);
    quote!(#path #open #ty #close)
}

/// `on` where lambda-remote has its `client` feature, `off` where it has not: generated code
/// cannot test lambda-remote's features with `#[cfg]`, so `__private::with_client!` (a
/// `macro_rules!` defined per feature) chooses. Items, statements and impl items alike.
pub(crate) fn with_client(krate: &syn::Path, on: TokenStream, off: TokenStream) -> TokenStream {
    quote!(#krate::__private::with_client! { { #on } { #off } })
}
