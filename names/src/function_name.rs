//! [`FunctionName`], a validated function reference: its parsing, accessors, rewrites and
//! conversions, the [`NameKind`] it was written in, and [`effective_qualifier`], which combines
//! it with a separately given qualifier.

use std::fmt;
use std::str::FromStr;

use crate::error::NameError;
use crate::grammar::{
    MAX_NAME_LEN, Seg, Span, char_offset, check_account, check_function, check_function_len,
    check_partition, check_region, is_account, is_partition, is_region, read_tail, segments,
};
use crate::qualifier::{check_qualifier, validate_qualifier};

const ARN_SHAPE: &str = "expected `arn:<partition>:lambda:<region>:<account>:function:<name>`, optionally followed by `:<qualifier>`";

/// The form a [`FunctionName`] was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A bare name, optionally with a qualifier: `my-function`, `my-function:v1`.
    Name,
    /// A partial ARN: `123456789012:function:my-function`, `us-west-2:123456789012:function:my-function`
    /// (any of the region, account and `function:` prefixes, as the AWS pattern allows).
    PartialArn,
    /// A full ARN: `arn:aws:lambda:us-west-2:123456789012:function:my-function`.
    Arn,
}

/// A validated Lambda function reference: name, name:qualifier, full ARN or partial ARN.
///
/// The text is kept exactly as parsed ([`as_str`](Self::as_str)); the accessors return its parts.
/// Ambiguous texts are read the way the AWS model's pattern reads them (leftmost, greedy): in
/// `us-west-2:prod` the first part is a region and `prod` the function, and `123456789012:prod` is
/// function `prod` in account `123456789012`; but `us-west-2:$LATEST` is function `us-west-2` at
/// `$LATEST`, since `$LATEST` cannot be a function name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FunctionName {
    text: String,
    kind: NameKind,
    partition: Option<Span>,
    region: Option<Span>,
    account: Option<Span>,
    function: Span,
    qualifier: Option<Span>,
}

impl fmt::Debug for FunctionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FunctionName").field(&self.text).finish()
    }
}

impl FunctionName {
    /// Parses and validates a function name, `name:qualifier`, partial ARN or full ARN.
    pub fn parse(input: &str) -> Result<FunctionName, NameError> {
        if input.is_empty() {
            return Err(NameError::Empty);
        }
        let len = input.chars().count();
        if len > MAX_NAME_LEN {
            return Err(NameError::TooLong {
                len,
                max: MAX_NAME_LEN,
            });
        }
        let segs = segments(input);
        let name = if segs[0].text == "arn" && segs.len() >= 3 {
            Self::parse_arn(input, &segs)?
        } else {
            Self::parse_partial(input, &segs)?
        };
        check_lengths(name.function(), name.qualifier())?;
        Ok(name)
    }

