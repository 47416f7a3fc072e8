//! The typed model of a `#[lambda_remote]` trait.

use std::time::Duration;

use lambda_remote_names::FunctionName;
use syn::{Attribute, Ident, Path, Type, Visibility};

use crate::attr::Attr;

/// The attribute on each method.
pub(crate) const METHOD_ATTR: &str = "lambda";

/// A parsed trait and what to generate for it.
pub(crate) struct Contract {
    /// The trait as written.
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
    /// The generated dyn-compatible companion trait's name (`Dyn<Trait>`), when `dyn_trait`
    /// was asked for.
    pub(crate) dyn_trait: Option<Ident>,
    /// `schema`: the description of the contract includes JSON Schemas.
    pub(crate) schema: bool,
}

/// One `async fn` of the trait. Each option keeps the span of its value, for the checks and
/// the renderers that point at it.
pub(crate) struct Method {
    pub(crate) ident: Ident,
    /// `#[cfg]`/`#[cfg_attr]` attributes, repeated on every generated item for this method.
    pub(crate) cfgs: Vec<Attribute>,
    /// Doc comments, repeated on the generated `_with` method.
    pub(crate) docs: Vec<Attribute>,
    pub(crate) sig: syn::Signature,
    pub(crate) args: Vec<Arg>,
    pub(crate) output: Type,
    /// `function = "…"`, when valid. Absent only where an error was reported: parsing reports a
    /// missing key, and a value that is no function name.
    pub(crate) function: Option<Attr<FunctionName>>,
    /// `qualifier = "…"`, when valid.
    pub(crate) qualifier: Option<Attr<String>>,
    /// `invocation = "…"`; `request_response` when not given.
    pub(crate) invocation: Option<Attr<Invocation>>,
    /// `log = "…"`.
    pub(crate) log: Option<Attr<Log>>,
    /// `timeout = "…"`.
    pub(crate) timeout: Option<Attr<Duration>>,
    /// `delivery = "…"`.
    pub(crate) delivery: Option<Attr<Delivery>>,
    /// `durable_execution_name = "…{arg}…"`.
    pub(crate) durable_name: Option<Attr<NameTemplate>>,
}

/// A durable execution name derived from the arguments: `"order-{order_id}"`.
pub(crate) struct NameTemplate {
    /// As written.
    pub(crate) text: String,
    pub(crate) parts: Vec<TemplatePart>,
}

/// A piece of a [`NameTemplate`].
pub(crate) enum TemplatePart {
    /// Text sent as written.
    Literal(String),
    /// `{name}`: the argument's `Display`.
    Argument(String),
}

impl NameTemplate {
    /// Splits `"order-{order_id}"` into its parts; an unbalanced brace or an empty `{}` is an
    /// error.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    parts.push(TemplatePart::Literal(rest.to_owned()));
                    rest = "";
                }
                Some(at) if rest[at..].starts_with('}') => {
                    return Err(format!(
                        "unmatched `}}` in durable execution name `{text}`: write `{{argument}}` to use an argument"
                    ))
                }
                Some(at) => {
                    if at > 0 {
                        parts.push(TemplatePart::Literal(rest[..at].to_owned()));
                    }
                    let Some(end) = rest[at..].find('}') else {
                        return Err(format!(
                            "unclosed `{{` in durable execution name `{text}`: write `{{argument}}` to use an argument"
                        ));
                    };
                    let name = rest[at + 1..at + end].trim();
                    if name.is_empty() {
                        return Err(format!(
                            "empty `{{}}` in durable execution name `{text}`: name an argument, e.g. `{{order_id}}`"
                        ));
                    }
                    parts.push(TemplatePart::Argument(name.to_owned()));
                    rest = &rest[at + end + 1..];
                }
            }
        }
        if parts.is_empty() {
            return Err(
                "a durable execution name cannot be empty: write e.g. `\"order-{order_id}\"`"
                    .to_owned(),
            );
        }
        Ok(Self {
            text: text.to_owned(),
            parts,
        })
    }
}

/// A named argument after the receiver.
pub(crate) struct Arg {
    /// Attributes written on the argument (none are supported; [`super::check`] reports them).
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
}

/// The log type named by `log = "…"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Log {
    Tail,
    None,
}

/// The invocation type named by `invocation = "…"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invocation {
    RequestResponse,
    Event,
    DryRun,
    /// `InvokeWithResponseStream`, synchronous.
    Stream,
}

impl Invocation {
    pub(crate) const SPELLINGS: &'static [&'static str] =
        &["request_response", "event", "dry_run", "stream"];

    pub(crate) fn from_str(value: &str) -> Option<Self> {
        match value {
            "request_response" | "RequestResponse" => Some(Self::RequestResponse),
            "event" | "Event" => Some(Self::Event),
            "dry_run" | "DryRun" => Some(Self::DryRun),
            "stream" => Some(Self::Stream),
            _ => None,
        }
    }

    /// How the attribute spells it.
    pub(crate) fn spelling(self) -> &'static str {
        match self {
            Self::RequestResponse => "request_response",
            Self::Event => "event",
            Self::DryRun => "dry_run",
            Self::Stream => "stream",
        }
    }

    /// The `InvocationType` variant sent (a stream is a synchronous call).
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::RequestResponse | Self::Stream => "RequestResponse",
            Self::Event => "Event",
            Self::DryRun => "DryRun",
        }
    }

    /// Whether the caller waits for the function's answer (a log tail is returned).
    pub(crate) fn is_synchronous(self) -> bool {
        matches!(self, Self::RequestResponse | Self::Stream)
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
    /// The invocation type: as given, or `request_response`.
    pub(crate) fn invocation_type(&self) -> Invocation {
        self.invocation
            .as_ref()
            .map_or(Invocation::RequestResponse, |attr| attr.value)
    }

    /// Whether the method streams its response (`invocation = "stream"`).
    pub(crate) fn is_streaming(&self) -> bool {
        self.invocation_type() == Invocation::Stream
    }

    /// The name of the generated `<method>_with` inherent method.
    pub(crate) fn with_ident(&self) -> Ident {
        use syn::ext::IdentExt;
        Ident::new(&format!("{}_with", self.ident.unraw()), self.ident.span())
    }
}
