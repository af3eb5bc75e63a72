//! What the matcher makes of the draft's FAQ: a typed question explained (the top three
//! entries, the decision, the words they share), and the FAQ's health (leave-one-out over
//! the phrasings: which entries the matcher takes for each other).

use std::collections::BTreeMap;

use flow_runtime::Flow;
use flow_runtime::faq::{Decision, FaqIndex, Phrasing};
use serde_json::Value;

/// One of the top entries for a question.
pub struct Candidate {
    pub id: String,
    pub question: String,
    /// 0–1000.
    pub confidence: u16,
    /// The question's words that the entry's phrasings use too, as the matcher counts them.
    pub matched: Vec<String>,
}

pub struct Explained {
    pub question: String,
    pub language: String,
    /// `answer`, `unsure` or `missed`.
    pub decision: &'static str,
    /// The entry answered, or offered first.
    pub chosen: Option<String>,
    pub candidates: Vec<Candidate>,
}

/// The FAQ of the draft as the compiler reads it: entry ids, the phrasings (the question
/// counts as one; `flow_authoring::compile::entry_phrasings`, the compiler's own reading),
/// and the synonym groups. Empty when the draft is not a flow document.
pub fn faq_of(doc: &Value) -> (Vec<String>, Vec<Phrasing>, Vec<Vec<String>>) {
    let Ok(doc) = serde_json::from_value::<flow_authoring::doc::Document>(doc.clone()) else {
        return Default::default();
    };
    let default = doc.bot.languages.first().map_or("en", String::as_str);
    let ids = doc.faq.entries.iter().map(|e| e.id.clone()).collect();
    let phrasings = doc
        .faq
        .entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| flow_authoring::compile::entry_phrasings(i as u32, e, default))
        .filter(|p| !p.text.trim().is_empty())
        .collect();
    (ids, phrasings, doc.faq.synonyms)
}

/// What the compiled draft does with `question` asked in `language`.
pub fn explain(flow: &Flow, question: &str, language: &str) -> Explained {
    let ranked = flow.faq.index.rank(question, language, 3);
    let decision = flow.faq.decide(question, language);
    let (decision, chosen) = match &decision {
        Decision::Answer(r) => ("answer", Some(r.entry)),
        Decision::Unsure(list) => ("unsure", list.first().map(|r| r.entry)),
        Decision::Missed(_) => ("missed", None),
    };
    let entry_id = |i: u32| {
        flow.faq
            .entries
            .get(i as usize)
            .map(|e| e.id.clone())
            .unwrap_or_default()
    };
    let candidates = ranked
        .iter()
        .map(|r| {
            let id = entry_id(r.entry);
            // Asked of the index itself: the words as the matcher counts them.
            let matched = flow.faq.index.words_shared(r.entry, question, language);
            let question = flow
                .faq
                .entries
                .get(r.entry as usize)
                .map(|e| {
                    e.question
                        .for_language(language)
                        .iter()
                        .map(|p| match p {
                            flow_runtime::flow::TextPart::Lit(s) => s.clone(),
                            flow_runtime::flow::TextPart::Var { name, .. } => {
                                format!("{{{{{name}}}}}")
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Candidate {
                id,
                question,
                confidence: r.confidence,
                matched,
            }
        })
        .collect();
    Explained {
        question: question.to_owned(),
        language: language.to_owned(),
        decision,
        chosen: chosen.map(entry_id),
        candidates,
    }
}

/// Entries that the matcher takes for one another.
pub struct Confusion {
    /// The entry whose phrasing was asked.
    pub asked: String,
    /// What the matcher did with it instead.
    pub got: String,
    /// Answered outright (`true`) or only offered first in "did you mean".
    pub answered: bool,
    pub examples: Vec<String>,
}

pub struct Health {
    pub confusions: Vec<Confusion>,
    /// Whether every phrasing was asked (else the time ran out or the owner left first).
    pub complete: bool,
    /// Entries with fewer than [`MIN_PHRASINGS`] phrasings in a language: `(id, language, count)`.
    pub thin: Vec<(String, String, usize)>,
    /// Phrasings asked, and how many came back to their own entry as the answer.
    pub asked: usize,
    pub own: usize,
}

/// Fewer than this, and an entry is found only by its own words.
pub const MIN_PHRASINGS: usize = 4;

/// How long FAQ health may run: what it found by then is shown, marked as partial.
pub const HEALTH_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Leave-one-out over the phrasings: each is asked of the FAQ without it (one index, each
/// phrasing taken out of its entry in turn: `FaqIndex::rank_without`), decided as the
/// widget decides with the draft's thresholds. Stops at `deadline`, or as soon as `stop`
/// is set (the owner closed the page).
pub fn health(
    flow: &Flow,
    doc: &Value,
    languages: &[String],
    deadline: std::time::Instant,
    stop: &std::sync::atomic::AtomicBool,
) -> Health {
    let (ids, all, synonyms) = faq_of(doc);
    let mut pairs: BTreeMap<(String, String), (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut own = 0;
    let mut asked = 0;
    // The weights the compiler learns saw every phrasing: left in, a phrasing would still
    // lean its entry's way. What the other phrasings say alone is the untrained ranking.
    let index = FaqIndex::build(&all, &synonyms).untrained();
    for (k, p) in all.iter().enumerate() {
        if stop.load(std::sync::atomic::Ordering::Relaxed) || std::time::Instant::now() > deadline {
            break;
        }
        asked += 1;
        let ranked = index.rank_without(k, &p.text, &p.language, 3);
        let other = match flow.faq.decide_ranked(&ranked) {
            Decision::Answer(r) if r.entry == p.entry => {
                own += 1;
                None
            }
            Decision::Answer(r) => Some((r.entry, true)),
            Decision::Unsure(list) => list
                .first()
                .filter(|r| r.entry != p.entry)
                .map(|r| (r.entry, false)),
            Decision::Missed(_) => None,
        };
        if let Some((entry, answered)) = other {
            let key = (ids[p.entry as usize].clone(), ids[entry as usize].clone());
            let slot = pairs.entry(key).or_default();
            if answered {
                slot.0 += 1;
            } else {
                slot.1 += 1;
            }
            if slot.2.len() < 3 {
                slot.2.push(p.text.clone());
            }
        }
    }
    let mut confusions: Vec<Confusion> = pairs
        .into_iter()
        .map(|((asked, got), (answered, _unsure, examples))| Confusion {
            asked,
            got,
            answered: answered > 0,
            examples,
        })
        .collect();
    confusions.sort_by_key(|c| (!c.answered, c.asked.clone()));
    let mut thin = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for lang in languages {
            let n = all
                .iter()
                .filter(|p| p.entry == i as u32 && &p.language == lang)
                .count();
            if n < MIN_PHRASINGS {
                thin.push((id.clone(), lang.clone(), n));
            }
        }
    }
    Health {
        confusions,
        complete: asked == all.len(),
        thin,
        asked,
        own,
    }
}
