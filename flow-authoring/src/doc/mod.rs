//! The flow document: what a merchant writes, in JSON (or YAML or TOML through the `flow`
//! command line). [`crate::compile`] checks it and turns it into a [`flow_runtime::Flow`].
//!
//! These types describe the file format; `flow-authoring/flow.schema.json` is generated from
//! them (a test keeps it current), so editors can autocomplete and validate flow files.
//! The reference for merchants is `docs/flow-format.md`.

mod condition;
mod content;
mod step;
mod trigger;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

pub use condition::ConditionDoc;
pub use content::{
    AddToCartDoc, AnswerDoc, ButtonDoc, CardDoc, ContentDoc, ImageDoc, PhrasingsDoc, TextDoc,
    ValueDoc,
};
pub use step::{
    AskStep, BranchDoc, ConditionStep, CsatScaleDoc, CsatStep, EndStep, ExpectDoc, GotoStep,
    HandoffEmailStep, HandoffStep, MessageStep, OrderLookupStep, SetStep, StepDoc,
};
pub use trigger::{EventDoc, FrequencyDoc, MobileExitDoc, TriggerDoc, VariantDoc};

/// A Bellhop flow: the assistant's profile, its steps, FAQ, triggers and escalation rules.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Bellhop flow")]
pub struct Document {
    /// Where editors find this file's schema (ignored by Bellhop).
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The version of the flow format (1).
    #[serde(default = "one")]
    pub version: u32,
    pub bot: BotDoc,
    /// Variables that exist from the start, with their values.
    #[serde(default)]
    pub variables: BTreeMap<String, ValueDoc>,
    pub steps: Vec<StepDoc>,
    #[serde(default)]
    pub faq: FaqDoc,
    #[serde(default)]
    pub triggers: Vec<TriggerDoc>,
    #[serde(default)]
    pub escalation: EscalationDoc,
    /// What an order number looks like, as a pattern (`#?[0-9]{5,6}`): used by
    /// `ask` steps expecting `order_number` and to spot order numbers in messages.
    #[serde(default)]
    pub order_number: Option<String>,
    /// Seed of the A/B assignment; change it to reshuffle every visitor.
    #[serde(default)]
    pub seed: u64,
    /// Send insights to your own Bellhop server: per page view where the chat was used,
    /// counts (FAQ answers, triggers, handoffs, ratings) and the questions the FAQ missed
    /// or was unsure about, without emails or numbers. Off unless set.
    #[serde(default)]
    pub insights: bool,
}

fn one() -> u32 {
    1
}

/// Who the shopper talks to.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Bot")]
pub struct BotDoc {
    /// Shown in the panel's header; also the panel's accessible name.
    pub name: String,
    /// URL of a small picture of the assistant.
    #[serde(default)]
    pub avatar: Option<String>,
    /// The step that greets the shopper (default: the first step).
    #[serde(default)]
    pub greeting: Option<String>,
    /// The step shown when the shopper asks for the menu or leaves a question ("never
    /// mind", "menu"). Without one, Bellhop just says it is ready for the next question.
    #[serde(default)]
    pub menu: Option<String>,
    /// Language codes the flow speaks, the default first (default `["en"]`).
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub theme: ThemeDoc,
    /// When people are there to take over (used by handoff and `business_hours` conditions).
    #[serde(default)]
    pub business_hours: Option<HoursDoc>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Theme")]
pub struct ThemeDoc {
    /// Main colour (`#1f5f4a`): launcher, header, the shopper's bubbles.
    #[serde(default)]
    pub accent: Option<String>,
    /// Text colour on the accent (default: black or white, whichever reads better).
    #[serde(default)]
    pub on_accent: Option<String>,
    /// `right` (default) or `left`.
    #[serde(default)]
    pub position: Option<PositionDoc>,
    /// The launcher's accessible name and tooltip (default "Open chat").
    #[serde(default)]
    pub launcher_label: Option<String>,
    /// `auto` (follow the shopper's system), `light` or `dark`.
    #[serde(default)]
    pub mode: Option<ModeDoc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Position")]
pub enum PositionDoc {
    Right,
    Left,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Mode")]
pub enum ModeDoc {
    Auto,
    Light,
    Dark,
}

/// Opening hours in the store's time zone.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BusinessHours")]
pub struct HoursDoc {
    /// An IANA time zone (`Europe/Berlin`, `America/New_York`).
    pub time_zone: String,
    /// Opening intervals per day: `{"mon": ["09:00-12:00", "13:00-17:30"], …}`.
    #[serde(default)]
    pub weekly: BTreeMap<DayDoc, Vec<String>>,
    /// Dates when nobody is there (`2026-12-25`).
    #[serde(default)]
    pub closed: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Day")]
pub enum DayDoc {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// Frequently asked questions and how sure the matcher must be to answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Faq")]
pub struct FaqDoc {
    #[serde(default)]
    pub entries: Vec<FaqEntryDoc>,
    /// Words that mean the same in this store: `[["parcel", "package", "order"]]`.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Confidence (0–1) from which the answer is given. Without it, Bellhop calibrates it
    /// for the FAQ's size (0.22 for 12 entries, 0.25 for 150, 0.27 for 500).
    #[serde(default)]
    pub answer_threshold: Option<f64>,
    /// How far (0–1) the best entry must be ahead of the next to be answered outright;
    /// closer than that, the shopper is asked "did you mean …?". Without it, Bellhop
    /// calibrates it for the FAQ's size (0.03 up to 37 entries, 0.06 for 150, 0.11 for 500).
    #[serde(default)]
    pub clear_lead: Option<f64>,
    /// Confidence (0–1) from which "did you mean …?" is offered.
    #[serde(default)]
    pub suggest_threshold: Option<f64>,
    /// Said when nothing matches (a polite default exists in every language).
    #[serde(default)]
    pub fallback: Option<AnswerDoc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FaqEntry")]
pub struct FaqEntryDoc {
    pub id: String,
    /// The question as the shopper would ask it; also the label in "did you mean …?".
    pub question: TextDoc,
    /// Other ways shoppers ask it.
    #[serde(default)]
    pub phrasings: PhrasingsDoc,
    /// The answer (a string, or content with quick replies, cards…).
    #[serde(default)]
    pub answer: Option<AnswerDoc>,
    /// Or: answer by continuing at this step.
    #[serde(default)]
    pub goto: Option<String>,
}

/// When to offer a person.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Escalation")]
pub struct EscalationDoc {
    /// Phrases that ask for a person (default: "human", "real person", "agent", … in six languages).
    #[serde(default)]
    pub phrases: Option<Vec<String>>,
    /// Consecutive misunderstandings before a person is offered (default 2; 0 = never).
    #[serde(default)]
    pub max_misses: Option<u8>,
    /// Offer a person when the shopper sounds frustrated (default true).
    #[serde(default)]
    pub on_frustration: Option<bool>,
    /// The step that offers a person (default: a built-in question with Yes/No).
    #[serde(default)]
    pub offer: Option<String>,
    /// The handoff step used when the shopper accepts (default: the first handoff step).
    #[serde(default)]
    pub handoff: Option<String>,
    /// Run when a person closes the conversation (usually a `csat` step).
    #[serde(default)]
    pub after_handoff: Option<String>,
}

/// The JSON Schema of flow documents.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Document)).unwrap_or_default()
}
