//! Whether a method's bodies may go through the claim check.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A method's `#[lambda(claim_check = "…")]`: whether its request and its result may travel
/// through S3 when the client (and, for results, the function) has a
/// [`ClaimCheck`](crate::claim_check) configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClaimCheckMode {
    /// Only a body over the threshold (by default the invocation type's limit: a call only
    /// offloads what would otherwise fail). A client without a claim check sends inline.
    #[default]
    Auto,
    /// Every request and every synchronous result, whatever its size (a body that should not
    /// pass through Lambda's payloads and logs). A call without a configured claim check is
    /// refused before anything is sent.
    Always,
    /// Never: a body over the limit fails as without a claim check, and a reference arriving
    /// for this method is refused.
    Never,
}

impl ClaimCheckMode {
    /// How the attribute spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Always => "always",
            Self::Never => "never",
        }
    }

    /// Whether this is the default, [`ClaimCheckMode::Auto`].
    pub const fn is_auto(&self) -> bool {
        matches!(self, Self::Auto)
    }
}

impl fmt::Display for ClaimCheckMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
