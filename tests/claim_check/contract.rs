//! The contract the claim-check tests serve on the local endpoint and call through the
//! generated client; its implementation counts each method's runs where they run.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_remote::{FunctionError, InvokeError, ResponseStream, lambda_remote};

#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum DocError {
    #[error("the document is empty")]
    Empty,
}

#[lambda_remote(server)]
pub trait Docs {
    /// Answers `"<length of doc>:"` followed by `result_len` copies of `doc`'s first byte.
    #[lambda(function = "docs-echo")]
    async fn echo(&self, doc: String, result_len: usize) -> Result<String, InvokeError<DocError>>;

    #[lambda(function = "docs-never", claim_check = "never")]
    async fn never(&self, doc: String) -> Result<usize, InvokeError>;

    #[lambda(function = "docs-always", claim_check = "always")]
    async fn always(&self, doc: String) -> Result<String, InvokeError>;

    /// Fails (a function error: Lambda runs it twice more) when `doc` starts with `fail`.
    #[lambda(function = "docs-event", invocation = "event")]
    async fn event(&self, doc: String) -> Result<(), InvokeError<DocError>>;

    /// Streams `doc`'s length, then `count` numbers.
    #[lambda(function = "docs-lines", invocation = "stream")]
    async fn lines(&self, doc: String, count: usize) -> Result<ResponseStream<usize>, InvokeError>;
}

/// Runs per method, where they run, and the lengths of the documents they saw.
#[derive(Default)]
pub struct DocsImpl {
    pub runs: [AtomicUsize; 5],
    pub seen: Mutex<Vec<usize>>,
}

impl DocsImpl {
    pub fn runs(&self) -> [usize; 5] {
        self.runs.each_ref().map(|r| r.load(Ordering::SeqCst))
    }

    fn ran(&self, method: usize, doc: &str) {
        self.runs[method].fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(doc.len());
        // In a function process of its own (under cargo lambda watch): one line per run.
        if let Ok(file) = std::env::var(crate::watch::RUNS_FILE_ENV) {
            use std::io::Write as _;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .unwrap();
            writeln!(file, "{method}").unwrap();
        }
    }
}

/// What `echo` answers.
pub fn echoed(doc: &str, result_len: usize) -> String {
    let first = doc.chars().next().unwrap_or('-');
    let mut out = format!("{}:", doc.len());
    out.extend(std::iter::repeat_n(first, result_len));
    out
}

impl Docs for DocsImpl {
    async fn echo(&self, doc: String, result_len: usize) -> Result<String, InvokeError<DocError>> {
        self.ran(0, &doc);
        if doc.is_empty() {
            return Err(DocError::Empty.into());
        }
        Ok(echoed(&doc, result_len))
    }

    async fn never(&self, doc: String) -> Result<usize, InvokeError> {
        self.ran(1, &doc);
        Ok(doc.len())
    }

    async fn always(&self, doc: String) -> Result<String, InvokeError> {
        self.ran(2, &doc);
        Ok(doc.to_uppercase())
    }

    async fn event(&self, doc: String) -> Result<(), InvokeError<DocError>> {
        self.ran(3, &doc);
        if doc.starts_with("fail") {
            return Err(DocError::Empty.into());
        }
        Ok(())
    }

    async fn lines(&self, doc: String, count: usize) -> Result<ResponseStream<usize>, InvokeError> {
        self.ran(4, &doc);
        Ok(ResponseStream::from_items(
            std::iter::once(doc.len()).chain(0..count),
        ))
    }
}
