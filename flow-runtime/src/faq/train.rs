//! The ranking the compiler trains for one flow: on top of each entry's TF-IDF centroid, a
//! few learned weights per entry that tell it apart from the entries it is confused with.
//!
//! The compiler sees every phrasing the merchant wrote. Each one, held out of its own
//! entry, is a question whose right answer is known; where another entry would win (or
//! come too close), the held-out phrasing's features are added to its entry's weights and
//! taken from the entry that came closest — the perceptron with a margin, averaged over
//! its steps. What the centroid alone cannot learn, it does: "card" matters for a lost
//! card entry and not for one about card limits when both have it; "send back" belongs to
//! returns even though one returns phrasing shares words with shipping.
//!
//! Only words and pairs of words are weighed (the first block of a vector): they carry
//! meaning, and the pieces of words, which carry typos, are five times as many. The
//! weights ship quantised to small integers ([`STEP`]); the engine adds them to the
//! centroid's score. Training is run natively, once per compile, and costs the browser
//! nothing but reading them.

use super::model::{Model, STEP};

/// How the perceptron learns. Chosen on validation questions only (`flow bench`): on
/// CLINC150's, 3 epochs reach 74.2 % top-1, 6 the same, 10 no more; a rate of 0.3 or 0.05
/// and a margin of 0.2 did worse, 0.05 about as well. Shipping only weights of at least 2
/// steps (not 1) cut the demo flow's learned bytes from 2,066 to 1,386 with the same
/// answers on its validation questions (CLINC150's: 59.7 → 59.4 % answered right).
/// Shuffling the phrasings, or learning against every close entry rather than the
/// closest, did no better.
#[derive(Clone, Copy, Debug)]
pub(super) struct Training {
    pub epochs: usize,
    pub rate: f32,
    /// How far ahead of the next entry a held-out phrasing's own entry must be.
    pub margin: f32,
    /// Weights smaller than this (in [`STEP`]s) are not shipped.
    pub keep: i32,
}

pub(super) const TRAINING: Training = Training {
    epochs: 6,
    rate: 0.1,
    margin: 0.1,
    keep: 2,
};

impl Model {
    /// Per entry, the learned weights as `(feature id, steps)`, sorted by feature.
    pub(super) fn train(&self, t: Training) -> Vec<Vec<(u32, i32)>> {
        let entries = self.entries();
        let features = self.feature_count();
        // Dense per entry while learning: an entry has a few hundred features at most that
        // ever move, but a dense row keeps the averaging simple.
        let mut w: Vec<Vec<f32>> = vec![Vec::new(); entries];
        // The averaged perceptron: the sum of the weights after every step, kept lazily
        // as `total = Σ w` through `(stamp, acc)` updates.
        let mut acc: Vec<Vec<f32>> = vec![Vec::new(); entries];
        let mut steps = 0f32;
        let phrasings = self.phrasing_count();
        let mut entry_of = vec![None; phrasings];
        for e in 0..entries {
            for &p in self.phrasings_of(e as u32) {
                entry_of[p as usize] = Some(e as u32);
            }
        }
        for epoch in 0..t.epochs {
            let rate = t.rate / (1.0 + epoch as f32);
            for (p, &own) in entry_of.iter().enumerate() {
                steps += 1.0;
                let Some(own) = own else { continue };
                // An entry's only phrasing held out leaves nothing of it to score: there
                // is nothing to learn from it.
                if self.phrasings_of(own).len() < 2 {
                    continue;
                }
                let words = self.phrasing_words(p);
                if words.is_empty() {
                    continue;
                }
                let scores = self.held_out_scores(p, &w);
                let mut rival = None;
                let mut best = f32::MIN;
                for (e, &s) in scores.iter().enumerate() {
                    if e != own as usize && s > best {
                        best = s;
                        rival = Some(e);
                    }
                }
                let Some(rival) = rival else { continue };
                if scores[own as usize] - best >= t.margin {
                    continue;
                }
                for (e, sign) in [(own as usize, 1.0f32), (rival, -1.0)] {
                    if w[e].is_empty() {
                        w[e] = vec![0.0; features];
                        acc[e] = vec![0.0; features];
                    }
                    for &(f, x) in words {
                        let d = sign * rate * x;
                        w[e][f as usize] += d;
                        // Averaging: a change at step s counts for the steps after it.
                        acc[e][f as usize] += d * steps;
                    }
                }
            }
        }
        // Averaged weights: w − acc / steps.
        let mut out = vec![Vec::new(); entries];
        for e in 0..entries {
            if w[e].is_empty() {
                continue;
            }
            for f in 0..features {
                let avg = w[e][f] - acc[e][f] / steps;
                let q = (avg / STEP).round() as i32;
                if q.abs() >= t.keep {
                    out[e].push((f as u32, q));
                }
            }
        }
        out
    }

