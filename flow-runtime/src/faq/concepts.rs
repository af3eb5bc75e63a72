//! Shop concepts: the words shoppers use for the few things every store is asked about.
//!
//! "When will my stuff get here" and "how long does delivery take" share no word; they
//! share a concept. A synonym would make "return" and "refund" one word, which is wrong
//! for a store that answers them apart; a concept adds one feature beside each word
//! instead — the word still tells "return" from "refund", the concept tells both from
//! shipping. A text names a concept once however many of its words belong to it, so an
//! entry written with many of a concept's words does not outweigh one written with a single
//! one (the lopsided augmentation of earlier rounds cost 6–10 points; counting each mention
//! did slightly worse on the demo shop's validation questions than counting once).
//!
//! The groups are built in ([`super::lexicon::concepts`]); the compiler ships, per flow,
//! only the groups its phrasings touch, as stems (and two-word phrases of stems), so the
//! browser carries no lexicon of its own.

use super::language::Language;

/// The concepts a compiled FAQ knows: `(language, key, concept)` sorted, where a key is a
/// stem or two stems joined by a space.
#[derive(Clone, Debug, Default)]
pub(super) struct Concepts {
    keys: Vec<(Language, String, u32)>,
}

impl Concepts {
    pub(super) fn new(mut keys: Vec<(Language, String, u32)>) -> Concepts {
        keys.sort_by(|a, b| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
        keys.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        Concepts { keys }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn find(&self, language: Language, key: &str) -> Option<u32> {
        self.keys
            .binary_search_by(|(l, k, _)| (*l as u8, k.as_str()).cmp(&(language as u8, key)))
            .ok()
            .map(|i| self.keys[i].2)
    }

    /// The concepts named in `stems` (a text's stems in order), once per mention: a
    /// two-word phrase first ("send back", or around a function word: "send it back"),
    /// then single words not part of one.
    pub(super) fn of(&self, language: Language, stems: &[&str]) -> Vec<u32> {
        self.mentions(language, stems)
            .into_iter()
            .map(|m| m.concept)
            .collect()
    }

    /// [`Self::of`] with where each mention is.
    pub(super) fn mentions(&self, language: Language, stems: &[&str]) -> Vec<Mention> {
        let mut out = Vec::new();
        if self.keys.is_empty() {
            return out;
        }
        let mut i = 0;
        let mut pair = String::new();
        'words: while i < stems.len() {
            // A two-word phrase ("send back"), or one around a function word ("send it
            // back", "take them back"): its last word `words - 1` after its first.
            for words in [2, 3] {
                let Some(last) = stems.get(i + words - 1) else {
                    break;
                };
                if words == 3 && !super::lexicon::is_function_word(language, stems[i + 1]) {
                    continue;
                }
                pair.clear();
                pair.push_str(stems[i]);
                pair.push(' ');
                pair.push_str(last);
                if let Some(concept) = self.find(language, &pair) {
                    out.push(Mention {
                        at: i,
                        words,
                        concept,
                    });
                    i += words;
                    continue 'words;
                }
            }
            if let Some(concept) = self.find(language, stems[i]) {
                out.push(Mention {
                    at: i,
                    words: 1,
                    concept,
                });
            }
            i += 1;
        }
        out
    }
}

/// Where a text names a concept: `words` words (one, two, or a phrase's two around a
/// function word) from word `at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Mention {
    pub at: usize,
    pub words: usize,
    pub concept: u32,
}

/// The marker a concept counts as among a text's content words (a word no text has).
pub(super) fn marker(concept: u32) -> String {
    format!("#{concept}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_one_mention_and_words_count_once_each() {
        let c = Concepts::new(vec![
            (Language::English, "send back".into(), 1),
            (Language::English, "send".into(), 2),
            (Language::English, "parcel".into(), 3),
        ]);
        assert_eq!(
            c.of(Language::English, &["send", "back", "my", "parcel", "send"]),
            vec![1, 3, 2]
        );
        assert_eq!(
            c.of(
                Language::English,
                &["send", "it", "back", "send", "parcel", "back"]
            ),
            vec![1, 2, 3],
            "around a function word only"
        );
        assert!(c.of(Language::Spanish, &["send", "back"]).is_empty());
    }
}
