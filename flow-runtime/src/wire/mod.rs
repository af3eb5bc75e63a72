//! The HTTP API's payloads (`/api/v1`), defined once, here.
//!
//! The server (`www`) reads and writes them with serde (`serde_json`); the widget writes
//! and reads them with [`json`], a compact codec that keeps a JSON library out of the wasm
//! (serde_json alone is about 25 KiB brotli there). The codec is written against these
//! types and tested against serde on every one of them (`wire/tests.rs`): a field named
//! differently, missing or added on one side fails the tests, not a shopper.
//!
//! What the engine sends is made of the engine's own types ([`HandoffContext`],
//! [`TranscriptLine`], [`Speaker`]), so a handoff's context has one definition from the
//! conversation to the inbox. A confidence is a [`Confidence`] from the FAQ to the inbox.

pub mod json;
pub mod limits;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::engine::{CartLine, HandoffContext, Speaker, TranscriptLine};

/// How sure the FAQ matcher was, in thousandths (`830` is 83 %). On the wire it is a number
/// from 0 to 1 (`0.83`), as in analytics events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Confidence(pub u16);

impl Confidence {
    pub const MAX: Confidence = Confidence(1000);

    /// From a fraction of one, clamped to 0..=1.
    pub fn from_fraction(f: f64) -> Confidence {
        Confidence((f.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    pub fn per_mille(self) -> u16 {
        self.0
    }

    /// As a whole percentage, for people: `0.834` → 83.
    pub fn percent(self) -> u16 {
        (self.0 + 5) / 10
    }
}

impl Serialize for Confidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0.min(1000)) / 1000.0)
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Confidence, D::Error> {
        let f = f64::deserialize(d)?;
        if !(0.0..=1.0).contains(&f) {
            return Err(serde::de::Error::custom(
                "a confidence is a number from 0 to 1",
            ));
        }
        Ok(Confidence::from_fraction(f))
    }
}

/// A fixed set of names on the wire: each enum below is written as one of its `ALL`
/// names, and anything else is refused when read.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Its name on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The value a wire name names.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    serde::de::Error::custom(format!("must be one of {}", names.join(", ")))
                })
            }
        }
    };
}

named! {
    /// Where an order is, as a shopper reads it.
    OrderStatus {
        /// Placed, not shipped yet.
        Processing = "processing",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        /// Paid back (wholly or partly: a refund is what the shopper needs to know).
        Refunded = "refunded",
    }
}

impl Default for OrderStatus {
    fn default() -> OrderStatus {
        OrderStatus::Processing
    }
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
    /// What the FAQ did with a question an insights report carries.
    QuestionKind {
        /// Nothing came close enough: the fallback was shown.
        Missed = "missed",
        /// "Did you mean": the shopper was asked back.
        Unsure = "unsure",
        /// Answered, and the shopper said the answer did not help.
        Unhelpful = "unhelpful",
    }
}

impl Default for QuestionKind {
    fn default() -> QuestionKind {
        QuestionKind::Missed
    }
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

/// `POST /orders/lookup`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLookup {
    pub number: String,
    pub email: String,
}

/// The answer to a lookup that found the order (200). A missing order and a wrong email
/// get the same 404 [`ErrorBody`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFound {
    pub order: OrderRecord,
}

/// An order as the shopper may see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub number: String,
    pub status: OrderStatus,
    /// The day it was placed, `YYYY-MM-DD`.
    pub placed_on: String,
    pub items: Vec<OrderLine>,
    pub carrier: Option<String>,
    pub tracking_url: Option<String>,
    /// `YYYY-MM-DD`.
    pub estimated_delivery: Option<String>,
    /// `YYYY-MM-DD`.
    pub delivered_on: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub name: String,
    pub quantity: u32,
}

impl From<OrderRecord> for crate::engine::Order {
    fn from(o: OrderRecord) -> crate::engine::Order {
        crate::engine::Order {
            number: o.number,
            status: o.status.as_str().to_owned(),
            items: o
                .items
                .into_iter()
                .map(|i| crate::engine::OrderItem {
                    name: i.name,
                    quantity: i.quantity,
                })
                .collect(),
            carrier: o.carrier,
            tracking_url: o.tracking_url,
            estimated_delivery: o.estimated_delivery,
        }
    }
}

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

