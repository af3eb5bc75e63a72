//! Comparing what people type: case and accents folded, words found.
//!
//! The standard library's Unicode case tables (`to_lowercase`, `to_uppercase`,
//! `is_alphanumeric`…) add about 10 KiB brotli to the browser build. Shoppers write in the
//! Latin, Greek and Cyrillic scripts the FAQ languages use, so these small functions fold
//! exactly those, and treat every other letter-like character as part of a word.

/// Appends `c` lower-cased and without accents (`É` → `e`, `ß` → `ss`, `Ａ` → `a`).
pub fn fold_into(c: char, out: &mut String) {
    let u = c as u32;
    let mapped = match u {
        0x41..=0x5A => char::from_u32(u + 0x20),
        0x00..=0x7F => Some(c),
        0xC0..=0xFF => {
            let base = match c {
                'À'..='Å' | 'à'..='å' => 'a',
                'Ç' | 'ç' => 'c',
                'È'..='Ë' | 'è'..='ë' => 'e',
                'Ì'..='Ï' | 'ì'..='ï' => 'i',
                'Ð' | 'ð' => 'd',
                'Ñ' | 'ñ' => 'n',
                'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => 'o',
                'Ù'..='Ü' | 'ù'..='ü' => 'u',
                'Ý' | 'ý' | 'ÿ' => 'y',
                'Þ' | 'þ' => 't',
                'ß' => {
                    out.push_str("ss");
                    return;
                }
                'Æ' | 'æ' => {
                    out.push_str("ae");
                    return;
                }
                other => other,
            };
            Some(base)
        }
        0x0152 | 0x0153 => return out.push_str("oe"),
        // Latin Extended-A: pairs of upper/lower case, base letters by block.
        0x100..=0x17F => Some(latin_extended_a(u)),
        // Combining accents (from decomposed text) disappear.
        0x300..=0x36F => None,
        // Greek capitals, and accented vowels.
        0x391..=0x3A9 => char::from_u32(u + 0x20),
        0x386 => Some('α'),
        0x388 | 0x3AD => Some('ε'),
        0x389 | 0x3AE => Some('η'),
        0x38A | 0x3AF | 0x3CA | 0x390 => Some('ι'),
        0x38C | 0x3CC => Some('ο'),
        0x38E | 0x3CD | 0x3CB | 0x3B0 => Some('υ'),
        0x38F | 0x3CE => Some('ω'),
        0x3C2 => Some('σ'),
        // Cyrillic capitals.
        0x410..=0x42F => char::from_u32(u + 0x20),
        0x401 | 0x451 => Some('е'),
        0x400..=0x40F => char::from_u32(u + 0x50),
        // Full-width ASCII.
        0xFF01..=0xFF5E => {
            let ascii = u - 0xFEE0;
            char::from_u32(if (0x41..=0x5A).contains(&ascii) {
                ascii + 0x20
            } else {
                ascii
            })
        }
        // Typographic ligatures and apostrophes.
        0xFB00 => return out.push_str("ff"),
        0xFB01 => return out.push_str("fi"),
        0xFB02 => return out.push_str("fl"),
        0x2018 | 0x2019 | 0x02BC => Some('\''),
        _ => Some(c),
    };
    if let Some(m) = mapped {
        out.push(m);
    }
}

fn latin_extended_a(u: u32) -> char {
    match u {
        0x100..=0x105 => 'a',
        0x106..=0x10D => 'c',
        0x10E..=0x111 => 'd',
        0x112..=0x11B => 'e',
        0x11C..=0x123 => 'g',
        0x124..=0x127 => 'h',
        0x128..=0x131 => 'i',
        0x134..=0x135 => 'j',
        0x136..=0x138 => 'k',
        0x139..=0x142 => 'l',
        0x143..=0x14B => 'n',
        0x14C..=0x151 => 'o',
        0x154..=0x159 => 'r',
        0x15A..=0x161 => 's',
        0x162..=0x167 => 't',
        0x168..=0x173 => 'u',
        0x174..=0x175 => 'w',
        0x176..=0x178 => 'y',
        0x179..=0x17E => 'z',
        _ => char::from_u32(u).unwrap_or(' '),
    }
}

