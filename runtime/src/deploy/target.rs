//! Where the functions are: partition, region, account and the names' stage prefix and suffix.

use lambda_remote_names::{FunctionName, QualifierKind, qualifier_kind};

use crate::contract::MethodContract;
use crate::deploy::claim_check::ClaimCheckLocation;
use crate::deploy::error::DeployError;

/// The account and region the functions are deployed in (partition `aws` unless set), and the
/// prefix and suffix of a stage around each function's name, as the client's
/// `ClientBuilder::function_prefix` puts them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Target {
    partition: String,
    region: String,
    account: String,
    prefix: String,
    suffix: String,
    claim_check: Option<ClaimCheckLocation>,
}

impl Target {
    /// Account `account` (12 digits) in region `region`, partition `aws`.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Self {
            partition: "aws".to_owned(),
            region: region.into(),
            account: account.into(),
            prefix: String::new(),
            suffix: String::new(),
            claim_check: None,
        }
    }

    /// Another partition (`aws-cn`, `aws-us-gov`, …).
    pub fn partition(mut self, partition: impl Into<String>) -> Self {
        self.partition = partition.into();
        self
    }

    /// The prefix of every function name (a stage, `prod-`).
    pub fn function_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The suffix of every function name.
    pub fn function_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = suffix.into();
        self
    }

    /// The callers put and read bodies through the claim check at `location`: the policy
    /// grants its S3 (and KMS) actions for the methods that may use it
    /// ([`ClaimCheckLocation`] says which).
    pub fn claim_check(mut self, location: ClaimCheckLocation) -> Self {
        self.claim_check = Some(location);
        self
    }

    /// The partition.
    pub(crate) fn partition_name(&self) -> &str {
        &self.partition
    }

    /// The claim check's location, if set.
    pub(crate) fn claim_check_location(&self) -> Option<&ClaimCheckLocation> {
        self.claim_check.as_ref()
    }

    /// The ARN `method` calls: its function's name with the prefix and suffix, in the ARN's own
    /// partition, region and account when the contract gives an ARN, else in the target's;
    /// qualified when the method calls a qualifier.
    pub(crate) fn arn(&self, method: &MethodContract) -> Result<String, DeployError> {
        let called = Called::of(method)?;
        let arn = format!(
            "arn:{}:lambda:{}:{}:function:{}{}{}{}",
            called.name.partition().unwrap_or(&self.partition),
            called.name.region().unwrap_or(&self.region),
            called.name.account().unwrap_or(&self.account),
            self.prefix,
            called.name.function(),
            self.suffix,
            called
                .qualifier
                .as_deref()
                .map(|q| format!(":{q}"))
                .unwrap_or_default(),
        );
        // Parsed back, the ARN is checked whole: partition, region, account, name, qualifier.
        FunctionName::parse(&arn).map_err(|source| DeployError::InvalidName {
            method: method.name.clone(),
            value: arn.clone(),
            source,
        })?;
        Ok(arn)
    }
}

/// The function and qualifier a method calls, as its contract writes them.
pub(crate) struct Called {
    /// The function, as written (name, partial or full ARN).
    pub(crate) name: FunctionName,
    /// The qualifier, from the name or the method's own.
    pub(crate) qualifier: Option<String>,
    /// What the qualifier is.
    pub(crate) kind: Option<QualifierKind>,
}

impl Called {
    pub(crate) fn of(method: &MethodContract) -> Result<Self, DeployError> {
        let invalid = |value: &str, source| DeployError::InvalidName {
            method: method.name.clone(),
            value: value.to_owned(),
            source,
        };
        let name =
            FunctionName::parse(&method.function).map_err(|e| invalid(&method.function, e))?;
        let qualifier =
            lambda_remote_names::effective_qualifier(&name, method.qualifier.as_deref())
                .map_err(|e| invalid(&method.function, e))?
                .map(str::to_owned);
        let kind = match &qualifier {
            Some(q) => Some(qualifier_kind(q).map_err(|e| invalid(q, e))?),
            None => None,
        };
        Ok(Self {
            name,
            qualifier,
            kind,
        })
    }
}
