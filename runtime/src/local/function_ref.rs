//! How a request names a function: the `FunctionName` path label (parsed by lambda-remote-names) and the `Qualifier` query parameter, merged as AWS does.

use super::errors::ServiceError;

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
    ) -> Result<Self, ServiceError> {
        // The common case, a bare name (`[a-zA-Z0-9-_]{1,64}`): the grammar reads it as the
        // function's name with no qualifier (no ARN, no `:`), so its parse is skipped.
        if qualifier.is_none() && is_bare_name(function_name) {
            return Ok(Self {
                name: function_name.to_owned(),
                qualifier: None,
            });
        }
        Self::parse_full(function_name, qualifier)
    }

    /// [`parse`](Self::parse) through the grammar, whatever the name.
    fn parse_full(function_name: &str, qualifier: Option<&str>) -> Result<Self, ServiceError> {
        let parsed = lambda_remote_names::FunctionName::parse(function_name).ok();
        let (name, derived) = parsed
            .as_ref()
            .map(|n| (n.function(), n.qualifier()))
            .ok_or_else(|| {
                validation_error(
                    function_name,
                    "functionName",
                    &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
                )
            })?;
        if let Some(q) = qualifier
            && lambda_remote_names::validate_qualifier(q).is_err()
        {
            return Err(validation_error(
                q,
                "qualifier",
                &format!("Member must satisfy regular expression pattern: {QUALIFIER_PATTERN}"),
            ));
        }
        let qualifier = match (derived, qualifier) {
            (Some(d), Some(q)) if d != q => {
                return Err(ServiceError::invalid_parameter_value(
                    "The derived qualifier from the function name does not match the specified qualifier.",
                ));
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

/// Whether `name` is a function's bare name: 1 to 64 of `[a-zA-Z0-9-_]`.
fn is_bare_name(name: &str) -> bool {
    (1..=lambda_remote_names::MAX_FUNCTION_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The ARN of a function (and qualifier) as the endpoint reports it.
pub(crate) fn function_arn(name: &str, qualifier: Option<&str>) -> String {
    let arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}");
    match qualifier {
        Some(q) => format!("{arn}:{q}"),
        None => arn,
    }
}

/// The percent-decoded value of the first `key` in a raw query string.
pub(crate) fn query_param(query: Option<&str>, key: &str) -> Result<Option<String>, ServiceError> {
    let undecodable = || ServiceError::invalid_parameter_value("The query string is not valid.");
    for pair in query.unwrap_or_default().split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if percent_decode(k).ok_or_else(undecodable)? == key {
            return percent_decode(v).map(Some).ok_or_else(undecodable);
        }
    }
    Ok(None)
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

fn validation_error(value: &str, member: &str, constraint: &str) -> ServiceError {
    ServiceError::invalid_parameter_value(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::FunctionRef;

    #[test]
    fn a_bare_name_reads_as_the_grammar_reads_it() {
        let longest = "f".repeat(64);
        let too_long = "f".repeat(65);
        for name in [
            "bench-echo",
            "a",
            "A_b-9",
            "us-east-1",
            "123456789012",
            "arn",
            "function",
            longest.as_str(),
            too_long.as_str(),
            "name:alias",
            "my.function",
            "",
        ] {
            let fast = FunctionRef::parse(name, None).map_err(|e| format!("{e:?}"));
            let full = FunctionRef::parse_full(name, None).map_err(|e| format!("{e:?}"));
            assert_eq!(fast, full, "{name:?}");
        }
        assert_eq!(
            FunctionRef::parse("bench-echo", Some("live"))
                .unwrap()
                .qualifier
                .as_deref(),
            Some("live")
        );
    }
}
