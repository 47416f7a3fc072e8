//! Tenant ids (`X-Amz-Tenant-Id`): the grammar Lambda's model gives them, 1 to
//! [`MAX_TENANT_ID_LEN`] characters of `[a-zA-Z0-9._:/=+\-@ ]`, with errors that never echo the
//! id itself (it may be long, or hold what a log should not).

use std::fmt;

/// The longest tenant id Lambda takes, in characters.
pub const MAX_TENANT_ID_LEN: usize = 256;

/// The pattern of a tenant id in Lambda's model (`TenantId`), as its validation messages quote it.
pub const TENANT_ID_PATTERN: &str = r"[a-zA-Z0-9\._:\/=+\-@ ]+";

/// Every way a tenant id can be invalid. The id itself is never shown.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantIdError {
    /// The tenant id is empty.
    Empty,
    /// The tenant id is longer than [`MAX_TENANT_ID_LEN`] characters.
    TooLong {
        /// Its length, in characters.
        len: usize,
        /// The limit, [`MAX_TENANT_ID_LEN`].
        max: usize,
    },
    /// A character outside `[a-zA-Z0-9._:/=+\-@ ]`.
    InvalidCharacter {
        /// The offending character.
        found: char,
        /// Its character offset, from 0.
        position: usize,
    },
}

impl fmt::Display for TenantIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("a tenant id cannot be empty"),
            Self::TooLong { len, max } => {
                write!(f, "a tenant id is at most {max} characters, not {len}")
            }
            Self::InvalidCharacter { found, position } => write!(
                f,
                "a tenant id holds only ASCII letters, digits, spaces and `._:/=+-@`; `{}` at character {position} is not allowed",
                found.escape_debug()
            ),
        }
    }
}

impl std::error::Error for TenantIdError {}

/// Whether `c` may appear in a tenant id: `[a-zA-Z0-9._:/=+\-@ ]`.
pub fn is_tenant_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '=' | '+' | '-' | '@' | ' ')
}

/// Checks a tenant id: 1 to [`MAX_TENANT_ID_LEN`] characters of `[a-zA-Z0-9._:/=+\-@ ]`,
/// Lambda's `TenantId` pattern, as the client checks it before sending and the local endpoint
/// checks what it receives.
///
/// ```
/// use lambda_remote_names::{validate_tenant_id, TenantIdError};
/// assert!(validate_tenant_id("acme/eu-1:team=blue+x@y.z").is_ok());
/// assert_eq!(
///     validate_tenant_id("acme#1"),
///     Err(TenantIdError::InvalidCharacter { found: '#', position: 4 })
/// );
/// assert_eq!(validate_tenant_id(""), Err(TenantIdError::Empty));
/// ```
pub fn validate_tenant_id(tenant: &str) -> Result<(), TenantIdError> {
    if tenant.is_empty() {
        return Err(TenantIdError::Empty);
    }
    if let Some((position, found)) = tenant
        .chars()
        .enumerate()
        .find(|&(_, c)| !is_tenant_id_char(c))
    {
        return Err(TenantIdError::InvalidCharacter { found, position });
    }
    // Every allowed character is one byte.
    if tenant.len() > MAX_TENANT_ID_LEN {
        return Err(TenantIdError::TooLong {
            len: tenant.len(),
            max: MAX_TENANT_ID_LEN,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_of_the_pattern_and_nothing_else() {
        let allowed: String = ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain("._:/=+-@ ".chars())
            .collect();
        assert_eq!(allowed.len(), 71);
        assert!(validate_tenant_id(&allowed).is_ok());
        for c in (0u32..0x250).filter_map(char::from_u32) {
            let ok = validate_tenant_id(&format!("a{c}")).is_ok();
            assert_eq!(ok, allowed.contains(c), "{c:?}");
        }
    }

    #[test]
    fn one_to_256_characters() {
        assert!(validate_tenant_id("a").is_ok());
        assert!(validate_tenant_id(&"a".repeat(256)).is_ok());
        assert_eq!(
            validate_tenant_id(&"a".repeat(257)),
            Err(TenantIdError::TooLong { len: 257, max: 256 })
        );
        assert_eq!(validate_tenant_id(""), Err(TenantIdError::Empty));
        // A character outside the pattern is reported before the length.
        assert_eq!(
            validate_tenant_id(&"é".repeat(256)),
            Err(TenantIdError::InvalidCharacter {
                found: 'é',
                position: 0
            })
        );
    }

    #[test]
    fn messages_never_show_the_id() {
        for bad in ["secret#id", "secret\nid", &"secret".repeat(50)] {
            let message = validate_tenant_id(bad).unwrap_err().to_string();
            assert!(!message.contains("secret"), "{message}");
        }
        assert_eq!(
            validate_tenant_id("a\nb").unwrap_err().to_string(),
            "a tenant id holds only ASCII letters, digits, spaces and `._:/=+-@`; `\\n` at character 1 is not allowed"
        );
    }
}
