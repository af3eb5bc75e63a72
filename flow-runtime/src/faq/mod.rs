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

mod features;
mod normalize;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::codec::codec;

pub use normalize::{is_function_word, stem, tokens, words};

/// How well the shopper's words match one FAQ entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Index into the flow's FAQ entries.
    pub entry: u32,
    /// 0–1000.
    pub confidence: u16,
}

/// One phrasing of one entry, as the merchant wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
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
    /// Each phrasing: its entry and its word ids in order.
    phrases: Vec<(u32, Vec<u32>)>,
}

/// The vectors of the entries (centroids) and of the phrasings, by feature.
#[derive(Clone, Debug, Default)]
struct Model {
    /// Feature hashes, sorted; a feature's id is its position.
    features: Vec<u32>,
    idf: Vec<f32>,
    centroids: Postings,
    phrasings: Postings,
    /// The entry of each phrasing.
    entry_of: Vec<u32>,
}

/// Sparse vectors stored by feature for scoring: `items[start[f]..start[f + 1]]` are the
/// vectors that have feature `f`, with its weight in them.
#[derive(Clone, Debug, Default)]
struct Postings {
    start: Vec<u32>,
    items: Vec<(u32, f32)>,
    rows: usize,
}

/// How much of the confidence is the closest single phrasing; the rest is the entry's
/// centroid. Chosen on CLINC150's validation split: 0 → 72.5 %, 0.2 → 72.8 % top-1, and
/// a question that is close to one phrasing of a varied entry is answered with more
/// confidence.
const CLOSEST_PHRASING: f32 = 0.2;

impl FaqIndex {
    /// Builds the index from every phrasing and the flow's synonym groups.
    pub fn build(phrases: &[Phrase], synonym_groups: &[Vec<String>]) -> FaqIndex {
        let tokenized: Vec<(u32, Vec<String>)> =
            phrases.iter().map(|p| (p.entry, words(&p.text))).collect();
        let groups: Vec<Vec<String>> = synonym_groups
            .iter()
            .map(|g| g.iter().flat_map(|w| words(w)).collect())
            .collect();
        let mut all: Vec<String> = tokenized.iter().flat_map(|(_, w)| w.clone()).collect();
        all.extend(groups.iter().flatten().cloned());
        all.sort();
        all.dedup();
        let id = |w: &str| {
            all.binary_search_by(|x| x.as_str().cmp(w))
                .ok()
                .map(|i| i as u32)
        };
        let mut synonyms: Vec<(u32, u32)> = Vec::new();
        for group in &groups {
            if let Some(head) = group.first().and_then(|h| id(h)) {
                for w in &group[1..] {
                    if let Some(i) = id(w).filter(|&i| i != head) {
                        synonyms.push((i, head));
                    }
                }
            }
        }
        synonyms.sort_unstable();
        synonyms.dedup_by_key(|s| s.0);
        let phrases = tokenized
            .iter()
            .map(|(entry, ws)| (*entry, ws.iter().filter_map(|w| id(w)).collect()))
            .collect();
        FaqIndex::from(Source {
            words: all,
            synonyms,
            phrases,
        })
    }

