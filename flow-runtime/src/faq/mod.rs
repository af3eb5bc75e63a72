//! Answering questions offline: the FAQ matcher.
//!
//! The compiled flow carries the FAQ's words and phrasings ([`FaqIndex::build`], run
//! natively by the compiler); the browser turns them into a model the first time a
//! question is asked, and ranks ([`FaqIndex::rank`]).
//!
//! The model is a TF-IDF centroid per entry over the features of [`features`]: every
//! phrasing becomes a vector (sublinear term frequency × smoothed IDF, each block of
//! features normalised, then the whole), an entry is the normalised sum of its phrasings,
//! and a question's confidence in an entry is the cosine of the two. Compared on
//! CLINC150's validation split with five phrasings per entry, the best single phrasing
//! (our previous matcher) reached 66 %, the centroid 72.5 %: a handful of phrasings
//! together say more about an entry than the closest one alone.
//!
//! Confidence is per mille (0–1000) so that thresholds are exact and the engine's
//! decisions are made on integers.

mod concepts;
mod decide;
mod features;
mod language;
mod lexicon;
mod model;
mod normalize;
mod shared;
mod source;
mod train;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use model::Model;
use source::{Encoded, Learned, Source, shop_concepts};

pub use decide::{DEFAULT_SUGGEST, Decision, SUGGESTIONS, Thresholds, decide};
pub use language::Language;
pub use lexicon::is_function_word;
pub use normalize::{stem, tokens, words};

/// How well the shopper's words match one FAQ entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Index into the flow's FAQ entries.
    pub entry: u32,
    /// 0–1000.
    pub confidence: u16,
    /// How many of the question's content words the entry's phrasings use too (the same
    /// word after stemming and synonyms, or a typo of one). A match made only of function
    /// words and pieces of words ("is *there* a sale" for "is there a warranty") shares
    /// none, and is not an answer.
    pub shared: u8,
    /// How many content words the question has (not function words or greetings).
    pub content: u8,
}

/// One phrasing of one entry, as the merchant wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrasing {
    pub entry: u32,
    pub language: String,
    pub text: String,
}

/// The searchable form of a flow's FAQ: what the compiled flow carries, and the model
/// built from it when first needed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Source", into = "Source")]
pub struct FaqIndex {
    source: Source,
    model: OnceLock<Model>,
}

/// How much of the confidence is the closest single phrasing; the rest is the entry's
/// centroid. Chosen on CLINC150's validation split: 0 → 72.5 %, 0.2 → 72.8 % top-1, and
/// a question that is close to one phrasing of a varied entry is answered with more
/// confidence.
const CLOSEST_PHRASING: f32 = 0.2;

/// The highest score of anything but a phrasing typed word for word (which is 1).
const MOST_SURE: f32 = 0.999;

/// How many entries, the closest by centroid, are also compared phrasing by phrasing. On
/// CLINC150 the rankings are those of comparing every entry with five phrasings per entry,
/// and differ for three validation questions in 3,000 with a hundred (top-1 88.1 → 88.0 %).
const CANDIDATES: usize = 8;

/// The ids of the (at most) `n` highest of `scores`, best first; entries with no score
/// at all are left out. By insertion: `n` is small, and the code is a few bytes of wasm
/// where `select_nth_unstable` is a couple of KiB.
fn best_entries(scores: &[f32], n: usize) -> Vec<u32> {
    let mut best: Vec<u32> = Vec::with_capacity(n + 1);
    for (e, &s) in scores.iter().enumerate() {
        if s <= 0.0 {
            continue;
        }
        let mut at = best.len();
        while at > 0 && scores[best[at - 1] as usize] < s {
            at -= 1;
        }
        if at < n {
            best.insert(at, e as u32);
            best.truncate(n);
        }
    }
    best
}

