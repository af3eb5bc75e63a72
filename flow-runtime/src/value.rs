//! Values of variables and context, without floating point.
//!
//! Numbers are fixed-point thousandths ([`Num`]): prices and quantities compare exactly, and
//! the wasm carries no float formatting code (about 20 KiB of it).

use serde::{Deserialize, Serialize};

use crate::codec::codec;

/// A variable's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Text(String),
    Num(Num),
    Bool(bool),
}

/// A decimal number with three fraction digits, stored as thousandths: `Num(12_500)` is 12.5.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Num(pub i64);

impl Num {
    pub const SCALE: i64 = 1000;

    pub fn from_int(n: i64) -> Num {
        Num(n.saturating_mul(Self::SCALE))
    }

    /// Parses `12`, `-3.5`, `1,299.99` (thousands separators), `12,5` (decimal comma).
    /// More than three fraction digits are rounded towards zero.
    pub fn parse(s: &str) -> Option<Num> {
        let s = s.trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        if s.is_empty() {
            return None;
        }
        // A single comma followed by 1–2 digits at the end is a decimal comma; other commas
        // separate thousands. (Over bytes: the standard library's char searchers were
        // 0.9 KB of the eager stage's wasm for this one line.)
        let bytes = s.as_bytes();
        let commas = bytes.iter().filter(|&&b| b == b',').count();
        let decimal_comma = commas == 1
            && !bytes.contains(&b'.')
            && bytes
                .iter()
                .rposition(|&b| b == b',')
                .is_some_and(|at| (1..=2).contains(&(bytes.len() - at - 1)));
        let mut int: i64 = 0;
        let mut frac: i64 = 0;
        let mut frac_digits = 0;
        let mut in_frac = false;
        let mut digits = 0;
        for c in s.chars() {
            match c {
                '0'..='9' => {
                    let d = i64::from(c as u8 - b'0');
                    digits += 1;
                    if in_frac {
                        if frac_digits < 3 {
                            frac = frac * 10 + d;
                            frac_digits += 1;
                        }
                    } else {
                        int = int.checked_mul(10)?.checked_add(d)?;
                    }
                }
                '.' if !in_frac => in_frac = true,
                ',' if decimal_comma && !in_frac => in_frac = true,
                ',' if !decimal_comma && !in_frac => {}
                _ => return None,
            }
        }
        if digits == 0 {
            return None;
        }
        while frac_digits < 3 {
            frac *= 10;
            frac_digits += 1;
        }
        let n = int.checked_mul(Self::SCALE)?.checked_add(frac)?;
        Some(Num(if negative { -n } else { n }))
    }
}

impl Num {
    /// `12.5`, `3`, `-0.125`: no trailing zeros, no exponent. Written digit by digit, not
    /// with `format!`: the eager stage's wasm then carries no formatting machinery.
    pub fn to_text(self) -> String {
        let mut out = String::new();
        if self.0 < 0 {
            out.push('-');
        }
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / 1000, abs % 1000);
        push_digits(&mut out, int, 1);
        if frac != 0 {
            out.push('.');
            let (mut frac, mut width) = (frac, 3);
            while frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            push_digits(&mut out, frac, width);
        }
        out
    }
}

/// `n` in decimal, with leading zeros up to `width` digits.
fn push_digits(out: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let (mut n, mut len) = (n, 0);
    while n > 0 || len < width {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

impl core::fmt::Display for Num {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Value {
    /// The value as the shopper reads it in a message.
    pub fn to_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Num(n) => n.to_text(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        }
    }

    /// Whether the value counts as "set" (non-empty text, any number, `true`).
    pub fn is_set(&self) -> bool {
        match self {
            Value::Text(s) => !s.trim().is_empty(),
            Value::Num(_) => true,
            Value::Bool(b) => *b,
        }
    }

    /// The value as a number, if it is one or is text that reads as one.
    pub fn as_num(&self) -> Option<Num> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Text(s) => Num::parse(s),
            Value::Bool(_) => None,
        }
    }

    /// Loose equality: numbers by value, text case-insensitively, `"yes"`/`true` alike.
    pub fn loosely_equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Bool(b), Value::Text(t)) | (Value::Text(t), Value::Bool(b)) => {
                let t = crate::text::fold(t.trim());
                (*b && matches!(t.as_str(), "true" | "yes"))
                    || (!*b && matches!(t.as_str(), "false" | "no" | ""))
            }
            (a, b) => match (a.as_num(), b.as_num()) {
                (Some(x), Some(y)) => x == y,
                _ => crate::text::same(&a.to_text(), &b.to_text()),
            },
        }
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(enum Value { 0 => Text(v0), 1 => Num(v0), 2 => Bool(v0) });
codec!(newtype Num);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_and_print_exactly() {
        let cases = [
            ("12", "12"),
            ("12.5", "12.5"),
            ("-0.125", "-0.125"),
            ("1,299.99", "1299.99"),
            ("12,5", "12.5"),
            ("1,000", "1000"),
            ("12,50", "12.5"),
            ("1,2,3", "123"),
            ("0.0001", "0"),
            ("+7", "7"),
        ];
        for (input, shown) in cases {
            assert_eq!(
                Num::parse(input).map(|n| n.to_string()).as_deref(),
                Some(shown),
                "{input}"
            );
        }
        // Written digit by digit: the same as the formatter would, everywhere.
        let reference = |n: i64| {
            let (abs, sign) = (n.unsigned_abs(), if n < 0 { "-" } else { "" });
            let frac = format!("{:03}", abs % 1000);
            let frac = frac.trim_end_matches('0');
            let dot = if frac.is_empty() { "" } else { "." };
            format!("{sign}{}{dot}{frac}", abs / 1000)
        };
        for n in (-20_000..20_000).chain([i64::MIN, i64::MAX, 0, 1, -1, 1_050, -500]) {
            assert_eq!(Num(n).to_text(), reference(n), "{n}");
        }
        for bad in ["", "-", "1.2.3", "abc", "12a", "99999999999999999999"] {
            assert_eq!(Num::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn loose_equality_is_what_a_merchant_expects() {
        assert!(Value::Text("Shipped".into()).loosely_equals(&Value::Text("shipped".into())));
        assert!(Value::Text("10.0".into()).loosely_equals(&Value::Num(Num::from_int(10))));
        assert!(Value::Bool(true).loosely_equals(&Value::Text("yes".into())));
        assert!(!Value::Bool(true).loosely_equals(&Value::Text("no".into())));
    }
}
