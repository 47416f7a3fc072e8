//! The function's side: a request envelope read back before the method runs (the method
//! never runs when it cannot be), and a synchronous result over the threshold put in S3 and
//! answered by its envelope.

use bytes::Bytes;

use crate::claim_check::config::ClaimCheck;
use crate::claim_check::error::{ClaimCheckError, ClaimCheckErrorKind, Side};
use crate::claim_check::mode::ClaimCheckMode;
use crate::claim_check::reference::Reference;
use crate::claim_check::store::Body;
use crate::client::limits::Limits;
use crate::error::object::ErrorObject;
use crate::spec::MethodSpec;

/// The payload the method decodes: the body a request envelope refers to, read and checked,
/// or the payload as it came (any payload that does not start as an envelope, at the cost
/// of comparing its first bytes).
pub(crate) async fn request(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    tenant: Option<&str>,
    payload: Bytes,
) -> Result<Bytes, ErrorObject> {
    if !Reference::is_envelope(&payload) {
        return Ok(payload);
    }
    let refuse = |kind| {
        ClaimCheckError::new(Side::Function, kind)
            .with_reference(payload.clone())
            .error_object()
    };
    if spec.claim_check == ClaimCheckMode::Never {
        return Err(refuse(ClaimCheckErrorKind::Refused));
    }
    let Some(claim_check) = claim_check else {
        return Err(refuse(ClaimCheckErrorKind::NotConfigured));
    };
    match claim_check
        .get(Side::Function, tenant, Body::Request, &payload)
        .await
    {
        Ok((_, body)) => Ok(body),
        Err(error) => Err(error.error_object()),
    }
}

/// The answer to send for a synchronous method's `result`: over the threshold (6 MB by
/// default) or with `claim_check = "always"`, the envelope of the object it was put in.
pub(crate) async fn result(
    claim_check: Option<&ClaimCheck>,
    spec: &MethodSpec,
    tenant: Option<&str>,
    result: Result<Vec<u8>, ErrorObject>,
) -> Result<Vec<u8>, ErrorObject> {
    let (Some(claim_check), Ok(body)) = (claim_check, &result) else {
        return result;
    };
    let needed = spec.invocation.is_synchronous()
        && match spec.claim_check {
            ClaimCheckMode::Never => false,
            ClaimCheckMode::Always => true,
            ClaimCheckMode::Auto => {
                body.len() > claim_check.threshold().unwrap_or(Limits::SYNC_PAYLOAD)
            }
        };
    if !needed {
        return result;
    }
    let body = result?;
    match claim_check
        .put(Side::Function, tenant, Body::Result, body)
        .await
    {
        Ok(reference) => Ok(reference.to_envelope()),
        Err(error) => Err(error.error_object()),
    }
}