/// `s` lower-cased and without accents.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_into(c, &mut out);
    }
    out
}

/// Whether `needle` occurs in `haystack`, byte for byte (UTF-8 is self-synchronising, so
/// a byte match is a character match). A plain window search rather than `str::contains`,
/// whose two-way searcher is 1.8 KB of the eager stage's wasm for one condition
/// (`contains`), on texts of a few hundred characters at most.
pub fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w == n)
}

/// Whether `a` and `b` are the same text ignoring case, accents and surrounding spaces.
pub fn same(a: &str, b: &str) -> bool {
    fold(a.trim()) == fold(b.trim())
}

/// Damerau–Levenshtein distance (optimal string alignment): edits, with swaps counted once.
/// Three rows of one buffer: the matcher calls it for typos, in the browser.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    // Rows i-2, i-1 and i, one after the other.
    let mut d: Vec<usize> = (0..3 * w).map(|j| if j < w { j } else { 0 }).collect();
    for i in 1..=a.len() {
        let (cur, prev, prev2) = ((i % 3) * w, ((i - 1) % 3) * w, ((i + 1) % 3) * w);
        d[cur] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[prev + j] + 1)
                .min(d[cur + j - 1] + 1)
                .min(d[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[prev2 + j - 2] + 1);
            }
            d[cur + j] = v;
        }
    }
    d[(a.len() % 3) * w + b.len()]
}

/// Whether `c` belongs to a word: ASCII letters and digits, and letters of other scripts
/// (anything beyond ASCII that is not punctuation, a symbol, a space or an emoji).
pub fn is_word(c: char) -> bool {
    let u = c as u32;
    match u {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x80..=0xBF | 0xD7 | 0xF7 => false,
        0x2000..=0x2BFF
        | 0x3000..=0x303F
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40 => false,
        0xFF5B..=0xFF65
        | 0xFFF0..=0xFFFF
        | 0x1F000..=0x1FAFF
        | 0xE000..=0xF8FF
        | 0xFE00..=0xFE0F => false,
        _ => true,
    }
}

/// Whether `c` is a letter in a script with case, and lower case.
pub fn is_lower(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x61..=0x7A | 0xDF..=0xF6 | 0xF8..=0xFF | 0x3AC..=0x3CE | 0x430..=0x45F)
        || (0x100..=0x17F).contains(&u) && u % 2 == 1
}

/// Whether `c` is an upper-case letter (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
pub fn is_upper(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x386..=0x3AB | 0x400..=0x42F)
        || (0x100..=0x17F).contains(&u) && u.is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_agrees_with_the_standard_library() {
        let texts = [
            "",
            "a",
            "abc",
            "zürich",
            "ü",
            "ärger im café",
            "café",
            "aaab",
            "ab",
        ];
        for h in texts {
            for n in texts {
                assert_eq!(contains(h, n), h.contains(n), "{h:?} {n:?}");
            }
        }
    }

    #[test]
    fn folding_matches_what_people_mean() {
        assert_eq!(fold("ÉTÉ à Zürich, Straße"), "ete a zurich, strasse");
        assert_eq!(fold("ΚΑΛΗΜΈΡΑ"), "καλημερα");
        assert_eq!(fold("ПРИВЕТ"), "привет");
        assert_eq!(fold("ＡＢＣ１２"), "abc12");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
        assert_eq!(fold("e\u{301}te\u{301}"), "ete");
        assert_eq!(fold("don’t"), "don't");
        assert!(same(" Large ", "LARGE"));
        assert!(same("crème", "CREME"));
    }

    #[test]
    fn words_and_case() {
        assert!(is_word('a') && is_word('9') && is_word('é') && is_word('ж') && is_word('中'));
        assert!(!is_word(' ') && !is_word('!') && !is_word('“') && !is_word('😀') && !is_word('×'));
        assert!(is_upper('A') && is_upper('É') && is_upper('Ж') && !is_upper('a'));
        assert!(is_lower('a') && is_lower('é') && is_lower('ж') && !is_lower('A'));
    }
}
