//! How often a call may reach its function: the delivery guarantee of a call, and what a
//! failure says about sending it again.

use std::fmt;

/// How a call is retried when it fails in a way that leaves open whether the function ran.
///
/// Once a synchronous request has been written, a reset connection, a cut-off response or an
/// expired attempt timeout says nothing about whether the function ran: it may have run, and
/// finished. Sending the request again can run it twice.
///
/// | mode | sent again on |
/// |---|---|
/// | [`AtMostOnce`](Self::AtMostOnce) (the default) | only failures that prove the function did not run: the connection could not be opened, throttling (429), the service errors Lambda raises before it runs the function |
/// | [`AtLeastOnce`](Self::AtLeastOnce) | every transient failure the SDK retries (timeouts, resets, cut-off responses, 5xx), as the AWS SDKs do by default; for idempotent functions |
///
/// In both modes a function error is never sent again (the function ran and failed), and a
/// failure that cannot go away (a configuration failure, a bad request) is never retried.
/// The number of attempts and the backoff are the SDK's `RetryConfig`.
///
/// Set it per client ([`ClientBuilder::delivery`](crate::ClientBuilder::delivery)), per method
/// (`#[lambda(delivery = "at_least_once")]`) or per call
/// ([`CallOptions::delivery`](crate::CallOptions::delivery)); the most specific wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Delivery {
    /// Sent again only when the failure proves the function did not run.
    #[default]
    AtMostOnce,
    /// Sent again on every transient failure: the function may run more than once.
    AtLeastOnce,
}

impl Delivery {
    /// How the `delivery` attribute spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AtMostOnce => "at_most_once",
            Self::AtLeastOnce => "at_least_once",
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a failure says about sending the same request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Redelivery {
    /// The function did not run and the same request may succeed later (the connection could
    /// not be opened, throttling, a passing platform state raised before the function runs):
    /// sending it again cannot run the function twice. Retried in both delivery modes.
    Safe,
    /// The same request may succeed later, but the function may already have run (a reset
    /// after the request was written, a cut-off response, an expired timeout, an internal
    /// error or a bare 5xx): sending it again may run it twice. Retried only
    /// [`AtLeastOnce`](Delivery::AtLeastOnce).
    IfIdempotent,
    /// Sending the same request again cannot help: the function ran and failed, or the
    /// request or the function's configuration is wrong. Never retried.
    Never,
}
