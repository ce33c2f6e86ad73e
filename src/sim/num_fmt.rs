//! `f64` to decimal text, without the standard library's float formatting.
//!
//! Any `{}`, `{:?}` or `{:.N}` of an `f64` or `f32` links `core::num::flt2dec` (Grisu with a
//! Dragon4 fallback, in shortest and exact variants): about 15 KB of wasm code against our size
//! budget (issue 9), for numbers that are SVG coordinates, milliseconds, ratios and slider values.
//! The two formatters here use integer arithmetic on the float's exact binary value instead, so
//! wasm code never formats a float with `core::fmt` (native-only code such as the CLI still may):
//!
//! - [`Fixed`]`(x, p)`: exactly `p` decimals (at most 17), the same text as `format!("{x:.p$}")`
//!   (the exact value rounded half to even), except that a negative value that rounds to zero
//!   prints without its sign: `0.0`, not `-0.0`.
//! - [`Short`]`(x)`: the fewest decimals that read back as the same `f64`, the same text as `{}`
//!   (integers without a point, `-0` for negative zero) for every value from 1e-5 up to 2^53.
//!   Above 2^53 it prints the shortest digits padded with zeros as `{}` does (`1e21` is a 1
//!   and 21 zeros) when those digits are below 2^53 and the zeros at most 22, else every digit
//!   of the exact integer (where `{}` would print 17 digits and zeros). Below 1e-5, a value
//!   that needs more than 22 decimals prints rounded to 22 decimals (so anything under 5e-23
//!   prints as `0`); such text still reads back within 1e-22 of the value.
//!
//! Both never panic and print `NaN`, `inf` and `-inf` as `{}` does; both honour a width, fill
//! and alignment (`{:>10}`), aligning right by default like numbers. Native and wasm builds
//! print the same text. An `f32` goes in as `f64::from(x)` (exact): `Fixed` then prints what
//! `{:.N}` prints for the `f32`, while `Short` prints the `f64`'s digits (the same for whole
//! numbers; other `f32`s, such as SVG coordinates, use `Fixed`).

use std::fmt::{self, Display, Formatter, Write};

/// Most decimals [`Fixed`] prints: the decimals of a fraction then stay below 10^17 < 2^64.
pub const MAX_FIXED: u8 = 17;
/// Most decimals [`Short`] tries: a 53-bit numerator times 10^22 still fits in a `u128`.
const MAX_SHORT: u8 = 22;
/// 2^53: from here on every `f64` is an even integer.
const TWO_53: f64 = 9_007_199_254_740_992.0;

/// `x` with exactly `p` decimals (`p` above [`MAX_FIXED`] counts as [`MAX_FIXED`]); see the
/// module documentation.
#[derive(Clone, Copy, Debug)]
pub struct Fixed(pub f64, pub u8);

/// The shortest decimal text that reads back as `x`; see the module documentation.
#[derive(Clone, Copy, Debug)]
pub struct Short(pub f64);

impl Display for Fixed {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        padded(f, |out| self.write_to(out))
    }
}

impl Display for Short {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        padded(f, |out| self.write_to(out))
    }
}

impl Fixed {
    fn write_to(&self, out: &mut dyn Write) -> fmt::Result {
        let Fixed(x, p) = *self;
        if !x.is_finite() {
            return out.write_str(non_finite(x));
        }
        let d = Decimal::round(x.abs(), p.min(MAX_FIXED));
        if x < 0.0 && !d.is_zero() {
            out.write_str("-")?;
        }
        d.write(out)
    }
}

impl Short {
    fn write_to(&self, out: &mut dyn Write) -> fmt::Result {
        let x = self.0;
        if !x.is_finite() {
            return out.write_str(non_finite(x));
        }
        if x.is_sign_negative() {
            out.write_str("-")?;
        }
        let a = x.abs();
        if a >= TWO_53 {
            return write_big_short(out, a);
        }
        shortest(a).trimmed().write(out)
    }
}

fn non_finite(x: f64) -> &'static str {
    if x.is_nan() {
        "NaN"
    } else if x > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// Writes with `write` straight to `f`, or, if it has a width, to a string that is then padded
/// with the formatter's fill and alignment, sign-aware like an integer (`{:08}` puts the zeros
/// after a '-', and numbers align right by default).
fn padded(f: &mut Formatter<'_>, write: impl Fn(&mut dyn Write) -> fmt::Result) -> fmt::Result {
    if f.width().is_none() {
        return write(f);
    }
    let mut text = String::new();
    write(&mut text)?;
    match text.strip_prefix('-') {
        Some(digits) => f.pad_integral(false, "", digits),
        None => f.pad_integral(true, "", &text),
    }
}