    /// Every entry's score for held-out phrasing `p` as the engine scores a question,
    /// with the weights learned so far.
    fn held_out_scores(&self, p: usize, learned: &[Vec<f32>]) -> Vec<f32> {
        let mut scores = self.score(self.phrasing_row(p), Some(p));
        let words = self.phrasing_words(p);
        for (e, w) in learned.iter().enumerate() {
            if w.is_empty() {
                continue;
            }
            let mut dot = 0.0;
            for &(f, x) in words {
                dot += w[f as usize] * x;
            }
            scores[e] += dot;
        }
        scores
    }
}

#[cfg(test)]
mod tests {
    use crate::faq::{FaqIndex, Phrasing};

    fn index(entries: &[&[&str]]) -> FaqIndex {
        let phrases: Vec<Phrasing> = entries
            .iter()
            .enumerate()
            .flat_map(|(e, list)| {
                list.iter().map(move |t| Phrasing {
                    entry: e as u32,
                    language: "en".into(),
                    text: (*t).into(),
                })
            })
            .collect();
        FaqIndex::build(&phrases, &[])
    }

    /// Two card entries share "my card" in most phrasings; held out, "my card is gone" is
    /// closer to the limits entry, and what it learns from that ("is", "gone") keeps the
    /// next such question ("my card is missing") with the stolen card.
    #[test]
    fn learned_weights_tell_apart_entries_that_share_words() {
        let faq = index(&[
            &["card stolen", "someone took my card", "my card is gone"],
            &[
                "card limit",
                "my card limit",
                "limit on my card",
                "is my card limit too low",
            ],
            &["where is my order", "track my order", "order status"],
        ]);
        assert_ne!(faq, faq.untrained(), "the card entries learned something");
        // How far the stolen card is ahead of the card limit (behind, if negative).
        let ahead = |faq: &FaqIndex| {
            let r = faq.rank("my card is missing", "en", 3);
            let of = |e: u32| {
                r.iter()
                    .find(|x| x.entry == e)
                    .map_or(0, |x| i32::from(x.confidence))
            };
            of(0) - of(1)
        };
        let (trained, untrained) = (ahead(&faq), ahead(&faq.untrained()));
        assert!(trained > 0, "{trained}");
        assert!(trained > untrained, "{trained} against {untrained}");
    }

    #[test]
    fn an_entry_with_one_phrasing_learns_nothing_and_nothing_passes_certain() {
        let faq = index(&[&["shipping cost"], &["return policy"]]);
        assert_eq!(faq, faq.untrained(), "nothing to hold out, nothing learned");
        let faq = index(&[
            &[
                "shipping cost",
                "what does shipping cost",
                "price of delivery",
            ],
            &["return policy", "how do returns work", "send it back"],
        ]);
        for q in [
            "what is your shipping cost please",
            "shipping cost of a piano",
        ] {
            let r = faq.rank(q, "en", 1);
            assert!(
                r[0].confidence < 1000,
                "{q}: only a phrasing typed word for word is certain"
            );
        }
    }
}
