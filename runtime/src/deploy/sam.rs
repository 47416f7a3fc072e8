//! The AWS SAM template of the functions serving a contract.

use std::collections::BTreeMap;
use std::time::Duration;

use lambda_remote_names::QualifierKind;
use serde_json::{Map, Value, json};

use crate::contract::{Contract, MethodContract};
use crate::deploy::claim_check::ClaimCheckLocation;
use crate::deploy::error::DeployError;
use crate::deploy::policy::{Statement, upper_camel};
use crate::deploy::target::Called;
use crate::deploy::timeout::{TIMEOUT_MARGIN, function_timeout};
use crate::invocation::InvocationType;

/// What a durable function's execution role needs (Lambda's "Security and permissions for
/// Lambda durable functions"): to checkpoint and read back its executions.
pub const DURABLE_EXECUTION_ACTIONS: [&str; 2] = [
    "lambda:CheckpointDurableExecution",
    "lambda:GetDurableExecutionState",
];

/// The processor the functions run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Architecture {
    /// `x86_64` (`cargo lambda build`'s default).
    #[default]
    X86_64,
    /// `arm64` (`cargo lambda build --arm64`).
    Arm64,
}

impl Architecture {
    fn as_str(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64",
            Self::Arm64 => "arm64",
        }
    }
}

/// An AWS SAM template (JSON) declaring one `AWS::Serverless::Function` per method of a
/// contract. Built by [`SamTemplate::builder`]; see [`SamTemplateBuilder`] for what each
/// function gets.
#[derive(Debug, Clone, PartialEq)]
pub struct SamTemplate {
    json: Value,
}

impl SamTemplate {
    /// A template for `contract`'s methods.
    pub fn builder(contract: &Contract) -> SamTemplateBuilder {
        SamTemplateBuilder {
            contract: contract.clone(),
            code_uri: "target/lambda/bootstrap/".to_owned(),
            method_code_uris: BTreeMap::new(),
            architecture: Architecture::default(),
            default_timeout: 3,
            tenant_isolated: Vec::new(),
            durable: BTreeMap::new(),
            statements: BTreeMap::new(),
            claim_check: None,
        }
    }

    /// The template as JSON (CloudFormation and SAM read JSON as they read YAML).
    pub fn to_json(&self) -> &Value {
        &self.json
    }
}

/// The settings of a [`SamTemplate`]. Each method's function:
///
/// - `FunctionName`: `${NamePrefix}` and the function's name as the contract writes it (an
///   ARN's name part), `NamePrefix` a template parameter (default empty);
/// - the code at [`code_uri`](Self::code_uri) (one binary serving every method, `bootstrap`,
///   runtime `provided.al2023`), or a method's own ([`method_code_uri`](Self::method_code_uri));
///   the environment variable `LAMBDA_REMOTE_METHOD` names the method it serves;
/// - `Timeout`: for a method whose caller waits (`RequestResponse`, streaming) and sets a
///   `timeout`, [`function_timeout`] of it — shorter than the caller's wait by
///   [`TIMEOUT_MARGIN`], whole seconds, at most 900; otherwise the
///   [`default_timeout`](Self::default_timeout) (3 s, Lambda's own);
/// - `AutoPublishAlias` when the method calls an alias, so the alias it calls exists;
/// - `DurableConfig` when the method has a durable execution name: `ExecutionTimeout` the
///   function's timeout unless [`durable`](Self::durable) sets it, and its retention; and a
///   statement allowing [`DURABLE_EXECUTION_ACTIONS`] on the function's versions
///   (`…:function:<name>:*`);
/// - `TenancyConfig` (`PER_TENANT`) for the methods named by
///   [`tenant_isolated`](Self::tenant_isolated): the contract does not say which functions are
///   (the tenant id is a per-call option);
/// - `LoggingConfig` `JSON`, so `AWS_LAMBDA_LOG_FORMAT` is `JSON` for `lambda_runtime`'s
///   subscriber;
/// - `Policies`: the statements given by [`function_statement`](Self::function_statement);
/// - with [`claim_check`](Self::claim_check), for a method whose `claim_check` is not
///   `"never"`: the claim check's S3 (and KMS) statements, and its location in the
///   environment `ClaimCheck::from_env` reads (bucket, prefix; `aws:kms` and the key).
///
/// A streaming method needs no setting: `InvokeWithResponseStream` is allowed on every
/// function (`InvokeMode` is for function URLs). The template's parameters `AccountId` and
/// `Region` are checked against the stack's own (a rule), so a stack is not created where the
/// callers' policy ([`caller_policy`](super::caller_policy)) does not point.
#[derive(Debug, Clone)]
#[must_use]
pub struct SamTemplateBuilder {
    contract: Contract,
    code_uri: String,
    method_code_uris: BTreeMap<String, String>,
    architecture: Architecture,
    default_timeout: u32,
    tenant_isolated: Vec<String>,
    /// Per method: (execution timeout, retention in days).
    durable: BTreeMap<String, (Option<u32>, Option<u32>)>,
    statements: BTreeMap<String, Vec<Statement>>,
    claim_check: Option<ClaimCheckLocation>,
}

