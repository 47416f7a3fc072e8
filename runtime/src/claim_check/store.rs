//! The S3 side of the claim check: one `PutObject` per offloaded body, one `GetObject` per
//! read (streamed, hashed as it arrives, into one buffer of the announced size), one
//! `DeleteObject` per object the caller may delete.

use aws_sdk_s3::config::ResponseChecksumValidation;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ChecksumAlgorithm;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use sha2::Digest as _;

use crate::claim_check::config::ClaimCheck;
use crate::claim_check::error::{ClaimCheckError, ClaimCheckErrorKind, Side};
use crate::claim_check::names::TAG_KEY;
use crate::claim_check::reference::Reference;

/// Which body an object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    Request,
    Result,
}

impl Body {
    fn segment(self) -> &'static str {
        match self {
            Self::Request => "req/",
            Self::Result => "res/",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Result => "result",
        }
    }
}

/// One PutObject body of `chunks`, in order, that the SDK can send again (a retry, a
/// redirect): each attempt streams cheap clones of the same buffers, never a copy of them.
fn byte_stream(mut chunks: Vec<Bytes>) -> ByteStream {
    if chunks.len() == 1 {
        return ByteStream::from(chunks.remove(0));
    }
    ByteStream::new(SdkBody::retryable(move || {
        let frames = chunks
            .clone()
            .into_iter()
            .map(|chunk| Ok::<_, std::convert::Infallible>(http_body::Frame::data(chunk)));
        SdkBody::from_body_1_x(http_body_util::StreamBody::new(futures_util::stream::iter(
            frames,
        )))
    }))
}

