//! The stored form of an idempotency key: one implementation, used by the served side (the id
//! a record is kept under) and by the client (the key it records in its span and puts on the
//! error a call returns), so both report the same id for the same call.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// The id a key is stored under: the sha256 (hexadecimal, 64 characters, whatever the key's
/// length) of the function's bare name, the qualifier (`$LATEST` when none), the tenant id
/// (empty when none) and the key, written as a JSON array (so no two scopes read alike).
///
/// Every key is hashed, a long one too (never truncated): the id fits any store, and a key
/// holding personal data (an e-mail address in the template) is not kept or logged as written.
pub fn scoped_id(
    function: &str,
    qualifier: Option<&str>,
    tenant: Option<&str>,
    key: &str,
) -> String {
    let scope = [
        function,
        qualifier.unwrap_or("$LATEST"),
        tenant.unwrap_or(""),
        key,
    ];
    // Four strings written into a `Vec` (no `serde_json::Value` in between: the client links
    // no `Value` for this): the writer cannot fail, so the default is never taken.
    hex_sha256(&serde_json::to_vec(&scope).unwrap_or_default())
}

/// The sha256 of `bytes`, in lowercase hexadecimal.
pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_64_hex_characters_and_each_scope_part_counts() {
        let id = scoped_id("billing", None, None, "order-1");
        assert_eq!(id.len(), 64);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(
            scoped_id("billing", None, None, &"k".repeat(5000)).len(),
            64
        );
        assert_eq!(
            id,
            scoped_id("billing", Some("$LATEST"), Some(""), "order-1")
        );
        // The bytes hashed are the JSON array as written before (ids already stored stay valid).
        assert_eq!(id, hex_sha256(br#"["billing","$LATEST","","order-1"]"#));
        for other in [
            scoped_id("billing2", None, None, "order-1"),
            scoped_id("billing", Some("live"), None, "order-1"),
            scoped_id("billing", None, Some("t1"), "order-1"),
            scoped_id("billing", None, None, "order-2"),
        ] {
            assert_ne!(id, other);
        }
    }
}
