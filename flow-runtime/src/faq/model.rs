//! The model the browser builds from the shipped FAQ on the first question: a TF-IDF
//! vector per phrasing and per entry (the centroid of its phrasings), stored by feature.
//!
//! Building it is paid by a shopper waiting for an answer, so the work follows the
//! vocabulary, not the text: every distinct word is cut into its features once, features
//! get dense ids from one sorted table, and a phrasing's counts are tallied in a scratch
//! array rather than sorted. On a 500-entry FAQ (`cargo bench -p flow-runtime --bench
//! faq`) that took the build from 23 ms to the figure in BENCHMARKS.md.

use super::features;
use super::language::Language;

/// The vectors of the entries (centroids) and of the phrasings, by feature.
#[derive(Clone, Debug, Default)]
pub(super) struct Model {
    /// Feature hashes, sorted; a feature's id is its position.
    features: Vec<u32>,
    idf: Vec<f32>,
    pub centroids: Postings,
    pub phrasings: Postings,
    /// The entry of each phrasing.
    pub entry_of: Vec<u32>,
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
#[derive(Default)]
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

    fn row(&self, r: usize) -> &[(u32, f32)] {
        &self.items[self.start[r]..self.start[r + 1]]
    }

    fn end_row(&mut self) {
        self.start.push(self.items.len());
    }
}

impl Model {
    /// The model of phrasings given as `(entry, language, word ids)` over `words`
    /// (canonical, folded). Ids past the end of `words` are ignored.
    pub fn build(words: &[&str], phrases: &[(u32, Language, &[u32])]) -> Model {
        let phrases: Vec<(u32, Language, Vec<usize>)> = phrases
            .iter()
            .map(|&(entry, language, ids)| {
                let ids = ids.iter().map(|&i| i as usize).filter(|&i| i < words.len());
                (entry, language, ids.collect())
            })
            .collect();
        // Only words some phrasing uses make features: a synonym's other words are
        // replaced by its first, and a feature no phrasing has would only dilute questions.
        let mut used = vec![false; words.len()];
        phrases
            .iter()
            .flat_map(|(_, _, ids)| ids)
            .for_each(|&i| used[i] = true);
        let mut piece_hash: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        for (i, w) in words.iter().enumerate().filter(|&(i, _)| used[i]) {
            features::pieces(w, &mut piece_hash[i]);
        }
        // Stems depend on the phrasing's language; a FAQ has one or a few.
        let mut stems: Vec<(Language, Vec<Option<String>>)> = Vec::new();
        let mut word_hash: Vec<Vec<u32>> = Vec::with_capacity(phrases.len());
        let mut pair_hash: Vec<Vec<u32>> = Vec::with_capacity(phrases.len());
        for (_, language, ids) in &phrases {
            let k = match stems.iter().position(|(l, _)| l == language) {
                Some(k) => k,
                None => {
                    stems.push((*language, vec![None; words.len()]));
                    stems.len() - 1
                }
            };
            let of = &mut stems[k].1;
            for &i in ids {
                if of[i].is_none() {
                    of[i] = Some(language.stem(words[i]));
                }
            }
            let stem = |i: usize| of[i].as_deref().unwrap_or_default();
            word_hash.push(ids.iter().map(|&i| features::word(stem(i))).collect());
            let pairs = ids.windows(2);
            pair_hash.push(
                pairs
                    .map(|p| features::pair(stem(p[0]), stem(p[1])))
                    .collect(),
            );
        }

        // One table of every feature; ids are positions in it.
        let mut table: Vec<u32> = Vec::new();
        for i in (0..words.len()).filter(|&i| used[i]) {
            table.extend(&piece_hash[i]);
        }
        table.extend(word_hash.iter().flatten());
        table.extend(pair_hash.iter().flatten());
        table.sort_unstable();
        table.dedup();
        let id = |h: u32| table.binary_search(&h).unwrap_or_default() as u32;
        let piece_id: Vec<Vec<u32>> = piece_hash
            .iter()
            .map(|hs| hs.iter().map(|&h| id(h)).collect())
            .collect();

        // Each phrasing's counts, the words block then the pieces block (`middle`).
        let mut scratch = vec![0u32; table.len()];
        let mut rows = Rows::new();
        let mut middle = Vec::with_capacity(phrases.len());
        for (((_, _, ids), words), pairs) in phrases.iter().zip(&word_hash).zip(&pair_hash) {
            let words = words.iter().map(|&h| id(h));
            let pairs = pairs.iter().map(|&h| id(h));
            tally(words.chain(pairs), &mut scratch, &mut rows.items);
            middle.push(rows.items.len());
            let pieces = ids.iter().flat_map(|&i| piece_id[i].iter().copied());
            tally(pieces, &mut scratch, &mut rows.items);
            rows.end_row();
        }

        let mut df = scratch;
        rows.items.iter().for_each(|&(f, _)| df[f as usize] += 1);
        let n = rows.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        for (r, &mid) in middle.iter().enumerate() {
            let (from, to) = (rows.start[r], rows.start[r + 1]);
            let (words, pieces) = rows.items[from..to].split_at_mut(mid - from);
            weigh(words, pieces, &idf);
        }

        let entry_of: Vec<u32> = phrases.iter().map(|(e, _, _)| *e).collect();
        let centroids = centroids(&rows, &entry_of, table.len());
        Model {
            centroids: Postings::new(&centroids, table.len()),
            phrasings: Postings::new(&rows, table.len()),
            features: table,
            idf,
            entry_of,
        }
    }

