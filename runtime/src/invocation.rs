//! How a function is invoked: synchronously, as an event, or as a dry run.

use std::fmt;

/// How Lambda runs an invocation (`X-Amz-Invocation-Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum InvocationType {
    /// Synchronous: Lambda runs the function and answers with its result (status 200).
    #[default]
    RequestResponse,
    /// Asynchronous: Lambda queues the event and answers at once (status 202).
    Event,
    /// Lambda only checks the request and the caller's permission (status 204).
    DryRun,
}

impl InvocationType {
    /// The value sent in `X-Amz-Invocation-Type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RequestResponse => "RequestResponse",
            Self::Event => "Event",
            Self::DryRun => "DryRun",
        }
    }

    /// Reads the value of `X-Amz-Invocation-Type`; `None` for anything else.
    pub fn from_wire(value: &str) -> Option<Self> {
        [Self::RequestResponse, Self::Event, Self::DryRun]
            .into_iter()
            .find(|t| t.as_str() == value)
    }

    /// Whether the caller waits for the function's result.
    pub const fn is_synchronous(self) -> bool {
        matches!(self, Self::RequestResponse)
    }

    #[cfg(feature = "client")]
    pub(crate) fn to_sdk(self) -> aws_sdk_lambda::types::InvocationType {
        use aws_sdk_lambda::types::InvocationType as Sdk;
        match self {
            Self::RequestResponse => Sdk::RequestResponse,
            Self::Event => Sdk::Event,
            Self::DryRun => Sdk::DryRun,
        }
    }
}

impl fmt::Display for InvocationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