/// `POST /conversations/{token}/messages`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessage {
    /// The message's idempotency key.
    pub key: String,
    pub text: String,
}

/// The answer to a message: its id in the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAccepted {
    pub id: String,
}

/// `POST /conversations/{token}/email`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChange {
    pub email: String,
}

/// `POST /conversations/{token}/rating`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRating {
    pub score: u8,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /insights`: what one page view of the panel saw, sent once (by `sendBeacon` as the
/// page goes) when the flow's merchant switched insights on. Counts, and the text of the
/// questions the FAQ missed or was unsure about (emails and numbers taken out): no visitor
/// id, no order numbers, no emails, nothing else the shopper typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightsBatch {
    /// 128 random bits in hex: the server stores a batch once and refuses it again.
    pub id: String,
    /// The flow by its name on the server (`demo.json`) and the compiled flow's fingerprint
    /// (16 hex digits), by which the server finds the published version it came from.
    pub flow: String,
    pub fingerprint: String,
    /// A random id the browser keeps for one day only, for unique counts (`None` where
    /// nothing may be stored).
    #[serde(default)]
    pub visitor_day: Option<String>,
    /// 1 when the shopper asked, chose or typed something in the chat on this page.
    #[serde(default)]
    pub conversations: u32,
    #[serde(default)]
    pub faq: Vec<FaqTally>,
    #[serde(default)]
    pub questions: Vec<AskedQuestion>,
    #[serde(default)]
    pub triggers: Vec<TriggerTally>,
    #[serde(default)]
    pub added_to_cart: u32,
    #[serde(default)]
    pub order_lookups: u32,
    /// Handoffs asked for, by what led to them (at most one a page view).
    #[serde(default)]
    pub handoffs: Vec<HandoffCount>,
    #[serde(default)]
    pub ratings: Vec<RatingTally>,
}

/// How often one FAQ entry was answered, offered first in "did you mean", came closest
/// to a missed question, or was said not to help.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqTally {
    pub entry: String,
    #[serde(default)]
    pub answered: u32,
    #[serde(default)]
    pub unsure: u32,
    #[serde(default)]
    pub missed: u32,
    /// Answers the shopper said did not help.
    #[serde(default)]
    pub unhelpful: u32,
}

/// A question the FAQ was unsure about (`unsure`), missed (`missed`), or answered with an
/// answer the shopper said did not help (`unhelpful`, with the entry answered), and the
/// entries that came closest, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedQuestion {
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default)]
    pub entries: Vec<String>,
}

/// One variant of one trigger on this page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerTally {
    pub trigger: String,
    pub variant: String,
    #[serde(default)]
    pub shown: u32,
    #[serde(default)]
    pub dismissed: u32,
    #[serde(default)]
    pub converted: u32,
    /// Would have been shown, but the shopper is in the holdout.
    #[serde(default)]
    pub held_out: u32,
}

/// Handoffs for one reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffCount {
    pub name: HandoffReason,
    pub count: u32,
}

/// A rating: `score` out of `scale` (2 for thumbs, 5 for stars).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTally {
    pub score: u8,
    pub scale: u8,
}

/// `GET /conversations/{token}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationStatus {
    /// `open` or `closed`.
    pub status: String,
    /// Whether a person answers now (else by email).
    pub live: bool,
    /// The name of the person who joined.
    pub agent: Option<String>,
}

/// The live stream (`GET /conversations/{token}/events`, server-sent events): the event
/// names, each with its `data`.
pub mod event {
    pub const JOINED: &str = "joined";
    pub const MESSAGE: &str = "message";
    pub const CLOSED: &str = "closed";
    /// Every kind the shopper's stream carries.
    pub const SHOPPER: [&str; 3] = [JOINED, MESSAGE, CLOSED];
}

/// `joined`: a person took the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentJoined {
    pub name: String,
}

/// `message`: the person wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMessage {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub text: String,
}

/// `closed`: the person closed the conversation (no fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationClosed {}

/// Every error: a stable `code` a program can branch on and a `message` a person can read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}