impl FaqIndex {
    /// Builds the index from every phrasing and the flow's synonym groups, which extend
    /// the built-in groups of the phrasings' languages ([`lexicon::synonyms`]).
    pub fn build(phrases: &[Phrasing], synonym_groups: &[Vec<String>]) -> FaqIndex {
        let mut languages: Vec<String> = Vec::new();
        let mut tokenized: Vec<(u32, u32, Vec<String>)> = Vec::with_capacity(phrases.len());
        for p in phrases {
            let l = match languages.iter().position(|l| *l == p.language) {
                Some(l) => l,
                None => {
                    languages.push(p.language.clone());
                    languages.len() - 1
                }
            };
            let language = Language::from_code(&p.language);
            let ws = lexicon::expand(language, words(&p.text));
            tokenized.push((p.entry, l as u32, ws));
        }
        let mut all: Vec<String> = tokenized.iter().flat_map(|(_, _, w)| w.clone()).collect();
        all.sort();
        all.dedup();
        // The merchant's groups first: their first word is the one kept. A built-in group
        // joins only when the FAQ uses one of its words, so it costs no bytes otherwise.
        let mut groups: Vec<Vec<String>> = synonym_groups
            .iter()
            .map(|g| g.iter().flat_map(|w| words(w)).collect())
            .collect();
        for l in &languages {
            for group in lexicon::synonyms(Language::from_code(l)) {
                if group
                    .iter()
                    .any(|w| all.binary_search_by(|x| x.as_str().cmp(w)).is_ok())
                {
                    groups.push(group.iter().map(|w| (*w).to_owned()).collect());
                }
            }
        }
        all.extend(groups.iter().flatten().cloned());
        all.sort();
        all.dedup();
        let id = |w: &str| {
            all.binary_search_by(|x| x.as_str().cmp(w))
                .ok()
                .map(|i| i as u32)
        };
        // Groups that share a word are one group (union-find; the earlier group's head
        // stays the head).
        let mut head: Vec<u32> = (0..all.len() as u32).collect();
        fn root(head: &mut [u32], mut i: u32) -> u32 {
            while head[i as usize] != i {
                head[i as usize] = head[head[i as usize] as usize];
                i = head[i as usize];
            }
            i
        }
        for group in &groups {
            let mut ids = group.iter().filter_map(|w| id(w));
            if let Some(first) = ids.next() {
                let first = root(&mut head, first);
                for i in ids {
                    let r = root(&mut head, i);
                    if r != first {
                        head[r as usize] = first;
                    }
                }
            }
        }
        let synonyms: Vec<(u32, u32)> = (0..all.len() as u32)
            .filter_map(|i| {
                let r = root(&mut head, i);
                (r != i).then_some((i, r))
            })
            .collect();
        let phrases: Vec<Encoded> = tokenized
            .iter()
            .map(|(entry, language, ws)| Encoded {
                entry: *entry,
                language: *language,
                words: ws.iter().filter_map(|w| id(w)).collect(),
            })
            .collect();
        let concepts = shop_concepts(&all, &synonyms, &languages, &phrases);
        let mut index = FaqIndex::from(Source {
            words: all,
            synonyms,
            languages,
            phrases,
            concepts,
            learned: Vec::new(),
        });
        let learned = index.model().train(train::TRAINING);
        let mut learned: Vec<Learned> = learned.iter().map(|w| Learned::from_weights(w)).collect();
        // Entries that learned nothing at the end cost nothing.
        while learned.last().is_some_and(|l| l.gaps.is_empty()) {
            learned.pop();
        }
        index.source.learned = learned;
        index.model = OnceLock::new();
        index
    }

    /// The same index without the weights the compiler learned: what `flow bench
    /// --untrained` compares against.
    pub fn untrained(&self) -> FaqIndex {
        let mut source = self.source.clone();
        source.learned.clear();
        FaqIndex::from(source)
    }

    /// Ranks entries for `query`, asked in `language` (a tag such as `en` or `es-MX`),
    /// best first, at most `limit` of them.
    pub fn rank(&self, query: &str, language: &str, limit: usize) -> Vec<Ranked> {
        self.rank_excluding(query, language, limit, None)
    }

    /// [`Self::rank`] as if phrasing `phrasing` (its position among the phrasings the
    /// index was built from) were not there: its entry's centroid without it, and neither
    /// its exact words nor its own words count. The IDF stays as built, and so do the
    /// learned weights, which saw the phrasing: ask this of [`Self::untrained`] to hear
    /// what the other phrasings say alone. What FAQ health
    /// asks of every phrasing, at the cost of one ranking each rather than an index built
    /// per phrasing (which made it quadratic).
    pub fn rank_without(
        &self,
        phrasing: usize,
        query: &str,
        language: &str,
        limit: usize,
    ) -> Vec<Ranked> {
        self.rank_excluding(query, language, limit, Some(phrasing))
    }

    fn rank_excluding(
        &self,
        query: &str,
        language: &str,
        limit: usize,
        exclude: Option<usize>,
    ) -> Vec<Ranked> {
        let language = Language::from_code(language);
        let mut scores = self.scores(query, language, exclude);
        // A chatty message ("I bought a jacket for a hiking trip… Anyway, where is my
        // order?") is also read sentence by sentence: each entry keeps its best score, so
        // the question is not drowned by the story around it.
        let sentences: Vec<&str> = query
            .split(['.', '?', '!', ';', '\n'])
            .filter(|s| s.chars().any(crate::text::is_word))
            .collect();
        if sentences.len() > 1 {
            for sentence in sentences {
                for (score, s) in scores
                    .iter_mut()
                    .zip(self.scores(sentence, language, exclude))
                {
                    *score = score.max(s);
                }
            }
        }
        // The few best by insertion.
        let mut ranked: Vec<Ranked> = Vec::with_capacity(limit + 1);
        for (e, &s) in scores.iter().enumerate() {
            let confidence = (s * 1000.0).round().clamp(0.0, 1000.0) as u16;
            if confidence == 0 {
                continue;
            }
            let r = Ranked {
                entry: e as u32,
                confidence,
                shared: 0,
                content: 0,
            };
            let at = ranked
                .iter()
                .position(|x| x.confidence < r.confidence)
                .unwrap_or(ranked.len());
            if at < limit {
                ranked.insert(at, r);
                ranked.truncate(limit);
            }
        }
        let content = self.content(query, language);
        for r in &mut ranked {
            r.content = content.len().min(255) as u8;
            r.shared = self.shared_words(r.entry, &content, exclude).min(255) as u8;
        }
        ranked
    }

