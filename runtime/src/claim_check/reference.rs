//! The envelope sent instead of an offloaded body.

use serde::{Deserialize, Serialize};

/// What travels instead of a body that went to S3: one JSON object with a single key,
/// `lambdaRemoteClaimCheck`, so that either side recognises it from its first bytes without
/// parsing anything else:
///
/// ```json
/// {"lambdaRemoteClaimCheck":{"v":1,"s3BucketName":"my-bucket","s3Key":"lambda-remote/claim-check/req/8f…","size":52428802,"sha256":"base64…"}}
/// ```
///
/// `s3BucketName` and `s3Key` are named as in AWS's SQS extended client libraries' pointer; `v`
/// is the envelope's version (a reader refuses one it does not know), `size` the body's length
/// in bytes and `sha256` its SHA-256 (base64), both checked on read. It carries no
/// credentials and no presigned URL: the reader reads with its own permissions, only from its
/// own bucket and prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reference {
    /// The envelope's version: [`Reference::VERSION`].
    #[serde(rename = "v")]
    pub version: u32,
    /// The bucket holding the body.
    #[serde(rename = "s3BucketName")]
    pub bucket: String,
    /// The object's key.
    #[serde(rename = "s3Key")]
    pub key: String,
    /// The body's length in bytes.
    pub size: u64,
    /// The body's SHA-256, base64.
    pub sha256: String,
}

/// The envelope's one key, as the JSON starts: how a payload or result is recognised.
pub(crate) const ENVELOPE_START: &[u8] = b"{\"lambdaRemoteClaimCheck\":";

#[derive(Serialize, Deserialize)]
struct Envelope<R> {
    #[serde(rename = "lambdaRemoteClaimCheck")]
    reference: R,
}

impl Reference {
    /// The envelope version this library writes and reads.
    pub const VERSION: u32 = 1;

    /// Whether `body` is an envelope (it starts as one; [`Reference::from_envelope`] reads it).
    pub fn is_envelope(body: &[u8]) -> bool {
        body.starts_with(ENVELOPE_START)
    }

    /// The envelope's JSON bytes.
    pub fn to_envelope(&self) -> Vec<u8> {
        serde_json::to_vec(&Envelope { reference: self }).unwrap_or_default()
    }

    /// Reads an envelope; the message says what is wrong with one that does not read, or
    /// whose version is not [`Reference::VERSION`].
    pub fn from_envelope(body: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Versioned {
            v: u32,
        }
        let versioned: Envelope<Versioned> = serde_json::from_slice(body)
            .map_err(|e| format!("the claim-check envelope does not read: {e}"))?;
        if versioned.reference.v != Self::VERSION {
            return Err(format!(
                "the claim-check envelope is of version {}; this reader knows version {}",
                versioned.reference.v,
                Self::VERSION
            ));
        }
        let envelope: Envelope<Self> = serde_json::from_slice(body)
            .map_err(|e| format!("the claim-check envelope does not read: {e}"))?;
        Ok(envelope.reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_round_trips_and_is_recognised_by_its_start() {
        let reference = Reference {
            version: 1,
            bucket: "b".into(),
            key: "p/req/00".into(),
            size: 3,
            sha256: "x".into(),
        };
        let envelope = reference.to_envelope();
        assert_eq!(
            envelope,
            br#"{"lambdaRemoteClaimCheck":{"v":1,"s3BucketName":"b","s3Key":"p/req/00","size":3,"sha256":"x"}}"#
        );
        assert!(Reference::is_envelope(&envelope));
        assert!(!Reference::is_envelope(b"{\"lambdaRemoteClaimCheck\" :1}"));
        assert_eq!(Reference::from_envelope(&envelope).unwrap(), reference);
        let newer = br#"{"lambdaRemoteClaimCheck":{"v":2,"somethingElse":true}}"#;
        assert_eq!(
            Reference::from_envelope(newer).unwrap_err(),
            "the claim-check envelope is of version 2; this reader knows version 1"
        );
        assert!(
            Reference::from_envelope(br#"{"lambdaRemoteClaimCheck":{"v":1}}"#)
                .unwrap_err()
                .starts_with("the claim-check envelope does not read: missing field")
        );
    }
}
