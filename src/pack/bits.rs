//! Bits straight into base64url characters and back (6 bits a character, most significant first,
//! no padding): the compact form never rounds to bytes, so a link carries only the bits it needs.

/// The base64url alphabet (RFC 4648 §5): every character is unreserved in a URL.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Writes bits, most significant first, into base64url text.
#[derive(Default)]
pub struct Writer {
    out: String,
    acc: u32,
    n: u32,
}

impl Writer {
    /// Append the low `bits` bits of `v` (`bits` at most 24).
    pub fn put(&mut self, v: u32, bits: u32) {
        for i in (0..bits).rev() {
            self.acc = (self.acc << 1) | ((v >> i) & 1);
            self.n += 1;
            if self.n == 6 {
                self.out.push(ALPHABET[self.acc as usize] as char);
                (self.acc, self.n) = (0, 0);
            }
        }
    }

    /// Elias gamma code of `v` (at least 1): `v`'s bit length minus one zeros, then `v`.
    pub fn gamma(&mut self, v: u32) {
        let width = 32 - v.leading_zeros();
        self.put(0, width - 1);
        self.put(v, width);
    }

    /// The text, the last character padded with zero bits.
    pub fn finish(mut self) -> String {
        if self.n > 0 {
            let pad = 6 - self.n;
            self.put(0, pad);
        }
        self.out
    }
}

/// Why bits could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Short {
    /// The text ended before the bits asked for.
    End,
}

/// Reads bits, most significant first, from base64url text checked by `Reader::new`.
pub struct Reader<'a> {
    text: &'a [u8],
    /// Bits read so far.
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader, or the index and character of the first character outside the alphabet.
    pub fn new(text: &'a str) -> Result<Reader<'a>, (usize, char)> {
        match text
            .char_indices()
            .find(|(_, c)| sextet(*c as u32).is_none())
        {
            Some((i, c)) => Err((i, c)),
            None => Ok(Reader {
                text: text.as_bytes(),
                pos: 0,
            }),
        }
    }

    /// One bit.
    pub fn bit(&mut self) -> Result<u32, Short> {
        let c = *self.text.get(self.pos / 6).ok_or(Short::End)?;
        let v = sextet(c as u32).ok_or(Short::End)?;
        let b = (v >> (5 - self.pos % 6)) & 1;
        self.pos += 1;
        Ok(b)
    }

    /// `bits` bits (at most 24) as a number.
    pub fn get(&mut self, bits: u32) -> Result<u32, Short> {
        let mut v = 0;
        for _ in 0..bits {
            v = (v << 1) | self.bit()?;
        }
        Ok(v)
    }

    /// An Elias gamma code (see `Writer::gamma`); longer than 24 bits reads as the end.
    pub fn gamma(&mut self) -> Result<u32, Short> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 23 {
                return Err(Short::End);
            }
        }
        Ok((1 << zeros) | self.get(zeros)?)
    }

    /// What is left after the last token: whole characters, and whether the padding bits are zero.
    pub fn rest(&mut self) -> (usize, bool) {
        let total = self.text.len() * 6;
        let pad_end = self.pos.div_ceil(6) * 6;
        let mut zero = true;
        while self.pos < pad_end.min(total) {
            zero &= self.bit() == Ok(0);
        }
        ((total - pad_end.min(total)) / 6, zero)
    }
}

/// The value of a base64url character.
fn sextet(c: u32) -> Option<u32> {
    let c = char::from_u32(c)?;
    match c {
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        'a'..='z' => Some(c as u32 - 'a' as u32 + 26),
        '0'..='9' => Some(c as u32 - '0' as u32 + 52),
        '-' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_and_pad_with_zeros() {
        let mut w = Writer::default();
        w.put(0b101, 3);
        w.gamma(1);
        w.gamma(300);
        w.put(0xABCDE, 20);
        let s = w.finish();
        let mut r = Reader::new(&s).unwrap();
        assert_eq!(r.get(3), Ok(0b101));
        assert_eq!(r.gamma(), Ok(1));
        assert_eq!(r.gamma(), Ok(300));
        assert_eq!(r.get(20), Ok(0xABCDE));
        assert_eq!(r.rest(), (0, true));
        assert_eq!(r.bit(), Err(Short::End));
    }

    #[test]
    fn every_character_of_the_alphabet_reads_back() {
        for (i, c) in ALPHABET.iter().enumerate() {
            assert_eq!(sextet(*c as u32), Some(i as u32));
        }
        assert_eq!(Reader::new("ab=c").err(), Some((2, '=')));
        assert_eq!(Reader::new("aé").err(), Some((1, 'é')));
    }
}
