//! The invocation keys a call may carry besides its payload: a durable execution name and a
//! tenant id, checked before sending as Lambda checks them.

/// The longest durable execution name Lambda takes.
pub const MAX_DURABLE_EXECUTION_NAME_LEN: usize = 64;

/// The longest tenant id Lambda takes, in characters.
pub use lambda_remote_names::MAX_TENANT_ID_LEN;

/// Checks a durable execution name: 1 to 64 of `[a-zA-Z0-9-_]` (`X-Amz-Durable-Execution-Name`).
///
/// ```
/// # use lambda_remote_runtime::__private::validate_durable_execution_name;
/// assert!(validate_durable_execution_name("order-1234_a").is_ok());
/// assert!(validate_durable_execution_name("order 1234").is_err());
/// assert!(validate_durable_execution_name("").is_err());
/// ```
pub fn validate_durable_execution_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a durable execution name cannot be empty".to_owned());
    }
    if name.len() > MAX_DURABLE_EXECUTION_NAME_LEN {
        return Err(format!(
            "a durable execution name is at most {MAX_DURABLE_EXECUTION_NAME_LEN} characters, not {}",
            name.chars().count()
        ));
    }
    if let Some((position, found)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "a durable execution name holds only [a-zA-Z0-9-_]; {found:?} at character {position} is not allowed"
        ));
    }
    Ok(())
}

/// Checks a tenant id: 1 to 256 characters of `[a-zA-Z0-9._:/=+\-@ ]`, Lambda's pattern for
/// `X-Amz-Tenant-Id` (the grammar is `lambda_remote_names::validate_tenant_id`, which the local
/// endpoint checks too). The reason never shows the id.
///
/// ```
/// # use lambda_remote_runtime::__private::validate_tenant_id;
/// assert!(validate_tenant_id("acme/eu-1:blue@x.y").is_ok());
/// assert!(validate_tenant_id("acme#1").is_err());
/// assert!(validate_tenant_id("").is_err());
/// assert!(validate_tenant_id(&"x".repeat(257)).is_err());
/// ```
pub fn validate_tenant_id(tenant: &str) -> Result<(), String> {
    lambda_remote_names::validate_tenant_id(tenant).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durable_execution_names_are_1_to_64_of_the_allowed_characters() {
        assert!(validate_durable_execution_name(&"a".repeat(64)).is_ok());
        assert!(validate_durable_execution_name("A-z_09").is_ok());
        for bad in ["", "a.b", "a b", "ä", "a/b", &"a".repeat(65)] {
            assert!(validate_durable_execution_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tenant_ids_are_1_to_256_of_the_allowed_characters() {
        assert!(validate_tenant_id(&"a".repeat(256)).is_ok());
        assert!(validate_tenant_id("tenant/with:odd chars=+-@._").is_ok());
        for bad in ["", "a\nb", "a#b", "é", &"a".repeat(257)] {
            assert!(validate_tenant_id(bad).is_err(), "{bad:?}");
        }
    }
}