impl SamTemplateBuilder {
    /// Where the one binary serving every method is (`cargo lambda build`'s output folder,
    /// `target/lambda/<crate>/`).
    pub fn code_uri(mut self, uri: impl Into<String>) -> Self {
        self.code_uri = uri.into();
        self
    }

    /// Where the binary serving `method` is, when it has one of its own.
    pub fn method_code_uri(mut self, method: impl Into<String>, uri: impl Into<String>) -> Self {
        self.method_code_uris.insert(method.into(), uri.into());
        self
    }

    /// The processor (x86_64 unless set).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// The timeout of a function whose caller sets none or does not wait (`Event`, `DryRun`):
    /// whole seconds, 1 to 900 (3 s unless set).
    pub fn default_timeout(mut self, timeout: Duration) -> Self {
        self.default_timeout = u32::try_from(timeout.as_secs())
            .unwrap_or(u32::MAX)
            .clamp(1, 900);
        self
    }

    /// `method`'s function is tenant-isolated (`TenancyConfig`, `PER_TENANT`): every call
    /// carries a tenant id.
    pub fn tenant_isolated(mut self, method: impl Into<String>) -> Self {
        self.tenant_isolated.push(method.into());
        self
    }

    /// `method`'s durable executions run at most `execution_timeout` (whole seconds) and are
    /// kept `retention_days` (1–90; Lambda's 14 when `None`) after they end.
    pub fn durable(
        mut self,
        method: impl Into<String>,
        execution_timeout: Duration,
        retention_days: Option<u32>,
    ) -> Self {
        let seconds = u32::try_from(execution_timeout.as_secs()).unwrap_or(u32::MAX);
        self.durable
            .insert(method.into(), (Some(seconds.max(1)), retention_days));
        self
    }

    /// The functions read requests and put results through the claim check at `location`
    /// ([`ClaimCheckLocation`] says what each gets).
    pub fn claim_check(mut self, location: ClaimCheckLocation) -> Self {
        self.claim_check = Some(location);
        self
    }

    /// Adds a statement to the role of `method`'s function.
    pub fn function_statement(mut self, method: impl Into<String>, statement: Statement) -> Self {
        self.statements
            .entry(method.into())
            .or_default()
            .push(statement);
        self
    }

