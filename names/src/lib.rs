//! Validation of AWS Lambda function references and qualifiers.
//!
//! [`FunctionName`] accepts every form Lambda's `Invoke` accepts for `FunctionName`:
//!
//! | form | example |
//! |---|---|
//! | name | `my-function` |
//! | name with qualifier | `my-function:v1`, `my-function:$LATEST` |
//! | partial ARN | `123456789012:function:my-function`, `us-west-2:123456789012:function:my-function` |
//! | full ARN | `arn:aws:lambda:us-west-2:123456789012:function:my-function[:qualifier]` |
//!
//! Acceptance follows the pattern of the AWS service model (anchored, matched the way a
//! backtracking regex engine matches it), with these deliberate restrictions:
//!
//! * the function-name part is at most [`MAX_FUNCTION_LEN`] characters of `[a-zA-Z0-9-_]`. The
//!   model's `Invoke` pattern also allows `.` there, but `CreateFunction` does not, so no function
//!   can have a `.` in its name: a `.` is reported as an invalid character;
//! * a full ARN must name a partition (`arn::lambda:…` is rejected, although the pattern's
//!   partition group is optional);
//! * a qualifier starting with `$` must be `$LATEST` or `$LATEST.PUBLISHED`, and no other
//!   qualifier may contain `$` (the model's separate-`Qualifier` pattern allows `$` anywhere, but
//!   versions are digits and alias names cannot contain `$`).
//!
//! The parser is hand-written so that every error says precisely what is wrong
//! ([`NameError`]); it never panics, whatever the input.
//!
//! ```
//! use lambda_remote_names::{effective_qualifier, FunctionName, NameError, NameKind};
//!
//! let name: FunctionName = "arn:aws:lambda:us-west-2:123456789012:function:orders:prod".parse()?;
//! assert_eq!(name.kind(), NameKind::Arn);
//! assert_eq!(name.function(), "orders");
//! assert_eq!(name.qualifier(), Some("prod"));
//! assert_eq!(effective_qualifier(&name, None)?, Some("prod"));
//!
//! let staged = name.with_function("orders-staging")?;
//! assert_eq!(staged.as_str(), "arn:aws:lambda:us-west-2:123456789012:function:orders-staging:prod");
//!
//! assert_eq!(
//!     FunctionName::parse("orders!").unwrap_err().to_string(),
//!     "invalid character `!` at position 6 (counting from 0) in the function name; \
//!      a function name may contain only ASCII letters, digits, `-` and `_`",
//! );
//! # Ok::<(), NameError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::str::FromStr;

/// Maximum length of a whole function reference (name, partial ARN or full ARN), in characters.
pub const MAX_NAME_LEN: usize = 256;
/// Maximum length of the bare function-name part, in characters.
pub const MAX_FUNCTION_LEN: usize = 64;
/// Maximum length of a qualifier (version or alias), in characters.
pub const MAX_QUALIFIER_LEN: usize = 128;

const LATEST: &str = "$LATEST";
const LATEST_PUBLISHED: &str = "$LATEST.PUBLISHED";
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

/// The part of a function reference or qualifier that an [`NameError::InvalidCharacter`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamePart {
    /// The bare function name.
    Function,
    /// The qualifier (version or alias).
    Qualifier,
    /// The region of an ARN.
    Region,
    /// The account ID of an ARN.
    Account,
    /// The partition of a full ARN.
    Partition,
}

impl NamePart {
    fn noun(self) -> &'static str {
        match self {
            NamePart::Function => "function name",
            NamePart::Qualifier => "qualifier",
            NamePart::Region => "region",
            NamePart::Account => "account ID",
            NamePart::Partition => "partition",
        }
    }

    fn accepted(self) -> &'static str {
        match self {
            NamePart::Function => {
                "a function name may contain only ASCII letters, digits, `-` and `_`"
            }
            NamePart::Qualifier => {
                "a qualifier is a version number, `$LATEST`, `$LATEST.PUBLISHED`, or an alias of ASCII letters, digits, `-` and `_`"
            }
            NamePart::Region => {
                "a region contains only lowercase letters, digits and `-`, as in `us-east-1`"
            }
            NamePart::Account => "an account ID is exactly 12 digits",
            NamePart::Partition => {
                "a partition is `aws` or starts with `aws` followed by letters and `-`, as in `aws-cn`"
            }
        }
    }
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.noun())
    }
}

