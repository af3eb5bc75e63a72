//! The compiled flow: what the engine runs.
//!
//! A merchant writes a [`crate::doc::Document`] (JSON, YAML or TOML); the compiler checks it
//! and turns it into a [`Flow`]: step references resolved to indices, Markdown parsed,
//! patterns parsed, the FAQ index built, business hours turned into a table of UTC offsets.
//! The browser receives the `Flow` in a compact binary form ([`Flow::to_bytes`]), so the
//! wasm carries neither a JSON parser nor the compiler.
//!
//! Every type here uses plain serde derives (no `flatten`, `untagged` or skipped fields),
//! so the same values round-trip through JSON and through the binary format.
//!
//! The engine treats a `Flow` as untrusted: an index that points nowhere (a corrupted or
//! hand-made binary) is handled, never indexed blindly.

mod binary;
mod content;
mod launch;
mod logic;
mod phrase;
mod trigger;

use serde::{Deserialize, Serialize};

use crate::codec::codec;

pub use binary::{DecodeError, FORMAT_VERSION};
pub use content::{
    Block, Button, ButtonAction, Card, Content, Image, Inline, QuickReply, Rich, Text, TextPart,
};
pub use launch::{LAUNCH_VERSION, Launch};
pub use logic::{
    Assign, CONTEXT, Choice, Compare, Condition, Expect, Operand, Pattern, PatternNode,
    RESERVED_PREFIXES, Subject,
};
pub use phrase::Phrase;
pub use trigger::{Frequency, MobileExit, Trigger, TriggerEvent, Variant};

use crate::faq::FaqIndex;
use crate::hours::BusinessHours;
use crate::value::Value;

/// The index of a step in [`Flow::steps`].
pub type StepIdx = u32;

/// A checked, compiled flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub bot: Bot,
    /// Language codes the flow speaks; the first is the default.
    pub languages: Vec<String>,
    /// The step that greets the shopper when the chat first opens.
    pub greeting: StepIdx,
    /// The step shown when the shopper asks for the menu or leaves a question.
    pub menu: Option<StepIdx>,
    pub steps: Vec<Step>,
    pub faq: Faq,
    pub triggers: Vec<Trigger>,
    pub escalation: Escalation,
    /// What an order number looks like in this store (used by `ask` and entity extraction).
    pub order_number: Option<Pattern>,
    /// Where an order lookup starts (found by the compiler: the step the FAQ's or the
    /// greeting's "track my order" goes to, which leads to an `order_lookup`): a message
    /// carrying an order number, wherever it is typed, runs it.
    pub order_start: Option<StepIdx>,
    /// Variables that exist before anything is asked, with their values.
    pub variables: Vec<(String, Value)>,
    /// Seed of the A/B assignment: change it to reshuffle every visitor.
    pub seed: u64,
    /// Whether the panel sends insights to the flow's server (see [`crate::insights`]).
    pub insights: bool,
    /// The engine's own words per language: `(language, phrases in [`Phrase::ALL`] order)`.
    pub phrases: Vec<(String, Vec<String>)>,
    /// A hash of everything above, set by the compiler: snapshots remember which flow
    /// they were made with, so a changed flow can be noticed when one is restored.
    pub fingerprint: u64,
}

/// Who the shopper talks to, and how the widget looks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bot {
    pub name: String,
    pub avatar: Option<String>,
    pub theme: Theme,
    pub business_hours: Option<BusinessHours>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// CSS colours, checked by the compiler (`#rgb`, `#rrggbb`).
    pub accent: String,
    pub on_accent: String,
    pub position: Position,
    pub launcher_label: String,
    pub mode: ColorMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    Right,
    Left,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColorMode {
    /// Follow the shopper's `prefers-color-scheme`.
    Auto,
    Light,
    Dark,
}

