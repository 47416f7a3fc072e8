//! Per-call options: qualifier, log tail, client context, timeout, delivery, durable execution
//! name and tenant id.

use std::fmt;
use std::time::Duration;

use crate::delivery::Delivery;

/// Options for one call, given to a generated `<method>_with` method.
///
/// ```
/// # use lambda_remote_runtime::CallOptions;
/// let options = CallOptions::new()
///     .qualifier("canary")
///     .log_tail()
///     .client_context(&serde_json::json!({"custom": {"tenant": "acme"}}));
/// ```
///
/// `Debug` never shows the client context: it may carry secrets.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) qualifier: Option<String>,
    pub(crate) log_tail: bool,
    pub(crate) client_context: Option<Result<String, String>>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) delivery: Option<Delivery>,
    pub(crate) durable_execution_name: Option<String>,
    pub(crate) tenant_id: Option<String>,
}

impl CallOptions {
    /// No options: the method's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls this version or alias instead of the method's default qualifier.
    pub fn qualifier(mut self, qualifier: impl Into<String>) -> Self {
        self.qualifier = Some(qualifier.into());
        self
    }

    /// Asks for the last 4 KB of the execution log (`LogType::Tail`), returned decoded in
    /// [`ResponseMetadata::log_tail`](crate::ResponseMetadata::log_tail). Synchronous calls only.
    pub fn log_tail(mut self) -> Self {
        self.log_tail = true;
        self
    }

    /// Sends `context` as the client context (JSON, base64-encoded). Checked against the
    /// 3,583-byte limit when the call is made. Synchronous calls only.
    pub fn client_context<T: serde::Serialize + ?Sized>(mut self, context: &T) -> Self {
        self.client_context = Some(
            serde_json::to_vec(context)
                .map(aws_smithy_types::base64::encode)
                .map_err(|e| e.to_string()),
        );
        self
    }

    /// Sets this call's delivery guarantee, overriding the method's and the client's:
    /// `Delivery::AtLeastOnce` for a call that is safe to run twice.
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = Some(delivery);
        self
    }

    /// Names the durable execution this call starts (`DurableExecutionName`), overriding a name
    /// the method derives from its arguments. Lambda treats the name as an idempotency key:
    /// the same name with the same payload returns the existing execution instead of running
    /// the function again; with another payload it fails with
    /// [`ServiceErrorKind::DurableExecutionAlreadyStarted`](crate::ServiceErrorKind::DurableExecutionAlreadyStarted).
    /// So a named call is sent again on any transient failure, as
    /// [`Delivery::AtLeastOnce`]. Checked when the call is made: 1 to 64 of `[a-zA-Z0-9-_]`,
    /// else [`Rejected::DurableExecutionName`](crate::Rejected::DurableExecutionName) and
    /// nothing is sent.
    pub fn durable_execution_name(mut self, name: impl Into<String>) -> Self {
        self.durable_execution_name = Some(name.into());
        self
    }

    /// Invokes a tenant-isolated function for `tenant` (`X-Amz-Tenant-Id`), overriding the
    /// client's tenant ([`ClientBuilder::tenant_id`](crate::ClientBuilder::tenant_id)).
    /// `RequestResponse` and `Event` alike. Checked when the call is made: 1 to 256
    /// characters of `[a-zA-Z0-9._:/=+\-@ ]`, else
    /// [`Rejected::TenantId`](crate::Rejected::TenantId) and nothing is sent.
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }

    /// Limits the whole call, retries included, to `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("qualifier", &self.qualifier)
            .field("log_tail", &self.log_tail)
            .field(
                "client_context",
                &self.client_context.as_ref().map(|_| "<redacted>"),
            )
            .field("timeout", &self.timeout)
            .field("delivery", &self.delivery)
            .field("durable_execution_name", &self.durable_execution_name)
            .field("tenant_id", &self.tenant_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_context_is_base64_json_and_hidden_from_debug() {
        let options = CallOptions::new().client_context(&serde_json::json!({"secret": "s3"}));
        let encoded = options.client_context.clone().unwrap().unwrap();
        let decoded = aws_smithy_types::base64::decode(encoded).unwrap();
        assert_eq!(decoded, br#"{"secret":"s3"}"#);
        let shown = format!("{options:?}");
        assert!(
            shown.contains("<redacted>") && !shown.contains("s3"),
            "{shown}"
        );
    }
}