    /// The normalised TF-IDF vector of a question given as canonical words in
    /// `language`, over the features the FAQ has.
    pub fn vector(&self, words: &[String], language: Language) -> Vec<(u32, f32)> {
        let stems: Vec<String> = words.iter().map(|w| language.stem(w)).collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let s: Vec<&str> = stems.iter().map(String::as_str).collect();
        let bag = features::bag(&w, &s);
        let known = |hashes: &[(u32, u32)], out: &mut Vec<(u32, f32)>| {
            for &(h, n) in hashes {
                if let Ok(f) = self.features.binary_search(&h) {
                    out.push((f as u32, n as f32));
                }
            }
        };
        let mut v = Vec::new();
        known(&bag.words, &mut v);
        let middle = v.len();
        known(&bag.pieces, &mut v);
        let (words, pieces) = v.split_at_mut(middle);
        weigh(words, pieces, &self.idf);
        v
    }
}

/// Turns counts (as weights) into TF-IDF: sublinear term frequency times IDF, each block
/// normalised, then the two together.
fn weigh(words: &mut [(u32, f32)], pieces: &mut [(u32, f32)], idf: &[f32]) {
    let scale = if words.is_empty() || pieces.is_empty() {
        1.0
    } else {
        std::f32::consts::FRAC_1_SQRT_2
    };
    for block in [words, pieces] {
        let mut norm = 0.0;
        for (f, w) in block.iter_mut() {
            let tf = if *w == 1.0 { 1.0 } else { 1.0 + w.ln() };
            *w = tf * idf[*f as usize];
            norm += *w * *w;
        }
        if norm > 0.0 {
            let k = scale / norm.sqrt();
            block.iter_mut().for_each(|(_, w)| *w *= k);
        }
    }
}

/// Each entry's vector: the sum of its phrasings' vectors, normalised.
fn centroids(phrasings: &Rows, entry_of: &[u32], features: usize) -> Rows {
    let entries = entry_of.iter().map(|&e| e as usize + 1).max().unwrap_or(0);
    let mut of_entry: Vec<Vec<usize>> = vec![Vec::new(); entries];
    for (p, &e) in entry_of.iter().enumerate() {
        of_entry[e as usize].push(p);
    }
    let mut sum = vec![0f32; features];
    let mut out = Rows::new();
    for list in &of_entry {
        let from = out.items.len();
        for &p in list {
            for &(f, w) in phrasings.row(p) {
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
        out.end_row();
    }
    out
}

/// Appends how often each id occurs, as `(id, count)` in order of first occurrence.
/// `scratch` is all zeros, as long as the feature table, and left so.
fn tally(ids: impl Iterator<Item = u32>, scratch: &mut [u32], out: &mut Vec<(u32, f32)>) {
    let from = out.len();
    for f in ids {
        if scratch[f as usize] == 0 {
            out.push((f, 0.0));
        }
        scratch[f as usize] += 1;
    }
    for (f, n) in &mut out[from..] {
        *n = std::mem::take(&mut scratch[*f as usize]) as f32;
    }
}

impl Postings {
    /// The same vectors stored by feature.
    fn new(rows: &Rows, features: usize) -> Postings {
        let mut start = vec![0u32; features + 1];
        rows.items
            .iter()
            .for_each(|&(f, _)| start[f as usize + 1] += 1);
        for f in 1..start.len() {
            start[f] += start[f - 1];
        }
        let mut next = start.clone();
        let mut items = vec![(0, 0.0); rows.items.len()];
        for r in 0..rows.len() {
            for &(f, w) in rows.row(r) {
                items[next[f as usize] as usize] = (r as u32, w);
                next[f as usize] += 1;
            }
        }
        Postings {
            start,
            items,
            rows: rows.len(),
        }
    }

    /// The dot product of every row with `vector`.
    pub fn dot(&self, vector: &[(u32, f32)]) -> Vec<f32> {
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
