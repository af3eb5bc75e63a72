//! Insights: what one page view of the panel tells the merchant's own server, when the
//! flow switches them on (`"insights": true`). The engine already announces every event
//! (`Announcement`); [`Tally`] counts them into one [`InsightsBatch`] that the widget sends
//! once, as the page goes. Sans-IO like the engine: the widget decides when, and sends.
//!
//! What is kept is what the README promises and nothing more: counts, the trigger and
//! variant names, and the text of questions the FAQ missed or was unsure about, with every
//! email address and every word holding three digits or more (order numbers, phone
//! numbers, postcodes) replaced.

use crate::engine::{Announcement, Prop};
use crate::wire::limits;
use crate::wire::{
    AskedQuestion, FaqTally, HandoffCount, HandoffReason, InsightsBatch, QuestionKind, RatingTally,
    TriggerTally,
};

/// What stands in a question for an email address, and for a word with three digits or
/// more (the console drops them when a question becomes a phrasing).
pub const EMAIL_PLACEHOLDER: &str = "[email]";
pub const NUMBER_PLACEHOLDER: &str = "[number]";

/// The counts of one page view.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    engaged: bool,
    faq: Vec<FaqTally>,
    questions: Vec<AskedQuestion>,
    triggers: Vec<TriggerTally>,
    added_to_cart: u32,
    order_lookups: u32,
    handoffs: Vec<HandoffCount>,
    ratings: Vec<RatingTally>,
}

fn text<'a>(props: &'a [(String, Prop)], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| match v {
            Prop::Text(t) => Some(t.as_str()),
            _ => None,
        })
}

/// The question's language, cut to the contract's bound.
fn language(props: &[(String, Prop)]) -> String {
    limits::cut(
        text(props, "language").unwrap_or_default(),
        limits::LANGUAGE_CHARS,
    )
}

fn number(props: &[(String, Prop)], name: &str) -> Option<i64> {
    props
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| match v {
            Prop::Number(n) => Some(n.0 / crate::value::Num::SCALE),
            _ => None,
        })
}

