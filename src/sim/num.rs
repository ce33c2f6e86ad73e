//! Decimal text to `f64`, without the standard parser's 10 KB power-of-five table.
//!
//! `str::parse::<f64>` is correctly rounded for every input, which it pays for with about
//! 10 KB of incompressible tables plus 4 KB of code in the wasm (issue 9's size budget). Numbers
//! here come from people and sliders (`rate=250`, `loss=0.05`, `1e-3`), and for those this
//! parser is exact too: a mantissa of at most 15 significant digits with a decimal exponent in
//! ±22 is one correctly rounded IEEE multiply or divide of two exactly representable numbers
//! (Clinger's fast path). Longer or more extreme inputs are still parsed, to within a few units
//! in the last place. Native and wasm run the same code, so a permalink replays identically.

/// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (either side of the point may be empty, not
/// both), or `None` if `s` is anything else. Never panics.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut mant: u64 = 0;
    let mut exp: i32 = 0; // value = mant * 10^exp
    let mut seen_point = false;
    let mut any_digit = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                any_digit = true;
                if mant < 1_000_000_000_000_000_000 {
                    mant = mant * 10 + u64::from(c - b'0');
                    exp -= i32::from(seen_point);
                } else {
                    // Beyond 19 digits: drop the digit, keep the magnitude.
                    exp += i32::from(!seen_point);
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        exp = exp.checked_add(parse_exponent(&b[i + 1..])?)?;
    } else if i != b.len() {
        return None;
    }
    let v = scale(mant as f64, exp);
    Some(if neg { -v } else { v })
}

/// The exponent after `e`: `[+-]digits`, the whole rest of the text, clamped to ±10,000.
fn parse_exponent(b: &[u8]) -> Option<i32> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let e = digits
        .iter()
        .fold(0i32, |e, &d| (e * 10 + i32::from(d - b'0')).min(10_000));
    Some(if neg { -e } else { e })
}

/// `m * 10^exp`: one exact step when |exp| <= 22 (every power of ten up to 1e22 is an exact
/// `f64`), else repeated steps (overflowing to infinity or underflowing to zero as it should).
fn scale(m: f64, exp: i32) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    if m == 0.0 {
        return 0.0;
    }
    let mut v = m;
    let mut e = exp;
    while e > 22 {
        v *= 1e22;
        e -= 22;
    }
    while e < -22 {
        v /= 1e22;
        e += 22;
    }
    let p = POW10[e.unsigned_abs() as usize];
    if e >= 0 {
        v * p
    } else {
        v / p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::SimRng;

    #[test]
    fn agrees_exactly_with_std_on_the_fast_path() {
        let mut rng = SimRng::new(11);
        for _ in 0..200_000 {
            let m = rng.below(1 << 53);
            let e = rng.below(45) as i32 - 22;
            for text in [format!("{m}e{e}"), format!("-{m}E{e}")] {
                let want: f64 = text.parse().unwrap_or(f64::NAN);
                assert_eq!(parse_f64(&text), Some(want), "{text}");
            }
        }
    }

    #[test]
    fn agrees_with_std_on_everyday_decimals_and_shortest_forms() {
        let mut rng = SimRng::new(12);
        for _ in 0..100_000 {
            // What a slider or a person writes, and what `{}` prints for any such value.
            let x = rng.below(10_000_000) as f64 / 10f64.powi(rng.below(7) as i32);
            for text in [
                format!("{x}"),
                format!("{x:.3}"),
                format!("{:.1}", x * 1e-9),
            ] {
                let want: f64 = text.parse().unwrap_or(f64::NAN);
                assert_eq!(parse_f64(&text), Some(want), "{text}");
            }
        }
        for text in [
            "0", "-0", "+7", ".5", "5.", "0.1", "1e3", "2.5E-3", "007.50", "1e-400", "1e400",
        ] {
            assert_eq!(parse_f64(text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn long_inputs_are_close_and_junk_is_rejected() {
        let long = "3.14159265358979323846264338327950288";
        let got = parse_f64(long).unwrap_or(0.0);
        assert!((got - std::f64::consts::PI).abs() < 1e-15);
        let big = "123456789012345678901234567890";
        assert!((parse_f64(big).unwrap_or(0.0) / 1.2345678901234568e29 - 1.0).abs() < 1e-15);
        for bad in [
            "", "-", ".", "e3", "1e", "1e+", "1.2.3", "1,5", "0x10", "inf", "NaN", " 1", "1 ",
            "1e3x",
        ] {
            assert_eq!(parse_f64(bad), None, "{bad:?}");
        }
    }
}
