//! From a ranking to what the shopper gets: the answer, "did you mean …?", or nothing.
//!
//! A wrong answer is worse than "did you mean …?", and "did you mean …?" for every question
//! is a form, not an assistant. The decision weighs three things:
//!
//! - **how sure** the best entry is (its confidence, at least `answer`);
//! - **how far ahead** of the next it is (at least `lead`): two entries about as close are a
//!   question to ask back;
//! - **what it shares**: at least one of the question's content words, and at least one in
//!   five, must be words of the entry's phrasings (or typos of them). A match made of
//!   function words and pieces of words alone ("is *there* a sale" and "is there a
//!   warranty?") is never an answer, nor is "shipping container rental prices for farm
//!   equipment" for a shipping entry; a question with no content word at all ("hello
//!   there", "who are you") gets nothing.
//!
//! The lead depends on the FAQ's size ([`Thresholds::calibrated`]): among 12 entries, each
//! about its own topic, a small lead already means something; among 150, entries crowd
//! each other and near-ties are common. Chosen on the validation questions only, of the
//! demo shop (12 entries, English and Spanish) and of CLINC150 (150), together, with
//! `flow bench --details`: see `BENCHMARKS.md`.

use super::Ranked;

/// What the FAQ makes of a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Clearly this entry: answer it.
    Answer(Ranked),
    /// Probably one of these (best first): ask back rather than guess.
    Unsure(Vec<Ranked>),
    /// Nothing is close enough. The entries that came closest, best first (for analytics).
    Missed(Vec<Ranked>),
}

/// How many entries "did you mean …?" offers at most.
pub const SUGGESTIONS: usize = 3;

/// The decision's thresholds, per mille.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// The best entry's confidence from which it is answered.
    pub answer: u16,
    /// How far ahead of the next entry it must be to be answered.
    pub lead: u16,
    /// The confidence from which "did you mean …?" is offered.
    pub suggest: u16,
}

/// "Did you mean …?" from this confidence, whatever the FAQ's size.
pub const DEFAULT_SUGGEST: u16 = 150;

impl Thresholds {
    /// The thresholds for an FAQ of `entries` entries: an answer from 0.25 × (n/150)^0.05
    /// (0.22 for 12 entries, 0.25 for 150, 0.27 for 500), and a lead that grows with the
    /// square root of the size, 0.06 × √(n/150), and is at least 0.03 (0.03, 0.06, 0.11):
    /// two entries within 0.03 of each other are a question to ask back in any FAQ.
    ///
    /// Chosen on validation questions only: the demo shop's (205 in English, 60 in
    /// Spanish, a fifth of them off-topic) and CLINC150's. Against the single rule used
    /// before (0.28, and a lead of 0.05 whatever the size), the shop's English questions
    /// answered directly and right went from 63 to 79 %, its Spanish ones from 65 to 75 %,
    /// CLINC150's from 57.3 to 56.9 % (five phrasings per entry) and 76.5 to 76.6 % (a
    /// hundred). Wrong answers of every kind fell on CLINC150 (7.3 → 6.8 % and 3.7 →
    /// 3.3 % of all questions) and rose on the shop's English ones (3.4 → 6.8 %): answering
    /// more of them costs about one wrong answer for every four right ones gained
    /// (`BENCHMARKS.md`).
    pub fn calibrated(entries: usize) -> Thresholds {
        let size = entries.max(1) as f64 / 150.0;
        let per_mille = |x: f64| (x * 1000.0).round().clamp(0.0, 1000.0) as u16;
        Thresholds {
            answer: per_mille(0.25 * size.powf(0.05)),
            lead: per_mille((0.06 * size.sqrt()).max(0.03)),
            suggest: DEFAULT_SUGGEST,
        }
    }
}

/// The decision for `ranked` (best first, at least the best two when there are two).
pub fn decide(ranked: &[Ranked], t: Thresholds) -> Decision {
    let Some(&top) = ranked.first() else {
        return Decision::Missed(Vec::new());
    };
    // Word for word one of the merchant's phrasings: always the answer.
    let certain = top.confidence >= 1000;
    let clear = ranked
        .get(1)
        .is_none_or(|second| top.confidence >= second.confidence.saturating_add(t.lead));
    let shares = top.shared > 0 && u16::from(top.shared) * 5 >= u16::from(top.content);
    if certain || (top.confidence >= t.answer && clear && shares) {
        return Decision::Answer(top);
    }
    if top.confidence >= t.suggest && top.content > 0 {
        return Decision::Unsure(
            ranked
                .iter()
                .copied()
                .filter(|r| r.confidence >= t.suggest)
                .take(SUGGESTIONS)
                .collect(),
        );
    }
    Decision::Missed(ranked.iter().copied().take(SUGGESTIONS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(entry: u32, confidence: u16, shared: u8) -> Ranked {
        Ranked {
            entry,
            confidence,
            shared,
            content: 2,
        }
    }

    #[test]
    fn calibration_follows_the_faq_size() {
        let small = Thresholds::calibrated(12);
        let clinc = Thresholds::calibrated(150);
        let large = Thresholds::calibrated(500);
        assert_eq!((small.answer, small.lead), (220, 30));
        assert_eq!((clinc.answer, clinc.lead), (250, 60));
        assert_eq!((large.answer, large.lead), (266, 110));
        assert_eq!(Thresholds::calibrated(0), Thresholds::calibrated(1));
    }

    #[test]
    fn a_small_clear_lead_answers_on_a_small_faq_only() {
        let ranked = [r(3, 300, 1), r(5, 260, 1)];
        assert_eq!(
            decide(&ranked, Thresholds::calibrated(12)),
            Decision::Answer(ranked[0])
        );
        assert!(matches!(
            decide(&ranked, Thresholds::calibrated(150)),
            Decision::Unsure(v) if v.len() == 2
        ));
    }

    #[test]
    fn no_shared_content_word_is_no_answer() {
        let t = Thresholds::calibrated(12);
        // Confident and clearly ahead, yet sharing no content word: asked back.
        assert!(matches!(
            decide(&[r(1, 330, 0), r(2, 100, 0)], t),
            Decision::Unsure(_)
        ));
        // Sharing one content word of six is not enough either.
        let wordy = Ranked {
            content: 6,
            ..r(1, 330, 1)
        };
        assert!(matches!(decide(&[wordy], t), Decision::Unsure(_)));
        // A question of function words only gets nothing at all.
        let empty = Ranked {
            content: 0,
            ..r(1, 260, 0)
        };
        assert!(matches!(decide(&[empty], t), Decision::Missed(_)));
        // A phrasing typed word for word is always answered.
        let exact = Ranked {
            content: 0,
            ..r(4, 1000, 0)
        };
        assert_eq!(decide(&[exact, r(2, 990, 1)], t), Decision::Answer(exact));
    }

    #[test]
    fn below_the_suggest_threshold_is_missed() {
        let t = Thresholds::calibrated(12);
        assert!(matches!(decide(&[r(1, 120, 1)], t), Decision::Missed(v) if v.len() == 1));
        assert_eq!(decide(&[], t), Decision::Missed(Vec::new()));
    }
}
