//! The served side: the configuration a keyed method's handler is given, and the hook that
//! runs the method at most once per key.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::FutureExt as _;
use serde_json::value::RawValue;

use crate::error::object::ErrorObject;
use crate::idempotency::IdempotencyError;
use crate::idempotency::key::{hex_sha256, scoped_id};
use crate::idempotency::store::{IdempotencyStore, Record, Started, Status};
use crate::serve::context::InvocationContext;

/// What a served method does when its store fails to record the start of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum OnStoreFailure {
    /// Answer [`STORE_UNAVAILABLE_ERROR_TYPE`](super::STORE_UNAVAILABLE_ERROR_TYPE) and do not
    /// run the method (the default: fail closed).
    #[default]
    FailClosed,
    /// Run the method without deduplication: a call sent again may then run it again.
    RunWithoutDedup,
}

/// How a served method deduplicates its keyed calls: the store, and how long records count.
/// Cheap to clone (clones share the store). Give it to each keyed method's handler with
/// [`MethodHandler::idempotency`](crate::serve::method::MethodHandler::idempotency).
#[derive(Debug, Clone)]
pub struct Idempotency {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn IdempotencyStore>,
    completed_ttl: Duration,
    max_in_progress: Duration,
    on_store_failure: OnStoreFailure,
}

impl Idempotency {
    /// Records in `store`, with the default times (completed records count for 1 hour; a call
    /// whose deadline is unknown counts as in progress for at most 15 minutes).
    pub fn new(store: impl IdempotencyStore + 'static) -> Self {
        Self::builder(store).build()
    }

    /// A builder over `store`.
    pub fn builder(store: impl IdempotencyStore + 'static) -> IdempotencyBuilder {
        IdempotencyBuilder::from_arc(Arc::new(store))
    }

    /// A builder over a shared store.
    pub fn builder_from_arc(store: Arc<dyn IdempotencyStore>) -> IdempotencyBuilder {
        IdempotencyBuilder::from_arc(store)
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn IdempotencyStore> {
        &self.inner.store
    }

    /// How long a completed call's record counts.
    pub fn completed_ttl(&self) -> Duration {
        self.inner.completed_ttl
    }

    /// How long a call whose invocation has no known deadline counts as in progress.
    pub fn max_in_progress(&self) -> Duration {
        self.inner.max_in_progress
    }

    /// What happens when the store fails.
    pub fn on_store_failure(&self) -> OnStoreFailure {
        self.inner.on_store_failure
    }
}

/// Builds an [`Idempotency`].
#[derive(Debug)]
pub struct IdempotencyBuilder {
    store: Arc<dyn IdempotencyStore>,
    completed_ttl: Duration,
    max_in_progress: Duration,
    on_store_failure: OnStoreFailure,
}

impl IdempotencyBuilder {
    fn from_arc(store: Arc<dyn IdempotencyStore>) -> Self {
        Self {
            store,
            completed_ttl: Duration::from_secs(3600),
            max_in_progress: Duration::from_secs(900),
            on_store_failure: OnStoreFailure::FailClosed,
        }
    }

    /// How long a completed call's record counts (1 hour by default): a call of its key
    /// within that time gets the stored result; later, it runs again.
    pub fn completed_ttl(mut self, ttl: Duration) -> Self {
        self.completed_ttl = ttl;
        self
    }

    /// How long a call counts as in progress when its invocation has no known deadline (as
    /// under `cargo lambda watch`); 15 minutes (Lambda's longest timeout) by default. With a
    /// deadline, the record counts until the deadline.
    pub fn max_in_progress(mut self, max: Duration) -> Self {
        self.max_in_progress = max;
        self
    }

    /// What happens when the store fails ([`OnStoreFailure::FailClosed`] by default).
    pub fn on_store_failure(mut self, on_failure: OnStoreFailure) -> Self {
        self.on_store_failure = on_failure;
        self
    }

