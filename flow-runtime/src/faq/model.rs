//! The model the browser builds from the shipped FAQ on the first question: a TF-IDF
//! vector per entry (the centroid of its phrasings), stored by feature so that a question
//! meets only the entries that share a feature with it, and a vector per phrasing, stored
//! as rows and read only for the few entries closest to a question. (Phrasings stored by
//! feature too cost a fifth of the build and 1 MiB of memory on a 500-entry FAQ.)
//!
//! Building it is paid by a shopper waiting for an answer, so the work follows the
//! vocabulary, not the text: every distinct word is cut into its features once, features
//! get dense ids from one sorted table, and a phrasing's counts are tallied in a scratch
//! array rather than sorted. On a 500-entry FAQ (`cargo bench -p flow-runtime --bench
//! faq`) that took the build from 23 ms to the figure in BENCHMARKS.md.

use super::concepts::Concepts;
use super::features;
use super::language::Language;
use super::lexicon;

/// How much a shop concept weighs against a word of the same rarity. Chosen on validation
/// questions (`flow bench`): against 1, 1.5 answered the demo shop's Spanish questions
/// right 81 → 90 % of the time and wrong 4.2 → 2.1 %, its English ones 91.0 → 90.3 % and
/// 2.6 → 1.9 %, CLINC150's the same; 2 and 3 answered more off-topic questions.
const CONCEPT_WEIGHT: f32 = 1.5;

/// One unit of a learned weight as shipped ([`super::train`]).
pub(super) const STEP: f32 = 1.0 / 64.0;

/// The vectors of the entries (centroids) and of the phrasings, by feature.
#[derive(Clone, Debug, Default)]
pub(super) struct Model {
    /// Feature hashes, sorted; a feature's id is its position.
    features: Vec<u32>,
    idf: Vec<f32>,
    pub centroids: Postings,
    /// Each entry's centroid's length before it was normalised (the sum of its phrasings'
    /// vectors), so that one phrasing can be taken out of it again.
    centroid_norms: Vec<f32>,
    /// Each phrasing's vector, for the closest phrasing of the entries a question is
    /// closest to (a few dozen rows read per question, rather than an index of every
    /// phrasing built for the first one).
    phrasings: Rows,
    /// Phrasing ids by entry: entry `e`'s are `by_entry[entry_start[e]..entry_start[e + 1]]`.
    by_entry: Vec<u32>,
    entry_start: Vec<u32>,
    /// Where each phrasing's first block (words and pairs) ends in `phrasings.items`.
    word_end: Vec<usize>,
    /// The weights learned at compile time ([`super::train`]), by feature: each entry's
    /// additions to its centroid's score.
    learned: Postings,
    /// The shop concepts the FAQ touches.
    pub concepts: Concepts,
    /// The concepts each phrasing names: phrasing `p`'s are
    /// `named[named_start[p]..named_start[p + 1]]`.
    named: Vec<u32>,
    named_start: Vec<usize>,
    /// How many phrasings the IDF was counted over.
    rows: usize,
}

/// Sparse vectors stored by feature for scoring: `items[start[f]..start[f + 1]]` are the
/// vectors that have feature `f`, with its weight in them.
#[derive(Clone, Debug, Default)]
pub(super) struct Postings {
    start: Vec<u32>,
    items: Vec<(u32, f32)>,
    rows: usize,
}

/// Sparse vectors one after another: row `r` is `items[start[r]..start[r + 1]]`, pairs of
/// feature id and weight. One allocation for all phrasings rather than one each.
#[derive(Clone, Debug, Default)]
struct Rows {
    start: Vec<usize>,
    items: Vec<(u32, f32)>,
}

