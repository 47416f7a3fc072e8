//! The `FunctionName` path label and the `Qualifier` query parameter: every form AWS accepts.

use super::errors::ServiceFault;

/// Region used in the ARNs the endpoint reports.
pub(crate) const REGION: &str = "us-east-1";
/// Account id used in the ARNs the endpoint reports.
pub(crate) const ACCOUNT_ID: &str = "123456789012";

const NAME_PATTERN: &str = r"(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:|(((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?))(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
const QUALIFIER_PATTERN: &str = r"\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

/// A function as a request names it: the bare name plus the qualifier, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FunctionRef {
    pub(crate) name: String,
    pub(crate) qualifier: Option<String>,
}

impl FunctionRef {
    /// Parses a name, `name:qualifier`, a full or partial ARN, and merges the `?Qualifier=`
    /// parameter, rejecting a disagreement the way AWS does.
    pub(crate) fn parse(
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Result<Self, ServiceFault> {
        let (name, derived) = split(function_name).ok_or_else(|| {
            validation_error(
                function_name,
                "functionName",
                &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
            )
        })?;
        if let Some(q) = qualifier {
            if !is_valid_qualifier(q) {
                return Err(validation_error(
                    q,
                    "qualifier",
                    &format!("Member must satisfy regular expression pattern: {QUALIFIER_PATTERN}"),
                ));
            }
        }
        let qualifier = match (derived, qualifier) {
            (Some(d), Some(q)) if d != q => {
                return Err(ServiceFault::invalid_parameter_value(
                    "The derived qualifier from the function name does not match the specified qualifier.",
                ))
            }
            (Some(d), _) => Some(d.to_owned()),
            (None, q) => q.map(str::to_owned),
        };
        Ok(Self {
            name: name.to_owned(),
            qualifier,
        })
    }
}

/// The ARN of a function (and qualifier) as the endpoint reports it.
pub(crate) fn function_arn(name: &str, qualifier: Option<&str>) -> String {
    let arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}");
    match qualifier {
        Some(q) => format!("{arn}:{q}"),
        None => arn,
    }
}

/// Whether `name` is a valid bare function name (1–64 of `[a-zA-Z0-9-_.]`).
pub(crate) fn is_valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Whether `qualifier` is a valid version or alias (1–128 characters).
pub(crate) fn is_valid_qualifier(qualifier: &str) -> bool {
    qualifier == "$LATEST.PUBLISHED"
        || ((1..=128).contains(&qualifier.len())
            && qualifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'$')))
}

/// The percent-decoded value of the first `key` in a raw query string.
pub(crate) fn query_param(query: Option<&str>, key: &str) -> Result<Option<String>, ServiceFault> {
    let undecodable = || ServiceFault::invalid_parameter_value("The query string is not valid.");
    for pair in query.unwrap_or_default().split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if percent_decode(k).ok_or_else(undecodable)? == key {
            return percent_decode(v).map(Some).ok_or_else(undecodable);
        }
    }
    Ok(None)
}

fn split(value: &str) -> Option<(&str, Option<&str>)> {
    if value.is_empty() || value.len() > 256 {
        return None;
    }
    let parts: Vec<&str> = value.split(':').collect();
    let mut rest = parts.as_slice();
    if let ["arn", partition, "lambda", region, account, tail @ ..] = rest {
        let partition_ok = *partition == "aws" || partition.starts_with("aws-");
        if !(partition_ok && is_region(region) && is_account(account)) {
            return None;
        }
        rest = tail;
    } else {
        if let [region, tail @ ..] = rest {
            if !tail.is_empty() && is_region(region) {
                rest = tail;
            }
        }
        if let [account, tail @ ..] = rest {
            if !tail.is_empty() && is_account(account) {
                rest = tail;
            }
        }
    }
    if let ["function", tail @ ..] = rest {
        if !tail.is_empty() {
            rest = tail;
        }
    }
    match rest {
        [name] if is_valid_name(name) => Some((name, None)),
        [name, qualifier] if is_valid_name(name) && is_valid_qualifier(qualifier) => {
            Some((name, Some(qualifier)))
        }
        _ => None,
    }
}

fn is_region(value: &str) -> bool {
    let segments: Vec<&str> = value.split('-').collect();
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    match segments.as_slice() {
        [first, middle @ .., last] => {
            lower(first)
                && !middle.is_empty()
                && middle.iter().all(|s| lower(s))
                && last.len() == 1
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_account(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

fn percent_decode(value: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let [first, tail @ ..] = rest {
        if *first == b'%' {
            let [hi, lo, tail @ ..] = tail else {
                return None;
            };
            let digit = |b: u8| char::from(b).to_digit(16);
            bytes.push(u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok()?);
            rest = tail;
        } else {
            bytes.push(*first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

fn validation_error(value: &str, member: &str, constraint: &str) -> ServiceFault {
    ServiceFault::invalid_parameter_value(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}
