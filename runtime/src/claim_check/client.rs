//! The caller's side: a request over the threshold put in S3 before the call (its envelope
//! sent instead), the request object deleted once the call's outcome is final, and a result
//! reference read back (then deleted).

use std::convert::Infallible;

use bytes::Bytes;

use crate::claim_check::config::ClaimCheck;
use crate::claim_check::error::{ClaimCheckError, ClaimCheckErrorKind, Side};
use crate::claim_check::mode::ClaimCheckMode;
use crate::claim_check::reference::Reference;
use crate::claim_check::store::Body;
use crate::client::limits::Limits;
use crate::client::payload::Payload;
use crate::delivery::Redelivery;
use crate::error::InvokeError;
use crate::invocation::InvocationType;
use crate::spec::MethodSpec;

/// A request body that went to S3 for one call: its reference, and whether the caller may
/// delete it once the call's outcome is final.
pub(crate) struct Offloaded {
    reference: Reference,
    /// An `Event` call (Lambda may run it again later, for hours) or a durable execution
    /// (replays read it again): left to the bucket's lifecycle rule.
    keep: bool,
}

/// The body to send for `spec`'s call: `payload` as it is, or — over the threshold, or with
/// `claim_check = "always"` — the envelope of the object it was put in (one `PutObject`;
/// under a key derived from the body for a durable execution, named by `durable`, so that
/// a repeated call of the execution sends the same envelope).
/// A payload that needs the claim check on a client without one is refused (with
/// `always`) or left to the usual payload limit (with `auto`).
pub(crate) async fn offload(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    limits: &Limits,
    tenant: Option<&str>,
    durable: Option<&str>,
    payload: Payload,
) -> Result<(Vec<u8>, Option<Offloaded>), InvokeError<Infallible>> {
    let needed = match spec.claim_check {
        ClaimCheckMode::Never => false,
        ClaimCheckMode::Always => true,
        ClaimCheckMode::Auto => {
            let threshold = claim_check
                .and_then(ClaimCheck::threshold)
                .unwrap_or_else(|| limits.payload_limit(spec.invocation));
            payload.len() > threshold
        }
    };
    if !needed {
        return Ok((payload.into_vec(), None));
    }
    let Some(claim_check) = claim_check else {
        if spec.claim_check == ClaimCheckMode::Always {
            return Err(InvokeError::ClaimCheck(Box::new(ClaimCheckError::new(
                Side::Client,
                ClaimCheckErrorKind::NotConfigured,
            ))));
        }
        return Ok((payload.into_vec(), None));
    };
    let reference = claim_check
        .put(
            Side::Client,
            tenant,
            Body::Request,
            payload.into_chunks(),
            durable.map(|name| (spec.function, name)),
        )
        .await
        .map_err(|e| InvokeError::ClaimCheck(Box::new(e)))?;
    let keep = !spec.invocation.is_synchronous() || durable.is_some();
    Ok((reference.to_envelope(), Some(Offloaded { reference, keep })))
}

/// After a call whose request went to S3: deletes the object once nothing will read it again
/// — the call is synchronous, not durable, and its outcome says the function finished or
/// never ran (a success, a function error, a service error, an answer that did not decode).
/// After a timeout or a transport failure the function may still be running and reading it:
/// it is left to the lifecycle rule, as `Event` and durable calls' objects are.
pub(crate) async fn finish(
    claim_check: Option<&ClaimCheck>,
    offloaded: Option<Offloaded>,
    outcome: Outcome,
) {
    let (Some(claim_check), Some(offloaded)) = (claim_check, offloaded) else {
        return;
    };
    let delete = match outcome {
        Outcome::NeverSent => true,
        Outcome::Final => !offloaded.keep,
        Outcome::MayStillRun => false,
    };
    if delete {
        claim_check.delete(&offloaded.reference).await;
    }
}

/// What a call's outcome says about its request object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Refused before sending (a check after the put): nothing will ever read it.
    NeverSent,
    /// The function finished, or never ran, and the call will not be sent again.
    Final,
    /// A timeout or a transport failure after the request was written: the function may
    /// still be running.
    MayStillRun,
}

impl Outcome {
    pub(crate) fn of<T>(outcome: &Result<T, InvokeError<Infallible>>) -> Self {
        match outcome {
            Err(InvokeError::Rejected(_)) => Self::NeverSent,
            Err(error @ (InvokeError::Timeout(_) | InvokeError::Transport(_)))
                if error.redelivery() != Redelivery::Safe =>
            {
                Self::MayStillRun
            }
            _ => Self::Final,
        }
    }
}

/// A synchronous result as the method decodes it: a result reference read back from S3
/// (checked, then deleted), or the payload as it came.
pub(crate) async fn receive(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    invocation: InvocationType,
    tenant: Option<&str>,
    payload: Bytes,
) -> Result<Bytes, InvokeError<Infallible>> {
    if !invocation.is_synchronous()
        || spec.claim_check == ClaimCheckMode::Never
        || !Reference::is_envelope(&payload)
    {
        return Ok(payload);
    }
    let Some(claim_check) = claim_check else {
        return Err(InvokeError::ClaimCheck(Box::new(
            ClaimCheckError::new(Side::Client, ClaimCheckErrorKind::NotConfigured)
                .with_reference(payload),
        )));
    };
    let (reference, body) = claim_check
        .get(Side::Client, tenant, Body::Result, &payload)
        .await
        .map_err(|e| InvokeError::ClaimCheck(Box::new(e)))?;
    claim_check.delete(&reference).await;
    Ok(body)
}

/// A function error the function reported as [`CLAIM_CHECK_ERROR_TYPE`]
/// (crate::claim_check::CLAIM_CHECK_ERROR_TYPE): the claim check failed there.
pub(crate) fn function_side<T>(
    outcome: Result<T, InvokeError<Infallible>>,
) -> Result<T, InvokeError<Infallible>> {
    match outcome {
        Err(InvokeError::UnmappedFunction(failure)) => {
            match ClaimCheckError::from_failure(failure) {
                Ok(error) => Err(InvokeError::ClaimCheck(Box::new(error))),
                Err(failure) => Err(InvokeError::UnmappedFunction(failure)),
            }
        }
        other => other,
    }
}
