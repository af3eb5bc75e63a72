//! Lowering the FAQ and building its index.

use std::collections::HashSet;

use super::diagnostic::push_pointer;
use super::lower::Lower;
use crate::doc::{FaqEntryDoc, PhrasingsDoc, TextDoc};
use flow_runtime::faq::{FaqIndex, Phrasing};
use flow_runtime::flow::Phrase;
use flow_runtime::flow::{Content, Faq, FaqAnswer, FaqEntry};

use flow_runtime::faq::Thresholds;

/// The phrasings of FAQ entry number `entry` as the index gets them: its question (which
/// counts as one) and its phrasings, per language; a text without languages is in
/// `default`, the flow's first language. The console's question box and FAQ health read the
/// draft's phrasings with this too.
pub fn entry_phrasings(entry: u32, e: &FaqEntryDoc, default: &str) -> Vec<Phrasing> {
    let one = |language: &str, text: &str| Phrasing {
        entry,
        language: language.to_owned(),
        text: text.to_owned(),
    };
    let mut out: Vec<Phrasing> = match &e.question {
        TextDoc::Same(q) => vec![one(default, q)],
        TextDoc::ByLanguage(map) => map.iter().map(|(l, q)| one(l, q)).collect(),
    };
    match &e.phrasings {
        PhrasingsDoc::Same(list) => out.extend(list.iter().map(|t| one(default, t))),
        PhrasingsDoc::ByLanguage(map) => {
            for (lang, list) in map {
                out.extend(list.iter().map(|t| one(lang, t)));
            }
        }
    }
    out
}

