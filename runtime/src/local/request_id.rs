//! Request ids shaped like Lambda's (UUIDs), unique within the process.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh UUID-shaped id: random bits, then a process-wide counter that keeps it unique.
pub(crate) fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(count);
    format_id(hasher.finish(), count)
}

/// `xxxxxxxx-xxxx-4xxx-axxx-xxxxxxxxxxxx`: 32 bits of `random`, 16 more, `4` and 12 more (a
/// version-4 UUID's shape), `a` and the counter's bits 48–59, then its low 48 bits. Written
/// digit by digit: `format!` cost every invocation of the local endpoint ~3k instructions.
fn format_id(random: u64, count: u64) -> String {
    fn hex(out: &mut Vec<u8>, value: u64, digits: u32) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        for shift in (0..digits).rev() {
            out.push(DIGITS[((value >> (4 * shift)) & 0xf) as usize]);
        }
    }
    let mut out = Vec::with_capacity(36);
    hex(&mut out, random >> 32, 8);
    out.push(b'-');
    hex(&mut out, (random >> 16) & 0xffff, 4);
    out.extend_from_slice(b"-4");
    hex(&mut out, (random >> 4) & 0xfff, 3);
    out.extend_from_slice(b"-a");
    hex(&mut out, (count >> 48) & 0xfff, 3);
    out.push(b'-');
    hex(&mut out, count & 0xffff_ffff_ffff, 12);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_uuid_shape_the_format_macro_gave() {
        for (random, count) in [
            (0, 0),
            (u64::MAX, u64::MAX),
            (0x0123_4567_89ab_cdef, 42),
            (0xfedc_ba98_7654_3210, 0x0abc_0000_0000_1234),
        ] {
            let expected = format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                random >> 32,
                (random >> 16) & 0xffff,
                (random >> 4) & 0xfff,
                (count >> 48) & 0xfff,
                count & 0xffff_ffff_ffff
            );
            assert_eq!(format_id(random, count), expected);
        }
        let a = new_request_id();
        assert_eq!(a.len(), 36);
        assert_ne!(a, new_request_id());
    }
}