    fn parse_arn(input: &str, segs: &[Seg<'_>]) -> Result<FunctionName, NameError> {
        if segs.len() >= 6
            && is_partition(segs[1].text)
            && segs[2].text == "lambda"
            && is_region(segs[3].text)
            && is_account(segs[4].text)
            && let Some(tail) = read_tail(&segs[5..])
        {
            return Ok(FunctionName {
                text: input.to_owned(),
                kind: NameKind::Arn,
                partition: Some(segs[1].span()),
                region: Some(segs[3].span()),
                account: Some(segs[4].span()),
                function: tail.function,
                qualifier: tail.qualifier,
            });
        }
        Err(Self::arn_error(input, segs))
    }

    fn arn_error(input: &str, segs: &[Seg<'_>]) -> NameError {
        let structure = || -> Result<(), NameError> {
            check_partition(input, segs[1])?;
            if segs[2].text != "lambda" {
                return Err(NameError::MalformedArn {
                    reason: "the ARN's service is not `lambda`; expected `arn:<partition>:lambda:<region>:<account>:function:<name>`",
                });
            }
            let Some(&region) = segs.get(3) else {
                return Err(NameError::MalformedArn {
                    reason: "the ARN ends after the service and has no region, account or function name; expected `arn:<partition>:lambda:<region>:<account>:function:<name>`",
                });
            };
            check_region(input, region)?;
            let Some(&account) = segs.get(4) else {
                return Err(NameError::MalformedArn {
                    reason: "the ARN ends after the region and has no account or function name; expected `arn:<partition>:lambda:<region>:<account>:function:<name>`",
                });
            };
            check_account(input, account)?;
            let mut tail = &segs[5..];
            if tail.is_empty() {
                return Err(NameError::MalformedArn {
                    reason: "the ARN ends after the account and has no function name; expected `arn:<partition>:lambda:<region>:<account>:function:<name>`",
                });
            }
            if tail.len() >= 2 && tail[0].text == "function" {
                tail = &tail[1..];
            }
            match tail {
                [name] => check_function(input, *name),
                [name, q] => {
                    check_function(input, *name)?;
                    check_qualifier(q.text, char_offset(input, q.start))
                }
                _ => Err(NameError::MalformedArn {
                    reason: "the ARN has too many `:`-separated parts; only one qualifier may follow the function name, as in `arn:aws:lambda:us-east-1:123456789012:function:my-function:prod`",
                }),
            }
        };
        structure()
            .err()
            .unwrap_or(NameError::MalformedArn { reason: ARN_SHAPE })
    }

    fn parse_partial(input: &str, segs: &[Seg<'_>]) -> Result<FunctionName, NameError> {
        for with_region in [true, false] {
            for with_account in [true, false] {
                let mut i = 0;
                let mut region = None;
                let mut account = None;
                if with_region {
                    match segs.get(i) {
                        Some(s) if is_region(s.text) => region = Some(s.span()),
                        _ => continue,
                    }
                    i += 1;
                }
                if with_account {
                    match segs.get(i) {
                        Some(s) if is_account(s.text) => account = Some(s.span()),
                        _ => continue,
                    }
                    i += 1;
                }
                if let Some(tail) = read_tail(&segs[i..]) {
                    let partial = region.is_some() || account.is_some() || tail.prefixed;
                    return Ok(FunctionName {
                        text: input.to_owned(),
                        kind: if partial {
                            NameKind::PartialArn
                        } else {
                            NameKind::Name
                        },
                        partition: None,
                        region,
                        account,
                        function: tail.function,
                        qualifier: tail.qualifier,
                    });
                }
            }
        }
        Err(Self::partial_error(input, segs))
    }

    fn partial_error(input: &str, segs: &[Seg<'_>]) -> NameError {
        let n = segs.len();
        let structure = || -> Result<(), NameError> {
            if segs[0].text.eq_ignore_ascii_case("arn") && n >= 3 {
                return Err(NameError::MalformedArn {
                    reason: "an ARN starts with lowercase `arn:`, as in `arn:aws:lambda:us-east-1:123456789012:function:my-function`",
                });
            }
            // A `function` part marks a partial ARN: what precedes it is a region and/or account.
            let marker = (0..n.min(3)).find(|&j| segs[j].text == "function" && j + 1 < n);
            let rest = if let Some(j) = marker {
                match &segs[..j] {
                    [] => {}
                    [one] => {
                        // Regions start with a letter, account IDs with a digit.
                        if one.text.starts_with(|c: char| c.is_ascii_digit()) {
                            check_account(input, *one)?;
                        } else {
                            check_region(input, *one)?;
                        }
                    }
                    [region, account, ..] => {
                        check_region(input, *region)?;
                        check_account(input, *account)?;
                    }
                }
                &segs[j + 1..]
            } else {
                let mut i = 0;
                if n - i > 2 && is_region(segs[i].text) {
                    i += 1;
                }
                if n - i > 2 && is_account(segs[i].text) {
                    i += 1;
                }
                &segs[i..]
            };
            match rest {
                [name] => check_function(input, *name),
                [name, q] => {
                    check_function(input, *name)?;
                    check_qualifier(q.text, char_offset(input, q.start))
                }
                _ => Err(NameError::MalformedArn {
                    reason: "too many `:`-separated parts; expected `name`, `name:qualifier`, a partial ARN such as `123456789012:function:name[:qualifier]`, or a full ARN",
                }),
            }
        };
        structure().err().unwrap_or(NameError::MalformedArn {
            reason: "expected `name`, `name:qualifier`, a partial ARN such as `123456789012:function:name[:qualifier]`, or a full ARN",
        })
    }

    /// The full text, exactly as parsed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The bare function-name part (`my-function`).
    pub fn function(&self) -> &str {
        self.function.of(&self.text)
    }

    /// The qualifier embedded in the reference (`v1` in `my-function:v1`), if any.
    pub fn qualifier(&self) -> Option<&str> {
        self.qualifier.map(|s| s.of(&self.text))
    }

    /// The partition (`aws`, `aws-cn`, …); only full ARNs have one.
    pub fn partition(&self) -> Option<&str> {
        self.partition.map(|s| s.of(&self.text))
    }

    /// The region, for full ARNs and partial ARNs that include one.
    pub fn region(&self) -> Option<&str> {
        self.region.map(|s| s.of(&self.text))
    }

    /// The 12-digit account ID, for full ARNs and partial ARNs that include one.
    pub fn account(&self) -> Option<&str> {
        self.account.map(|s| s.of(&self.text))
    }

    /// The form the reference was written in.
    pub fn kind(&self) -> NameKind {
        self.kind
    }

    /// Same reference with the bare function part replaced (used to apply stage prefixes/suffixes); re-validated.
    ///
    /// Positions in a [`NameError::InvalidCharacter`] are offsets in `function`. Fails with
    /// [`NameError::Ambiguous`] if the result would read back differently.
    pub fn with_function(&self, function: &str) -> Result<FunctionName, NameError> {
        check_function(
            function,
            Seg {
                text: function,
                start: 0,
            },
        )?;
        let mut text = String::with_capacity(self.text.len() + function.len());
        text.push_str(&self.text[..self.function.start]);
        text.push_str(function);
        text.push_str(&self.text[self.function.end..]);
        let new = match FunctionName::parse(&text) {
            Ok(new) => new,
            Err(e @ NameError::TooLong { .. }) => return Err(e),
            // Every part is valid on its own, so any other failure comes from a different reading.
            Err(_) => return Err(NameError::Ambiguous { name: text }),
        };
        if new.function.start == self.function.start
            && new.function() == function
            && new.qualifier() == self.qualifier()
            && new.kind == self.kind
        {
            Ok(new)
        } else {
            Err(NameError::Ambiguous { name: text })
        }
    }

    /// Same reference with the embedded qualifier removed.
    pub fn without_qualifier(&self) -> FunctionName {
        if self.qualifier.is_none() {
            return self.clone();
        }
        let text = &self.text[..self.function.end];
        match FunctionName::parse(text) {
            Ok(new) if new.function == self.function && new.kind == self.kind => new,
            // Unreachable in practice (dropping the last part never changes how the rest reads);
            // kept so that this never panics.
            _ => FunctionName {
                text: text.to_owned(),
                qualifier: None,
                ..self.clone()
            },
        }
    }

    /// Same reference with the embedded qualifier replaced (or added); the qualifier is validated.
    ///
    /// Positions in a [`NameError::InvalidCharacter`] are offsets in `qualifier`. Fails with
    /// [`NameError::Ambiguous`] if the result would read back differently.
    pub fn with_qualifier(&self, qualifier: &str) -> Result<FunctionName, NameError> {
        validate_qualifier(qualifier)?;
        let base = &self.text[..self.function.end];
        let text = format!("{base}:{qualifier}");
        let new = match FunctionName::parse(&text) {
            Ok(new) => new,
            Err(e @ NameError::TooLong { .. }) => return Err(e),
            Err(_) => return Err(NameError::Ambiguous { name: text }),
        };
        if new.function == self.function
            && new.kind == self.kind
            && new.qualifier() == Some(qualifier)
        {
            Ok(new)
        } else {
            Err(NameError::Ambiguous { name: text })
        }
    }
}

impl fmt::Display for FunctionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for FunctionName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FunctionName::parse(s)
    }
}

impl TryFrom<&str> for FunctionName {
    type Error = NameError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        FunctionName::parse(s)
    }
}

impl TryFrom<String> for FunctionName {
    type Error = NameError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        FunctionName::parse(&s)
    }
}

