//! Qualifiers (version number, `$LATEST`, `$LATEST.PUBLISHED` or alias): validation with precise
//! errors, and what a qualifier denotes ([`QualifierKind`]).

use crate::error::{NameError, NamePart};
use crate::grammar::{LATEST, LATEST_PUBLISHED, MAX_QUALIFIER_LEN, is_name_char};

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

pub(crate) fn check_qualifier(qualifier: &str, base: usize) -> Result<(), NameError> {
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