    /// The configuration.
    pub fn build(self) -> Idempotency {
        Idempotency {
            inner: Arc::new(Inner {
                store: self.store,
                completed_ttl: self.completed_ttl,
                max_in_progress: self.max_in_progress,
                on_store_failure: self.on_store_failure,
            }),
        }
    }
}

/// What a handler's invocation knows for the hook: its configuration and the function its
/// method calls by default (the scope when the invocation names none).
#[derive(Clone)]
pub(crate) struct Served {
    pub(crate) config: Option<Idempotency>,
    pub(crate) function: &'static str,
}

tokio::task_local! {
    static SERVED: Served;
}

/// Runs `future` with `served` available to [`idempotent`].
pub(crate) fn scope<F: Future>(served: Served, future: F) -> impl Future<Output = F::Output> {
    SERVED.scope(served, future)
}

/// `at`, rounded up to whole seconds (what a DynamoDB TTL attribute holds): a record never
/// expires before the time it was given.
fn whole_seconds_up(at: SystemTime) -> SystemTime {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() + u64::from(since.subsec_nanos() > 0);
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// What generated code calls for a keyed method: runs `body` unless a call of `key` ran or
/// runs (see the [module](super) for the store requests of each case).
#[doc(hidden)]
pub async fn idempotent<F>(
    payload: &[u8],
    key: String,
    body: F,
) -> Result<Box<RawValue>, ErrorObject>
where
    F: Future<Output = Result<Box<RawValue>, ErrorObject>> + Send,
{
    let Ok(served) = SERVED.try_with(Served::clone) else {
        return Err(IdempotencyError::NotConfigured.object(None));
    };
    let Some(config) = served.config else {
        return Err(IdempotencyError::NotConfigured.object(None));
    };
    let context = InvocationContext::current();
    let invoked = context
        .as_ref()
        .and_then(|c| lambda_remote_names::FunctionName::parse(c.invoked_function_arn()).ok());
    let default = lambda_remote_names::FunctionName::parse(served.function).ok();
    let name = invoked.as_ref().or(default.as_ref());
    let function = name.map_or(served.function, |n| n.function());
    let qualifier = name.and_then(|n| n.qualifier());
    let tenant = context.as_ref().and_then(InvocationContext::tenant_id);
    let id = scoped_id(function, qualifier, tenant, &key);
    let payload_hash = hex_sha256(payload);
    let now = SystemTime::now();
    let deadline = context
        .as_ref()
        .and_then(InvocationContext::deadline)
        .filter(|deadline| *deadline > now)
        .unwrap_or(now + config.max_in_progress());
    let record = Record::in_progress(id.clone(), payload_hash.clone(), whole_seconds_up(deadline));
    let store = config.store();
    match store.start(&record, now).await {
        Err(error) => match config.on_store_failure() {
            OnStoreFailure::FailClosed => {
                tracing::warn!(error = %chain(&error), "idempotency store failed; the method does not run");
                Err(IdempotencyError::StoreUnavailable.object(Some(chain(&error))))
            }
            OnStoreFailure::RunWithoutDedup => {
                tracing::warn!(error = %chain(&error), "idempotency store failed; running without deduplication");
                body.await
            }
        },
        Ok(Started::Existing(existing)) => {
            if existing.payload_hash != payload_hash {
                return Err(IdempotencyError::KeyReused.object(None));
            }
            match (existing.status, existing.result) {
                (Status::Completed, Some(result)) => stored_json(result),
                (Status::Completed, None) => Err(IdempotencyError::ResultNotKept.object(None)),
                (Status::InProgress, _) => Err(IdempotencyError::InProgress.object(None)),
            }
        }
        Ok(Started::New) => {
            let outcome = std::panic::AssertUnwindSafe(body).catch_unwind().await;
            match outcome {
                Ok(Ok(result)) => {
                    let encoded = result.get().as_bytes();
                    let kept = (encoded.len() <= store.max_result_size()).then_some(encoded);
                    let expires = whole_seconds_up(SystemTime::now() + config.completed_ttl());
                    if let Err(error) = store.complete(&id, kept, expires).await {
                        tracing::warn!(error = %chain(&error), "idempotency store failed to complete a record; it stays in progress until it expires");
                    }
                    Ok(result)
                }
                Ok(Err(object)) => {
                    forget(store.as_ref(), &id).await;
                    Err(object)
                }
                Err(panic) => {
                    forget(store.as_ref(), &id).await;
                    std::panic::resume_unwind(panic)
                }
            }
        }
    }
}

/// A stored result as the JSON it was encoded to. The store gives back what the run encoded;
/// bytes that are no longer JSON (a store changed behind our back) are a store failure, never
/// an answer, and travel in the error's message.
fn stored_json(result: Vec<u8>) -> Result<Box<RawValue>, ErrorObject> {
    let text = String::from_utf8(result).map_err(|error| {
        let detail = format!(
            "the stored result is not UTF-8 ({error}): {}",
            String::from_utf8_lossy(error.as_bytes())
        );
        IdempotencyError::StoreUnavailable.object(Some(detail))
    })?;
    RawValue::from_string(text.clone()).map_err(|error| {
        let detail = format!("the stored result is not JSON ({error}): {text}");
        IdempotencyError::StoreUnavailable.object(Some(detail))
    })
}

/// Deletes the record of a failed run, so that a later call runs again.
async fn forget(store: &dyn IdempotencyStore, id: &str) {
    if let Err(error) = store.delete(id).await {
        tracing::warn!(error = %chain(&error), "idempotency store failed to delete the record of a failed call; it counts as in progress until it expires");
    }
}

/// An error and its sources, joined by `: `.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