/// Every way a function reference or qualifier can be invalid.
///
/// Lengths are counted in characters; positions are character offsets counted from 0 in the
/// validated string (the whole function reference, or the qualifier for [`validate_qualifier`]).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The function name is empty (the whole value, or the name part of an ARN).
    Empty,
    /// The whole value is longer than [`MAX_NAME_LEN`].
    TooLong {
        /// Length of the value.
        len: usize,
        /// The limit, [`MAX_NAME_LEN`].
        max: usize,
    },
    /// The bare function-name part is longer than [`MAX_FUNCTION_LEN`].
    FunctionTooLong {
        /// Length of the function-name part.
        len: usize,
        /// The limit, [`MAX_FUNCTION_LEN`].
        max: usize,
    },
    /// A character that the part it is in does not allow.
    InvalidCharacter {
        /// The offending character.
        found: char,
        /// Its character offset (from 0) in the validated string.
        position: usize,
        /// The part it is in.
        part: NamePart,
    },
    /// An ARN (or ARN-like value) with the wrong structure.
    MalformedArn {
        /// What is wrong, and what is expected.
        reason: &'static str,
    },
    /// The partition of a full ARN is not `aws` or `aws…`.
    InvalidPartition {
        /// The partition found.
        partition: String,
    },
    /// The region is not shaped like an AWS region.
    InvalidRegion {
        /// The region found.
        region: String,
    },
    /// The account ID is not 12 digits.
    InvalidAccount {
        /// The account ID found.
        account: String,
    },
    /// The qualifier is empty (for example `my-function:`).
    EmptyQualifier,
    /// The qualifier is longer than [`MAX_QUALIFIER_LEN`].
    QualifierTooLong {
        /// Length of the qualifier.
        len: usize,
        /// The limit, [`MAX_QUALIFIER_LEN`].
        max: usize,
    },
    /// The qualifier is not a version, `$LATEST`, `$LATEST.PUBLISHED` or alias (e.g. `$FOO`).
    InvalidQualifier {
        /// The qualifier found.
        qualifier: String,
    },
    /// A qualifier was given both in the function name and separately, and they differ.
    QualifierMismatch {
        /// The qualifier embedded in the function name.
        in_name: String,
        /// The qualifier given separately.
        given: String,
    },
    /// A rewritten reference ([`FunctionName::with_function`], [`FunctionName::with_qualifier`])
    /// would be read back with a different structure, e.g. qualifying a function named
    /// `us-west-2` gives `us-west-2:v1`, which reads as function `v1` in region `us-west-2`.
    Ambiguous {
        /// The rewritten text.
        name: String,
    },
}

/// Writes a user-supplied string inside backticks with control characters escaped.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`")?;
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        f.write_str("`")
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str(
                "the function name is empty; expected a name such as `my-function`, optionally followed by `:` and a version or alias, or a function ARN",
            ),
            NameError::TooLong { len, max } => write!(
                f,
                "the function name is {len} characters long; a function name, partial ARN or ARN is at most {max} characters"
            ),
            NameError::FunctionTooLong { len, max } => write!(
                f,
                "the function name part is {len} characters long; a function name is at most {max} characters of ASCII letters, digits, `-` and `_`"
            ),
            NameError::InvalidCharacter {
                found,
                position,
                part,
            } => write!(
                f,
                "invalid character `{}` at position {position} (counting from 0) in the {}; {}",
                found.escape_debug(),
                part.noun(),
                part.accepted()
            ),
            NameError::MalformedArn { reason } => {
                write!(f, "malformed function name or ARN: {reason}")
            }
            NameError::InvalidPartition { partition } => write!(
                f,
                "{} is not a valid ARN partition; {}",
                Quoted(partition),
                NamePart::Partition.accepted()
            ),
            NameError::InvalidRegion { region } => write!(
                f,
                "{} is not a valid AWS region; expected a region such as `us-east-1`, `eu-west-2`, `us-gov-west-1` or `eusc-de-east-1`",
                Quoted(region)
            ),
            NameError::InvalidAccount { account } => write!(
                f,
                "{} is not a valid AWS account ID; an account ID is exactly 12 digits",
                Quoted(account)
            ),
            NameError::EmptyQualifier => f.write_str(
                "the qualifier is empty; expected a version number, `$LATEST`, `$LATEST.PUBLISHED`, or an alias name",
            ),
            NameError::QualifierTooLong { len, max } => write!(
                f,
                "the qualifier is {len} characters long; a qualifier is at most {max} characters"
            ),
            NameError::InvalidQualifier { qualifier } => write!(
                f,
                "{} is not a valid qualifier; {}",
                Quoted(qualifier),
                NamePart::Qualifier.accepted()
            ),
            NameError::QualifierMismatch { in_name, given } => write!(
                f,
                "the function name has the qualifier {} but the qualifier {} was also given; they must agree, so give the qualifier in one place only",
                Quoted(in_name),
                Quoted(given)
            ),
            NameError::Ambiguous { name } => write!(
                f,
                "{} would not be read as intended: a leading part that looks like a region (`us-east-1`), a 12-digit account ID or the word `function` is read as part of a partial ARN; use a full ARN or give the qualifier separately",
                Quoted(name)
            ),
        }
    }
}

