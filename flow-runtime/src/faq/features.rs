//! What the matcher compares: words, pairs of words and pieces of words.
//!
//! A question and an FAQ phrasing are each a bag of hashed features in two blocks:
//! - **words**: stemmed words and adjacent pairs of them ("track order", "order track"
//!   differ), which carry meaning and word order;
//! - **pieces**: the 2- to 5-letter pieces of each word, padded with a space at both ends
//!   (" ordr " shares " or", "ord", "rd " with " order "), which carry typos, plurals,
//!   conjugations and compound words that no stemmer knows.
//!
//! On CLINC150's validation split (`flow bench`, five phrasings per entry) the previous
//! matcher, on stemmed words only, ranked the right entry first for 66.1 % of questions;
//! TF-IDF centroids over these features for 72.5 %. Features are 32-bit FNV-1a hashes with a
//! block tag, so the index keeps no strings for them; with a few thousand features per FAQ
//! a collision is rare and costs one shared feature, not a wrong answer.

/// The features of one text, with how often each occurs, sorted by hash. Words and pairs
/// are one block of the vector; they are apart here because only words have a length
/// that counts when the FAQ does not know them (`Model::vector`).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Bag {
    pub words: Vec<(u32, u32)>,
    pub pairs: Vec<(u32, u32)>,
    pub pieces: Vec<(u32, u32)>,
}

const WORD: u8 = b'w';
const PAIR: u8 = b'p';
const PIECE: u8 = b'c';
const CONCEPT: u8 = b'k';

/// The features of a text given as its words (folded, in order), their stems and the shop
/// concepts they name ([`super::concepts`]), which count as words.
pub(super) fn bag(words: &[&str], stems: &[&str], concepts: &[u32]) -> Bag {
    let mut p = Vec::new();
    for word in words {
        pieces(word, &mut p);
    }
    let mut w = Vec::with_capacity(stems.len());
    let mut pr = Vec::with_capacity(stems.len());
    for (i, s) in stems.iter().enumerate() {
        w.push(word(s));
        if let Some(next) = stems.get(i + 1) {
            pr.push(pair(s, next));
        }
    }
    for &c in concepts {
        w.push(concept(c));
    }
    Bag {
        words: count(w),
        pairs: count(pr),
        pieces: count(p),
    }
}

/// The feature of one stemmed word.
pub(super) fn word(stem: &str) -> u32 {
    hash(WORD, &[stem])
}

/// The feature of a shop concept.
pub(super) fn concept(id: u32) -> u32 {
    hash(CONCEPT, &[&id.to_string()])
}

/// The feature of two stemmed words side by side.
pub(super) fn pair(first: &str, second: &str) -> u32 {
    hash(PAIR, &[first, " ", second])
}

/// The 2- to 5-character pieces of ` word `.
pub(super) fn pieces(word: &str, out: &mut Vec<u32>) {
    let padded = format!(" {word} ");
    // Where each character starts, and the end: a piece is a slice between two of them.
    let mut bounds: Vec<usize> = padded.char_indices().map(|(i, _)| i).collect();
    bounds.push(padded.len());
    let bounds: &[usize] = &bounds;
    let chars = bounds.len() - 1;
    for n in 2..=5.min(chars) {
        for i in 0..=chars - n {
            out.push(hash(PIECE, &[&padded[bounds[i]..bounds[i + n]]]));
        }
    }
}

fn count(mut hashes: Vec<u32>) -> Vec<(u32, u32)> {
    hashes.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(hashes.len());
    for h in hashes {
        match out.last_mut() {
            Some((last, n)) if *last == h => *n += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// FNV-1a over a block tag and the parts.
fn hash(tag: u8, parts: &[&str]) -> u32 {
    let mut h: u32 = (0x811c_9dc5 ^ u32::from(tag)).wrapping_mul(0x0100_0193);
    for part in parts {
        for &b in part.as_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_keeps_most_pieces() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        pieces("order", &mut a);
        pieces("ordr", &mut b);
        let shared = b.iter().filter(|h| a.contains(h)).count();
        assert!(shared * 2 >= b.len(), "{shared} of {}", b.len());
    }

    #[test]
    fn word_order_is_a_feature() {
        let one = bag(&["track", "order"], &["track", "order"], &[]);
        let two = bag(&["order", "track"], &["order", "track"], &[]);
        assert_eq!(one.words, two.words);
        assert_ne!(one.pairs, two.pairs);
        assert_eq!(one.pieces, two.pieces);
    }

    #[test]
    fn repeated_features_are_counted() {
        let b = bag(&["no", "no"], &["no", "no"], &[]);
        assert!(b.words.iter().any(|&(_, n)| n == 2));
    }
}
