//! The FAQ as the compiled flow carries it: words, phrasings as word ids, the shop
//! concepts the phrasings touch and the weights the compiler learned. The browser builds
//! its model from this (`super::model`); nothing here is computed there.

use serde::{Deserialize, Serialize};

use super::language::Language;
use super::lexicon;
use crate::codec::codec;

/// What is shipped: the words and, for each phrasing, which words in which order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Source {
    /// Folded words, sorted; a word's id is its position.
    pub words: Vec<String>,
    /// Synonyms: a word id → the id of its group's first word, sorted.
    pub synonyms: Vec<(u32, u32)>,
    /// The languages of the phrasings, as the flow names them (`en`, `es-MX`).
    pub languages: Vec<String>,
    pub phrases: Vec<Encoded>,
    /// The shop concepts the phrasings touch ([`super::concepts`]), each with every key of it.
    pub concepts: Vec<ConceptKey>,
    /// The weights the compiler learned ([`super::train`]), per entry.
    pub learned: Vec<Learned>,
}

/// One key of a shop concept as shipped: a stem, or two joined by a space, in one of the
/// phrasings' languages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct ConceptKey {
    /// Index into [`Source::languages`].
    pub language: u32,
    pub key: String,
    pub concept: u32,
}

/// One entry's learned weights: features as gaps between ids (positions in the model's
/// feature table, which the source determines), ascending, and each one's weight in
/// [`super::model::STEP`]s. Gaps and small integers are a byte or two each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Learned {
    pub gaps: Vec<u32>,
    pub steps: Vec<i32>,
}

impl Learned {
    pub(super) fn from_weights(weights: &[(u32, i32)]) -> Learned {
        let mut last = 0;
        let mut out = Learned::default();
        for &(f, s) in weights {
            out.gaps.push(f - last);
            out.steps.push(s);
            last = f;
        }
        out
    }

    pub(super) fn weights(&self) -> Vec<(u32, i32)> {
        let mut f = 0u32;
        self.gaps
            .iter()
            .zip(&self.steps)
            .map(|(&g, &s)| {
                f = f.saturating_add(g);
                (f, s)
            })
            .collect()
    }
}

/// One phrasing as shipped: its words as ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Encoded {
    pub entry: u32,
    /// Index into [`Source::languages`].
    pub language: u32,
    /// Word ids in order.
    pub words: Vec<u32>,
}

/// The built-in shop concepts ([`super::lexicon::concepts`]) that the phrasings touch, with all
/// their keys as the matcher will meet them: each word canonical (the first of its
/// synonym group) and stemmed in the phrasing's language.
pub(super) fn shop_concepts(
    words: &[String],
    synonyms: &[(u32, u32)],
    languages: &[String],
    phrases: &[Encoded],
) -> Vec<ConceptKey> {
    let canonical = |w: &str| -> String {
        match words.binary_search_by(|x| x.as_str().cmp(w)) {
            Ok(i) => match synonyms.binary_search_by_key(&(i as u32), |&(from, _)| from) {
                Ok(k) => words[synonyms[k].1 as usize].clone(),
                Err(_) => w.to_owned(),
            },
            Err(_) => w.to_owned(),
        }
    };
    let mut out = Vec::new();
    for (l, code) in languages.iter().enumerate() {
        let language = Language::from_code(code);
        let groups = lexicon::concepts(language);
        if groups.is_empty() {
            continue;
        }
        // Every stem and pair of stems the phrasings of this language have.
        let mut seen: Vec<String> = Vec::new();
        for p in phrases.iter().filter(|p| p.language as usize == l) {
            let stems: Vec<String> = p
                .words
                .iter()
                .filter_map(|&i| words.get(i as usize))
                .map(|w| language.stem(&canonical(w)))
                .collect();
            for (i, s) in stems.iter().enumerate() {
                seen.push(s.clone());
                if let Some(next) = stems.get(i + 1) {
                    seen.push(format!("{s} {next}"));
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for group in groups {
            let mut keys: Vec<String> = group
                .iter()
                .map(|member| {
                    member
                        .split(' ')
                        .map(|w| language.stem(&canonical(w)))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            // "shipping" and "ship" are one stem.
            keys.sort_unstable();
            keys.dedup();
            if keys.iter().any(|k| seen.binary_search(k).is_ok()) {
                let concept = out.last().map_or(0, |c: &ConceptKey| c.concept + 1);
                out.extend(keys.into_iter().map(|key| ConceptKey {
                    language: l as u32,
                    key,
                    concept,
                }));
            }
        }
    }
    out
}

// The binary encoding (see `crate::codec`): fields in order.
codec!(struct Source { words, synonyms, languages, phrases, concepts, learned });
codec!(struct Encoded { entry, language, words });
codec!(struct Learned { gaps, steps });
codec!(struct ConceptKey { language, key, concept });