impl std::error::Error for NameError {}

/// What a valid qualifier denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QualifierKind {
    /// `$LATEST`, the unpublished latest version.
    Latest,
    /// `$LATEST.PUBLISHED`, the latest published version.
    LatestPublished,
    /// A published version number (all digits).
    Version,
    /// An alias name.
    Alias,
}

/// Validates a qualifier (version number, `$LATEST`, `$LATEST.PUBLISHED`, or alias).
///
/// A qualifier is 1–[`MAX_QUALIFIER_LEN`] characters of `[a-zA-Z0-9-_]`, or exactly `$LATEST` or
/// `$LATEST.PUBLISHED`. Positions in [`NameError::InvalidCharacter`] are offsets in `qualifier`.
pub fn validate_qualifier(qualifier: &str) -> Result<(), NameError> {
    check_qualifier(qualifier, 0)
}

/// Validates a qualifier and tells what it denotes: `$LATEST`, `$LATEST.PUBLISHED`, a version
/// number (all digits) or an alias.
pub fn qualifier_kind(qualifier: &str) -> Result<QualifierKind, NameError> {
    validate_qualifier(qualifier)?;
    Ok(if qualifier == LATEST {
        QualifierKind::Latest
    } else if qualifier == LATEST_PUBLISHED {
        QualifierKind::LatestPublished
    } else if qualifier.bytes().all(|b| b.is_ascii_digit()) {
        QualifierKind::Version
    } else {
        QualifierKind::Alias
    })
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

/// Byte range of a part inside [`FunctionName::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
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

/// A `:`-separated part of the input, with its byte offset.
#[derive(Debug, Clone, Copy)]
struct Seg<'a> {
    text: &'a str,
    start: usize,
}

impl Seg<'_> {
    fn span(self) -> Span {
        Span {
            start: self.start,
            end: self.start + self.text.len(),
        }
    }
}

fn segments(input: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        if b == b':' {
            out.push(Seg {
                text: &input[start..i],
                start,
            });
            start = i + 1;
        }
    }
    out.push(Seg {
        text: &input[start..],
        start,
    });
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

fn is_qualifier(s: &str) -> bool {
    s == LATEST || s == LATEST_PUBLISHED || is_name(s)
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_partition(s: &str) -> bool {
    s.strip_prefix("aws")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
}

/// `(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}`, as a backtracking engine matches it.
fn is_region(s: &str) -> bool {
    let s = s.strip_prefix("eusc-").unwrap_or(s);
    let b = s.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_lowercase() || !b[1].is_ascii_lowercase() || b[2] != b'-' {
        return false;
    }
    let tokens: Vec<&str> = s[3..].split('-').collect();
    let Some((last, words)) = tokens.split_last() else {
        return false;
    };
    if last.len() != 1 || !last.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    if !words
        .iter()
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return false;
    }
    match words {
        [_] => true,
        [first, _] => {
            *first == "gov" || *first == "iso" || (first.len() == 4 && first.starts_with("iso"))
        }
        _ => false,
    }
}

fn char_offset(input: &str, byte: usize) -> usize {
    input.get(..byte).map_or(0, |p| p.chars().count())
}

fn check_function(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
    if seg.text.is_empty() {
        return Err(NameError::Empty);
    }
    if let Some((i, c)) = seg
        .text
        .chars()
        .enumerate()
        .find(|&(_, c)| !is_name_char(c))
    {
        return Err(NameError::InvalidCharacter {
            found: c,
            position: char_offset(input, seg.start) + i,
            part: NamePart::Function,
        });
    }
    check_function_len(seg.text)
}

fn check_function_len(function: &str) -> Result<(), NameError> {
    let len = function.chars().count();
    if len > MAX_FUNCTION_LEN {
        return Err(NameError::FunctionTooLong {
            len,
            max: MAX_FUNCTION_LEN,
        });
    }
    Ok(())
}

