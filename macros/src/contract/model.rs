//! The typed model of a `#[lambda_remote]` trait.
//!
//! [`super::parse`] fills it with the trait as written and the arguments of its attributes
//! ([`Contract::args`], [`Method::attrs`]); [`super::check`] applies every rule and resolves
//! those arguments into the typed options (`client`, `function`, `timeout`, …), which the
//! renderers read. An option whose value broke a rule stays `None` (or its default), next to
//! the error that says so.

use std::time::Duration;

use lambda_remote_names::FunctionName;
use syn::{Attribute, Ident, Path, Type, Visibility};

use crate::attr::{Args, Attr};

/// The attribute on each method.
pub(crate) const METHOD_ATTR: &str = "lambda";

/// A parsed trait and what to generate for it.
pub(crate) struct Contract {
    /// The trait as written.
    pub(crate) item: syn::ItemTrait,
    /// The arguments of `#[lambda_remote(…)]`, as written.
    pub(crate) args: Args,
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
    /// The method's `#[lambda(…)]` attributes, as written, in order.
    pub(crate) attrs: Vec<MethodAttr>,
    /// The arguments bound to a name (`order: Order`, and for [`super::check`] to report,
    /// `mut order: Order`); an argument bound to another pattern is only in `sig`.
    pub(crate) args: Vec<Arg>,
    pub(crate) output: Type,
    /// `function = "…"`, when valid. Absent only where an error was reported: a missing key,
    /// or a value that is no function name.
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
    /// `idempotency_key = "…{arg}…"`.
    pub(crate) idempotency_key: Option<Attr<NameTemplate>>,
    /// `claim_check = "…"`.
    pub(crate) claim_check: Option<Attr<ClaimCheck>>,
}

/// One `#[lambda…]` attribute of a method, as written.
pub(crate) enum MethodAttr {
    /// `#[lambda(…)]`.
    Args(Args),
    /// `#[lambda]` or `#[lambda = …]`, which holds no options.
    NotAList(syn::Meta),
    /// An attribute whose name is a misspelling of `lambda` (`#[lamda(…)]`), and its arguments.
    Misspelt(syn::Path, Args),
}

/// A durable execution name or an idempotency key derived from the arguments:
/// `"order-{order_id}"`.
pub(crate) struct NameTemplate {
    /// As written.
    pub(crate) text: String,
    pub(crate) parts: Vec<TemplatePart>,
}

impl NameTemplate {
    /// The `format!` string of the template (`"order-{}"`) and the arguments it formats, in
    /// order; `None` when it names an argument `args` lacks (reported by the checks).
    pub(crate) fn format_args<'a>(&self, args: &'a [Arg]) -> Option<(String, Vec<&'a Ident>)> {
        use syn::ext::IdentExt;
        let mut format = String::new();
        let mut idents = Vec::new();
        for part in &self.parts {
            match part {
                TemplatePart::Literal(text) => format.push_str(text),
                TemplatePart::Argument(name) => {
                    format.push_str("{}");
                    idents.push(&args.iter().find(|a| a.ident.unraw() == name)?.ident);
                }
            }
        }
        Some((format, idents))
    }
}

impl Attr<NameTemplate> {
    /// The expression rendering the template from the arguments in scope, a `String`
    /// (`::std::format!("order-{}", &order_id)`), spanned at the template (an argument without
    /// `Display` is reported there); `None` as for [`NameTemplate::format_args`]. The one
    /// rendering of both sides: the client renders a key (or durable name) from the arguments
    /// it sends, the served method the same key from the arguments it decoded.
    pub(crate) fn render(&self, args: &[Arg]) -> Option<proc_macro2::TokenStream> {
        let (format, idents) = self.value.format_args(args)?;
        Some(quote::quote_spanned! {self.span=> ::std::format!(#format, #(&#idents),*)})
    }
}

/// A piece of a [`NameTemplate`].
pub(crate) enum TemplatePart {
    /// Text sent as written.
    Literal(String),
    /// `{name}`: the argument's `Display`.
    Argument(String),
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
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::AtMostOnce => "AtMostOnce",
            Self::AtLeastOnce => "AtLeastOnce",
        }
    }
}

/// Whether the method's bodies may go through an S3 claim check: `claim_check = "…"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimCheck {
    Auto,
    Always,
    Never,
}

impl ClaimCheck {
    /// The runtime's `ClaimCheckMode` variant.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::Auto => "Auto",
            Self::Always => "Always",
            Self::Never => "Never",
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
