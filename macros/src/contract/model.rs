//! The typed model of a `#[lambda_remote]` trait.

use syn::{Attribute, Ident, LitStr, Path, Type, Visibility};

/// The attribute on each method.
pub(crate) const METHOD_ATTR: &str = "lambda";

/// A checked-to-parse trait and what to generate for it.
pub(crate) struct Contract {
    /// The trait as written, with `#[lambda]` attributes removed.
    pub(crate) item: syn::ItemTrait,
    /// The path to the `lambda-remote` crate, `::lambda_remote` by default.
    pub(crate) krate: Path,
    /// The generated client's name, `<Trait>Client` by default.
    pub(crate) client: Ident,
    /// The visibility of the trait, given to the client.
    pub(crate) vis: Visibility,
    /// The trait's methods in order.
    pub(crate) methods: Vec<Method>,
    /// The generated server's name (`<Trait>Server`), when `server` was asked for.
    pub(crate) server: Option<Ident>,
}

/// One `async fn` of the trait.
pub(crate) struct Method {
    pub(crate) ident: Ident,
    /// `#[cfg]`/`#[cfg_attr]` attributes, repeated on every generated item for this method.
    pub(crate) cfgs: Vec<Attribute>,
    /// Doc comments, repeated on the generated `_with` method.
    pub(crate) docs: Vec<Attribute>,
    pub(crate) sig: syn::Signature,
    pub(crate) args: Vec<Arg>,
    pub(crate) output: Type,
    /// The function name as written and parsed, when given and valid.
    pub(crate) function: Option<(LitStr, lambda_remote_names::FunctionName)>,
    /// Whether `function = …` was given at all (an invalid value is reported where it is).
    pub(crate) function_given: bool,
    /// The qualifier, when given and valid.
    pub(crate) qualifier: Option<LitStr>,
    pub(crate) invocation: Invocation,
    /// The `invocation = "…"` value, where one was given.
    pub(crate) invocation_literal: Option<LitStr>,
    pub(crate) log_tail: Option<LitStr>,
    pub(crate) timeout_ms: Option<u64>,
    /// The delivery guarantee named by `delivery = "…"`.
    pub(crate) delivery: Option<Delivery>,
}

/// A named argument after the receiver.
pub(crate) struct Arg {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
}

/// The invocation type named by `invocation = "…"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invocation {
    RequestResponse,
    Event,
    DryRun,
}

impl Invocation {
    pub(crate) const SPELLINGS: &'static [&'static str] = &["request_response", "event", "dry_run"];

    pub(crate) fn from_str(value: &str) -> Option<Self> {
        match value {
            "request_response" | "RequestResponse" => Some(Self::RequestResponse),
            "event" | "Event" => Some(Self::Event),
            "dry_run" | "DryRun" => Some(Self::DryRun),
            _ => None,
        }
    }

    /// How the attribute spells it.
    pub(crate) fn spelling(self) -> &'static str {
        match self {
            Self::RequestResponse => "request_response",
            Self::Event => "event",
            Self::DryRun => "dry_run",
        }
    }

    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::RequestResponse => "RequestResponse",
            Self::Event => "Event",
            Self::DryRun => "DryRun",
        }
    }
}

/// The delivery guarantee named by `delivery = "…"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    AtMostOnce,
    AtLeastOnce,
}

impl Delivery {
    pub(crate) const SPELLINGS: &'static [&'static str] = &["at_most_once", "at_least_once"];

    pub(crate) fn from_str(value: &str) -> Option<Self> {
        match value {
            "at_most_once" => Some(Self::AtMostOnce),
            "at_least_once" => Some(Self::AtLeastOnce),
            _ => None,
        }
    }

    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::AtMostOnce => "AtMostOnce",
            Self::AtLeastOnce => "AtLeastOnce",
        }
    }
}

impl Method {
    /// The name of the generated `<method>_with` inherent method.
    pub(crate) fn with_ident(&self) -> Ident {
        use syn::ext::IdentExt;
        Ident::new(&format!("{}_with", self.ident.unraw()), self.ident.span())
    }
}