fn check_qualifier(qualifier: &str, base: usize) -> Result<(), NameError> {
    if qualifier.is_empty() {
        return Err(NameError::EmptyQualifier);
    }
    let len = qualifier.chars().count();
    if len > MAX_QUALIFIER_LEN {
        return Err(NameError::QualifierTooLong {
            len,
            max: MAX_QUALIFIER_LEN,
        });
    }
    if qualifier == LATEST || qualifier == LATEST_PUBLISHED {
        return Ok(());
    }
    let invalid = || NameError::InvalidQualifier {
        qualifier: qualifier.to_owned(),
    };
    for (i, c) in qualifier.chars().enumerate() {
        if c == '$' {
            return Err(invalid());
        }
        if !is_name_char(c) {
            return Err(NameError::InvalidCharacter {
                found: c,
                position: base + i,
                part: NamePart::Qualifier,
            });
        }
    }
    Ok(())
}

fn check_chars(
    input: &str,
    seg: Seg<'_>,
    part: NamePart,
    allowed: fn(char) -> bool,
) -> Result<(), NameError> {
    match seg.text.chars().enumerate().find(|&(_, c)| !allowed(c)) {
        Some((i, c)) => Err(NameError::InvalidCharacter {
            found: c,
            position: char_offset(input, seg.start) + i,
            part,
        }),
        None => Ok(()),
    }
}

fn check_partition(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
    check_chars(input, seg, NamePart::Partition, |c| {
        c.is_ascii_alphabetic() || c == '-'
    })?;
    if is_partition(seg.text) {
        Ok(())
    } else {
        Err(NameError::InvalidPartition {
            partition: seg.text.to_owned(),
        })
    }
}

fn check_region(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
    check_chars(input, seg, NamePart::Region, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
    })?;
    if is_region(seg.text) {
        Ok(())
    } else {
        Err(NameError::InvalidRegion {
            region: seg.text.to_owned(),
        })
    }
}

fn check_account(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
    check_chars(input, seg, NamePart::Account, |c| c.is_ascii_digit())?;
    if is_account(seg.text) {
        Ok(())
    } else {
        Err(NameError::InvalidAccount {
            account: seg.text.to_owned(),
        })
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

/// How the text after the account (or the region/account prefixes) splits into
/// `(function:)?name(:qualifier)?`.
struct Tail {
    function: Span,
    qualifier: Option<Span>,
    prefixed: bool,
}

/// Matches `(function:)?name(:qualifier)?`, trying the `function:` prefix first.
fn read_tail(tail: &[Seg<'_>]) -> Option<Tail> {
    for prefixed in [true, false] {
        let rest = if prefixed {
            match tail.split_first() {
                Some((first, rest)) if first.text == "function" => rest,
                _ => continue,
            }
        } else {
            tail
        };
        match rest {
            [name] if is_name(name.text) => {
                return Some(Tail {
                    function: name.span(),
                    qualifier: None,
                    prefixed,
                })
            }
            [name, q] if is_name(name.text) && is_qualifier(q.text) => {
                return Some(Tail {
                    function: name.span(),
                    qualifier: Some(q.span()),
                    prefixed,
                })
            }
            _ => {}
        }
    }
    None
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
        {
            if let Some(tail) = read_tail(&segs[5..]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "us-west-2",
            "eu-central-1",
            "ap-southeast-3",
            "us-gov-west-1",
            "us-gov-east-1",
            "cn-north-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
            // The pattern backtracks: `-govx` / `-iso` alone are the `-[a-z]+` part.
            "us-govx-1",
            "us-iso-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "us-east-12",
            "US-east-1",
            "use-east-1",
            "us-foo-east-1",
            "us-isoab-east-1",
            "us--1",
            "us-east-1-",
            "us-gov-west-east-1",
            "eusc-eusc-de-east-1",
            "us-east-１",
            "é-east-1",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }

    #[test]
    fn partitions() {
        for ok in ["aws", "aws-cn", "aws-us-gov", "aws-iso-b", "awsX"] {
            assert!(is_partition(ok), "{ok}");
        }
        for bad in ["", "amazon", "aw", "aws1", "AWS", "aws_cn"] {
            assert!(!is_partition(bad), "{bad}");
        }
    }

    #[test]
    fn segments_keep_offsets() {
        let segs = segments("a:bc::d");
        let got: Vec<_> = segs.iter().map(|s| (s.text, s.start)).collect();
        assert_eq!(got, [("a", 0), ("bc", 2), ("", 5), ("d", 6)]);
    }
}