/// A non-negative decimal `m·2^e + frac/10^p` (`frac < 10^p`).
struct Decimal {
    m: u64,
    e: u32,
    frac: u64,
    p: u8,
}

impl Decimal {
    /// `a` (finite, >= 0) rounded to `p <= MAX_FIXED` decimals, half to even on its exact value.
    fn round(a: f64, p: u8) -> Decimal {
        let (m, e) = split(a);
        if e >= 0 {
            return Decimal {
                m,
                e: e.unsigned_abs(),
                frac: 0,
                p,
            };
        }
        let s = e.unsigned_abs();
        let (whole, rest) = whole_and_rest(m, s);
        Decimal::carry(whole, frac_digits(rest, s, p, whole, true), p)
    }

    /// `whole + f/10^p` where `f <= 10^p` (rounding up to a whole number is carried over).
    /// Callers keep `f` below 2^64 (`f` below 10^p, or `f` about `a·10^p` with `a·10^p < 1e19`).
    fn carry(whole: u64, f: u128, p: u8) -> Decimal {
        if f >= pow10(p) {
            Decimal {
                m: whole + 1,
                e: 0,
                frac: 0,
                p,
            }
        } else {
            Decimal {
                m: whole,
                e: 0,
                frac: f as u64,
                p,
            }
        }
    }

    fn is_zero(&self) -> bool {
        self.m == 0 && self.frac == 0
    }

    /// Without trailing zero decimals (and without the point if none are left).
    fn trimmed(mut self) -> Decimal {
        while self.p > 0 && self.frac % 10 == 0 {
            self.frac /= 10;
            self.p -= 1;
        }
        self
    }

    fn write(&self, out: &mut dyn Write) -> fmt::Result {
        write_whole(out, self.m, self.e)?;
        if self.p > 0 {
            write!(out, ".{:0w$}", self.frac, w = usize::from(self.p))?;
        }
        Ok(())
    }
}

/// `a` (finite, >= 0) as `m·2^e` with `m < 2^53`.
fn split(a: f64) -> (u64, i32) {
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = bits & ((1 << 52) - 1);
    if biased == 0 {
        (mantissa, -1074)
    } else {
        (mantissa | 1 << 52, biased - 1075)
    }
}

/// `m·2^-s` as its whole part and the rest `r` (the fraction is `r/2^s`).
fn whole_and_rest(m: u64, s: u32) -> (u64, u64) {
    if s >= 64 {
        (0, m)
    } else {
        (m >> s, m & ((1 << s) - 1))
    }
}

fn pow10(p: u8) -> u128 {
    10u128.pow(u32::from(p))
}

/// 10^p as an `f64`: exact for `p <= 22`.
fn pow10f(p: u8) -> f64 {
    (0..p).fold(1.0, |t, _| t * 10.0)
}

/// `r/2^s · 10^p` (r < 2^53, s >= 1, p <= 22) rounded to an integer. A tie rounds to an even
/// last digit of `whole + that/10^p` if `even` (as `{:.N}` does), else up (as `{}` does).
fn frac_digits(r: u64, s: u32, p: u8, whole: u64, even: bool) -> u128 {
    let n = u128::from(r) * pow10(p); // < 2^53 · 2^74
    if s >= 128 {
        return 0; // n / 2^s < 1/2
    }
    let q = n >> s;
    let rem = n - (q << s);
    let half = 1u128 << (s - 1);
    let last = if p == 0 { u128::from(whole) } else { q };
    q + u128::from(rem > half || (rem == half && (!even || last & 1 == 1)))
}

/// `v·2^k`, or `None` if that does not fit in a `u128`.
fn shl(v: u128, k: u32) -> Option<u128> {
    if v == 0 {
        return Some(0);
    }
    let r = v.checked_shl(k)?;
    (r >> k == v).then_some(r)
}

