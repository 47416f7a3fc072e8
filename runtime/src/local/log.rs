//! The execution log of one run, framed by START/END/REPORT lines like Lambda's, and its tail.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How much of the log `X-Amz-Log-Result` carries.
const TAIL_BYTES: usize = 4096;

/// A log shared between the endpoint and the running handler.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExecutionLog(Arc<Mutex<String>>);

impl ExecutionLog {
    pub(crate) fn line(&self, line: &str) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        log.push_str(line);
        log.push('\n');
    }

    pub(crate) fn start(&self, request_id: &str, version: &str) {
        self.line(&format!("START RequestId: {request_id} Version: {version}"));
    }

    /// Writes END and REPORT (memory figures are placeholders) and returns the whole log.
    pub(crate) fn finish(&self, request_id: &str, duration: Duration) -> String {
        let millis = duration.as_secs_f64() * 1000.0;
        self.line(&format!("END RequestId: {request_id}"));
        self.line(&format!(
            "REPORT RequestId: {request_id}\tDuration: {millis:.2} ms\tBilled Duration: {} ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t",
            duration.as_millis() + 1
        ));
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Base64 of the last 4 KB of `log`, as `X-Amz-Log-Result` carries it.
pub(crate) fn tail_base64(log: &str) -> String {
    let bytes = log.as_bytes();
    aws_smithy_types::base64::encode(&bytes[bytes.len().saturating_sub(TAIL_BYTES)..])
}