fn list(props: &[(String, Prop)], name: &str) -> Vec<String> {
    props
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| match v {
            Prop::List(items) => items
                .iter()
                .filter_map(|p| match p {
                    Prop::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
}

/// How the server tells one question from another: its words, lower case, without
/// accents or punctuation (`Where's my order?!` and `wheres my order` are one).
pub fn question_key(text: &str) -> String {
    crate::faq::words(text).join(" ")
}

/// The question without what could name the shopper: emails and words with three digits
/// or more become `[email]` and `[number]`.
pub fn scrub(question: &str) -> String {
    let words: Vec<String> = question
        .split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '.');
            if bare.contains('@') && crate::fields::find_email(bare).is_some() {
                EMAIL_PLACEHOLDER.to_owned()
            } else if w.chars().filter(char::is_ascii_digit).count() >= 3 {
                NUMBER_PLACEHOLDER.to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect();
    limits::cut(&words.join(" "), limits::REPORT_QUESTION_CHARS)
}

impl Tally {
    /// Nothing worth sending: the panel was not used on this page.
    pub fn is_empty(&self) -> bool {
        !self.engaged
            && self.faq.is_empty()
            && self.questions.is_empty()
            && self.triggers.is_empty()
            && self.added_to_cart == 0
            && self.order_lookups == 0
            && self.handoffs.is_empty()
            && self.ratings.is_empty()
    }

    /// Counts one announcement of the engine.
    pub fn record(&mut self, announcement: &Announcement) {
        let track = match announcement {
            Announcement::Track(track) => track,
            Announcement::AddToCart { .. } => {
                self.engaged = true;
                self.added_to_cart += 1;
                return;
            }
        };
        let props = &track.props[..];
        match track.name.as_str() {
            "faq_answered" => {
                self.engaged = true;
                if let Some(entry) = text(props, "entry") {
                    self.entry(entry).answered += 1;
                }
            }
            kind @ ("faq_unsure" | "faq_missed") => {
                self.engaged = true;
                let entries = list(props, "entries");
                let kind = if kind == "faq_unsure" {
                    QuestionKind::Unsure
                } else {
                    QuestionKind::Missed
                };
                if let Some(first) = entries.first() {
                    let tally = self.entry(first);
                    if kind == QuestionKind::Unsure {
                        tally.unsure += 1;
                    } else {
                        tally.missed += 1;
                    }
                }
                let question = scrub(text(props, "question").unwrap_or_default());
                if !question.is_empty() && self.questions.len() < limits::REPORT_QUESTIONS {
                    self.questions.push(AskedQuestion {
                        kind,
                        text: question,
                        entries: entries
                            .into_iter()
                            .take(limits::REPORT_QUESTION_ENTRIES)
                            .collect(),
                        language: language(props),
                    });
                }
            }
            "faq_feedback" => {
                self.engaged = true;
                if text(props, "helpful") == Some("no")
                    && let Some(entry) = text(props, "entry")
                {
                    self.entry(entry).unhelpful += 1;
                    let question = scrub(text(props, "question").unwrap_or_default());
                    if !question.is_empty() && self.questions.len() < limits::REPORT_QUESTIONS {
                        self.questions.push(AskedQuestion {
                            kind: QuestionKind::Unhelpful,
                            text: question,
                            entries: vec![entry.to_owned()],
                            language: language(props),
                        });
                    }
                }
            }
            "quick_reply" | "question_left" | "link_opened" => self.engaged = true,
            name @ ("trigger_shown" | "trigger_dismissed" | "trigger_converted"
            | "trigger_holdout") => {
                let (Some(trigger), Some(variant)) =
                    (text(props, "trigger"), text(props, "variant"))
                else {
                    return;
                };
                let t = self.trigger(trigger, variant);
                match name {
                    "trigger_shown" => t.shown += 1,
                    "trigger_dismissed" => t.dismissed += 1,
                    "trigger_converted" => t.converted += 1,
                    _ => t.held_out += 1,
                }
            }
            "order_lookup" => {
                self.engaged = true;
                self.order_lookups += 1;
            }
            "handoff_requested" => {
                self.engaged = true;
                // One page view, one conversation: at most one handoff in a report.
                let name = text(props, "reason")
                    .and_then(HandoffReason::parse)
                    .unwrap_or_default();
                if self.handoffs.len() < limits::REPORT_HANDOFFS {
                    self.handoffs.push(HandoffCount { name, count: 1 });
                }
            }
            "csat" => {
                self.engaged = true;
                if let (Some(score), Some(scale)) = (number(props, "score"), number(props, "scale"))
                    && self.ratings.len() < limits::REPORT_RATINGS
                {
                    self.ratings.push(RatingTally {
                        score: score.clamp(0, 255) as u8,
                        scale: scale.clamp(0, 255) as u8,
                    });
                }
            }
            _ => {}
        }
    }

    fn entry(&mut self, id: &str) -> &mut FaqTally {
        let at = match self.faq.iter().position(|f| f.entry == id) {
            Some(i) => i,
            None => {
                self.faq.push(FaqTally {
                    entry: id.to_owned(),
                    ..FaqTally::default()
                });
                self.faq.len() - 1
            }
        };
        &mut self.faq[at]
    }

    fn trigger(&mut self, trigger: &str, variant: &str) -> &mut TriggerTally {
        let at = match self
            .triggers
            .iter()
            .position(|t| t.trigger == trigger && t.variant == variant)
        {
            Some(i) => i,
            None => {
                self.triggers.push(TriggerTally {
                    trigger: trigger.to_owned(),
                    variant: variant.to_owned(),
                    ..TriggerTally::default()
                });
                self.triggers.len() - 1
            }
        };
        &mut self.triggers[at]
    }

    /// The batch to send, and a fresh tally (`None` when there is nothing to send).
    pub fn take(
        &mut self,
        id: String,
        flow: String,
        fingerprint: u64,
        visitor_day: Option<String>,
    ) -> Option<InsightsBatch> {
        if self.is_empty() {
            return None;
        }
        let t = std::mem::take(self);
        Some(InsightsBatch {
            id,
            flow,
            fingerprint: format!("{fingerprint:016x}"),
            visitor_day,
            conversations: u32::from(t.engaged),
            faq: t.faq,
            questions: t.questions,
            triggers: t.triggers,
            added_to_cart: t.added_to_cart,
            order_lookups: t.order_lookups,
            handoffs: t.handoffs,
            ratings: t.ratings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Track;

    fn track(name: &str, props: Vec<(&str, Prop)>) -> Announcement {
        Announcement::Track(Track {
            name: name.to_owned(),
            props: props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        })
    }

    #[test]
    fn questions_lose_emails_and_numbers() {
        assert_eq!(
            scrub("where is order #10234 for ana@example.com?"),
            "where is order [number] for [email]"
        );
        assert_eq!(scrub("call me on 555-0102"), "call me on [number]");
        assert_eq!(scrub("size 10 shoes"), "size 10 shoes");
    }

    #[test]
    fn a_page_view_is_counted_into_one_batch() {
        let mut t = Tally::default();
        assert!(
            t.take("id".into(), "demo.json".into(), 1, None).is_none(),
            "nothing used, nothing sent"
        );
        t.record(&track(
            "trigger_shown",
            vec![
                ("trigger", Prop::text("rescue")),
                ("variant", Prop::text("a")),
            ],
        ));
        t.record(&track(
            "trigger_converted",
            vec![
                ("trigger", Prop::text("rescue")),
                ("variant", Prop::text("a")),
            ],
        ));
        t.record(&track(
            "faq_answered",
            vec![
                ("entry", Prop::text("returns")),
                ("question", Prop::text("secret")),
            ],
        ));
        // The shopper said the answer did not help: counted, with their question.
        t.record(&track(
            "faq_feedback",
            vec![
                ("entry", Prop::text("returns")),
                ("helpful", Prop::text("no")),
                ("question", Prop::text("can I return worn boots")),
            ],
        ));
        t.record(&track(
            "faq_feedback",
            vec![
                ("entry", Prop::text("returns")),
                ("helpful", Prop::text("yes")),
                ("question", Prop::text("how long do I have")),
            ],
        ));
        t.record(&track(
            "faq_missed",
            vec![
                ("entries", Prop::List(vec![Prop::text("warranty")])),
                ("confidences", Prop::List(vec![])),
                ("question", Prop::text("do you sell to 12345 ana@x.example")),
                ("language", Prop::text("es")),
            ],
        ));
        t.record(&track(
            "human_offered",
            vec![("reason", Prop::text("missed"))],
        ));
        t.record(&track(
            "handoff_requested",
            vec![("reason", Prop::text("missed"))],
        ));
        // A second handoff on the same page is not counted again: a report has one.
        t.record(&track("handoff_requested", vec![]));
        t.record(&track(
            "csat",
            vec![("score", Prop::int(4)), ("scale", Prop::int(5))],
        ));
        let b = t
            .take("id".into(), "demo.json".into(), 0xab, Some("day".into()))
            .unwrap();
        assert_eq!(b.fingerprint, "00000000000000ab");
        assert_eq!(b.conversations, 1);
        assert_eq!(
            b.faq,
            vec![
                FaqTally {
                    entry: "returns".into(),
                    answered: 1,
                    unhelpful: 1,
                    ..FaqTally::default()
                },
                FaqTally {
                    entry: "warranty".into(),
                    missed: 1,
                    ..FaqTally::default()
                },
            ]
        );
        assert_eq!(
            b.questions,
            vec![
                AskedQuestion {
                    kind: QuestionKind::Unhelpful,
                    text: "can I return worn boots".into(),
                    entries: vec!["returns".into()],
                    language: String::new(),
                },
                AskedQuestion {
                    kind: QuestionKind::Missed,
                    text: "do you sell to [number] [email]".into(),
                    entries: vec!["warranty".into()],
                    language: "es".into(),
                }
            ]
        );
        assert!(
            !format!("{b:?}").contains("how long do I have"),
            "a helpful answer's words stay"
        );
        assert_eq!(b.triggers[0].shown, 1);
        assert_eq!(b.triggers[0].converted, 1);
        assert_eq!(
            b.handoffs,
            vec![HandoffCount {
                name: HandoffReason::Missed,
                count: 1
            }]
        );
        assert_eq!(b.ratings, vec![RatingTally { score: 4, scale: 5 }]);
        // An answered question's words never leave.
        assert!(!format!("{b:?}").contains("secret"));
        assert!(t.is_empty());
    }
}