    /// The template, or why it cannot be written.
    pub fn build(self) -> Result<SamTemplate, DeployError> {
        let contract = &self.contract;
        if let Some(location) = &self.claim_check {
            location.check()?;
        }
        let named = self
            .method_code_uris
            .keys()
            .chain(&self.tenant_isolated)
            .chain(self.durable.keys())
            .chain(self.statements.keys());
        for method in named {
            if contract.method(method).is_none() {
                return Err(DeployError::UnknownMethod {
                    method: method.clone(),
                    contract: contract.trait_name.clone(),
                });
            }
        }
        let mut functions: BTreeMap<String, String> = BTreeMap::new();
        let mut resources = Map::new();
        let mut outputs = Map::new();
        for method in &contract.methods {
            let called = Called::of(method)?;
            let bare = called.name.function().to_owned();
            if let Some(first) = functions.insert(bare.clone(), method.name.clone()) {
                return Err(DeployError::SameFunction {
                    function: bare,
                    first,
                    second: method.name.clone(),
                });
            }
            let logical = format!("{}Function", upper_camel(&method.name));
            resources.insert(logical.clone(), self.function(method, &called)?);
            outputs.insert(
                format!("{logical}Arn"),
                json!({
                    "Description": format!("The function `{}` calls (unqualified)", method.name),
                    "Value": {"Fn::GetAtt": [logical, "Arn"]},
                }),
            );
        }
        let json = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Transform": "AWS::Serverless-2016-10-31",
            "Description": format!("The Lambda functions serving the contract {}", contract.trait_name),
            "Parameters": {
                "NamePrefix": {
                    "Type": "String",
                    "Default": "",
                    "AllowedPattern": "[a-zA-Z0-9_-]*",
                    "Description": "The prefix of every function name (a stage, prod-), as the callers' function_prefix",
                },
                "AccountId": {
                    "Type": "String",
                    "AllowedPattern": "[0-9]{12}",
                    "Description": "The account the callers' policy names",
                },
                "Region": {
                    "Type": "String",
                    "Description": "The region the callers' policy names",
                },
            },
            "Rules": {
                "WhereTheCallersLook": {
                    "Assertions": [
                        {
                            "Assert": {"Fn::Equals": [{"Ref": "AccountId"}, {"Ref": "AWS::AccountId"}]},
                            "AssertDescription": "AccountId is the account the stack is deployed in",
                        },
                        {
                            "Assert": {"Fn::Equals": [{"Ref": "Region"}, {"Ref": "AWS::Region"}]},
                            "AssertDescription": "Region is the region the stack is deployed in",
                        },
                    ],
                },
            },
            "Resources": resources,
            "Outputs": outputs,
        });
        Ok(SamTemplate { json })
    }

    /// One method's `AWS::Serverless::Function`.
    fn function(&self, method: &MethodContract, called: &Called) -> Result<Value, DeployError> {
        let waits =
            matches!(method.invocation, InvocationType::RequestResponse) || method.streaming;
        let timeout = match method.timeout_ms.filter(|_| waits) {
            Some(ms) => function_timeout(Duration::from_millis(ms)).ok_or_else(|| {
                DeployError::TimeoutTooShort {
                    method: method.name.clone(),
                    timeout_ms: ms,
                    margin_ms: TIMEOUT_MARGIN.as_millis() as u64,
                }
            })?,
            None => self.default_timeout,
        };
        let code_uri = self
            .method_code_uris
            .get(&method.name)
            .unwrap_or(&self.code_uri);
        let mut properties = json!({
            "FunctionName": {"Fn::Sub": format!("${{NamePrefix}}{}", called.name.function())},
            "CodeUri": code_uri,
            "Handler": "bootstrap",
            "Runtime": "provided.al2023",
            "Architectures": [self.architecture.as_str()],
            "Timeout": timeout,
            "Environment": {"Variables": {"LAMBDA_REMOTE_METHOD": method.name}},
            "LoggingConfig": {"LogFormat": "JSON"},
        });
        let props = properties.as_object_mut().expect("an object");
        match (&called.qualifier, called.kind) {
            (Some(alias), Some(QualifierKind::Alias)) => {
                props.insert("AutoPublishAlias".into(), json!(alias));
            }
            (Some(version), Some(QualifierKind::Version)) => {
                return Err(DeployError::VersionQualifier {
                    method: method.name.clone(),
                    qualifier: version.clone(),
                });
            }
            _ => {}
        }
        if method.durable_execution_name.is_some() {
            if !matches!(
                called.kind,
                Some(QualifierKind::Alias | QualifierKind::LatestPublished)
            ) {
                return Err(DeployError::DurableUnqualified {
                    method: method.name.clone(),
                });
            }
            let (execution, retention) =
                self.durable.get(&method.name).copied().unwrap_or_default();
            let mut durable = json!({"ExecutionTimeout": execution.unwrap_or(timeout)});
            if let Some(days) = retention {
                durable["RetentionPeriodInDays"] = json!(days);
            }
            props.insert("DurableConfig".into(), durable);
        }
        let mut policies: Vec<Value> = Vec::new();
        if method.durable_execution_name.is_some() {
            // What Lambda's durable-functions guide gives a durable function's execution role,
            // on this function's versions only.
            policies.push(json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "DurableExecution",
                "Effect": "Allow",
                "Action": DURABLE_EXECUTION_ACTIONS,
                "Resource": {"Fn::Sub": format!(
                    "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{NamePrefix}}{}:*",
                    called.name.function()
                )},
            }]}));
        }
        if self.tenant_isolated.contains(&method.name) {
            props.insert(
                "TenancyConfig".into(),
                json!({"TenantIsolationMode": "PER_TENANT"}),
            );
        }
        if let Some(location) = &self.claim_check
            && let Some(policy) = location.function_policy(method)
        {
            policies.push(policy);
            let variables = &mut props["Environment"]["Variables"];
            for (name, value) in location.environment() {
                variables[name] = json!(value);
            }
        }
        if let Some(statements) = self.statements.get(&method.name) {
            policies.push(json!({"Version": "2012-10-17", "Statement": statements}));
        }
        if !policies.is_empty() {
            props.insert("Policies".into(), Value::Array(policies));
        }
        Ok(json!({"Type": "AWS::Serverless::Function", "Properties": properties}))
    }
}