    /// Each entry's score (0–1) for `text`: its centroid and its closest phrasing, or 1
    /// for a phrasing typed word for word.
    fn scores(&self, text: &str, language: Language, exclude: Option<usize>) -> Vec<f32> {
        let model = self.model();
        let query: Vec<String> = lexicon::expand(language, words(text))
            .iter()
            .map(|w| self.canonical(w))
            .collect();
        let vector = model.vector(&query, language);
        let mut scores = model.score(&vector, exclude);
        // The learned weights can lift a score past 1, which only a phrasing typed word
        // for word may reach.
        for s in scores.iter_mut() {
            *s = s.min(MOST_SURE);
        }
        // What the merchant wrote, word for word, is certain: a centroid of several
        // phrasings would otherwise give each of them well under 1.
        if let Some(entry) = self.exact(&query, exclude) {
            scores[entry as usize] = 1.0;
        }
        scores
    }

    /// The entry one of whose phrasings (but `exclude`) is exactly these (canonical) words.
    fn exact(&self, query: &[String], exclude: Option<usize>) -> Option<u32> {
        let s = &self.source;
        let ids: Vec<u32> = query
            .iter()
            .map(|w| s.words.binary_search(w).ok().map(|i| i as u32))
            .collect::<Option<_>>()?;
        s.phrases
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != exclude)
            .map(|(_, p)| p)
            .find(|p| {
                !p.words.is_empty()
                    && p.words.len() == ids.len()
                    && p.words
                        .iter()
                        .map(|&i| self.canonical_id(i))
                        .eq(ids.iter().copied())
            })
            .map(|p| p.entry)
    }

    /// Builds the model now rather than on the first question.
    pub fn prepare(&self) {
        self.model();
    }

    /// Whether the model is built.
    pub fn is_prepared(&self) -> bool {
        self.model.get().is_some()
    }

    fn model(&self) -> &Model {
        self.model.get_or_init(|| self.build_model())
    }

    /// A word as the index knows it: the first word of its synonym group.
    fn canonical(&self, word: &str) -> String {
        let s = &self.source;
        match s.words.binary_search_by(|x| x.as_str().cmp(word)) {
            Ok(i) => s.words[self.canonical_id(i as u32) as usize].clone(),
            Err(_) => word.to_owned(),
        }
    }

    /// The id of the first word of word `i`'s synonym group (`i` itself without one).
    fn canonical_id(&self, i: u32) -> u32 {
        let synonyms = &self.source.synonyms;
        match synonyms.binary_search_by_key(&i, |&(from, _)| from) {
            Ok(k) => synonyms[k].1,
            Err(_) => i,
        }
    }

    fn build_model(&self) -> Model {
        let words: Vec<String> = self
            .source
            .words
            .iter()
            .map(|w| self.canonical(w))
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let languages: Vec<Language> = self
            .source
            .languages
            .iter()
            .map(|l| Language::from_code(l))
            .collect();
        let phrases: Vec<(u32, Language, &[u32])> = self
            .source
            .phrases
            .iter()
            .map(|p| {
                let language = languages.get(p.language as usize).copied();
                (p.entry, language.unwrap_or(Language::Other), &p.words[..])
            })
            .collect();
        let concepts = concepts::Concepts::new(
            self.source
                .concepts
                .iter()
                .map(|c| {
                    let language = languages.get(c.language as usize).copied();
                    (
                        language.unwrap_or(Language::Other),
                        c.key.clone(),
                        c.concept,
                    )
                })
                .collect(),
        );
        let mut model = Model::build(&words, &phrases, concepts);
        let learned: Vec<Vec<(u32, i32)>> =
            self.source.learned.iter().map(Learned::weights).collect();
        model.learn(&learned);
        model
    }
}

impl From<Source> for FaqIndex {
    fn from(source: Source) -> FaqIndex {
        FaqIndex {
            source,
            model: OnceLock::new(),
        }
    }
}

impl From<FaqIndex> for Source {
    fn from(index: FaqIndex) -> Source {
        index.source
    }
}

impl PartialEq for FaqIndex {
    fn eq(&self, other: &FaqIndex) -> bool {
        self.source == other.source
    }
}

// The binary encoding (see `crate::codec`): only the source is shipped
// (`source.rs`); the model is rebuilt from it.
impl crate::codec::Encode for FaqIndex {
    fn encode(&self, w: &mut Vec<u8>) {
        crate::codec::Encode::encode(&self.source, w);
    }
}

impl crate::codec::Decode for FaqIndex {
    fn decode(r: &mut crate::codec::Reader) -> FaqIndex {
        FaqIndex::from(<Source as crate::codec::Decode>::decode(r))
    }
}

#[cfg(test)]
mod tests;
