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
mod train;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::codec::codec;
use model::Model;

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

/// What is shipped: the words and, for each phrasing, which words in which order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Source {
    /// Folded words, sorted; a word's id is its position.
    words: Vec<String>,
    /// Synonyms: a word id → the id of its group's first word, sorted.
    synonyms: Vec<(u32, u32)>,
    /// The languages of the phrasings, as the flow names them (`en`, `es-MX`).
    languages: Vec<String>,
    phrases: Vec<Encoded>,
    /// The shop concepts the phrasings touch ([`concepts`]), each with every key of it.
    concepts: Vec<ConceptKey>,
    /// The weights the compiler learned ([`train`]), per entry.
    learned: Vec<Learned>,
}

/// One key of a shop concept as shipped: a stem, or two joined by a space, in one of the
/// phrasings' languages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ConceptKey {
    /// Index into [`Source::languages`].
    language: u32,
    key: String,
    concept: u32,
}

/// One entry's learned weights: features as gaps between ids (positions in the model's
/// feature table, which the source determines), ascending, and each one's weight in
/// [`model::STEP`]s. Gaps and small integers are a byte or two each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Learned {
    gaps: Vec<u32>,
    steps: Vec<i32>,
}

impl Learned {
    fn from_weights(weights: &[(u32, i32)]) -> Learned {
        let mut last = 0;
        let mut out = Learned::default();
        for &(f, s) in weights {
            out.gaps.push(f - last);
            out.steps.push(s);
            last = f;
        }
        out
    }

    fn weights(&self) -> Vec<(u32, i32)> {
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
struct Encoded {
    entry: u32,
    /// Index into [`Source::languages`].
    language: u32,
    /// Word ids in order.
    words: Vec<u32>,
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

/// Whether `word` is one typo away from one of `known` (two for long words): shoppers
/// misspell the long words ("shiping", "exhange", "warrenty"), and short words one edit
/// apart are often other words ("cost", "post").
/// Whether `word` (a content-word form) is among `known` (sorted), or a typo of one.
fn shares(known: &[String], word: &str) -> bool {
    known.binary_search_by(|k| k.as_str().cmp(word)).is_ok() || typo_of_any(word, known)
}

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

/// One item of a question's content ([`FaqIndex::content`]).
struct Content {
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

    /// The question's content as the index compares it, one item per content word
    /// (expanded, canonical, stemmed; function words and greetings left out) and per shop
    /// concept named in two words ("get here" is all function words, and still says
    /// delivery), each with what the shopper wrote.
    fn content(&self, text: &str, language: Language) -> Vec<Content> {
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
    fn shared_words(&self, entry: u32, content: &[Content], exclude: Option<usize>) -> usize {
        let known = self.known_words(entry, exclude);
        content.iter().filter(|c| c.is_shared(&known)).count()
    }

    /// The words of `query` that the phrasings of `entry` share, as the matcher counts
    /// them for [`Ranked::shared`] (the same word after stemming and synonyms, a typo of
    /// one, or a word of the same shop concept; a two-word phrase of a concept is one),
    /// written as the shopper wrote them: how the console explains a match.
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

/// The built-in shop concepts ([`lexicon::concepts`]) that the phrasings touch, with all
/// their keys as the matcher will meet them: each word canonical (the first of its
/// synonym group) and stemmed in the phrasing's language.
fn shop_concepts(
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

// The binary encoding (see `crate::codec`): fields in order, variants by tag. Only the
// source is shipped; the model is rebuilt from it.
codec!(struct Source { words, synonyms, languages, phrases, concepts, learned });
codec!(struct Encoded { entry, language, words });
codec!(struct Learned { gaps, steps });
codec!(struct ConceptKey { language, key, concept });

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