    /// Ranks entries for `query`, best first, at most `limit` of them.
    pub fn rank(&self, query: &str, limit: usize) -> Vec<Ranked> {
        let model = self.model();
        let query: Vec<String> = words(query).iter().map(|w| self.canonical(w)).collect();
        let vector = model.vector(&query);
        let mut scores = model.centroids.dot(&vector);
        let mut closest = vec![0f32; scores.len()];
        for (phrasing, s) in model.phrasings.dot(&vector).into_iter().enumerate() {
            let e = model.entry_of[phrasing] as usize;
            closest[e] = closest[e].max(s);
        }
        for (score, c) in scores.iter_mut().zip(closest) {
            *score = *score * (1.0 - CLOSEST_PHRASING) + c * CLOSEST_PHRASING;
        }
        // What the merchant wrote, word for word, is certain: a centroid of several
        // phrasings would otherwise give each of them well under 1.
        if let Some(entry) = self.exact(&query) {
            scores[entry as usize] = 1.0;
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
        ranked
    }

    /// The entry one of whose phrasings is exactly these (canonical) words.
    fn exact(&self, query: &[String]) -> Option<u32> {
        let s = &self.source;
        let ids: Vec<u32> = query
            .iter()
            .map(|w| s.words.binary_search(w).ok().map(|i| i as u32))
            .collect::<Option<_>>()?;
        s.phrases
            .iter()
            .find(|(_, p)| {
                !p.is_empty()
                    && p.len() == ids.len()
                    && p.iter()
                        .map(|&i| self.canonical_id(i))
                        .eq(ids.iter().copied())
            })
            .map(|(entry, _)| *entry)
    }

    /// Builds the model now rather than on the first question.
    pub fn prepare(&self) {
        self.model();
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
        let s = &self.source;
        // Each word's canonical form, stem and pieces, cut once.
        let cut: Vec<(String, Vec<u32>)> = s
            .words
            .iter()
            .map(|w| {
                let w = self.canonical(w);
                let mut p = Vec::new();
                features::pieces(&w, &mut p);
                (stem(&w), p)
            })
            .collect();
        let bags: Vec<(u32, features::Bag)> = s
            .phrases
            .iter()
            .map(|(entry, ids)| {
                let known: Vec<&(String, Vec<u32>)> =
                    ids.iter().filter_map(|&i| cut.get(i as usize)).collect();
                let stems: Vec<&str> = known.iter().map(|(s, _)| s.as_str()).collect();
                let pieces = known.iter().flat_map(|(_, p)| p.iter().copied()).collect();
                (*entry, features::bag_with_pieces(&stems, pieces))
            })
            .collect();
        // Document frequency of every feature (a bag has each feature once).
        let mut all: Vec<u32> = bags
            .iter()
            .flat_map(|(_, b)| b.words.iter().chain(&b.pieces).map(|&(h, _)| h))
            .collect();
        all.sort_unstable();
        let mut features: Vec<u32> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        for h in all {
            match (features.last(), df.last_mut()) {
                (Some(&last), Some(d)) if last == h => *d += 1,
                _ => {
                    features.push(h);
                    df.push(1);
                }
            }
        }
        let n = bags.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let entries = bags.iter().map(|(e, _)| *e as usize + 1).max().unwrap_or(0);
        let mut model = Model {
            features,
            idf,
            entry_of: bags.iter().map(|(e, _)| *e).collect(),
            ..Model::default()
        };
        let phrasings: Vec<Vec<(usize, f32)>> = bags.iter().map(|(_, b)| model.weigh(b)).collect();
        let mut centroids: Vec<Vec<(usize, f32)>> = vec![Vec::new(); entries];
        for (entry, v) in model.entry_of.iter().zip(&phrasings) {
            centroids[*entry as usize].extend(v.iter().copied());
        }
        let n = model.features.len();
        model.centroids = Postings::new(centroids, n);
        model.phrasings = Postings::new(phrasings, n);
        model
    }
}

impl Postings {
    /// From sparse rows (features may repeat within a row: they are summed), each
    /// normalised to unit length.
    fn new(mut rows: Vec<Vec<(usize, f32)>>, features: usize) -> Postings {
        let mut start = vec![0u32; features + 1];
        for row in &mut rows {
            row.sort_unstable_by_key(|&(f, _)| f);
            let mut merged: Vec<(usize, f32)> = Vec::with_capacity(row.len());
            for &(f, w) in row.iter() {
                match merged.last_mut() {
                    Some((last, sum)) if *last == f => *sum += w,
                    _ => merged.push((f, w)),
                }
            }
            let norm = merged.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for (f, w) in &mut merged {
                *w /= norm;
                start[*f + 1] += 1;
            }
            *row = merged;
        }
        for f in 1..start.len() {
            start[f] += start[f - 1];
        }
        let mut next = start.clone();
        let mut items = vec![(0, 0.0); start[features] as usize];
        for (r, row) in rows.iter().enumerate() {
            for &(f, w) in row {
                items[next[f] as usize] = (r as u32, w);
                next[f] += 1;
            }
        }
        Postings {
            start,
            items,
            rows: rows.len(),
        }
    }

    /// The dot product of every row with `vector`.
    fn dot(&self, vector: &[(usize, f32)]) -> Vec<f32> {
        let mut out = vec![0f32; self.rows];
        for &(f, weight) in vector {
            let (from, to) = (self.start[f] as usize, self.start[f + 1] as usize);
            for &(row, w) in &self.items[from..to] {
                out[row as usize] += weight * w;
            }
        }
        out
    }
}

/// The features of a text given as canonical words.
fn bag_of(words: &[String]) -> features::Bag {
    let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let s: Vec<&str> = stems.iter().map(String::as_str).collect();
    features::bag(&w, &s)
}

impl Model {
    /// The normalised TF-IDF vector of a question's words, over known features.
    fn vector(&self, words: &[String]) -> Vec<(usize, f32)> {
        self.weigh(&bag_of(words))
    }

    /// Each block weighed and normalised, then the two together.
    fn weigh(&self, bag: &features::Bag) -> Vec<(usize, f32)> {
        let block = |counts: &[(u32, u32)]| -> Vec<(usize, f32)> {
            let mut v: Vec<(usize, f32)> = counts
                .iter()
                .filter_map(|&(h, n)| {
                    let f = self.features.binary_search(&h).ok()?;
                    Some((f, (1.0 + (n as f32).ln()) * self.idf[f]))
                })
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v
        };
        let (words, pieces) = (block(&bag.words), block(&bag.pieces));
        let scale = if words.is_empty() || pieces.is_empty() {
            1.0
        } else {
            std::f32::consts::FRAC_1_SQRT_2
        };
        words
            .into_iter()
            .chain(pieces)
            .map(|(f, w)| (f, w * scale))
            .collect()
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

// The binary encoding (see `crate::codec`): fields in order, variants by tag. Only the
// source is shipped; the model is rebuilt from it.
codec!(struct Source { words, synonyms, phrases });

impl crate::codec::Encode for FaqIndex {
    fn encode(&self, w: &mut Vec<u8>) {
        crate::codec::Encode::encode(&self.source, w);
    }
}

impl crate::codec::Decode for FaqIndex {
    fn decode(r: &mut crate::codec::Reader) -> Option<FaqIndex> {
        <Source as crate::codec::Decode>::decode(r).map(FaqIndex::from)
    }
}

#[cfg(test)]
mod tests;