impl Lower<'_> {
    /// The entry's question as "did you mean" offers it: as written, or, where it is blank
    /// in a language, the entry's first phrasing in that language (a warning says so). A
    /// blank question would be a blank button; an entry with neither is an error.
    fn question_of(&mut self, e: &FaqEntryDoc, at: &str) -> TextDoc {
        let default = self.default_language();
        let first_phrasing = |lang: &str| -> Option<String> {
            let list = match &e.phrasings {
                PhrasingsDoc::Same(list) if lang == default => list,
                PhrasingsDoc::Same(_) => return None,
                PhrasingsDoc::ByLanguage(map) => map.get(lang)?,
            };
            list.iter().find(|p| !p.trim().is_empty()).cloned()
        };
        let pointer = push_pointer(at, "question");
        let fill = |l: &mut Self, lang: &str, pointer: String| -> Option<String> {
            match first_phrasing(lang) {
                Some(p) => {
                    l.warn(
                        "faq-question",
                        pointer,
                        format!(
                            "this FAQ entry has no question in `{lang}`: its first phrasing, “{p}”, is offered in \"did you mean\" instead"
                        ),
                        "write the question as shoppers should see it offered",
                    );
                    Some(p)
                }
                None => None,
            }
        };
        match &e.question {
            TextDoc::Same(q) if q.trim().is_empty() => {
                let any = std::iter::once(default.clone())
                    .chain(self.languages.clone())
                    .find_map(|lang| first_phrasing(&lang).map(|_| lang));
                match any.and_then(|lang| fill(self, &lang, pointer.clone())) {
                    Some(p) => TextDoc::Same(p),
                    None => {
                        self.error(
                            "faq-question",
                            pointer,
                            "this FAQ entry has no question and no phrasing",
                            "write the question as shoppers ask it",
                        );
                        e.question.clone()
                    }
                }
            }
            TextDoc::ByLanguage(map) if map.values().any(|q| q.trim().is_empty()) => {
                let mut out = map.clone();
                for (lang, q) in map {
                    if q.trim().is_empty() {
                        match fill(self, lang, push_pointer(&pointer, lang)) {
                            Some(p) => {
                                out.insert(lang.clone(), p);
                            }
                            None => {
                                out.remove(lang);
                            }
                        }
                    }
                }
                if out.is_empty() {
                    self.error(
                        "faq-question",
                        pointer,
                        "this FAQ entry has no question and no phrasing",
                        "write the question as shoppers ask it",
                    );
                    return e.question.clone();
                }
                TextDoc::ByLanguage(out)
            }
            written => written.clone(),
        }
    }

    pub(super) fn faq(&mut self) -> Faq {
        let doc = self.parsed.doc.faq.clone();
        let mut entries = Vec::new();
        let mut phrases = Vec::new();
        let mut seen = HashSet::new();
        for (i, e) in doc.entries.iter().enumerate() {
            let at = format!(
                "/faq/entries/{}",
                self.parsed.entry_pos.get(i).copied().unwrap_or(i)
            );
            if !seen.insert(e.id.clone()) {
                self.error(
                    "duplicate-id",
                    push_pointer(&at, "id"),
                    format!("two FAQ entries are called `{}`", e.id),
                    "FAQ ids must be unique",
                );
            }
            let question_doc = self.question_of(e, &at);
            let question = self.text(&question_doc, &push_pointer(&at, "question"));
            let answer = match (&e.answer, &e.goto) {
                (Some(a), None) => {
                    let blank = a.0.text.as_ref().is_none_or(|t| match t {
                        TextDoc::Same(s) => s.trim().is_empty(),
                        TextDoc::ByLanguage(m) => m.values().all(|s| s.trim().is_empty()),
                    }) && a.0.image.is_none()
                        && a.0.cards.is_empty()
                        && !a.0.show_order;
                    if blank {
                        // The shopper would get no reply at all.
                        self.error(
                            "faq-answer",
                            push_pointer(&at, "answer"),
                            "this FAQ entry's answer is empty",
                            "write what the shopper should read, or use \"goto\": a step",
                        );
                    }
                    FaqAnswer::Content(self.content_doc(&a.0, &push_pointer(&at, "answer")))
                }
                (None, Some(g)) => match self.step_ref(g, &push_pointer(&at, "goto")) {
                    Some(s) => FaqAnswer::Goto(s),
                    None => FaqAnswer::Content(Content::default()),
                },
                (Some(_), Some(_)) => {
                    self.error(
                        "faq-answer",
                        &at,
                        "an FAQ entry has either `answer` or `goto`, not both",
                        "keep one",
                    );
                    FaqAnswer::Content(Content::default())
                }
                (None, None) => {
                    self.error(
                        "faq-answer",
                        &at,
                        "this FAQ entry has no answer",
                        "add \"answer\": \"…\" or \"goto\": a step",
                    );
                    FaqAnswer::Content(Content::default())
                }
            };
            let entry = entries.len() as u32;
            if let PhrasingsDoc::ByLanguage(map) = &e.phrasings {
                for lang in map.keys() {
                    if !self.languages.contains(lang) {
                        self.error(
                            "unknown-language",
                            push_pointer(&push_pointer(&at, "phrasings"), lang),
                            format!("`{lang}` is not one of the flow's languages"),
                            "add it to bot.languages",
                        );
                    }
                }
            }
            phrases.extend(entry_phrasings(entry, e, &self.default_language()));
            entries.push(FaqEntry {
                id: e.id.clone(),
                question,
                answer,
            });
        }
        let threshold = |l: &mut Self, v: Option<f64>, field: &str, default: u16| -> u16 {
            match v {
                None => default,
                Some(t) if (0.0..=1.0).contains(&t) => (t * 1000.0).round() as u16,
                Some(t) => {
                    l.error(
                        "bad-threshold",
                        format!("/faq/{field}"),
                        format!("{t} is not a confidence"),
                        "confidences go from 0 (anything) to 1 (certain)",
                    );
                    default
                }
            }
        };
        // Without thresholds of its own, the FAQ gets those calibrated for its size.
        let calibrated = Thresholds::calibrated(entries.len());
        let answer_threshold = threshold(
            self,
            doc.answer_threshold,
            "answer_threshold",
            calibrated.answer,
        );
        let clear_lead = threshold(self, doc.clear_lead, "clear_lead", calibrated.lead);
        let suggest_threshold = threshold(
            self,
            doc.suggest_threshold,
            "suggest_threshold",
            calibrated.suggest.min(answer_threshold),
        );
        if suggest_threshold > answer_threshold {
            self.error(
                "bad-threshold",
                "/faq/suggest_threshold",
                "suggest_threshold is above answer_threshold",
                "\"did you mean\" is for matches less sure than an answer: lower it",
            );
        }
        for (k, group) in doc.synonyms.iter().enumerate() {
            for (w, word) in group.iter().enumerate() {
                if word.split_whitespace().count() > 1 {
                    self.warn(
                        "synonym-phrase",
                        format!("/faq/synonyms/{k}/{w}"),
                        format!(
                            "synonyms are single words: `{word}` makes each of its words a synonym"
                        ),
                        "keep one word, and put the phrase in the entry's phrasings",
                    );
                }
            }
            if group.len() < 2 {
                self.warn(
                    "lonely-synonym",
                    format!("/faq/synonyms/{k}"),
                    "a synonym group needs at least two words",
                    "add the words that mean the same, or remove the group",
                );
            }
        }
        let fallback = match &doc.fallback {
            Some(a) => self.content_doc(&a.0, "/faq/fallback"),
            None => Content {
                text: Some(self.builtin(Phrase::Fallback)),
                ..Content::default()
            },
        };
        let index = FaqIndex::build(&phrases, &doc.synonyms);
        Faq {
            entries,
            index,
            answer_threshold,
            clear_lead,
            suggest_threshold: suggest_threshold.min(answer_threshold),
            fallback,
        }
    }
}