/// Whether `whole + f/10^p` (the whole part of `m·2^-s` and `f <= 10^p`) reads back as `m·2^-s`:
/// it must lie within half a gap between neighbouring floats (a quarter of one just below a power
/// of two), a tie going to the even mantissa. Exact integer arithmetic: scaled by
/// `2^(s+2)·10^p / 2^g`, the difference is `f·2^(s+2-g) - 4r·5^p·2^(p-g)` and half a gap is
/// `2·5^p·2^(p-g)`.
fn reads_back(m: u64, s: u32, f: u128, p: u8) -> bool {
    let (_, r) = whole_and_rest(m, s);
    let p32 = u32::from(p);
    let g = p32.min(s + 2);
    let pow5 = 5u128.pow(p32);
    let (Some(ours), Some(exact), Some(unit)) = (
        shl(f, s + 2 - g),
        shl(u128::from(r) * 4 * pow5, p32 - g),
        shl(pow5, p32 - g),
    ) else {
        return false;
    };
    let below_power_of_two = m == 1 << 52 && ours < exact;
    let bound = if below_power_of_two { unit } else { 2 * unit };
    let diff = ours.abs_diff(exact);
    diff < bound || (diff == bound && m & 1 == 0)
}

/// `a` (finite, 0 <= a < 2^53) with the fewest decimals that read back as `a`.
fn shortest(a: f64) -> Decimal {
    let (m, e) = split(a);
    if e >= 0 {
        return Decimal {
            m,
            e: e.unsigned_abs(),
            frac: 0,
            p: 0,
        };
    }
    let s = e.unsigned_abs();
    let (whole, rest) = whole_and_rest(m, s);
    let mut last = 0;
    for p in 0..=MAX_SHORT {
        if a * pow10f(p) >= 1e19 {
            break; // the decimals would not fit in a u64 (17 digits always read back before)
        }
        let f = frac_digits(rest, s, p, whole, false);
        if reads_back(m, s, f, p) {
            return Decimal::carry(whole, f, p);
        }
        last = p;
    }
    Decimal::carry(whole, frac_digits(rest, s, last, whole, false), last)
}

/// `a >= 2^53` (an integer): the shortest digits `q` and `k` zeros if some `q < 2^53` with
/// `k <= 22` reads back as `a` (checked exactly: `q·10^k` is then correctly rounded), else every
/// digit of `a`.
fn write_big_short(out: &mut dyn Write, a: f64) -> fmt::Result {
    for k in (1..=MAX_SHORT).rev() {
        let t = pow10f(k);
        let q = (a / t).round();
        if (1.0..TWO_53).contains(&q) && q * t == a {
            return write!(out, "{}{:0k$}", q as u64, 0, k = usize::from(k));
        }
    }
    let (m, e) = split(a);
    write_whole(out, m, e.unsigned_abs())
}

/// Writes the integer `m·2^e` (`m < 2^53`) in full.
fn write_whole(out: &mut dyn Write, m: u64, e: u32) -> fmt::Result {
    if e <= 10 {
        return write!(out, "{}", m << e);
    }
    let limbs = big_digits(m, e);
    let mut top = limbs.iter().rev().skip_while(|&&l| l == 0);
    write!(out, "{}", top.next().copied().unwrap_or(0))?;
    top.try_for_each(|l| write!(out, "{l:09}"))
}

