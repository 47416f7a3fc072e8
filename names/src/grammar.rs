//! The pieces of the name and ARN grammar: length limits, `:`-separated segments, the character
//! classes of names, qualifiers, partitions, regions and account IDs, the checks that report
//! what is wrong with each part, and the `(function:)?name(:qualifier)?` tail.

use crate::error::{NameError, NamePart};

/// Maximum length of a whole function reference (name, partial ARN or full ARN), in characters.
pub const MAX_NAME_LEN: usize = 256;
/// Maximum length of the bare function-name part, in characters.
pub const MAX_FUNCTION_LEN: usize = 64;
/// Maximum length of a qualifier (version or alias), in characters.
pub const MAX_QUALIFIER_LEN: usize = 128;

pub(crate) const LATEST: &str = "$LATEST";
pub(crate) const LATEST_PUBLISHED: &str = "$LATEST.PUBLISHED";

/// Byte range of a part inside [`FunctionName::as_str`](crate::FunctionName::as_str).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Span {
    pub(crate) fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// A `:`-separated part of the input, with its byte offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg<'a> {
    pub(crate) text: &'a str,
    pub(crate) start: usize,
}

impl Seg<'_> {
    pub(crate) fn span(self) -> Span {
        Span {
            start: self.start,
            end: self.start + self.text.len(),
        }
    }
}

pub(crate) fn segments(input: &str) -> Vec<Seg<'_>> {
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

pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

fn is_qualifier(s: &str) -> bool {
    s == LATEST || s == LATEST_PUBLISHED || is_name(s)
}

pub(crate) fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_partition(s: &str) -> bool {
    s.strip_prefix("aws")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
}

/// `(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}`, as a backtracking engine matches it.
pub(crate) fn is_region(s: &str) -> bool {
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

pub(crate) fn char_offset(input: &str, byte: usize) -> usize {
    input.get(..byte).map_or(0, |p| p.chars().count())
}

pub(crate) fn check_function(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
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

pub(crate) fn check_function_len(function: &str) -> Result<(), NameError> {
    let len = function.chars().count();
    if len > MAX_FUNCTION_LEN {
        return Err(NameError::FunctionTooLong {
            len,
            max: MAX_FUNCTION_LEN,
        });
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

pub(crate) fn check_partition(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
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

pub(crate) fn check_region(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
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

pub(crate) fn check_account(input: &str, seg: Seg<'_>) -> Result<(), NameError> {
    check_chars(input, seg, NamePart::Account, |c| c.is_ascii_digit())?;
    if is_account(seg.text) {
        Ok(())
    } else {
        Err(NameError::InvalidAccount {
            account: seg.text.to_owned(),
        })
    }
}

/// How the text after the account (or the region/account prefixes) splits into
/// `(function:)?name(:qualifier)?`.
pub(crate) struct Tail {
    pub(crate) function: Span,
    pub(crate) qualifier: Option<Span>,
    pub(crate) prefixed: bool,
}

/// Matches `(function:)?name(:qualifier)?`, trying the `function:` prefix first.
pub(crate) fn read_tail(tail: &[Seg<'_>]) -> Option<Tail> {
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
                });
            }
            [name, q] if is_name(name.text) && is_qualifier(q.text) => {
                return Some(Tail {
                    function: name.span(),
                    qualifier: Some(q.span()),
                    prefixed,
                });
            }
            _ => {}
        }
    }
    None
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