impl Rows {
    fn new() -> Rows {
        Rows {
            start: vec![0],
            items: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    fn end_row(&mut self) {
        self.start.push(self.items.len());
    }
}

impl Model {
    /// The model of phrasings given as `(entry, language, word ids)` over `words`
    /// (canonical, folded). Ids past the end of `words` are ignored.
    pub(super) fn build(
        words: &[&str],
        phrases: &[(u32, Language, &[u32])],
        concepts: Concepts,
    ) -> Model {
        // Everything below lives in flat arrays, one allocation each: a `Vec` per word or
        // per phrasing cost a fifth of the build in allocations.
        // Phrasing `p`'s word ids (those in range) are `ids[id_start[p]..id_start[p + 1]]`.
        let mut ids: Vec<usize> = Vec::new();
        let mut id_start: Vec<usize> = Vec::with_capacity(phrases.len() + 1);
        id_start.push(0);
        for &(_, _, list) in phrases {
            for &i in list {
                if (i as usize) < words.len() {
                    ids.push(i as usize);
                }
            }
            id_start.push(ids.len());
        }
        let ids: &[usize] = &ids;
        let of_phrase = |p: usize| &ids[id_start[p]..id_start[p + 1]];
        // Only words some phrasing uses make features: a synonym's other words are
        // replaced by its first, and a feature no phrasing has would only dilute questions.
        let mut used = vec![false; words.len()];
        for &i in ids {
            used[i] = true;
        }
        // Word `i`'s pieces are `piece_id[piece_start[i]..piece_start[i + 1]]`.
        let mut piece_id: Vec<u32> = Vec::new();
        let mut piece_start: Vec<usize> = Vec::with_capacity(words.len() + 1);
        piece_start.push(0);
        for i in 0..words.len() {
            if used[i] {
                features::pieces(words[i], &mut piece_id);
            }
            piece_start.push(piece_id.len());
        }
        // Stems depend on the phrasing's language; a FAQ has one or a few. Each phrasing's
        // word features, then its pair features, one after another.
        let mut stems: Vec<(Language, Vec<Option<String>>)> = Vec::new();
        let mut word_id: Vec<u32> = Vec::with_capacity(ids.len());
        let mut pair_id: Vec<u32> = Vec::with_capacity(ids.len());
        // Each phrasing's concept features, `concept_id[concept_from[p]..concept_from[p + 1]]`.
        let mut concept_id: Vec<u32> = Vec::new();
        let mut concept_from: Vec<usize> = Vec::with_capacity(phrases.len() + 1);
        // The same as concept ids, kept for the words a match shares (`concepts_in`).
        let mut named: Vec<u32> = Vec::new();
        for (p, &(_, language, _)) in phrases.iter().enumerate() {
            let k = match stems.iter().position(|(l, _)| *l == language) {
                Some(k) => k,
                None => {
                    stems.push((language, vec![None; words.len()]));
                    stems.len() - 1
                }
            };
            let of = &mut stems[k].1;
            let list = of_phrase(p);
            for &i in list {
                if of[i].is_none() {
                    of[i] = Some(language.stem(words[i]));
                }
            }
            let stem = |i: usize| of[i].as_deref().unwrap_or_default();
            for &i in list {
                word_id.push(features::word(stem(i)));
            }
            for pair in list.windows(2) {
                pair_id.push(features::pair(stem(pair[0]), stem(pair[1])));
            }
            concept_from.push(concept_id.len());
            if !concepts.is_empty() {
                let phrase_stems: Vec<&str> = list.iter().map(|&i| stem(i)).collect();
                // Once per text however many of its words name it: an entry written with
                // four delivery words is no more about delivery than one with a single one.
                let mut once = concepts.of(language, &phrase_stems);
                once.sort_unstable();
                once.dedup();
                for c in once {
                    concept_id.push(features::concept(c));
                    named.push(c);
                }
            }
        }
        concept_from.push(concept_id.len());

        // One table of every feature; ids are positions in it.
        let mut table: Vec<u32> =
            Vec::with_capacity(piece_id.len() + word_id.len() + pair_id.len());
        table.extend_from_slice(&piece_id);
        table.extend_from_slice(&word_id);
        table.extend_from_slice(&pair_id);
        table.extend_from_slice(&concept_id);
        radix_sort(&mut table);
        table.dedup();
        // Hashes to ids in place, each word's pieces once.
        for hashes in [&mut piece_id, &mut word_id, &mut pair_id, &mut concept_id] {
            for h in hashes.iter_mut() {
                *h = table.binary_search(h).unwrap_or_default() as u32;
            }
        }
        // Phrasing `p`'s word features are `word_id[from..from + n]` with `n` its words, and
        // its pairs the `n - 1` (or none) after the previous phrasings' pairs.
        let mut word_from = Vec::with_capacity(phrases.len() + 1);
        let mut pair_from = Vec::with_capacity(phrases.len() + 1);
        let (mut w, mut q) = (0, 0);
        for p in 0..phrases.len() {
            word_from.push(w);
            pair_from.push(q);
            let n = id_start[p + 1] - id_start[p];
            w += n;
            q += n.saturating_sub(1);
        }
        word_from.push(w);
        pair_from.push(q);
        let words_of = |p: usize| &word_id[word_from[p]..word_from[p + 1]];
        let pairs_of = |p: usize| &pair_id[pair_from[p]..pair_from[p + 1]];
        let pieces_of = |i: usize| &piece_id[piece_start[i]..piece_start[i + 1]];
        let concepts_of = |p: usize| &concept_id[concept_from[p]..concept_from[p + 1]];

        // Each phrasing's counts, the words block then the pieces block (`middle`). Plain
        // loops into buffers sized once: the widget is built for size, where iterator
        // adapters and `Vec::push` stay function calls.
        let mut bound = 0;
        for p in 0..phrases.len() {
            bound += words_of(p).len() + pairs_of(p).len() + concepts_of(p).len();
            for &i in of_phrase(p) {
                bound += pieces_of(i).len();
            }
        }
        let mut tally = Tally {
            count: vec![0u32; table.len()],
            out: vec![0u32; table.len()],
            met: 0,
        };
        let mut rows = Rows {
            start: Vec::with_capacity(phrases.len() + 1),
            items: vec![(0, 0.0); bound],
        };
        rows.start.push(0);
        let mut len = 0;
        let mut middle = Vec::with_capacity(phrases.len());
        for p in 0..phrases.len() {
            tally.all(words_of(p));
            tally.all(pairs_of(p));
            tally.all(concepts_of(p));
            len = tally.finish(&mut rows.items, len);
            middle.push(len);
            for &i in of_phrase(p) {
                tally.all(pieces_of(i));
            }
            len = tally.finish(&mut rows.items, len);
            rows.start.push(len);
        }
        rows.items.truncate(len);
        let scratch = tally.count;

        let mut df = scratch;
        let counts: &mut [u32] = &mut df;
        for &(f, _) in &rows.items {
            counts[f as usize] += 1;
        }
        let n = rows.len() as f32;
        let mut idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let mut done = vec![false; idf.len()];
        for &f in &concept_id {
            if !std::mem::replace(&mut done[f as usize], true) {
                idf[f as usize] *= CONCEPT_WEIGHT;
            }
        }
        for (r, &mid) in middle.iter().enumerate() {
            let (from, to) = (rows.start[r], rows.start[r + 1]);
            let (words, pieces) = rows.items[from..to].split_at_mut(mid - from);
            weigh(words, pieces, &idf);
        }

        let entry_of: Vec<u32> = phrases.iter().map(|&(e, _, _)| e).collect();
        let (centroids, centroid_norms) = centroids(&rows, &entry_of, table.len());
        // Phrasings by entry, a counting sort.
        let entries = centroids.len();
        let mut entry_start = vec![0u32; entries + 1];
        for &e in &entry_of {
            entry_start[e as usize + 1] += 1;
        }
        for e in 1..entry_start.len() {
            entry_start[e] += entry_start[e - 1];
        }
        let mut next = entry_start.clone();
        let mut by_entry = vec![0u32; entry_of.len()];
        for (p, &e) in entry_of.iter().enumerate() {
            by_entry[next[e as usize] as usize] = p as u32;
            next[e as usize] += 1;
        }
        Model {
            centroids: Postings::new(&centroids, table.len()),
            centroid_norms,
            phrasings: rows,
            by_entry,
            entry_start,
            learned: Postings::new(&Rows::new(), table.len()),
            features: table,
            idf,
            word_end: middle,
            concepts,
            named,
            named_start: concept_from.clone(),
            rows: entry_of.len(),
        }
    }

    /// Adds the weights learned at compile time: per entry, `(feature id, steps)`.
    /// Features past the table's end (a damaged flow) are left out.
    pub(super) fn learn(&mut self, learned: &[Vec<(u32, i32)>]) {
        let features = self.features.len();
        let mut rows = Rows::new();
        for e in 0..self.entries() {
            if let Some(list) = learned.get(e) {
                for &(f, steps) in list {
                    if (f as usize) < features {
                        rows.items.push((f, steps as f32 * STEP));
                    }
                }
            }
            rows.end_row();
        }
        self.learned = Postings::new(&rows, features);
    }

    /// The concepts phrasing `p` names.
    pub(super) fn concepts_in(&self, p: usize) -> impl Iterator<Item = u32> + '_ {
        let range = match (self.named_start.get(p), self.named_start.get(p + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => 0..0,
        };
        self.named[range].iter().copied()
    }

    /// How many entries the model has (the highest entry with a phrasing, and those before).
    pub(super) fn entries(&self) -> usize {
        self.entry_start.len() - 1
    }

    pub(super) fn feature_count(&self) -> usize {
        self.features.len()
    }

    pub(super) fn phrasing_count(&self) -> usize {
        self.phrasings.len()
    }

    /// Phrasing `p`'s vector.
    pub(super) fn phrasing_row(&self, p: usize) -> &[(u32, f32)] {
        &self.phrasings.items[self.phrasings.start[p]..self.phrasings.start[p + 1]]
    }

    /// Phrasing `p`'s words-and-pairs block.
    pub(super) fn phrasing_words(&self, p: usize) -> &[(u32, f32)] {
        &self.phrasings.items[self.phrasings.start[p]..self.word_end[p]]
    }

    /// Each entry's score (0–1, before the learned weights can move it) for a question's
    /// vector: its centroid, and for the closest entries its closest phrasing, as if
    /// phrasing `exclude` were not there; then the learned weights.
    pub(super) fn score(&self, vector: &[(u32, f32)], exclude: Option<usize>) -> Vec<f32> {
        let mut scores = self.centroids.dot(vector);
        if let Some(p) = exclude {
            self.without_phrasing(p, vector, &mut scores);
        }
        // The closest phrasing is looked at only for the entries whose centroids are
        // closest: it is a fifth of a score, and an entry far down by its centroid is not
        // among the few a shopper is offered. The others keep their centroid's share.
        let candidates = super::best_entries(&scores, super::CANDIDATES);
        for score in scores.iter_mut() {
            *score *= 1.0 - super::CLOSEST_PHRASING;
        }
        for (&e, c) in candidates
            .iter()
            .zip(self.closest(vector, &candidates, exclude))
        {
            scores[e as usize] += c * super::CLOSEST_PHRASING;
        }
        for (score, learned) in scores.iter_mut().zip(self.learned.dot(vector)) {
            *score += learned;
        }
        scores
    }

    /// For each of the `candidates` entries, in their order, the cosine of `vector` with
    /// its closest phrasing (but phrasing `exclude`).
    pub(super) fn closest(
        &self,
        vector: &[(u32, f32)],
        candidates: &[u32],
        exclude: Option<usize>,
    ) -> Vec<f32> {
        let mut dense = vec![0f32; self.features.len()];
        let dense: &mut [f32] = &mut dense;
        for &(f, w) in vector {
            dense[f as usize] = w;
        }
        let (start, items) = (&self.phrasings.start[..], &self.phrasings.items[..]);
        let mut out = Vec::with_capacity(candidates.len());
        for &e in candidates {
            let mut best = 0f32;
            let (from, to) = (
                self.entry_start[e as usize] as usize,
                self.entry_start[e as usize + 1] as usize,
            );
            for &p in &self.by_entry[from..to] {
                if Some(p as usize) == exclude {
                    continue;
                }
                let mut dot = 0.0;
                for &(f, w) in &items[start[p as usize]..start[p as usize + 1]] {
                    dot += dense[f as usize] * w;
                }
                best = best.max(dot);
            }
            out.push(best);
        }
        out
    }

    /// The normalised TF-IDF vector of a question given as canonical words in
    /// `language`, over the features the FAQ has.
    pub(super) fn vector(&self, words: &[String], language: Language) -> Vec<(u32, f32)> {
        let stems: Vec<String> = words.iter().map(|w| language.stem(w)).collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let s: Vec<&str> = stems.iter().map(String::as_str).collect();
        let mentions = self.concepts.mentions(language, &s);
        let mut concepts: Vec<u32> = mentions.iter().map(|m| m.concept).collect();
        concepts.sort_unstable();
        concepts.dedup();
        let bag = features::bag(&w, &s, &concepts);
        let mut v = Vec::new();
        self.known(&bag.words, &mut v);
        self.known(&bag.pairs, &mut v);
        let middle = v.len();
        self.known(&bag.pieces, &mut v);
        // What the FAQ does not know of the question's content words still counts in the
        // question's length, with the IDF of a feature no phrasing has: "can I get a
        // refund on my flight" is a weaker match for an entry that knows only "refund"
        // than "refund" alone. Without this, the unknown words of an out-of-scope question
        // vanished and its one or two known words looked like a confident match. On
        // CLINC150's validation split (five phrasings per entry) the mean of in-scope
        // accuracy and out-of-scope recall at the best threshold went from 74.2 % to
        // 77.4 %. Function words ("what", "is", "your") are left out: a small FAQ may not
        // have them, and they say nothing about the question being off-topic.
        // A word the FAQ knows as a shop concept ("delivery" where its phrasings say
        // "shipping") is not unknown: it is met by the concept's feature.
        let mut known_concept = vec![false; words.len()];
        for m in &mentions {
            for k in m.at..m.at + m.words {
                known_concept[k] = true;
            }
        }
        let unseen = self.unseen(words, &s, &known_concept, language);
        let (words, pieces) = v.split_at_mut(middle);
        weigh_with_unseen(words, pieces, &self.idf, unseen);
        v
    }
}

impl Model {
    /// Corrects `scores` (the centroids' dot products with `vector`) as if phrasing `p`
    /// were not part of its entry's centroid: (S − v)·q / |S − v|, with S the entry's sum
    /// of phrasing vectors, from what is stored (|S|, S/|S|, v) without rebuilding.
    pub(super) fn without_phrasing(&self, p: usize, vector: &[(u32, f32)], scores: &mut [f32]) {
        let Some(&e) = self
            .entry_start
            .windows(2)
            .position(|w| (w[0] as usize..w[1] as usize).any(|i| self.by_entry[i] as usize == p))
            .as_ref()
        else {
            return;
        };
        let (Some(&norm), Some(score)) = (self.centroid_norms.get(e), scores.get_mut(e)) else {
            return;
        };
        let (start, items) = (&self.phrasings.start, &self.phrasings.items);
        let Some(row) = items.get(start[p]..start[p + 1]) else {
            return;
        };
        let mut dense = vec![0f32; self.features.len()];
        for &(f, w) in vector {
            dense[f as usize] = w;
        }
        let (mut v_q, mut v_v, mut c_v) = (0f32, 0f32, 0f32);
        for &(f, w) in row {
            v_q += dense[f as usize] * w;
            v_v += w * w;
            c_v += self.centroids.weight(f, e as u32) * w;
        }
        let rest = norm * norm - 2.0 * norm * c_v + v_v;
        *score = if rest > 1e-6 {
            ((norm * *score - v_q) / rest.sqrt()).max(0.0)
        } else {
            // The entry's only phrasing: nothing of it is left.
            0.0
        };
    }

    /// The ids (positions in the shipped source) of `entry`'s phrasings.
    pub(super) fn phrasings_of(&self, entry: u32) -> &[u32] {
        let e = entry as usize;
        match (self.entry_start.get(e), self.entry_start.get(e + 1)) {
            (Some(&a), Some(&b)) => self.by_entry.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Appends the features of `hashes` that the model has, as `(id, count)`.
    fn known(&self, hashes: &[(u32, u32)], out: &mut Vec<(u32, f32)>) {
        for &(h, n) in hashes {
            if let Ok(f) = self.features.binary_search(&h) {
                out.push((f as u32, n as f32));
            }
        }
    }

    /// The squared weights, in the words block and in the pieces block, of the features of
    /// the question's content words that the model does not have, each with the IDF of a
    /// feature no phrasing has. (Sparing a word most of whose pieces the FAQ has, as a
    /// likely typo, cost 1.5 points of that mean on CLINC150's validation split.)
    fn unseen(
        &self,
        words: &[String],
        stems: &[&str],
        known_concept: &[bool],
        language: Language,
    ) -> [f32; 2] {
        let idf = (self.rows as f32 + 1.0).ln() + 1.0;
        let weight = idf * idf;
        let (mut in_words, mut in_pieces) = (0.0, 0.0);
        let mut pieces = Vec::new();
        for ((word, stem), &concept) in words.iter().zip(stems).zip(known_concept) {
            if concept || lexicon::is_function_word(language, word) {
                continue;
            }
            pieces.clear();
            features::pieces(word, &mut pieces);
            let mut missing = 0usize;
            for h in &pieces {
                if self.features.binary_search(h).is_err() {
                    missing += 1;
                }
            }
            in_pieces += missing as f32 * weight;
            if self.features.binary_search(&features::word(stem)).is_err() {
                in_words += weight;
            }
        }
        [in_words, in_pieces]
    }
}

/// Turns counts (as weights) into TF-IDF: sublinear term frequency times IDF, each block
/// normalised, then the two together.
fn weigh(words: &mut [(u32, f32)], pieces: &mut [(u32, f32)], idf: &[f32]) {
    weigh_with_unseen(words, pieces, idf, [0.0, 0.0])
}

/// [`weigh`], where each block's norm also has `unseen` (the squared weights of the
/// features that were left out because the model has none of them).
fn weigh_with_unseen(
    words: &mut [(u32, f32)],
    pieces: &mut [(u32, f32)],
    idf: &[f32],
    unseen: [f32; 2],
) {
    // A block counts as there when the text has features of it, known or not.
    let absent = |block: &[(u32, f32)], unseen: f32| block.is_empty() && unseen == 0.0;
    let scale = if absent(words, unseen[0]) || absent(pieces, unseen[1]) {
        1.0
    } else {
        std::f32::consts::FRAC_1_SQRT_2
    };
    for (block, unseen) in [(words, unseen[0]), (pieces, unseen[1])] {
        let mut norm = unseen;
        for (f, w) in block.iter_mut() {
            *w = tf(*w) * idf[*f as usize];
            norm += *w * *w;
        }
        if norm > 0.0 {
            let k = scale / norm.sqrt();
            for (_, w) in block.iter_mut() {
                *w *= k;
            }
        }
    }
}

/// Sublinear term frequency.
fn tf(count: f32) -> f32 {
    if count == 1.0 { 1.0 } else { 1.0 + count.ln() }
}

/// Each entry's vector: the sum of its phrasings' vectors, normalised; and the sum's length.
fn centroids(phrasings: &Rows, entry_of: &[u32], features: usize) -> (Rows, Vec<f32>) {
    let entries = entry_of.iter().map(|&e| e as usize + 1).max().unwrap_or(0);
    let mut of_entry: Vec<Vec<usize>> = vec![Vec::new(); entries];
    for (p, &e) in entry_of.iter().enumerate() {
        of_entry[e as usize].push(p);
    }
    let mut sum = vec![0f32; features];
    let sum: &mut [f32] = &mut sum;
    let (items, row_start): (&[(u32, f32)], &[usize]) = (&phrasings.items, &phrasings.start);
    let mut out = Rows::new();
    let mut norms = Vec::with_capacity(of_entry.len());
    for list in &of_entry {
        let from = out.items.len();
        for &p in list {
            for &(f, w) in &items[row_start[p]..row_start[p + 1]] {
                // Weights are positive: zero means not yet in this row.
                if sum[f as usize] == 0.0 {
                    out.items.push((f, 0.0));
                }
                sum[f as usize] += w;
            }
        }
        let row = &mut out.items[from..];
        let mut norm = 0.0;
        for (f, w) in row.iter_mut() {
            *w = std::mem::take(&mut sum[*f as usize]);
            norm += *w * *w;
        }
        let norm = norm.sqrt();
        row.iter_mut().for_each(|(_, w)| *w /= norm);
        norms.push(norm);
        out.end_row();
    }
    (out, norms)
}

/// Sorts hashes byte by byte (least significant first): a few plain passes, where the
/// standard sort, built for size in the widget, took most of the table's time.
fn radix_sort(values: &mut Vec<u32>) {
    let mut other = vec![0u32; values.len()];
    for shift in [0, 8, 16, 24] {
        let mut start = [0usize; 257];
        for &v in values.iter() {
            start[((v >> shift) & 0xff) as usize + 1] += 1;
        }
        for b in 1..257 {
            start[b] += start[b - 1];
        }
        let (from, to): (&[u32], &mut [u32]) = (values, &mut other);
        for &v in from {
            let slot = &mut start[((v >> shift) & 0xff) as usize];
            to[*slot] = v;
            *slot += 1;
        }
        std::mem::swap(values, &mut other);
    }
}

/// Counts feature ids: `count` is as long as the feature table and all zeros between
/// rows; `out[..met]` lists the ids met, in order of first occurrence.
struct Tally {
    count: Vec<u32>,
    out: Vec<u32>,
    met: usize,
}

impl Tally {
    fn all(&mut self, ids: &[u32]) {
        // Indexing a slice is built in; indexing a `Vec` is a call when built for size.
        let (count, out): (&mut [u32], &mut [u32]) = (&mut self.count, &mut self.out);
        for &f in ids {
            let n = &mut count[f as usize];
            if *n == 0 {
                out[self.met] = f;
                self.met += 1;
            }
            *n += 1;
        }
    }

    /// Writes `(id, count)` for every id met into `into` from `at`, starts afresh and
    /// returns where the next row starts.
    fn finish(&mut self, into: &mut [(u32, f32)], mut at: usize) -> usize {
        let count: &mut [u32] = &mut self.count;
        for &f in &self.out[..self.met] {
            into[at] = (f, std::mem::take(&mut count[f as usize]) as f32);
            at += 1;
        }
        self.met = 0;
        at
    }
}

impl Postings {
    /// The same vectors stored by feature.
    fn new(rows: &Rows, features: usize) -> Postings {
        let mut start = vec![0u32; features + 1];
        let counts: &mut [u32] = &mut start;
        for &(f, _) in &rows.items {
            counts[f as usize + 1] += 1;
        }
        for f in 1..start.len() {
            start[f] += start[f - 1];
        }
        let mut next = start.clone();
        let mut items = vec![(0, 0.0); rows.items.len()];
        let (from, next, out): (&[(u32, f32)], &mut [u32], &mut [(u32, f32)]) =
            (&rows.items, &mut next, &mut items);
        let row_start: &[usize] = &rows.start;
        for r in 0..rows.len() {
            for &(f, w) in &from[row_start[r]..row_start[r + 1]] {
                let at = &mut next[f as usize];
                out[*at as usize] = (r as u32, w);
                *at += 1;
            }
        }
        Postings {
            start,
            items,
            rows: rows.len(),
        }
    }

    /// The weight of feature `f` in row `row` (0 when it has none): rows are stored in
    /// order within a feature, so a binary search finds it.
    pub(super) fn weight(&self, f: u32, row: u32) -> f32 {
        let (Some(&a), Some(&b)) = (self.start.get(f as usize), self.start.get(f as usize + 1))
        else {
            return 0.0;
        };
        let list = &self.items[a as usize..b as usize];
        list.binary_search_by_key(&row, |&(r, _)| r)
            .map_or(0.0, |i| list[i].1)
    }

    /// The dot product of every row with `vector`.
    pub(super) fn dot(&self, vector: &[(u32, f32)]) -> Vec<f32> {
        let mut out = vec![0f32; self.rows];
        for &(f, weight) in vector {
            let (from, to) = (
                self.start[f as usize] as usize,
                self.start[f as usize + 1] as usize,
            );
            for &(row, w) in &self.items[from..to] {
                out[row as usize] += weight * w;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn radix_sort_sorts() {
        let mut v: Vec<u32> = (0..2000u32)
            .map(|i| i.wrapping_mul(2_654_435_761) ^ (i << 7))
            .collect();
        v.extend([0, u32::MAX, 7, 7]);
        let mut expected = v.clone();
        expected.sort_unstable();
        super::radix_sort(&mut v);
        assert_eq!(v, expected);
    }
}
