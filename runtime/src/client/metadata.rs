//! What a response says about the invocation besides its payload.

use std::fmt;

/// Facts about an invocation taken from the response: status, executed version, request id
/// and, when asked for, the log tail.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseMetadata {
    pub(crate) status: u16,
    pub(crate) executed_version: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) log_tail: Option<LogTail>,
    pub(crate) durable_execution_arn: Option<String>,
}

impl ResponseMetadata {
    /// The HTTP status Lambda answered with (200, 202 or 204 on success).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The version of the function that ran (`X-Amz-Executed-Version`), e.g. `$LATEST` or `3`.
    pub fn executed_version(&self) -> Option<&str> {
        self.executed_version.as_deref()
    }

    /// The request id Lambda assigned (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The ARN of the durable execution the call started or found
    /// (`X-Amz-Durable-Execution-Arn`), when the function is durable.
    pub fn durable_execution_arn(&self) -> Option<&str> {
        self.durable_execution_arn.as_deref()
    }

    /// The last 4 KB of the execution log, when the call asked for `Tail`.
    pub fn log_tail(&self) -> Option<&LogTail> {
        self.log_tail.as_ref()
    }
}

impl fmt::Debug for ResponseMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMetadata")
            .field("status", &self.status)
            .field("executed_version", &self.executed_version)
            .field("request_id", &self.request_id)
            .field("log_tail", &self.log_tail)
            .field("durable_execution_arn", &self.durable_execution_arn)
            .finish()
    }
}

/// The tail of a function's execution log (`X-Amz-Log-Result`), decoded from base64.
///
/// Logs can hold secrets (a function that prints its environment, say), so `Debug` shows only
/// the length; read the text with [`LogTail::text`] or [`LogTail::as_bytes`].
#[derive(Clone, PartialEq, Eq)]
pub struct LogTail {
    bytes: Vec<u8>,
}

impl LogTail {
    /// Decodes the base64 header value. Returns the raw header bytes when they are not base64,
    /// so nothing is lost.
    #[cfg(feature = "client")]
    pub(crate) fn from_header(value: &str) -> Self {
        let bytes = aws_smithy_types::base64::decode(value.trim())
            .unwrap_or_else(|_| value.as_bytes().to_vec());
        Self { bytes }
    }

    /// The log as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The log as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

impl fmt::Debug for LogTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LogTail(<{} bytes redacted>)", self.bytes.len())
    }
}

/// A successful call's decoded output together with its [`ResponseMetadata`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invoked<T> {
    /// The decoded result.
    pub output: T,
    /// What the response said about the invocation.
    pub metadata: ResponseMetadata,
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    #[test]
    fn log_tail_decodes_base64_and_keeps_undecodable_values() {
        let tail = LogTail::from_header("aGVsbG8gbG9n");
        assert_eq!(tail.text(), "hello log");
        let raw = LogTail::from_header("not base64!");
        assert_eq!(raw.as_bytes(), b"not base64!");
    }

    #[test]
    fn log_tail_debug_redacts_the_text() {
        let tail = LogTail::from_header("c2VjcmV0PWh1bnRlcjI=");
        let shown = format!("{tail:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("14 bytes"), "{shown}");
        let meta = ResponseMetadata {
            log_tail: Some(tail),
            ..Default::default()
        };
        assert!(!format!("{meta:?}").contains("hunter2"));
    }
}
