//! Why a deployment could not be written.

use lambda_remote_names::NameError;

/// Why a policy or template could not be written from a contract.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DeployError {
    /// A function name, ARN, qualifier, account, region or partition is not one Lambda takes.
    #[error("`{method}`: `{value}` is not a Lambda function ARN")]
    InvalidName {
        /// The method (empty for the target itself).
        method: String,
        /// The ARN as it was put together.
        value: String,
        /// What is wrong with it.
        source: NameError,
    },
    /// A setting names a method the contract does not have.
    #[error("no method `{method}` in the contract `{contract}`")]
    UnknownMethod {
        /// The method named.
        method: String,
        /// The contract's trait.
        contract: String,
    },
    /// Two methods call the same function: one binary serves one method per function.
    #[error(
        "`{first}` and `{second}` both call the function `{function}`: give each method a function of its own"
    )]
    SameFunction {
        /// The function.
        function: String,
        /// The first method calling it.
        first: String,
        /// The second.
        second: String,
    },
    /// A durable function is invoked by a qualified ARN (a published version or an alias), and
    /// the method calls it unqualified or at `$LATEST`.
    #[error(
        "`{method}` has a durable execution name but calls its function unqualified or at \
         `$LATEST`: a durable function is invoked through a version or an alias; write \
         `qualifier = \"live\"` (an alias the template publishes)"
    )]
    DurableUnqualified {
        /// The method.
        method: String,
    },
    /// The method calls a version number, which a template cannot pin (versions are numbered
    /// as they are published).
    #[error(
        "`{method}` calls version `{qualifier}`, which a template cannot pin: call an alias \
         instead (the template publishes it with `AutoPublishAlias`)"
    )]
    VersionQualifier {
        /// The method.
        method: String,
        /// The version number.
        qualifier: String,
    },
    /// The claim check's location is not one S3 or IAM takes
    /// ([`ClaimCheckLocation`](super::ClaimCheckLocation)).
    #[error("the claim check's `{value}` is not {what}")]
    InvalidClaimCheck {
        /// What was expected.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// The caller waits too little for any function timeout to be shorter by the margin.
    #[error(
        "`{method}` waits {timeout_ms} ms: a function's timeout is whole seconds, at least 1, \
         and must end {margin_ms} ms before its caller stops waiting; give the method a \
         `timeout` of at least 2s"
    )]
    TimeoutTooShort {
        /// The method.
        method: String,
        /// What its caller waits.
        timeout_ms: u64,
        /// [`TIMEOUT_MARGIN`](super::TIMEOUT_MARGIN), in milliseconds.
        margin_ms: u64,
    },
}
