//! What a question shares with an entry: its content words and the shop concepts it
//! names, as the decision counts them ([`super::Ranked::shared`]) and the console shows
//! them ([`FaqIndex::words_shared`]).

use super::language::Language;
use super::{FaqIndex, concepts, lexicon, words};

/// One item of a question's content ([`FaqIndex::content`]).
pub(super) struct Content {
    /// As the shopper wrote it.
    shown: String,
    /// As the index compares it: a stem, or a concept's marker.
    stem: String,
    /// The marker of the shop concept the word names, if any.
    concept: Option<String>,
}

impl Content {
    fn is_shared(&self, known: &[String]) -> bool {
        shares(known, &self.stem)
            || self
                .concept
                .as_ref()
                .is_some_and(|c| known.binary_search(c).is_ok())
    }
}

/// Whether `word` (a content-word form) is among `known` (sorted), or a typo of one.
fn shares(known: &[String], word: &str) -> bool {
    known.binary_search_by(|k| k.as_str().cmp(word)).is_ok() || typo_of_any(word, known)
}

/// Whether `word` is one typo away from one of `known` (two for long words): shoppers
/// misspell the long words ("shiping", "exhange", "warrenty"), and short words one edit
/// apart are often other words ("cost", "post").
fn typo_of_any(word: &str, known: &[String]) -> bool {
    let n = word.chars().count();
    let typos = match n {
        0..=4 => return false,
        5..=8 => 1,
        _ => 2,
    };
    known.iter().any(|k| {
        let m = k.chars().count();
        m.abs_diff(n) <= typos && m > 4 && crate::text::distance(k, word) <= typos
    })
}

impl FaqIndex {
    /// The question's content as the index compares it, one item per content word
    /// (expanded, canonical, stemmed; function words and greetings left out) and per shop
    /// concept named in two words ("get here" is all function words, and still says
    /// delivery), each with what the shopper wrote.
    pub(super) fn content(&self, text: &str, language: Language) -> Vec<Content> {
        // Each word as written, and what it expands to.
        let mut written: Vec<String> = Vec::new();
        let mut all: Vec<String> = Vec::new();
        for word in words(text) {
            for w in lexicon::expand(language, vec![word.clone()]) {
                written.push(word.clone());
                all.push(w);
            }
        }
        let stems: Vec<String> = all
            .iter()
            .map(|w| language.stem(&self.canonical(w)))
            .collect();
        let refs: Vec<&str> = stems.iter().map(String::as_str).collect();
        let mentions = self.model().concepts.mentions(language, &refs);
        let mut out: Vec<Content> = Vec::new();
        let mut i = 0;
        while i < all.len() {
            let mention = mentions.iter().find(|m| m.at == i);
            match mention {
                Some(m) if m.words > 1 => {
                    out.push(Content {
                        shown: written[i..i + m.words].join(" "),
                        stem: concepts::marker(m.concept),
                        concept: None,
                    });
                    i += m.words;
                    continue;
                }
                _ if lexicon::is_function_word(language, &all[i]) => {}
                _ => out.push(Content {
                    shown: written[i].clone(),
                    stem: stems[i].clone(),
                    concept: mention.map(|m| concepts::marker(m.concept)),
                }),
            }
            i += 1;
        }
        // Each stem once, where it first comes.
        let mut seen: Vec<String> = Vec::new();
        out.retain(|c| {
            let first = !seen.contains(&c.stem);
            seen.push(c.stem.clone());
            first
        });
        out
    }

    /// How many items of `content` (from [`Self::content`]) the phrasings of `entry`
    /// share: the same stem, or one edit away for words of five letters or more (two from
    /// nine), which are typos far more often than other words, or the same shop concept.
    pub(super) fn shared_words(
        &self,
        entry: u32,
        content: &[Content],
        exclude: Option<usize>,
    ) -> usize {
        let known = self.known_words(entry, exclude);
        content.iter().filter(|c| c.is_shared(&known)).count()
    }

    /// The words of `query` that the phrasings of `entry` share, as the matcher counts
    /// them for [`super::Ranked::shared`] (the same word after stemming and synonyms, a
    /// typo of one, or a word of the same shop concept; a two-word phrase of a concept is
    /// one), written as the shopper wrote them: how the console explains a match.
    pub fn words_shared(&self, entry: u32, query: &str, language: &str) -> Vec<String> {
        let language = Language::from_code(language);
        let known = self.known_words(entry, None);
        let mut out: Vec<String> = Vec::new();
        for c in self.content(query, language) {
            if c.is_shared(&known) && !out.contains(&c.shown) {
                out.push(c.shown);
            }
        }
        out
    }

    /// The distinct content-word forms (canonical, stemmed) of `entry`'s phrasings, sorted.
    fn known_words(&self, entry: u32, exclude: Option<usize>) -> Vec<String> {
        let s = &self.source;
        // The entry's distinct (canonical word, language) pairs first: its phrasings share
        // most of their words, and stemming is the costly part.
        let mut ids: Vec<(u32, u32)> = Vec::new();
        for p in self
            .model()
            .phrasings_of(entry)
            .iter()
            .filter(|&&i| Some(i as usize) != exclude)
            .filter_map(|&i| s.phrases.get(i as usize))
        {
            ids.extend(p.words.iter().map(|&w| (self.canonical_id(w), p.language)));
        }
        ids.sort_unstable();
        ids.dedup();
        let model = self.model();
        let mut concepts: Vec<u32> = model
            .phrasings_of(entry)
            .iter()
            .filter(|&&i| Some(i as usize) != exclude)
            .flat_map(|&i| model.concepts_in(i as usize))
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        let mut known: Vec<String> = ids
            .iter()
            .filter_map(|&(w, l)| {
                let language = s
                    .languages
                    .get(l as usize)
                    .map_or(Language::Other, |l| Language::from_code(l));
                s.words.get(w as usize).map(|w| language.stem(w))
            })
            .collect();
        known.extend(concepts.into_iter().map(concepts::marker));
        known.sort_unstable();
        known.dedup();
        known
    }
}
