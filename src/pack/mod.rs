//! Compact link values for long text settings (a `system` design), pure. A link may carry
//! `design~=1…` instead of `design=<percent-encoded text>`: the key with a `~`, then a version
//! character and base64url. Version 1: the text's length (5-bit groups with a continue bit),
//! a 12-bit check of the text, then LZ77 tokens over a window primed with the design language
//! (`lz.rs`, `dict.rs`), all as bits straight into base64url (`bits.rs`). Links we write use
//! the compact pair only where it is shorter (`write_pair`); the plain `design=` always works.
//! Reading is hostile-input safe: the length is announced and capped before anything is
//! decoded, every copy is checked against the window, and every failure is a sentence.

mod bits;
mod dict;
mod lz;

use crate::sim::params::shorten;
use bits::{Reader, Writer};
use lz::Bad;

/// Marks a compact pair's key: `design~` carries `design`.
pub const MARK: char = '~';
/// The version character this build writes; the only one it reads.
pub const VERSION: char = '1';
/// Longest text a compact value may expand to, in bytes (no decompression bombs).
pub const MAX_TEXT: usize = 65_536;
/// Longest compact value read, in characters (a text of `MAX_TEXT` literals fits).
const MAX_PACKED: usize = 2 * MAX_TEXT;
/// Values shorter than this are never worth packing (the header alone is 4 or 5 characters).
const WORTH: usize = 24;
const CHECK_BITS: u32 = 12;

/// `text` as a compact value (`1` then base64url), or None when it is not ASCII or too long.
pub fn pack(text: &str) -> Option<String> {
    if !text.is_ascii() || text.len() > MAX_TEXT {
        return None;
    }
    let mut w = Writer::default();
    let mut n = text.len() as u32;
    loop {
        let more = n >= 32;
        w.put(u32::from(more) << 5 | (n & 31), 6);
        n >>= 5;
        if !more {
            break;
        }
    }
    w.put(check(text.as_bytes()), CHECK_BITS);
    lz::compress(dict::V1, text.as_bytes(), &mut w);
    Some(format!("{VERSION}{}", w.finish()))
}

/// The text a compact value carries, or a sentence saying what is wrong with it.
pub fn unpack(value: &str) -> Result<String, String> {
    let body = match value.strip_prefix(VERSION) {
        Some(b) => b,
        None => return Err(version_error(value)),
    };
    if body.len() > MAX_PACKED {
        return Err(format!(
            "the compact value is {} characters long, more than the {MAX_PACKED} read",
            value.len()
        ));
    }
    let mut r = Reader::new(body).map_err(|(i, c)| {
        format!(
            "the compact value holds `{}` at character {}, where only letters, digits, `-` and `_` belong",
            shorten(&c.to_string()),
            i + 2
        )
    })?;
    let len = length(&mut r)?;
    let want = r.get(CHECK_BITS).map_err(|_| cut_short())?;
    let bytes = lz::decompress(dict::V1, &mut r, len).map_err(|e| match e {
        Bad::Short => cut_short(),
        Bad::Damaged => damaged("a copy in it points outside the text"),
    })?;
    match r.rest() {
        (0, true) => {}
        (0, false) => return Err(damaged("its last character has stray bits")),
        (n, _) => return Err(damaged(&format!("{n} characters follow its end"))),
    }
    if check(&bytes) != want {
        return Err(damaged("its check does not match the text it holds"));
    }
    String::from_utf8(bytes).map_err(|_| damaged("it does not hold UTF-8 text"))
}

/// The announced length: 5-bit groups, least significant first, each after a continue bit.
fn length(r: &mut Reader) -> Result<usize, String> {
    let mut n = 0usize;
    for group in 0..4 {
        let g = r.get(6).map_err(|_| cut_short())? as usize;
        n |= (g & 31) << (5 * group);
        if g < 32 {
            return match n {
                n if n > MAX_TEXT => Err(format!(
                    "the compact value would expand to {n} bytes, more than the {MAX_TEXT} allowed"
                )),
                n => Ok(n),
            };
        }
    }
    Err(damaged("its length does not end"))
}

/// 12 bits of FNV-1a over the text.
fn check(text: &[u8]) -> u32 {
    let h = text.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    });
    (h ^ h >> 12 ^ h >> 24) & ((1 << CHECK_BITS) - 1)
}

fn version_error(value: &str) -> String {
    match value.chars().next() {
        None => "the compact value is empty".into(),
        Some(c) => format!(
            "the compact value starts with `{}`, and only version `{VERSION}` exists",
            shorten(&c.to_string())
        ),
    }
}

fn cut_short() -> String {
    "the compact value is cut short (was the link copied whole?)".into()
}

fn damaged(why: &str) -> String {
    format!("the compact value is damaged: {why}")
}

/// How a link writes the pair `k=v`: `k~=<packed>` when that is shorter percent-encoded than the
/// plain pair, or when `spaces_forbidden` and `v` holds whitespace (an embed's `params`
/// attribute separates its pairs by spaces); otherwise None (write it plain).
pub fn write_pair(k: &str, v: &str, spaces_forbidden: bool) -> Option<(String, String)> {
    let must = spaces_forbidden && v.contains(char::is_whitespace);
    if k.ends_with(MARK) || (v.len() < WORTH && !must) {
        return None;
    }
    let packed = pack(v)?;
    let plain = crate::route::encode(k).len() + crate::route::encode(v).len();
    (must || k.len() + 1 + packed.len() < plain).then(|| (format!("{k}{MARK}"), packed))
}

/// How a pair read from a link is meant: `k~=<packed>` is `k=<text>`. Anything else, including
/// a compact value that does not unpack, comes back as it was (`problem` names what is wrong).
pub fn read_pair(k: String, v: String) -> (String, String) {
    match k.strip_suffix(MARK).map(|base| (base, unpack(&v))) {
        Some((base, Ok(text))) if !base.is_empty() => (base.to_string(), text),
        _ => (k, v),
    }
}

/// What is wrong with a pair that `read_pair` left alone, when it is a compact pair, and what
/// is valid.
pub fn problem(k: &str, v: &str) -> Option<String> {
    let base = shorten(k.strip_suffix(MARK)?);
    let why = match unpack(v) {
        Err(e) => e,
        Ok(_) if base.is_empty() => "a compact pair needs the setting's name before `~`".into(),
        Ok(_) => return None,
    };
    Some(format!(
        "{why}; valid is the value Share writes after `{base}~=` (`{VERSION}` then letters, digits, `-` and `_`), or the text itself as `{base}=`"
    ))
}

/// The notice for a compact pair a link could not use: it names the pair and `problem`.
pub fn dropped(k: &str, v: &str) -> Option<String> {
    let p = problem(k, v)?;
    Some(format!("`{}={}` was dropped: {p}.", shorten(k), shorten(v)))
}

#[cfg(test)]
mod tests;
