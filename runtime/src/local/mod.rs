//! An in-process Lambda endpoint on loopback that speaks the real Invoke HTTP API, so the real
//! `aws_sdk_lambda::Client` can be pointed at it in tests: no AWS account, no network.
//!
//! Functions are async Rust [`Handler`]s registered by name, with published versions and
//! aliases. Every name form resolves (`name`, `name:qualifier`, full and partial ARNs,
//! `?Qualifier=`), and the endpoint answers as AWS does: 200/202/204 by invocation type,
//! `X-Amz-Executed-Version`, `X-Amz-Function-Error: Unhandled` with the error object,
//! `X-Amz-Log-Result` on `Tail`, and service errors with AWS's status, `x-amzn-ErrorType` and
//! `{"Type":"User","message":…}` body. Events are queued, retried twice and dead-lettered.
//! Every run is recorded for inspection; [`Flavor::CargoLambda`] emulates `cargo lambda watch`.
//!
//! ```
//! # use std::time::Duration;
//! # use bytes::Bytes;
//! # use lambda_remote_runtime::ErrorObject;
//! # use lambda_remote_runtime::local::{Function, Handler, LocalLambda};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let lambda = LocalLambda::builder()
//!     .json_function("add", |(a, b): (i64, i64)| async move { Ok::<_, ErrorObject>(a + b) })
//!     .function(
//!         Function::new("orders", Handler::new(|inv| async move { Ok(Bytes::copy_from_slice(inv.payload())) }))
//!             .version("1", Handler::new(|_| async { Ok(Bytes::from_static(b"\"v1\"")) }))
//!             .alias("live", "1")
//!             .timeout(Duration::from_millis(200)),
//!     )
//!     .start()
//!     .await?;
//! let out = lambda.sdk_client().invoke().function_name("orders:live").send().await?;
//! assert_eq!(out.executed_version(), Some("1"));
//! # Ok(()) }
//! ```
//!
//! Judgement calls, where AWS leaves room:
//! - An empty request payload reaches the handler as `{}`; an empty handler result is `null`.
//! - A panic is reported as `lambda_runtime` reports it
//!   (`{"errorType":"&alloc::boxed::Box<dyn core::any::Any + core::marker::Send>","errorMessage":"Lambda panicked: …"}`);
//!   a timeout as `Sandbox.Timedout`. Both are function errors (status 200), and count as failed
//!   attempts of an event.
//! - Malformed names, qualifiers, invocation and log types, a qualifier conflict, and a bad
//!   client context are all 400 `InvalidParameterValueException`.
//! - A payload over the limit (sync 6 MB, async configurable) is 413
//!   `RequestEntityTooLargeException`, the code AWS really sends.
//! - `X-Amz-Executed-Version` and `x-amzn-RequestId` come with 200, 202 and 204 alike.
//! - A caller that disconnects cancels its handler; shutting down cancels running events.
//! - Durable functions ([`Function::durable`]): a durable execution's ARN is
//!   `<function ARN>:<version>/durable-execution/<name>/<request id of the first run>`; the
//!   same name with the same payload answers the first run's result (or error) and ARN
//!   without running the function again; with another payload it is 409
//!   `DurableExecutionAlreadyStartedException`. A durable execution name sent to a function
//!   that is not durable is 400 `InvalidParameterValueException`. An `Event` of a known name
//!   and payload is answered 202 and not queued again. An unqualified invocation of a durable
//!   function is 400 `InvalidParameterValueException` ("You cannot invoke a durable function
//!   using an unqualified ARN.", the message Lambda answers); a version, an alias or `$LATEST`
//!   named outright is qualified.
//! - Tenant isolation ([`Function::tenant_isolated`]): an invocation without a tenant id is
//!   400 `InvalidParameterValueException` (AWS documents that a tenant id must be given, not
//!   the code it answers with; this is the code Lambda uses for a missing or invalid
//!   parameter). A malformed durable execution name or tenant id is the same 400, with the
//!   message of AWS's request validation.
//! - Response streaming (`InvokeWithResponseStream`): the same checks and service errors as
//!   Invoke, then 200 `application/vnd.amazon.eventstream`: a `PayloadChunk` per chunk the
//!   handler yields (chunks over 1 MB are cut), sent as it is yielded and read from the
//!   handler only as fast as the caller reads, then `InvokeComplete`. A function error is
//!   reported there with its `errorType` as `ErrorCode` and the whole error object as
//!   `ErrorDetails` (AWS does not document their contents); so are a panic, the function's
//!   timeout (over the whole stream) and a response over
//!   [`Limits::streamed_response`](crate::Limits::streamed_response)
//!   (`Function.ResponseSizeTooLarge`). A buffered handler answers as one chunk; `Invoke` on
//!   a streaming handler reads its chunks into one payload.

mod buffered;
mod durable;
mod emulators;
mod errors;
mod events;
mod execute;
mod flavor;
mod function;
mod function_ref;
mod gate;
mod handler;
mod log;
mod recording;
mod registry;
mod request_id;
mod routes;
mod server;
mod state;
mod streaming;

pub use errors::ServiceError;
pub use events::DeadLetter;
pub use flavor::Flavor;
pub use function::{DEFAULT_TIMEOUT, Function, MAX_TIMEOUT};
pub use handler::{Handler, Invocation};

pub use recording::RecordedInvocation;
pub use server::{LocalLambda, LocalLambdaBuilder};
