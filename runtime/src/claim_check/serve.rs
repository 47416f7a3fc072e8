//! The function's side: a request envelope read back before the method runs (the method
//! never runs when it cannot be), and a synchronous result over the threshold put in S3 and
//! answered by its envelope.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::claim_check::config::ClaimCheck;
use crate::claim_check::error::{ClaimCheckError, ClaimCheckErrorKind, Side};
use crate::claim_check::mode::ClaimCheckMode;
use crate::claim_check::reference::Reference;
use crate::claim_check::store::Body;
use crate::client::limits::Limits;
use crate::error::object::ErrorObject;
use crate::spec::MethodSpec;

/// A served call's payload or result that goes through the claim check, read or stored in
/// a future of its own (boxed: only such calls allocate it, and the served future stays
/// shallow).
pub(crate) type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ErrorObject>> + Send>>;

/// For a payload that is a claim-check envelope (known from its first bytes), the future
/// that reads it back and checks it — or refuses it, for a method with
/// `claim_check = "never"` or a function without a claim check; `None` for any other
/// payload, which the method decodes as it came.
pub(crate) fn request(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    tenant: Option<&str>,
    payload: &Bytes,
) -> Option<Pending<Bytes>> {
    if !Reference::is_envelope(payload) {
        return None;
    }
    let refuse = |kind| {
        let object = ClaimCheckError::new(Side::Function, kind)
            .with_reference(payload.clone())
            .error_object();
        let refused: Pending<Bytes> = Box::pin(async move { Err(object) });
        Some(refused)
    };
    if spec.claim_check == ClaimCheckMode::Never {
        return refuse(ClaimCheckErrorKind::Refused);
    }
    let Some(claim_check) = claim_check.cloned() else {
        return refuse(ClaimCheckErrorKind::NotConfigured);
    };
    let (tenant, payload) = (tenant.map(str::to_owned), payload.clone());
    Some(Box::pin(async move {
        claim_check
            .get(Side::Function, tenant.as_deref(), Body::Request, &payload)
            .await
            .map(|(_, body)| body)
            .map_err(|error| error.error_object())
    }))
}

/// For a synchronous method's result over the threshold (6 MB by default), or any result
/// with `claim_check = "always"`, the future that puts it in S3 and answers its envelope;
/// `None` for any other answer, sent as it is.
pub(crate) fn result(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    tenant: Option<&str>,
    answer: &mut Result<Vec<u8>, ErrorObject>,
) -> Option<Pending<Vec<u8>>> {
    let (Some(claim_check), Ok(body)) = (claim_check, &mut *answer) else {
        return None;
    };
    let needed = spec.invocation.is_synchronous()
        && !spec.streaming
        && match spec.claim_check {
            ClaimCheckMode::Never => false,
            ClaimCheckMode::Always => true,
            ClaimCheckMode::Auto => {
                body.len() > claim_check.threshold().unwrap_or(Limits::SYNC_PAYLOAD)
            }
        };
    if !needed {
        return None;
    }
    let (claim_check, tenant, body) = (
        claim_check.clone(),
        tenant.map(str::to_owned),
        std::mem::take(body),
    );
    Some(Box::pin(async move {
        claim_check
            .put(
                Side::Function,
                tenant.as_deref(),
                Body::Result,
                vec![bytes::Bytes::from(body)],
                None,
            )
            .await
            .map(|reference| reference.to_envelope())
            .map_err(|error| error.error_object())
    }))
}
