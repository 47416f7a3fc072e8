//! Payload and client-context limits checked before a request is sent.

/// Size limits checked before anything is sent; a request over a limit fails with
/// [`Rejected`](crate::Rejected) and never reaches Lambda.
///
/// The defaults are Lambda's published limits: 6 MB (6,291,456 bytes) for a synchronous
/// payload, 1 MB (1,048,576 bytes) for an asynchronous (`Event`) payload — raised from 256 KB
/// in 2025; lower it if your account or region still enforces the old limit —, 3,583 bytes
/// of base64 for the client context, and 200 MB for a streamed response (raised from 20 MB in
/// July 2025).
///
/// Built from [`Limits::default`] and the `with_*` methods, so that a new limit is not a
/// breaking change:
///
/// ```
/// # use lambda_remote_runtime::Limits;
/// let limits = Limits::default().with_async_payload(256 * 1024);
/// assert_eq!(limits.async_payload, 256 * 1024);
/// assert_eq!(limits.sync_payload, Limits::SYNC_PAYLOAD);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest payload of a `RequestResponse` or `DryRun` invocation, in bytes.
    pub sync_payload: usize,
    /// Largest payload of an `Event` invocation, in bytes.
    pub async_payload: usize,
    /// Largest base64-encoded client context, in bytes.
    pub client_context: usize,
    /// Largest streamed response (`InvokeWithResponseStream`), in bytes: enforced by the
    /// local endpoint, as Lambda does (a client cannot know the size before reading).
    pub streamed_response: usize,
}

impl Limits {
    /// Lambda's synchronous payload limit: 6 MB.
    pub const SYNC_PAYLOAD: usize = 6 * 1024 * 1024;
    /// Lambda's asynchronous payload limit since 2025: 1 MB.
    pub const ASYNC_PAYLOAD: usize = 1024 * 1024;
    /// Lambda's client context limit: 3,583 bytes of base64.
    pub const CLIENT_CONTEXT: usize = 3583;
    /// Lambda's default limit of a streamed response: 200 MB since July 2025 (it was 20 MB).
    pub const STREAMED_RESPONSE: usize = 200 * 1024 * 1024;

    /// These limits with `bytes` as the largest synchronous payload.
    #[must_use]
    pub const fn with_sync_payload(mut self, bytes: usize) -> Self {
        self.sync_payload = bytes;
        self
    }

    /// These limits with `bytes` as the largest asynchronous (`Event`) payload.
    #[must_use]
    pub const fn with_async_payload(mut self, bytes: usize) -> Self {
        self.async_payload = bytes;
        self
    }

    /// These limits with `bytes` as the largest base64-encoded client context.
    #[must_use]
    pub const fn with_client_context(mut self, bytes: usize) -> Self {
        self.client_context = bytes;
        self
    }

    /// These limits with `bytes` as the largest streamed response.
    #[must_use]
    pub const fn with_streamed_response(mut self, bytes: usize) -> Self {
        self.streamed_response = bytes;
        self
    }

    /// The payload limit for an invocation type.
    pub const fn payload_limit(&self, invocation: crate::invocation::InvocationType) -> usize {
        match invocation {
            crate::invocation::InvocationType::Event => self.async_payload,
            _ => self.sync_payload,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            sync_payload: Self::SYNC_PAYLOAD,
            async_payload: Self::ASYNC_PAYLOAD,
            client_context: Self::CLIENT_CONTEXT,
            streamed_response: Self::STREAMED_RESPONSE,
        }
    }
}
