//! A request's serialized bytes: one `Vec` up to [`Payload::HEAD`] — every payload Lambda
//! takes inline, serialized exactly as into a `Vec` — and, past it, fixed-size chunks, so
//! that a body bound for the claim check is never held in a `Vec` whose doubling leaves
//! half of its capacity unused (a 50 MiB body was a 100 MiB allocation).

use std::io;

use bytes::Bytes;

/// The bytes a generated method serialized its arguments into (`serde_json` writes through
/// [`io::Write`]).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Payload {
    /// The first [`HEAD`](Self::HEAD) bytes at most.
    head: Vec<u8>,
    /// The bytes past the head, each chunk [`CHUNK`](Self::CHUNK) bytes long but the last.
    chunks: Vec<Bytes>,
    /// The chunk being filled (capacity `CHUNK`).
    current: Vec<u8>,
}

impl Payload {
    /// The head's largest size: Lambda's largest payload (6 MB, synchronous), so that every
    /// payload sent inline with the default limits is one `Vec`, as before.
    pub(crate) const HEAD: usize = crate::client::limits::Limits::SYNC_PAYLOAD;
    /// The size of a chunk past the head.
    pub(crate) const CHUNK: usize = 4 * 1024 * 1024;

    /// An empty payload.
    pub fn new() -> Self {
        Self::default()
    }

    /// The payload's length in bytes.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn len(&self) -> usize {
        self.head.len() + self.chunks.iter().map(Bytes::len).sum::<usize>() + self.current.len()
    }

    /// Whether the payload went past the head.
    #[cfg_attr(
        not(all(feature = "client", feature = "claim-check")),
        allow(dead_code)
    )]
    pub(crate) fn is_chunked(&self) -> bool {
        !self.chunks.is_empty() || !self.current.is_empty()
    }

    /// The payload as one `Vec`: the head itself when it did not go past it (no copy), else
    /// everything copied into one (only a payload over Lambda's limit sent inline — with
    /// raised [`Limits`](crate::Limits) — takes that copy).
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn into_vec(self) -> Vec<u8> {
        if !self.is_chunked() {
            return self.head;
        }
        let mut all = Vec::with_capacity(self.len());
        all.extend_from_slice(&self.head);
        for chunk in &self.chunks {
            all.extend_from_slice(chunk);
        }
        all.extend_from_slice(&self.current);
        all
    }

    /// The payload as a list of cheaply cloned buffers, in order: the head, then the chunks.
    #[cfg_attr(
        not(all(feature = "client", feature = "claim-check")),
        allow(dead_code)
    )]
    pub(crate) fn into_chunks(mut self) -> Vec<Bytes> {
        let mut all = Vec::with_capacity(self.chunks.len() + 2);
        if !self.head.is_empty() {
            all.push(Bytes::from(self.head));
        }
        all.append(&mut self.chunks);
        if !self.current.is_empty() {
            all.push(Bytes::from(self.current));
        }
        all
    }
}

impl From<Vec<u8>> for Payload {
    fn from(head: Vec<u8>) -> Self {
        Self {
            head,
            ..Self::default()
        }
    }
}

impl io::Write for Payload {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    // serde_json writes every token through here: the common case, bytes that fit the head,
    // is inlined into the serializer as `Vec`'s own `write_all` is.
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.chunks.is_empty()
            && self.current.is_empty()
            && buf.len() <= Self::HEAD.saturating_sub(self.head.len())
        {
            self.head.extend_from_slice(buf);
            return Ok(());
        }
        self.write_past_head(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Payload {
    /// [`write_all`](io::Write::write_all) of bytes that do not all fit the head.
    #[inline(never)]
    fn write_past_head(&mut self, mut buf: &[u8]) -> io::Result<()> {
        if self.chunks.is_empty() && self.current.is_empty() {
            let room = Self::HEAD.saturating_sub(self.head.len());
            if buf.len() <= room {
                self.head.extend_from_slice(buf);
                return Ok(());
            }
            let (fits, rest) = buf.split_at(room);
            self.head.extend_from_slice(fits);
            buf = rest;
        }
        while !buf.is_empty() {
            if self.current.capacity() == 0 {
                self.current = Vec::with_capacity(Self::CHUNK);
            }
            let room = Self::CHUNK - self.current.len();
            let (fits, rest) = buf.split_at(room.min(buf.len()));
            self.current.extend_from_slice(fits);
            buf = rest;
            if self.current.len() == Self::CHUNK {
                let full = std::mem::take(&mut self.current);
                self.chunks.push(Bytes::from(full));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::Payload;

    #[test]
    fn bytes_come_back_in_order_whether_chunked_or_not() {
        let body: Vec<u8> = (0..Payload::HEAD + 2 * Payload::CHUNK + 17)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut payload = Payload::new();
        for piece in body.chunks(999_983) {
            payload.write_all(piece).unwrap();
        }
        assert_eq!(payload.len(), body.len());
        assert!(payload.is_chunked());
        let chunks = payload.into_chunks();
        assert_eq!(chunks.len(), 4);
        assert_eq!(chunks.concat(), body);

        let mut payload = Payload::new();
        payload.write_all(&body).unwrap();
        assert_eq!(payload.into_vec(), body);

        let mut small = Payload::new();
        small.write_all(b"{}").unwrap();
        assert!(!small.is_chunked());
        assert_eq!(small.into_vec(), b"{}");
    }

    #[test]
    fn a_head_given_longer_than_the_inline_limit_takes_more_bytes_after_it() {
        let head = vec![b'a'; Payload::HEAD + 1];
        let mut payload = Payload::from(head.clone());
        payload.write_all(b"xyz").unwrap();
        assert_eq!(payload.len(), Payload::HEAD + 4);
        let mut expected = head;
        expected.extend_from_slice(b"xyz");
        assert_eq!(payload.into_vec(), expected);
    }
}
