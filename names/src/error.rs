//! Errors: [`NameError`], every way a function reference or qualifier can be invalid, the
//! [`NamePart`] an invalid character is in, and their messages.

use std::fmt;

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
/// validated string (the whole function reference, or the qualifier for
/// [`validate_qualifier`](crate::validate_qualifier)).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The function name is empty (the whole value, or the name part of an ARN).
    Empty,
    /// The whole value is longer than [`MAX_NAME_LEN`](crate::MAX_NAME_LEN).
    TooLong {
        /// Length of the value.
        len: usize,
        /// The limit, [`MAX_NAME_LEN`](crate::MAX_NAME_LEN).
        max: usize,
    },
    /// The bare function-name part is longer than [`MAX_FUNCTION_LEN`](crate::MAX_FUNCTION_LEN).
    FunctionTooLong {
        /// Length of the function-name part.
        len: usize,
        /// The limit, [`MAX_FUNCTION_LEN`](crate::MAX_FUNCTION_LEN).
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
    /// The qualifier is longer than [`MAX_QUALIFIER_LEN`](crate::MAX_QUALIFIER_LEN).
    QualifierTooLong {
        /// Length of the qualifier.
        len: usize,
        /// The limit, [`MAX_QUALIFIER_LEN`](crate::MAX_QUALIFIER_LEN).
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
    /// A rewritten reference
    /// ([`FunctionName::with_function`](crate::FunctionName::with_function),
    /// [`FunctionName::with_qualifier`](crate::FunctionName::with_qualifier))
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
