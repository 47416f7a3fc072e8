//! Issue 23's early check: what of aws-sdk-s3 (default features off, the client built by the
//! test) works against moto_server 5.2.1's S3: path-style addressing, the SDK's default
//! request and response checksums, a 50 MB PutObject, GetObject streamed, DeleteObject,
//! object tags, and the SHA-256 checksum the claim check sends.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, ChecksumMode, Tag};

use crate::s3proxy::S3Proxy;

const MB: usize = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_against_motos_s3() {
    let Some((_moto, addr)) = crate::moto("early").await else {
        return;
    };
    let proxy = S3Proxy::start(addr).await;
    let s3 = crate::s3_client(&proxy.url);
    s3.create_bucket().bucket("early").send().await.unwrap();

    // 50 MB through PutObject with the SDK's default request checksum (CRC32, aws-chunked).
    let body: Vec<u8> = (0..50 * MB).map(|i| (i % 251) as u8).collect();
    let put = s3
        .put_object()
        .bucket("early")
        .key("p/big")
        .body(ByteStream::from(body.clone()))
        .tagging("lambda-remote=claim-check")
        .send()
        .await
        .unwrap();
    assert!(put.checksum_crc32().is_some(), "{put:?}");
    // Path-style: the bucket is the path's first segment.
    assert_eq!(proxy.count(http::Method::PUT, "/early/p/big"), 1);

    // GetObject streamed, the response checksum validated by the SDK (checksum mode).
    let got = s3
        .get_object()
        .bucket("early")
        .key("p/big")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_length(), Some((50 * MB) as i64));
    let mut stream = got.body;
    let mut read = 0usize;
    let mut same = true;
    while let Some(chunk) = stream.try_next().await.unwrap() {
        same &= chunk[..] == body[read..read + chunk.len()];
        read += chunk.len();
    }
    assert_eq!(read, 50 * MB);
    assert!(same);

    // The SHA-256 checksum: given by the sender, checked by moto on upload, echoed on read.
    let digest = aws_smithy_types::base64::encode(sha256(b"{\"a\":1}"));
    s3.put_object()
        .bucket("early")
        .key("p/sha")
        .body(ByteStream::from_static(b"{\"a\":1}"))
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .checksum_sha256(&digest)
        .send()
        .await
        .unwrap();
    let head = s3
        .get_object()
        .bucket("early")
        .key("p/sha")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(head.checksum_sha256(), Some(digest.as_str()));
    // A wrong SHA-256 is *not* refused by moto 5.2.1 (AWS refuses it with BadDigest): the
    // claim check cannot rely on S3 to check what it stores, and checks on read itself.
    let wrong = s3
        .put_object()
        .bucket("early")
        .key("p/wrong")
        .body(ByteStream::from_static(b"{\"a\":2}"))
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .checksum_sha256(&digest)
        .send()
        .await;
    assert!(
        wrong.is_ok(),
        "moto now checks checksum_sha256: {:?}",
        wrong.map_err(aws_sdk_s3::error::DisplayErrorContext)
    );

    // Tags: written with PutObject (`x-amz-tagging`), read back.
    let tags = s3
        .get_object_tagging()
        .bucket("early")
        .key("p/big")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tag_set(),
        [Tag::builder()
            .key("lambda-remote")
            .value("claim-check")
            .build()
            .unwrap()]
    );

    // DeleteObject, then GetObject is NoSuchKey.
    s3.delete_object()
        .bucket("early")
        .key("p/big")
        .send()
        .await
        .unwrap();
    let gone = s3
        .get_object()
        .bucket("early")
        .key("p/big")
        .send()
        .await
        .unwrap_err();
    assert!(
        gone.as_service_error().is_some_and(|e| e.is_no_such_key()),
        "{gone:?}"
    );
    // Every request arrived path-style (CreateBucket first), one each.
    let arrived: Vec<_> = proxy
        .arrived()
        .into_iter()
        .map(|a| format!("{} {} {}", a.method, a.path, a.query.unwrap_or_default()))
        .collect();
    assert_eq!(
        arrived,
        [
            "PUT /early/ ",
            "PUT /early/p/big x-id=PutObject",
            "GET /early/p/big x-id=GetObject",
            "PUT /early/p/sha x-id=PutObject",
            "GET /early/p/sha x-id=GetObject",
            "PUT /early/p/wrong x-id=PutObject",
            "GET /early/p/big tagging",
            "DELETE /early/p/big x-id=DeleteObject",
            "GET /early/p/big x-id=GetObject",
        ]
    );
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}
