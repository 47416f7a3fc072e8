//! The guide: lambda-remote chapter by chapter.
//!
//! Each chapter is a module of this one, with nothing in it but its text; every Rust block in
//! it compiles (and most run) as a doctest of the crate, so what the guide shows is what the
//! crate does. Read them in order the first time:
//!
//! 1. [The contract](contract): a `#[lambda_remote]` trait, its methods, arguments, results and
//!    keys; the generated client, its builder and the names it calls; trait objects.
//! 2. [Invocation types](invocation_types): `RequestResponse`, `Event`, `DryRun` and streams;
//!    per-call options and what a response says besides its result.
//! 3. [Typed errors](typed_errors): the function's errors as your own enum, and
//!    [`InvokeError`](crate::InvokeError) for everything else.
//! 4. [Delivery](delivery): when a call is sent again, and when it never is.
//! 5. [Timeouts and limits](timeouts_and_limits): what bounds a call, what is refused before
//!    sending.
//! 6. [Streaming](streaming): responses read while the function produces them.
//! 7. [Serving the same trait](serving): the function's side, on `lambda_runtime`.
//! 8. [Testing](testing): fakes, typed mocks, the local endpoint, and the real emulators
//!    (`cargo lambda watch`, moto).
//! 9. [Durable names and tenants](durable_and_tenants): durable executions and tenant isolation.
//! 10. [The contract as data](contract_as_data): the description of a contract, its JSON
//!     Schemas, and what a new version breaks.
//! 11. [Observability](observability): spans, trace propagation, and what never gets logged.
//! 12. [Deploying](deploying): a workspace laid out for Lambda, `cargo lambda build`, the
//!     callers' IAM policy and a SAM template written from the contract.
//! 13. [Idempotency keys](idempotency): keyed calls sent again safely, the served method run
//!     once per key (an in-memory or a DynamoDB store).
//! 14. [The claim check](claim_check): requests and results past Lambda's payload limits
//!     through your S3 bucket.
//! 15. [OpenTelemetry](opentelemetry): one trace from the caller through the function,
//!     metrics, deadlines that travel, and the load a client holds.
//!
//! The rules a contract follows are listed on [`lambda_remote`](crate::lambda_remote) and shown
//! by their mistakes in [`rules`](crate::rules).
//!
//! # Compared with calling `aws-sdk-lambda` by hand
//!
//! | by hand | lambda-remote |
//! |---|---|
//! | build the payload with `serde_json::to_vec` and a `Blob` | arguments are the payload |
//! | check `function_error()` on every 200 and parse the error object yourself | typed errors by `errorType`, unmapped ones kept whole |
//! | match `InvokeError`'s ~50 variants; `RequestEntityTooLargeException` arrives as `Unhandled` | one [`ServiceErrorKind`](crate::error::ServiceErrorKind), both wire names recognised |
//! | the SDK retries a function error answered with 500 (emulators) three times | function errors are never retried |
//! | the SDK sends a synchronous call again after a reset, a cut-off response or a timeout: the function may run twice | at most once by default; at least once per client, method or call |
//! | no timeout guidance; names are checked only by the service | timeouts per client, method or call, none that cuts a 15-minute function short; names validated at compile time and at build time |
//! | tests need AWS or Docker | [`local`](crate::local) on loopback, or a fake implementation of the trait |
//!
//! # Measured, not assumed
//!
//! The repository's `BENCHMARKS.md` measures the generated client against the hand-written
//! `aws-sdk-lambda` call in the same run — per-call overhead, 1,000 calls in flight, 5 MB
//! payloads, streamed responses, and the compile time of a 100-method trait — with the command
//! that produced each figure. `FAULTS.md` is the fault matrix: throttling, 5xx, resets,
//! truncation, stalls, odd bodies, streams cut, stalled or broken mid-way, with the exact number
//! of requests and function runs under each delivery mode, each an automated test through the
//! real SDK.

#[doc = include_str!("contract.md")]
pub mod contract {}

#[doc = include_str!("invocation_types.md")]
pub mod invocation_types {}

#[doc = include_str!("typed_errors.md")]
pub mod typed_errors {}

#[doc = include_str!("delivery.md")]
pub mod delivery {}

#[doc = include_str!("timeouts_and_limits.md")]
pub mod timeouts_and_limits {}

#[doc = include_str!("streaming.md")]
pub mod streaming {}

#[doc = include_str!("serving.md")]
pub mod serving {}

#[doc = include_str!("testing.md")]
pub mod testing {}

#[doc = include_str!("durable_and_tenants.md")]
pub mod durable_and_tenants {}

#[doc = include_str!("contract_as_data.md")]
pub mod contract_as_data {}

#[doc = include_str!("observability.md")]
pub mod observability {}

#[doc = include_str!("deploying.md")]
pub mod deploying {}

#[doc = include_str!("idempotency.md")]
pub mod idempotency {}

#[doc = include_str!("claim_check.md")]
pub mod claim_check {}

#[doc = include_str!("opentelemetry.md")]
pub mod opentelemetry {}