impl AsRef<str> for FunctionName {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<FunctionName> for String {
    fn from(name: FunctionName) -> String {
        name.text
    }
}

/// Combines a function name with a separate qualifier the way Lambda does: returns the qualifier to
/// send (the separate one, or the one in the name); errors with [`NameError::QualifierMismatch`]
/// when both are given and differ.
///
/// The separate qualifier is validated first ([`validate_qualifier`]).
pub fn effective_qualifier<'a>(
    name: &'a FunctionName,
    qualifier: Option<&'a str>,
) -> Result<Option<&'a str>, NameError> {
    match (name.qualifier(), qualifier) {
        (embedded, None) => Ok(embedded),
        (None, Some(given)) => {
            validate_qualifier(given)?;
            Ok(Some(given))
        }
        (Some(in_name), Some(given)) => {
            validate_qualifier(given)?;
            if in_name == given {
                Ok(Some(given))
            } else {
                Err(NameError::QualifierMismatch {
                    in_name: in_name.to_owned(),
                    given: given.to_owned(),
                })
            }
        }
    }
}

/// Checks the name and qualifier of a reading; both already have valid characters.
fn check_lengths(function: &str, qualifier: Option<&str>) -> Result<(), NameError> {
    check_function_len(function)?;
    if let Some(q) = qualifier {
        check_qualifier(q, 0)?;
    }
    Ok(())
}
