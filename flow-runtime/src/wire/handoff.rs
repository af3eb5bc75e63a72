//! `POST /handoffs`: a conversation handed to a person, with what was said and the
//! shopper's situation.

use serde::{Deserialize, Serialize};

use super::{Confidence, named};

/// `POST /handoffs`: the idempotency key, what was said, and the context.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHandoff {
    /// At least 32 characters: 128 random bits in hex.
    pub key: String,
    pub transcript: Vec<TranscriptLine>,
    #[serde(default)]
    pub context: HandoffContext,
    /// The flow the conversation came from, by its name on the server (`demo.json`): the
    /// server answers `available` or `offline` from that flow's business hours.
    #[serde(default)]
    pub flow: Option<String>,
}

/// The answer to a handoff: 201 for a new conversation, 200 for a retry of the same request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffAccepted {
    /// The conversation's bearer token: it alone opens the conversation to the shopper.
    pub token: String,
    pub status: Availability,
}

/// Whether a person is there now (business hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    Available,
    /// The team replies by email.
    Offline,
}

named! {
    /// Why a shopper was handed to a person, as the engine knows it (the server never
    /// guesses it again).
    HandoffReason {
        /// They asked: a quick reply, a button, or their own words.
        Asked = "asked",
        /// Their words sounded frustrated.
        Frustrated = "frustrated",
        /// The FAQ did not understand them, again and again.
        Missed = "missed",
        /// Their answer to a question did not fit, again and again.
        AnswerFailed = "answer_failed",
    }
}

impl Default for HandoffReason {
    fn default() -> HandoffReason {
        HandoffReason::Asked
    }
}

named! {
    /// Who said a line of a transcript.
    Speaker {
        Bot = "bot",
        Shopper = "shopper",
        /// A person from the store's team.
        Agent = "agent",
        /// A note about the conversation itself ("Alex joined").
        System = "system",
    }
}

/// One line of what was said, for the person taking over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    /// When it was said: Unix milliseconds.
    pub at: u64,
    pub from: Speaker,
    pub text: String,
}

/// What is in the shopper's cart, as the page named it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub name: String,
    pub quantity: u32,
}

/// What the shell and the engine know about the shopper's situation, for the person taking
/// over: sent with the handoff ([`NewHandoff`]), shown in the inbox and sent to webhooks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoffContext {
    pub page_url: String,
    pub language: String,
    pub device: String,
    pub cart_items: u32,
    /// The cart's value as text (`59.9`), with its currency.
    pub cart_value: String,
    pub currency: String,
    /// What is in the cart, as the page named it.
    pub cart_lines: Vec<CartLine>,
    /// What the bot understood, latest last.
    pub faq: Vec<FaqTry>,
    pub trigger: Option<String>,
    pub variant: Option<String>,
    /// The shopper's words sounded frustrated.
    pub frustrated: bool,
    /// Why the conversation came to a person, as the engine knows it.
    pub reason: HandoffReason,
    pub visits: u32,
    pub email: Option<String>,
}

/// One thing the FAQ understood during the conversation, for the person taking over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaqTry {
    /// The entry's id in the flow.
    pub entry: String,
    /// The entry's question, in the conversation's language.
    pub question: String,
    pub confidence: Confidence,
}
