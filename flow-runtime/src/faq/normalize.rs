//! From what a shopper typed to comparable terms.

/// Words too common to tell questions apart.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "at", "be", "can", "could", "do", "does", "for", "from", "have", "hi",
    "hello", "how", "i", "in", "is", "it", "me", "my", "of", "on", "or", "please", "pls", "the",
    "to", "u", "we", "what", "when", "where", "which", "with", "would", "you", "your",
];

/// Lower-cased, accent-folded, stemmed terms without stop words.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in crate::text::fold(text).chars() {
        if crate::text::is_word(c) {
            word.push(c);
        } else if c == '\'' || c == '’' {
            // "don't" → "dont"
        } else if !word.is_empty() {
            push(&mut out, std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        push(&mut out, word);
    }
    out
}

fn push(out: &mut Vec<String>, word: String) {
    if STOP_WORDS.contains(&word.as_str()) {
        return;
    }
    out.push(stem(&word));
}

/// Strips common English suffixes (a light stemmer: "shipping", "shipped", "ships" → "ship").
fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                let mut stem = stem.to_owned();
                // "shipp" → "ship"
                let bytes = stem.as_bytes();
                if bytes.len() >= 2
                    && bytes[bytes.len() - 1] == bytes[bytes.len() - 2]
                    && !matches!(bytes[bytes.len() - 1], b's' | b'l')
                {
                    stem.pop();
                }
                return stem;
            }
        }
    }
    word.to_owned()
}
