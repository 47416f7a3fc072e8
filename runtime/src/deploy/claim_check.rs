//! The S3 and KMS permissions of the claim check, for the methods that may use it.

use serde_json::{Value, json};

use crate::claim_check::{
    ClaimCheckMode, DEFAULT_KEY_PREFIX, ENV_BUCKET, ENV_KEY_PREFIX, ENV_KMS_KEY_ID, ENV_SSE,
};
use crate::contract::MethodContract;
use crate::deploy::error::DeployError;

/// The S3 actions the caller needs on request objects: to put one (with its tag: a
/// `PutObject` that sets tags needs `s3:PutObjectTagging` too) and to delete it once the
/// call's outcome is final.
pub const CALLER_REQUEST_ACTIONS: [&str; 3] =
    ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"];
/// The S3 actions the caller needs on result objects: to read one back, then delete it.
pub const CALLER_RESULT_ACTIONS: [&str; 2] = ["s3:GetObject", "s3:DeleteObject"];
/// The S3 action the function needs on request objects: to read them.
pub const FUNCTION_REQUEST_ACTIONS: [&str; 1] = ["s3:GetObject"];
/// The S3 actions the function needs on result objects: to put one, with its tag.
pub const FUNCTION_RESULT_ACTIONS: [&str; 2] = ["s3:PutObject", "s3:PutObjectTagging"];
/// The KMS actions of both sides when objects are encrypted with a KMS key (`aws:kms`): a
/// data key to write an object, and decrypting one to read it.
pub const KMS_ACTIONS: [&str; 2] = ["kms:GenerateDataKey", "kms:Decrypt"];

/// Where the claim check keeps bodies, as the deployment needs it: the bucket, the key
/// prefix (the one both sides' `ClaimCheck` is built with) and, when objects are encrypted
/// with a KMS key, that key's ARN. The contract records only each method's setting
/// (`claim_check = "auto" | "always" | "never"`); the location is the deployment's.
///
/// Given to the callers' policy ([`Target::claim_check`](super::Target::claim_check)) and to
/// the template ([`SamTemplateBuilder::claim_check`](super::SamTemplateBuilder::claim_check)),
/// it grants exactly what each side does, only for the methods whose setting is not
/// `"never"`, on keys under the prefix (`<prefix>req/*`, `<prefix>res/*`, and the same under
/// `<prefix>tenant/*/` for tenant-isolated calls):
///
/// | side | request objects (`…req/*`) | result objects (`…res/*`, synchronous methods only) |
/// |---|---|---|
/// | caller | `s3:PutObject`, `s3:PutObjectTagging`, `s3:DeleteObject` | `s3:GetObject`, `s3:DeleteObject` |
/// | function | `s3:GetObject` | `s3:PutObject`, `s3:PutObjectTagging` |
///
/// and, with a KMS key, `kms:GenerateDataKey` and `kms:Decrypt` on that key for both.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct ClaimCheckLocation {
    bucket: String,
    prefix: String,
    kms_key_arn: Option<String>,
}

impl ClaimCheckLocation {
    /// Bodies in `bucket`, under [`DEFAULT_KEY_PREFIX`].
    pub fn new(bucket: impl Into<String>) -> Self {
        Self {
            bucket: bucket.into(),
            prefix: DEFAULT_KEY_PREFIX.to_owned(),
            kms_key_arn: None,
        }
    }

