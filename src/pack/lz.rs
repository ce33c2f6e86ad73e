//! LZ77 over a primed window: the dictionary (`dict.rs`) sits before the text, so a copy can
//! point into it from the first byte on. Tokens: `0` + a literal, or `1` + distance (as many bits
//! as the position needs) + length (Elias gamma). The encoder picks the cheapest parse exactly
//! (a backward pass over bit costs); the decoder checks every copy against the window and the
//! announced length, so no input can read outside the window or write past that length.

use super::bits::{Reader, Short, Writer};

/// Shortest copy.
const MIN: usize = 3;
/// Longest copy (bounds the search on long repeats).
const LONGEST: usize = 1024;
/// Earlier positions with the same three bytes examined per position (bounds hostile input).
const CHAIN: usize = 256;
/// Copy lengths tried per position besides the longest (bounds the parse on long repeats).
const LENGTHS: usize = 64;
/// Literals with a short code (`0` + 4 bits); any other ASCII byte is `1` + 7 bits.
const SHORT: &[u8; 16] = b"0123456789 .\n_=:";
const HASH_BITS: u32 = 12;

/// Why a token stream is not a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bad {
    /// It ends before the announced length.
    Short,
    /// A copy reaches before the window or past the announced length.
    Damaged,
}

impl From<Short> for Bad {
    fn from(_: Short) -> Bad {
        Bad::Short
    }
}

/// Bits of a distance at window position `pos` (distances 1..=pos).
fn width(pos: usize) -> u32 {
    usize::BITS - (pos.max(1) - 1).leading_zeros()
}

fn lit_bits(b: u8) -> u32 {
    if SHORT.contains(&b) {
        5
    } else {
        8
    }
}

fn put_lit(w: &mut Writer, b: u8) {
    match SHORT.iter().position(|s| *s == b) {
        Some(i) => w.put(i as u32, 5),
        None => w.put(0x80 | u32::from(b), 8),
    }
}

fn get_lit(r: &mut Reader) -> Result<u8, Short> {
    Ok(match r.bit()? {
        0 => SHORT[r.get(4)? as usize],
        _ => r.get(7)? as u8,
    })
}

fn gamma_bits(v: usize) -> u32 {
    2 * (usize::BITS - v.leading_zeros()) - 1
}

fn hash(b: &[u8]) -> usize {
    let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// Chain position `p` in under its first three bytes.
fn insert(buf: &[u8], head: &mut [usize], prev: &mut [usize], p: usize) {
    if let Some(w) = buf.get(p..p + MIN) {
        let h = hash(w);
        prev[p] = head[h];
        head[h] = p;
    }
}

/// The longest earlier match at every text position: (length, distance); length 0 for none.
fn matches(dict: &[u8], text: &[u8]) -> Vec<(usize, usize)> {
    let mut buf = dict.to_vec();
    buf.extend_from_slice(text);
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; buf.len()];
    for p in 0..dict.len() {
        insert(&buf, &mut head, &mut prev, p);
    }
    let mut out = Vec::with_capacity(text.len());
    for i in 0..text.len() {
        let at = dict.len() + i;
        let most = (text.len() - i).min(LONGEST);
        let mut best = (0, 0);
        let mut j = buf.get(at..at + MIN).map_or(usize::MAX, |w| head[hash(w)]);
        for _ in 0..CHAIN {
            if j == usize::MAX || best.0 == most {
                break;
            }
            let mut l = 0;
            while l < most && buf[j + l] == buf[at + l] {
                l += 1;
            }
            if l > best.0 {
                best = (l, at - j);
            }
            j = prev[j];
        }
        out.push(if best.0 >= MIN { best } else { (0, 0) });
        insert(&buf, &mut head, &mut prev, at);
    }
    out
}

