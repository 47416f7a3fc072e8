//! The invocation keys a call may carry besides its payload: a durable execution name and a
//! tenant id, checked before sending as Lambda checks them.

/// The longest durable execution name Lambda takes.
pub const MAX_DURABLE_EXECUTION_NAME_LEN: usize = 64;

/// The longest tenant id Lambda takes, in characters.
pub const MAX_TENANT_ID_LEN: usize = 256;

/// Checks a durable execution name: 1 to 64 of `[a-zA-Z0-9-_]` (`X-Amz-Durable-Execution-Name`).
///
/// ```
/// # use lambda_remote_runtime::validate_durable_execution_name;
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

/// Checks a tenant id: 1 to 256 characters (`X-Amz-Tenant-Id`), none of them a control
/// character (an HTTP header cannot carry one).
///
/// ```
/// # use lambda_remote_runtime::validate_tenant_id;
/// assert!(validate_tenant_id("acme").is_ok());
/// assert!(validate_tenant_id("").is_err());
/// assert!(validate_tenant_id(&"x".repeat(257)).is_err());
/// ```
pub fn validate_tenant_id(tenant: &str) -> Result<(), String> {
    let len = tenant.chars().count();
    if len == 0 {
        return Err("a tenant id cannot be empty".to_owned());
    }
    if len > MAX_TENANT_ID_LEN {
        return Err(format!(
            "a tenant id is at most {MAX_TENANT_ID_LEN} characters, not {len}"
        ));
    }
    if let Some(position) = tenant.chars().position(char::is_control) {
        return Err(format!(
            "a tenant id cannot hold a control character (character {position})"
        ));
    }
    Ok(())
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
    fn tenant_ids_are_1_to_256_characters() {
        assert!(validate_tenant_id(&"é".repeat(256)).is_ok());
        assert!(validate_tenant_id("tenant/with:odd chars").is_ok());
        for bad in ["", "a\nb", &"a".repeat(257)] {
            assert!(validate_tenant_id(bad).is_err(), "{bad:?}");
        }
    }
}