    /// The key prefix (as `ClaimCheckBuilder::key_prefix`).
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Objects are encrypted with this KMS key (`aws:kms`): its ARN
    /// (`arn:aws:kms:<region>:<account>:key/<id>`; IAM grants on keys, not on aliases).
    pub fn kms_key_arn(mut self, arn: impl Into<String>) -> Self {
        self.kms_key_arn = Some(arn.into());
        self
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Refuses what S3 or IAM would not take: a bucket name outside S3's rules, a prefix
    /// with an IAM wildcard (`*`, `?`) or a `$` (CloudFormation's `${…}`), a KMS key that is
    /// not a key ARN.
    pub(crate) fn check(&self) -> Result<(), DeployError> {
        let invalid = |what: &'static str, value: &str| DeployError::InvalidClaimCheck {
            what,
            value: value.to_owned(),
        };
        let b = self.bucket.as_bytes();
        let bucket_ok = (3..=63).contains(&b.len())
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b".-".contains(c))
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric();
        if !bucket_ok {
            return Err(invalid("an S3 bucket name", &self.bucket));
        }
        if self.prefix.contains(['*', '?', '$']) {
            return Err(invalid(
                "a key prefix without `*`, `?` or `$`",
                &self.prefix,
            ));
        }
        if let Some(arn) = &self.kms_key_arn {
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            let key_ok = parts.len() == 6
                && parts[0] == "arn"
                && parts[2] == "kms"
                && parts[5]
                    .strip_prefix("key/")
                    .is_some_and(|id| !id.is_empty());
            if !key_ok {
                return Err(invalid("a KMS key ARN (arn:…:kms:…:key/<id>)", arn));
            }
        }
        Ok(())
    }

    /// The object ARNs of `segment` (`req/` or `res/`), in partition `partition`.
    fn objects(&self, partition: &str, segment: &str) -> [String; 2] {
        let base = format!("arn:{partition}:s3:::{}/{}", self.bucket, self.prefix);
        [
            format!("{base}{segment}*"),
            format!("{base}tenant/*/{segment}*"),
        ]
    }

    /// The caller's statements for `methods`, in `partition`, as (sid, actions, resources)
    /// (none when every method says `never`).
    pub(crate) fn caller_statements<'a>(
        &self,
        partition: &str,
        methods: impl IntoIterator<Item = &'a MethodContract>,
    ) -> Vec<(&'static str, &'static [&'static str], Vec<String>)> {
        let (requests, results) = uses(methods);
        let mut statements = Vec::new();
        if requests {
            statements.push((
                "ClaimCheckRequests",
                &CALLER_REQUEST_ACTIONS[..],
                self.objects(partition, "req/").to_vec(),
            ));
        }
        if results {
            statements.push((
                "ClaimCheckResults",
                &CALLER_RESULT_ACTIONS[..],
                self.objects(partition, "res/").to_vec(),
            ));
        }
        if let (true, Some(key)) = (requests, &self.kms_key_arn) {
            statements.push(("ClaimCheckKms", &KMS_ACTIONS[..], vec![key.clone()]));
        }
        statements
    }

    /// The function's policy document for `method` in a SAM template (object ARNs in the
    /// stack's partition), or `None` when the method says `never`.
    pub(crate) fn function_policy(&self, method: &MethodContract) -> Option<Value> {
        let (requests, results) = uses([method]);
        if !requests {
            return None;
        }
        let sub = |segment: &str| -> Vec<Value> {
            self.objects("${AWS::Partition}", segment)
                .into_iter()
                .map(|arn| json!({"Fn::Sub": arn}))
                .collect()
        };
        let mut statements = vec![json!({
            "Sid": "ClaimCheckRequests",
            "Effect": "Allow",
            "Action": FUNCTION_REQUEST_ACTIONS,
            "Resource": sub("req/"),
        })];
        if results {
            statements.push(json!({
                "Sid": "ClaimCheckResults",
                "Effect": "Allow",
                "Action": FUNCTION_RESULT_ACTIONS,
                "Resource": sub("res/"),
            }));
        }
        if let Some(key) = &self.kms_key_arn {
            statements.push(json!({
                "Sid": "ClaimCheckKms",
                "Effect": "Allow",
                "Action": KMS_ACTIONS,
                "Resource": key,
            }));
        }
        Some(json!({"Version": "2012-10-17", "Statement": statements}))
    }

    /// The function's environment for `ClaimCheck::from_env`.
    pub(crate) fn environment(&self) -> Vec<(&'static str, String)> {
        let mut variables = vec![
            (ENV_BUCKET, self.bucket.clone()),
            (ENV_KEY_PREFIX, self.prefix.clone()),
        ];
        if let Some(key) = &self.kms_key_arn {
            variables.push((ENV_SSE, "aws:kms".to_owned()));
            variables.push((ENV_KMS_KEY_ID, key.clone()));
        }
        variables
    }
}

/// Whether `methods` may put requests in S3 (a setting other than `never`), and whether one
/// of them may get a result back through S3 (also synchronous, not streaming: a streamed
/// response needs no claim check, an `Event` has no result).
pub(crate) fn uses<'a>(methods: impl IntoIterator<Item = &'a MethodContract>) -> (bool, bool) {
    let (mut requests, mut results) = (false, false);
    for method in methods {
        if method.claim_check == ClaimCheckMode::Never {
            continue;
        }
        requests = true;
        results |= method.invocation.is_synchronous() && !method.streaming;
    }
    (requests, results)
}
