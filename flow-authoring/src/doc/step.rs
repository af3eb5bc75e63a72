//! Steps as merchants write them: `{"id": "…", "type": "message", …}`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::condition::ConditionDoc;
use super::content::{ButtonDoc, CardDoc, ImageDoc, TextDoc, ValueDoc};

/// One step of the conversation. `type` says which kind.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schemars(rename = "Step")]
pub enum StepDoc {
    /// Say something. With quick replies the bot waits for a choice; else it goes on to
    /// `next` (or waits for the shopper's own words if there is no `next`).
    Message(MessageStep),
    /// A message whose point is its product cards.
    Carousel(MessageStep),
    /// Ask for a value, check it, keep it in a variable.
    Ask(AskStep),
    /// Branch on variables and context.
    Condition(ConditionStep),
    /// Set variables.
    Set(SetStep),
    /// Continue at another step.
    Goto(GotoStep),
    /// The conversation is complete.
    End(EndStep),
    /// Look up an order on the store's server.
    OrderLookup(OrderLookupStep),
    /// Hand the conversation to a person.
    Handoff(HandoffStep),
    /// Send the email the shopper gave to a handoff nobody could take live.
    HandoffEmail(HandoffEmailStep),
    /// Ask how we did.
    Csat(CsatStep),
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageStep {
    pub id: String,
    /// The message, in a safe Markdown subset.
    #[serde(default)]
    pub text: Option<TextDoc>,
    #[serde(default)]
    pub image: Option<ImageDoc>,
    #[serde(default)]
    pub cards: Vec<CardDoc>,
    #[serde(default)]
    pub quick_replies: Vec<ButtonDoc>,
    /// Show the card of the order found by the last order lookup.
    #[serde(default)]
    pub show_order: bool,
    #[serde(default)]
    pub next: Option<String>,
}

/// What an `ask` step accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Expect")]
pub enum ExpectDoc {
    /// Any non-empty answer.
    Text,
    Email,
    Phone,
    /// An order number: `pattern`, or the flow's `order_number` pattern.
    OrderNumber,
    /// Whatever matches `pattern`.
    Pattern,
    /// A number, optionally between `min` and `max`.
    Number,
    /// One of `choices` (offered as quick replies).
    Choice,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskStep {
    pub id: String,
    pub text: TextDoc,
    /// The variable that keeps the answer.
    pub var: String,
    #[serde(default = "expect_text")]
    pub expect: ExpectDoc,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// The options of `expect: choice`: each a text, or one per language
    /// (`{"en": "Jackets", "es": "Chaquetas"}`); the variable keeps the option in the
    /// flow's first language.
    #[serde(default)]
    pub choices: Vec<TextDoc>,
    /// Said when the answer does not fit (a sensible default exists for each `expect`).
    #[serde(default)]
    pub retry_text: Option<TextDoc>,
    /// Invalid answers allowed before `on_fail` (default 2).
    #[serde(default = "two")]
    pub max_retries: u8,
    /// Where to go after too many invalid answers (default: offer a person).
    #[serde(default)]
    pub on_fail: Option<String>,
    #[serde(default)]
    pub quick_replies: Vec<ButtonDoc>,
    #[serde(default)]
    pub image: Option<ImageDoc>,
    pub next: Option<String>,
    /// Said when the question is asked again after the shopper asked something else in
    /// between (default: the question itself, after "Back to my question:").
    #[serde(default)]
    pub reprompt: Option<TextDoc>,
    /// A pure form: every message is taken as the answer (or a retry). Without it, a
    /// shopper who asks an FAQ question, says "never mind" or asks for a person meanwhile
    /// is answered and asked again.
    #[serde(default)]
    pub strict: bool,
}

fn expect_text() -> ExpectDoc {
    ExpectDoc::Text
}

fn two() -> u8 {
    2
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionStep {
    pub id: String,
    /// Tried in order; the first whose `when` holds wins.
    pub branches: Vec<BranchDoc>,
    /// Where to go when no branch holds.
    #[serde(default)]
    pub otherwise: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Branch")]
pub struct BranchDoc {
    pub when: ConditionDoc,
    pub goto: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStep {
    pub id: String,
    /// Variables and their new values; strings may use `{{variables}}`.
    pub set: BTreeMap<String, ValueDoc>,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GotoStep {
    pub id: String,
    pub goto: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndStep {
    pub id: String,
    #[serde(default)]
    pub text: Option<TextDoc>,
    #[serde(default)]
    pub image: Option<ImageDoc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLookupStep {
    pub id: String,
    /// Said while looking.
    #[serde(default)]
    pub text: Option<TextDoc>,
    /// The variable holding the order number (default `order_number`).
    #[serde(default = "order_number")]
    pub number: String,
    /// The variable holding the order's email (default `email`).
    #[serde(default = "email")]
    pub email: String,
    /// Found: `order.status`, `order.items`, `order.tracking_url`, `order.carrier`,
    /// `order.estimated_delivery`, `order.number` are set.
    #[serde(default)]
    pub found: Option<String>,
    #[serde(default)]
    pub not_found: Option<String>,
    /// The server could not answer.
    #[serde(default)]
    pub error: Option<String>,
}

fn order_number() -> String {
    "order_number".into()
}

fn email() -> String {
    "email".into()
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffStep {
    pub id: String,
    /// Said before connecting.
    #[serde(default)]
    pub text: Option<TextDoc>,
    /// A person is available and will join.
    #[serde(default)]
    pub available: Option<String>,
    /// Nobody is available now: collect an email and promise a reply.
    #[serde(default)]
    pub offline: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffEmailStep {
    pub id: String,
    /// The variable holding the email (default `email`).
    #[serde(default = "email")]
    pub var: String,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "CsatScale")]
pub enum CsatScaleDoc {
    /// Thumbs up or down.
    Thumbs,
    /// One to five.
    Five,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CsatStep {
    pub id: String,
    pub text: TextDoc,
    #[serde(default = "thumbs")]
    pub scale: CsatScaleDoc,
    /// Offer a comment box after the rating.
    #[serde(default)]
    pub comment: bool,
    #[serde(default)]
    pub next: Option<String>,
}

fn thumbs() -> CsatScaleDoc {
    CsatScaleDoc::Thumbs
}

impl StepDoc {
    pub fn id(&self) -> &str {
        match self {
            StepDoc::Message(s) | StepDoc::Carousel(s) => &s.id,
            StepDoc::Ask(s) => &s.id,
            StepDoc::Condition(s) => &s.id,
            StepDoc::Set(s) => &s.id,
            StepDoc::Goto(s) => &s.id,
            StepDoc::End(s) => &s.id,
            StepDoc::OrderLookup(s) => &s.id,
            StepDoc::Handoff(s) => &s.id,
            StepDoc::HandoffEmail(s) => &s.id,
            StepDoc::Csat(s) => &s.id,
        }
    }
}
