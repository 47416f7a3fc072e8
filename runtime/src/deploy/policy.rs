//! The callers' IAM policy.

use serde::Serialize;

use crate::contract::Contract;
use crate::deploy::error::DeployError;
use crate::deploy::target::Target;

/// The IAM action every method needs: `lambda:InvokeFunction`, which also allows
/// `InvokeWithResponseStream` (there is no action of that name).
pub const INVOKE_ACTION: &str = "lambda:InvokeFunction";

/// An IAM policy document (version `2012-10-17`), written as JSON with `serde_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Policy {
    #[serde(rename = "Version")]
    version: &'static str,
    #[serde(rename = "Statement")]
    statements: Vec<Statement>,
}

impl Policy {
    /// A policy of `statements`.
    pub fn new(statements: Vec<Statement>) -> Self {
        Self {
            version: "2012-10-17",
            statements,
        }
    }

    /// Its statements, in order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Adds a statement (a capability's own: a bucket, a table).
    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    /// The document as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// One `Allow` statement: actions on resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Statement {
    #[serde(rename = "Sid")]
    sid: String,
    #[serde(rename = "Effect")]
    effect: &'static str,
    #[serde(rename = "Action")]
    actions: Vec<String>,
    #[serde(rename = "Resource")]
    resources: Vec<String>,
}

impl Statement {
    /// Allows `actions` on `resources`; `sid` names the statement (letters and digits; other
    /// characters are dropped, as IAM takes only those).
    pub fn allow(
        sid: &str,
        actions: impl IntoIterator<Item = impl Into<String>>,
        resources: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            sid: sid.chars().filter(char::is_ascii_alphanumeric).collect(),
            effect: "Allow",
            actions: actions.into_iter().map(Into::into).collect(),
            resources: resources.into_iter().map(Into::into).collect(),
        }
    }

    /// The statement's id.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// Its actions.
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// Its resources.
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
}

/// The least-privilege policy of a caller of `contract`'s functions in `target`: per method one
/// statement `Invoke<Method>` allowing [`INVOKE_ACTION`] on exactly the ARN it calls —
/// unqualified when the method calls no qualifier (which does not allow invoking a version or
/// alias), `…:function:name:qualifier` when it does (which allows only that one). With
/// [`Target::claim_check`], the claim check's statements after them
/// ([`ClaimCheckLocation`](super::ClaimCheckLocation)).
pub fn caller_policy(contract: &Contract, target: &Target) -> Result<Policy, DeployError> {
    let statements = contract
        .methods
        .iter()
        .map(|method| {
            let arn = target.arn(method)?;
            Ok(Statement::allow(
                &format!("Invoke{}", upper_camel(&method.name)),
                [INVOKE_ACTION],
                [arn],
            ))
        })
        .collect::<Result<Vec<_>, DeployError>>()?;
    let mut policy = Policy::new(statements);
    if let Some(location) = target.claim_check_location() {
        location.check()?;
        let statements = location.caller_statements(target.partition_name(), &contract.methods);
        for (sid, actions, resources) in statements {
            policy.push(Statement::allow(sid, actions.iter().copied(), resources));
        }
    }
    Ok(policy)
}

/// `place_order` → `PlaceOrder`.
pub(crate) fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