/// One node of the conversation graph. `id` is the merchant's name for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepKind {
    /// Say something; wait for a quick reply if there are any, else go on to `next`.
    Message {
        content: Content,
        next: Option<StepIdx>,
    },
    /// Ask for a value and keep it in `var`.
    Ask(Ask),
    /// Continue at another step.
    Goto(StepIdx),
    /// Go to the first branch whose condition holds, else `otherwise`.
    Condition {
        branches: Vec<(Condition, StepIdx)>,
        otherwise: Option<StepIdx>,
    },
    /// Set variables, then go on.
    Set {
        assign: Vec<Assign>,
        next: Option<StepIdx>,
    },
    /// The conversation is complete (optionally with a last word).
    End { content: Option<Content> },
    /// Look up an order with the values of two variables.
    OrderLookup(OrderLookup),
    /// Hand the conversation to a person.
    Handoff(Handoff),
    /// Send the collected email to the team of a handoff that nobody could take live.
    HandoffEmail {
        var: String,
        next: Option<StepIdx>,
        error: Option<StepIdx>,
    },
    /// Ask how we did.
    Csat(Csat),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    pub content: Content,
    pub var: String,
    pub expect: Expect,
    /// Said when the answer does not fit `expect`; the prompt is not repeated.
    pub retry: Content,
    /// Invalid answers allowed before giving up and going to `on_fail`.
    pub max_retries: u8,
    pub on_fail: Option<StepIdx>,
    pub next: Option<StepIdx>,
    /// Said when the question is asked again after a digression (default: the question).
    pub reprompt: Option<Content>,
    /// Every message is the answer: no digressions.
    pub strict: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLookup {
    /// Variable holding the order number.
    pub number_var: String,
    /// Variable holding the email the order was placed with.
    pub email_var: String,
    pub content: Option<Content>,
    pub found: Option<StepIdx>,
    pub not_found: Option<StepIdx>,
    pub error: Option<StepIdx>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub content: Option<Content>,
    /// A person is available and will join.
    pub available: Option<StepIdx>,
    /// Nobody is available now: collect an email and promise a reply.
    pub offline: Option<StepIdx>,
    pub error: Option<StepIdx>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Csat {
    pub content: Content,
    pub scale: CsatScale,
    pub comment: bool,
    pub next: Option<StepIdx>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CsatScale {
    /// 👍 = 2, 👎 = 1.
    Thumbs,
    /// 1 to 5 stars.
    Five,
}

/// The merchant's frequently asked questions and how sure the matcher must be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Faq {
    pub entries: Vec<FaqEntry>,
    pub index: FaqIndex,
    /// At or above this confidence the answer is given (when the lead is clear too).
    pub answer_threshold: u16,
    /// How far ahead of the next entry the best must be to be answered outright.
    pub clear_lead: u16,
    /// At or above this (and below `answer_threshold`), "did you mean …?" is offered.
    pub suggest_threshold: u16,
    /// What to say when nothing matches.
    pub fallback: Content,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: String,
    /// Shown as the quick-reply label in "did you mean …?".
    pub question: Text,
    pub answer: FaqAnswer,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FaqAnswer {
    Content(Content),
    Goto(StepIdx),
}

/// When to offer a person instead of the bot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    /// Normalised phrases that ask for a human ("real person", "agent").
    pub phrases: Vec<String>,
    /// Consecutive "not understood" answers before a person is offered (0 = never).
    pub max_misses: u8,
    /// Offer a person when the shopper's words sound frustrated.
    pub on_frustration: bool,
    /// The step that offers a person; without one a built-in offer is shown.
    pub offer: Option<StepIdx>,
    /// The `handoff` step run when the shopper accepts a person (from an offer or a quick
    /// reply): the flow's first handoff step unless it names another.
    pub handoff: Option<StepIdx>,
    /// Run when the person closes a handed-off conversation (usually a CSAT question).
    pub after_handoff: Option<StepIdx>,
}

impl Faq {
    /// What the FAQ makes of `question`, asked in `language`: see [`crate::faq::decide`].
    pub fn decide(&self, question: &str, language: &str) -> crate::faq::Decision {
        let ranked = self
            .index
            .rank(question, language, crate::faq::SUGGESTIONS.max(2));
        crate::faq::decide(&ranked, self.thresholds())
    }

    /// What the shopper gets for a ranking made elsewhere (FAQ health ranks each phrasing
    /// with itself left out): [`crate::faq::decide`] with this FAQ's thresholds.
    pub fn decide_ranked(&self, ranked: &[crate::faq::Ranked]) -> crate::faq::Decision {
        crate::faq::decide(ranked, self.thresholds())
    }

    /// The thresholds of [`crate::faq::decide`].
    pub fn thresholds(&self) -> crate::faq::Thresholds {
        crate::faq::Thresholds {
            answer: self.answer_threshold,
            lead: self.clear_lead,
            suggest: self.suggest_threshold,
        }
    }
}

impl Flow {
    /// The step at `idx`, if there is one.
    pub fn step(&self, idx: StepIdx) -> Option<&Step> {
        self.steps.get(idx as usize)
    }

    /// The index of the step called `id`.
    pub fn step_index(&self, id: &str) -> Option<StepIdx> {
        self.steps
            .iter()
            .position(|s| s.id == id)
            .map(|i| i as StepIdx)
    }

    /// One of the engine's own phrases in `lang` (or the default language).
    pub fn phrase(&self, phrase: Phrase, lang: &str) -> &str {
        let table = self
            .phrases
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| self.phrases.first());
        table
            .and_then(|(_, t)| t.get(phrase as usize))
            .map_or("", String::as_str)
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("en")
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct Flow { bot, languages, greeting, menu, steps, faq, triggers, escalation, order_number, order_start, variables, seed, insights, phrases, fingerprint });
codec!(struct Bot { name, avatar, theme, business_hours });
codec!(struct Theme { accent, on_accent, position, launcher_label, mode });
codec!(enum Position { 0 => Right, 1 => Left });
codec!(enum ColorMode { 0 => Auto, 1 => Light, 2 => Dark });
codec!(struct Step { id, kind });
codec!(enum StepKind { 0 => Message { content, next }, 1 => Ask(v0), 2 => Goto(v0), 3 => Condition { branches, otherwise }, 4 => Set { assign, next }, 5 => End { content }, 6 => OrderLookup(v0), 7 => Handoff(v0), 8 => HandoffEmail { var, next, error }, 9 => Csat(v0) });
codec!(struct Ask { content, var, expect, retry, max_retries, on_fail, next, reprompt, strict });
codec!(struct OrderLookup { number_var, email_var, content, found, not_found, error });
codec!(struct Handoff { content, available, offline, error });
codec!(struct Csat { content, scale, comment, next });
codec!(enum CsatScale { 0 => Thumbs, 1 => Five });
codec!(struct Faq { entries, index, answer_threshold, clear_lead, suggest_threshold, fallback });
codec!(struct FaqEntry { id, question, answer });
codec!(enum FaqAnswer { 0 => Content(v0), 1 => Goto(v0) });
codec!(struct Escalation { phrases, max_misses, on_frustration, offer, handoff, after_handoff });