/// Write `text` as tokens after `dict`, choosing the parse with the fewest bits.
pub fn compress(dict: &[u8], text: &[u8], w: &mut Writer) {
    let found = matches(dict, text);
    let n = text.len();
    let mut cost = vec![0u32; n + 1];
    let mut take = vec![0usize; n];
    for i in (0..n).rev() {
        cost[i] = 1 + lit_bits(text[i]) + cost[i + 1];
        let (len, _) = found[i];
        let head = 1 + width(dict.len() + i);
        let mut k = MIN;
        while k <= len {
            let c = head + gamma_bits(k - MIN + 1) + cost[i + k];
            if c < cost[i] {
                (cost[i], take[i]) = (c, k);
            }
            // Every length up to MIN + LENGTHS, then only the longest.
            k = if k == MIN + LENGTHS {
                len.max(k + 1)
            } else {
                k + 1
            };
        }
    }
    let mut i = 0;
    while i < n {
        let at = dict.len() + i;
        match take[i] {
            0 => {
                w.put(0, 1);
                put_lit(w, text[i]);
                i += 1;
            }
            k => {
                w.put(1, 1);
                w.put((found[i].1 - 1) as u32, width(at));
                w.gamma((k - MIN + 1) as u32);
                i += k;
            }
        }
    }
}

/// Read tokens until `len` bytes of text, with `dict` before them as the window.
pub fn decompress(dict: &[u8], r: &mut Reader, len: usize) -> Result<Vec<u8>, Bad> {
    let mut buf = Vec::with_capacity(dict.len() + len);
    buf.extend_from_slice(dict);
    let end = dict.len() + len;
    while buf.len() < end {
        if r.bit()? == 0 {
            buf.push(get_lit(r)?);
            continue;
        }
        let dist = r.get(width(buf.len()))? as usize + 1;
        let k = r.gamma()? as usize + MIN - 1;
        if dist > buf.len() || k > end - buf.len() {
            return Err(Bad::Damaged);
        }
        let from = buf.len() - dist;
        for x in from..from + k {
            buf.push(buf[x]);
        }
    }
    Ok(buf.split_off(dict.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(dict: &[u8], text: &[u8]) -> String {
        let mut w = Writer::default();
        compress(dict, text, &mut w);
        let s = w.finish();
        let mut r = Reader::new(&s).unwrap();
        assert_eq!(decompress(dict, &mut r, text.len()).unwrap(), text);
        s
    }

    #[test]
    fn texts_round_trip_with_and_without_a_dictionary() {
        let dict = b"users: clients rate=";
        round(dict, b"");
        round(dict, b"a");
        round(
            b"x",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        );
        round(dict, b"users: clients rate=10; users: clients rate=20");
        let long: Vec<u8> = (0..9000u32)
            .map(|i| b"ab c;de"[(i * i % 7) as usize])
            .collect();
        round(dict, &long);
    }

    #[test]
    fn the_dictionary_makes_known_words_cheap() {
        let dict = b"users: clients rate=";
        let with = round(dict, b"users: clients rate=5");
        let without = round(b"-", b"users: clients rate=5");
        assert!(with.len() * 3 < without.len(), "{with} vs {without}");
    }

    #[test]
    fn copies_outside_the_window_or_past_the_end_are_refused() {
        // `1`, distance 7 (3 bits at position 5: past the start), length 3.
        let mut w = Writer::default();
        w.put(1, 1);
        w.put(6, 3);
        w.gamma(1);
        let s = w.finish();
        let mut r = Reader::new(&s).unwrap();
        assert_eq!(decompress(b"abcde", &mut r, 3), Err(Bad::Damaged));
        // A copy of 4 where only 2 bytes are announced.
        let mut w = Writer::default();
        w.put(1, 1);
        w.put(0, 3);
        w.gamma(2);
        let s = w.finish();
        let mut r = Reader::new(&s).unwrap();
        assert_eq!(decompress(b"abcde", &mut r, 2), Err(Bad::Damaged));
        let mut r = Reader::new("").unwrap();
        assert_eq!(decompress(b"abcde", &mut r, 1), Err(Bad::Short));
    }
}