/// `m·2^e` in base 10^9, least significant limb first (for floats above 2^63: at most 35 limbs).
fn big_digits(m: u64, e: u32) -> Vec<u32> {
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![
        (m % BASE) as u32,
        (m / BASE % BASE) as u32,
        (m / BASE / BASE) as u32,
    ];
    for _ in 0..e {
        let mut carry = 0;
        for l in limbs.iter_mut() {
            let v = u64::from(*l) * 2 + carry;
            *l = (v % BASE) as u32;
            carry = v / BASE;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    limbs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::SimRng;

    /// std's `{x:.p$}`, minus the sign of a negative value that rounds to zero.
    fn std_fixed(x: f64, p: usize) -> String {
        let s = format!("{x:.p$}");
        match s.strip_prefix('-') {
            Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
            _ => s,
        }
    }

    /// A random finite `f64` from random bits (every magnitude equally likely).
    fn any_finite(rng: &mut SimRng) -> f64 {
        loop {
            let x = f64::from_bits(rng.next_u64());
            if x.is_finite() {
                return x;
            }
        }
    }

    /// What a slider, a measurement or a rounded metric looks like: k / 10^j.
    fn everyday(rng: &mut SimRng) -> f64 {
        let k = rng.below(1_000_000_000) as f64;
        let x = k / 10f64.powi(rng.below(7) as i32);
        if rng.below(4) == 0 {
            -x
        } else {
            x
        }
    }

    #[test]
    fn fixed_matches_std_on_everyday_values() {
        let mut rng = SimRng::new(21);
        for _ in 0..200_000 {
            let x = everyday(&mut rng);
            let p = rng.below(7) as usize;
            assert_eq!(Fixed(x, p as u8).to_string(), std_fixed(x, p), "{x:e} .{p}");
        }
    }

    #[test]
    fn fixed_matches_std_on_exact_ties_and_any_float() {
        let mut rng = SimRng::new(22);
        for _ in 0..100_000 {
            // Exact binary ties (k/2^j) round half to even, like std.
            let x = rng.below(1 << 20) as f64 / f64::from(1u32 << rng.below(12));
            let p = rng.below(8) as usize;
            assert_eq!(Fixed(x, p as u8).to_string(), std_fixed(x, p), "{x:e} .{p}");
            let y = any_finite(&mut rng);
            let q = rng.below(u64::from(MAX_FIXED) + 1) as usize;
            assert_eq!(Fixed(y, q as u8).to_string(), std_fixed(y, q), "{y:e} .{q}");
        }
    }

    #[test]
    fn short_matches_std_on_everyday_values() {
        let mut rng = SimRng::new(23);
        for _ in 0..200_000 {
            let x = everyday(&mut rng);
            assert_eq!(Short(x).to_string(), format!("{x}"), "{x:e}");
            let third = x / 3.0; // 16 or 17 significant digits
            if third == 0.0 || third.abs() >= 1e-5 {
                assert_eq!(Short(third).to_string(), format!("{third}"), "{third:e}");
            }
        }
    }

    #[test]
    fn short_matches_std_from_1e_minus_5_to_2_pow_53() {
        let mut rng = SimRng::new(24);
        let mut checked = 0;
        while checked < 100_000 {
            let x = any_finite(&mut rng);
            if (1e-5..TWO_53).contains(&x.abs()) {
                assert_eq!(Short(x).to_string(), format!("{x}"), "{x:e}");
                checked += 1;
            }
        }
    }

    #[test]
    fn short_elsewhere_reads_back_or_is_close() {
        let mut rng = SimRng::new(25);
        for _ in 0..100_000 {
            let x = any_finite(&mut rng);
            let ours = Short(x).to_string();
            let back: f64 = ours.parse().unwrap_or(f64::NAN);
            let std = format!("{x}");
            let std_digits = std.trim_matches(|c| c == '-' || c == '0' || c == '.').len();
            if x.abs() >= TWO_53 {
                // Every digit of the integer, or std's text where 15 digits suffice.
                assert_eq!(back, x, "{x:e}");
                if std_digits <= 15 && x.abs() < 1e37 {
                    assert_eq!(ours, std, "{x:e}");
                }
            } else {
                // Reads back, or is `x` rounded to 22 decimals (plus how `parse` rounds that).
                assert!(back == x || (back - x).abs() <= 0.6e-22, "{x:e} {ours}");
            }
        }
    }

    #[test]
    fn edge_cases() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            250.0,
            0.1 + 0.2,
            1e21,
            1e22,
            123e20,
            2f64.powi(53),
            2f64.powi(60),
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-7,
            1.5e-20,
            0.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            for p in 0..=MAX_FIXED as usize {
                assert_eq!(Fixed(x, p as u8).to_string(), std_fixed(x, p), "{x:e} .{p}");
            }
            let ours = Short(x).to_string();
            if x.is_nan() || x.abs() < 1e-22 && x != 0.0 || x == f64::MAX {
                continue;
            }
            assert_eq!(ours, format!("{x}"), "{x:e}");
        }
        assert_eq!(
            Short(2f64.powi(60) + 512.0).to_string(),
            "1152921504606847488"
        );
        assert_eq!(Short(f64::NAN).to_string(), "NaN");
        assert_eq!(Short(1e-30).to_string(), "0");
        assert_eq!(Fixed(1.0, 99).to_string(), format!("{:.17}", 1.0));
    }

    #[test]
    fn width_fill_and_alignment() {
        assert_eq!(format!("{:>10}", Fixed(1.5, 3)), "     1.500");
        assert_eq!(format!("{:10}", Fixed(-1.5, 1)), "      -1.5");
        assert_eq!(format!("{:<6}|", Short(2.5)), "2.5   |");
        assert_eq!(format!("{:08}", Fixed(-1.5, 2)), "-0001.50");
        assert_eq!(format!("{:>5}", Short(f64::INFINITY)), "  inf");
    }
}
