//! Deploying a contract: the callers' least-privilege IAM policy and an AWS SAM template for
//! the functions that serve it, both written from the contract as data
//! ([`Contract`](crate::contract::Contract), `GeneratedClient::contract()`), as JSON.
//!
//! - [`caller_policy`] writes `lambda:InvokeFunction` (which also covers `InvokeWithResponseStream`)
//!   on exactly the functions and qualifiers the contract calls, one statement per method:
//!   the unqualified ARN for a method without a qualifier, `…:function:name:qualifier` for one
//!   with.
//! - [`SamTemplate`] writes one `AWS::Serverless::Function` per method, all from one binary (the
//!   served side picks its method, `LAMBDA_REMOTE_METHOD`) or one per method; the name prefix,
//!   account and region as template parameters; each function's timeout derived from the time
//!   its caller waits ([`function_timeout`]); `DurableConfig` for a method with a durable
//!   execution name, `TenancyConfig` for the methods said to be tenant-isolated, an alias
//!   (`AutoPublishAlias`) for a method that calls one.
//!
//! - [`ClaimCheckLocation`], given to the target ([`Target::claim_check`]) and to the template
//!   ([`SamTemplateBuilder::claim_check`]), adds the claim check's S3 (and KMS) statements to
//!   both, for the methods whose `claim_check` is not `"never"`, and its location to the
//!   functions' environment.
//!
//! Statements travel per method ([`Policy::push`], [`SamTemplateBuilder::function_statement`]),
//! so a capability that needs more (a bucket for claim checks, a table for idempotency) adds
//! its own beside the method's.
//!
//! ```
//! # use lambda_remote_runtime::contract::{Contract, MethodContract};
//! # use lambda_remote_runtime::__private::MethodSpec;
//! use lambda_remote_runtime::deploy::{SamTemplate, Target, caller_policy};
//! # let contract = Contract::new("Shop", vec![
//! #     MethodContract::from_spec(
//! #         &MethodSpec::new("order", "shop-order").timeout(std::time::Duration::from_secs(10)),
//! #         &[], false),
//! # ]);
//! // contract = ShopClient::contract()
//! let target = Target::new("123456789012", "eu-west-1").function_prefix("prod-");
//! let policy = caller_policy(&contract, &target)?;
//! assert_eq!(
//!     policy.statements()[0].resources(),
//!     ["arn:aws:lambda:eu-west-1:123456789012:function:prod-shop-order"]
//! );
//! let template = SamTemplate::builder(&contract)
//!     .code_uri("target/lambda/shop-function/")
//!     .build()?;
//! assert_eq!(template.to_json()["Resources"]["OrderFunction"]["Properties"]["Timeout"], 9);
//! # Ok::<(), lambda_remote_runtime::deploy::DeployError>(())
//! ```

mod claim_check;
mod error;
mod policy;
mod sam;
mod target;
mod timeout;

pub use claim_check::{
    CALLER_REQUEST_ACTIONS, CALLER_RESULT_ACTIONS, ClaimCheckLocation, FUNCTION_REQUEST_ACTIONS,
    FUNCTION_RESULT_ACTIONS, KMS_ACTIONS,
};
pub use error::DeployError;
pub use policy::{INVOKE_ACTION, Policy, Statement, caller_policy};
pub use sam::{Architecture, DURABLE_EXECUTION_ACTIONS, SamTemplate, SamTemplateBuilder};
pub use target::Target;
pub use timeout::{MAX_FUNCTION_TIMEOUT_SECS, TIMEOUT_MARGIN, function_timeout};

#[cfg(test)]
mod tests;
