//! Answering questions offline: the FAQ matcher.
//!
//! The index is built natively when a flow is compiled ([`FaqIndex::build`]) and shipped
//! inside the compiled flow; the browser only ranks ([`FaqIndex::rank`]). Confidence is
//! per mille (0–1000) so that thresholds are exact and the engine stays free of floats in
//! its decisions.

mod normalize;

use serde::{Deserialize, Serialize};

use crate::codec::codec;

pub use normalize::{is_function_word, tokens};

/// How much of an entry's score comes from how much of the question all its phrasings
/// cover together (per mille); the rest is its best single phrasing. Chosen on CLINC150's
/// validation split (`flow bench`): 0 → 59.8 %, 350 → 62.0 % top-1 with 5 phrasings each.
const COVERAGE_WEIGHT: u64 = 350;

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

/// The searchable form of a flow's FAQ.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FaqIndex {
    /// Sorted terms; a term's id is its position.
    terms: Vec<String>,
    /// Inverse document frequency of each term, scaled by 1000.
    idf: Vec<u32>,
    /// Synonym groups: a term id → its group's canonical term id.
    synonyms: Vec<(u32, u32)>,
    /// Each phrasing: the entry it belongs to and its term ids.
    phrases: Vec<(u32, Vec<u32>)>,
}

impl FaqIndex {
    /// Builds the index from every phrasing and the flow's synonym groups.
    pub fn build(phrases: &[Phrase], synonym_groups: &[Vec<String>]) -> FaqIndex {
        let canon = |t: String| -> String {
            for group in synonym_groups {
                let normalized: Vec<String> = group.iter().flat_map(|w| tokens(w)).collect();
                if normalized.contains(&t) {
                    return normalized[0].clone();
                }
            }
            t
        };
        let tokenized: Vec<(u32, Vec<String>)> = phrases
            .iter()
            .map(|p| (p.entry, tokens(&p.text).into_iter().map(canon).collect()))
            .collect();
        let mut terms: Vec<String> = tokenized
            .iter()
            .flat_map(|(_, t)| t.iter().cloned())
            .collect();
        let mut synonym_terms = Vec::new();
        for group in synonym_groups {
            let normalized: Vec<String> = group.iter().flat_map(|w| tokens(w)).collect();
            synonym_terms.extend(normalized);
        }
        terms.extend(synonym_terms.iter().cloned());
        terms.sort();
        terms.dedup();
        let id = |t: &str| {
            terms
                .binary_search_by(|x| x.as_str().cmp(t))
                .ok()
                .map(|i| i as u32)
        };
        let n = tokenized.len().max(1) as f64;
        let mut df = vec![0u32; terms.len()];
        let phrases: Vec<(u32, Vec<u32>)> = tokenized
            .iter()
            .map(|(entry, toks)| {
                let mut ids: Vec<u32> = toks.iter().filter_map(|t| id(t)).collect();
                ids.sort_unstable();
                ids.dedup();
                for &i in &ids {
                    df[i as usize] += 1;
                }
                (*entry, ids)
            })
            .collect();
        let idf = df
            .iter()
            .map(|&d| ((1.0 + n / (1.0 + f64::from(d))).ln() * 1000.0) as u32)
            .collect();
        let mut synonyms = Vec::new();
        for group in synonym_groups {
            let normalized: Vec<String> = group.iter().flat_map(|w| tokens(w)).collect();
            if let Some(head) = normalized.first().and_then(|h| id(h)) {
                for t in &normalized[1..] {
                    if let Some(i) = id(t) {
                        synonyms.push((i, head));
                    }
                }
            }
        }
        synonyms.sort_unstable();
        FaqIndex {
            terms,
            idf,
            synonyms,
            phrases,
        }
    }

    /// Ranks entries for `query`, best first, at most `limit` of them.
    pub fn rank(&self, query: &str, limit: usize) -> Vec<Ranked> {
        let words = tokens(query);
        let query_total: u64 = words
            .iter()
            .map(|t| match self.term(t) {
                Some(i) => self.weight(i),
                None if is_function_word(t) => 0,
                None => 2000,
            })
            .sum();
        // Sorted like each phrasing's terms, so that shared terms are found by a merge.
        let mut ids: Vec<u32> = words.iter().filter_map(|t| self.term(t)).collect();
        ids.sort_unstable();
        ids.dedup();
        let content: Vec<bool> = ids
            .iter()
            .map(|&i| !is_function_word(&self.terms[i as usize]))
            .collect();
        let mut best: Vec<u32> = Vec::new(); // best score per entry (per mille)
        let mut covered: Vec<Vec<u32>> = Vec::new(); // query terms any phrasing shares
        for (entry, phrase) in &self.phrases {
            let (mut common, mut phrase_total, mut shares_content) = (0u64, 0u64, false);
            let mut q = 0;
            for &t in phrase {
                let w = self.weight(t);
                phrase_total += w;
                while q < ids.len() && ids[q] < t {
                    q += 1;
                }
                if q < ids.len() && ids[q] == t {
                    common += w;
                    shares_content |= content[q];
                }
            }
            if !shares_content || phrase_total == 0 || query_total == 0 {
                continue;
            }
            // Dice coefficient over IDF weights: shared weight relative to both sides.
            let score = (2000 * common / (phrase_total + query_total)).min(1000) as u32;
            let e = *entry as usize;
            if best.len() <= e {
                best.resize(e + 1, 0);
                covered.resize(e + 1, Vec::new());
            }
            best[e] = best[e].max(score);
            for t in phrase.iter().filter(|t| ids.binary_search(t).is_ok()) {
                if !covered[e].contains(t) {
                    covered[e].push(*t);
                }
            }
        }
        for (e, b) in best.iter_mut().enumerate() {
            if *b == 0 {
                continue;
            }
            let shared: u64 = covered[e].iter().map(|&t| self.weight(t)).sum();
            let coverage = (shared * 1000 / query_total.max(1)).min(1000);
            *b = ((u64::from(*b) * (1000 - COVERAGE_WEIGHT) + coverage * COVERAGE_WEIGHT) / 1000)
                as u32;
        }
        // The few best by insertion: no general sort in the browser build.
        let mut ranked: Vec<Ranked> = Vec::with_capacity(limit + 1);
        for (e, &s) in best.iter().enumerate() {
            if s == 0 {
                continue;
            }
            let r = Ranked {
                entry: e as u32,
                confidence: s as u16,
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

    fn term(&self, t: &str) -> Option<u32> {
        let i = self.terms.binary_search_by(|x| x.as_str().cmp(t)).ok()? as u32;
        Some(
            match self.synonyms.binary_search_by_key(&i, |&(from, _)| from) {
                Ok(k) => self.synonyms[k].1,
                Err(_) => i,
            },
        )
    }

    fn weight(&self, term: u32) -> u64 {
        u64::from(self.idf.get(term as usize).copied().unwrap_or(1000))
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct FaqIndex { terms, idf, synonyms, phrases });