/// Random hex characters in a key: 128 bits from the operating system.
const RANDOM_HEX: usize = 32;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl ClaimCheck {
    /// The prefix of `body`'s keys for `tenant`: `<prefix>[tenant/<hex>/]req/` or `…res/`.
    pub(crate) fn key_prefix_for(&self, tenant: Option<&str>, body: Body) -> String {
        let mut prefix = self.inner.prefix.clone();
        if let Some(tenant) = tenant {
            prefix.push_str("tenant/");
            prefix.push_str(&hex(tenant.as_bytes()));
            prefix.push('/');
        }
        prefix.push_str(body.segment());
        prefix
    }

    /// Puts `body` in S3: one `PutObject`, with its SHA-256 (S3 checks it where it can), the
    /// tag the lifecycle rule matches and the configured encryption. Under a new random key;
    /// or, for a durable execution (`durable`: its function and name), under a key derived
    /// from them and the body's SHA-256, so that a repeated call of the same execution with
    /// the same body sends the same reference (and overwrites the same object).
    pub(crate) async fn put(
        &self,
        side: Side,
        tenant: Option<&str>,
        kind: Body,
        body: Vec<Bytes>,
        durable: Option<(&str, &str)>,
    ) -> Result<Reference, ClaimCheckError> {
        let inner = &self.inner;
        let mut hasher = sha2::Sha256::new();
        for chunk in &body {
            hasher.update(chunk);
        }
        let digest = hasher.finalize();
        let mut random = [0u8; RANDOM_HEX / 2];
        match durable {
            Some((function, name)) => {
                let derived = sha2::Sha256::new()
                    .chain_update(b"lambda-remote claim check, durable request key, v1\0")
                    .chain_update(function.as_bytes())
                    .chain_update(b"\0")
                    .chain_update(name.as_bytes())
                    .chain_update(b"\0")
                    .chain_update(digest)
                    .finalize();
                random.copy_from_slice(&derived[..RANDOM_HEX / 2]);
            }
            None => getrandom::fill(&mut random).map_err(|e| {
                ClaimCheckError::new(side, ClaimCheckErrorKind::Put)
                    .with_source(format!("no random key: {e}"))
            })?,
        }
        let key = format!("{}{}", self.key_prefix_for(tenant, kind), hex(&random));
        let sha256 = aws_smithy_types::base64::encode(digest);
        let size = body.iter().map(|chunk| chunk.len() as u64).sum::<u64>();
        let mut put = inner
            .s3
            .put_object()
            .bucket(&inner.bucket)
            .key(&key)
            .content_type("application/json")
            .content_length(i64::try_from(size).unwrap_or(i64::MAX))
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .checksum_sha256(&sha256)
            .tagging(format!("{TAG_KEY}={}", kind.tag()))
            .body(byte_stream(body));
        if let Some(sse) = &inner.sse {
            put = put.server_side_encryption(sse.clone());
        }
        if let Some(key_id) = &inner.kms_key_id {
            put = put.ssekms_key_id(key_id);
        }
        if let Some(enabled) = inner.bucket_key_enabled {
            put = put.bucket_key_enabled(enabled);
        }
        // The body's integrity travels in the signed `x-amz-checksum-sha256` header, which S3
        // checks: signing the payload as well would hash the whole body a second time.
        put.customize()
            .disable_payload_signing()
            .send()
            .await
            .map_err(|e| {
                ClaimCheckError::new(side, ClaimCheckErrorKind::Put)
                    .at(&inner.bucket, &key)
                    .with_source(e)
            })?;
        Ok(Reference {
            version: Reference::VERSION,
            bucket: inner.bucket.clone(),
            key,
            size,
            sha256,
        })
    }

    /// Reads the body `envelope` refers to: refused when outside this side's bucket and the
    /// prefix of `body`'s keys for `tenant`, or over the maximum; then one `GetObject`,
    /// streamed into one buffer, its length and SHA-256 checked against the reference.
    pub(crate) async fn get(
        &self,
        side: Side,
        tenant: Option<&str>,
        kind: Body,
        envelope: &Bytes,
    ) -> Result<(Reference, Bytes), ClaimCheckError> {
        let inner = &self.inner;
        let fail = |kind| ClaimCheckError::new(side, kind).with_reference(envelope.clone());
        let reference = Reference::from_envelope(envelope)
            .map_err(|e| fail(ClaimCheckErrorKind::Envelope(e)))?;
        let at = |error: ClaimCheckError| error.at(&reference.bucket, &reference.key);
        let prefix = self.key_prefix_for(tenant, kind);
        let inside = reference.bucket == inner.bucket
            && reference.key.strip_prefix(&prefix).is_some_and(|random| {
                random.len() == RANDOM_HEX
                    && random
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
        if !inside {
            return Err(at(fail(ClaimCheckErrorKind::Outside)));
        }
        let too_large = |size| {
            at(fail(ClaimCheckErrorKind::TooLarge {
                size,
                max: inner.max_object_size,
            }))
        };
        if reference.size > inner.max_object_size {
            return Err(too_large(reference.size));
        }
        let output = inner
            .s3
            .get_object()
            .bucket(&reference.bucket)
            .key(&reference.key)
            // The SHA-256 of the whole body is checked below against the reference's (which
            // also covers an object stored without a checksum): the SDK's own validation of
            // the checksum S3 returns would hash the body a second time.
            .customize()
            .config_override(
                aws_sdk_s3::Config::builder()
                    .response_checksum_validation(ResponseChecksumValidation::WhenRequired),
            )
            .send()
            .await
            .map_err(|e| {
                let missing = e.as_service_error().is_some_and(|e| e.is_no_such_key());
                let kind = if missing {
                    ClaimCheckErrorKind::Missing
                } else {
                    ClaimCheckErrorKind::Get
                };
                at(fail(kind)).with_source(e)
            })?;
        let announced = output
            .content_length()
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(reference.size);
        if announced > inner.max_object_size {
            return Err(too_large(announced));
        }
        let size_error = |actual| {
            at(fail(ClaimCheckErrorKind::Size {
                expected: reference.size,
                actual,
            }))
        };
        if announced != reference.size {
            return Err(size_error(announced));
        }
        let mut body = Vec::with_capacity(usize::try_from(reference.size).unwrap_or(0));
        let mut hasher = sha2::Sha256::new();
        let mut stream = output.body;
        loop {
            match stream.try_next().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > reference.size {
                        return Err(size_error((body.len() + chunk.len()) as u64));
                    }
                    hasher.update(&chunk);
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(at(fail(ClaimCheckErrorKind::Get)).with_source(e));
                }
            }
        }
        if body.len() as u64 != reference.size {
            return Err(size_error(body.len() as u64));
        }
        let actual = aws_smithy_types::base64::encode(hasher.finalize());
        if actual != reference.sha256 {
            return Err(at(fail(ClaimCheckErrorKind::Checksum {
                expected: reference.sha256.clone(),
                actual,
            })));
        }
        Ok((reference, Bytes::from(body)))
    }

    /// Deletes an object this side wrote or read; a failure is only logged (the lifecycle
    /// rule removes what is left).
    #[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
    pub(crate) async fn delete(&self, reference: &Reference) {
        let deleted = self
            .inner
            .s3
            .delete_object()
            .bucket(&reference.bucket)
            .key(&reference.key)
            .send()
            .await;
        if let Err(e) = deleted {
            tracing::warn!(
                bucket = %reference.bucket,
                key = %reference.key,
                error = %aws_sdk_s3::error::DisplayErrorContext(e),
                "lambda-remote: could not delete a claim-check object; the bucket's lifecycle rule will"
            );
        }
    }
}
