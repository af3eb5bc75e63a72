//! The HTTP contract, defined once, here: every payload of the widget's API (`/api/v1`),
//! its limits ([`limits`]) and the webhooks the server sends.
//!
//! The server (`www`) reads and writes them with serde (`serde_json`); the widget writes
//! and reads them with [`json`], a compact codec that keeps a JSON library out of the wasm
//! (serde_json alone is about 25 KiB brotli there). The codec is written against these
//! types and tested against serde on every one of them (`wire/tests.rs`): a field named
//! differently, missing or added on one side fails the tests, not a shopper.
//!
//! This module is a leaf: it names nothing else in the crate. The engine keeps its own
//! types for what it saves between pages and converts to these where it speaks to the
//! server, so the saved format and the HTTP format can change apart.

mod conversation;
mod error;
mod handoff;
mod insights;
pub mod json;
pub mod limits;
mod orders;
#[cfg(test)]
mod tests;
mod webhooks;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use conversation::{
    AgentJoined, AgentMessage, ConversationClosed, ConversationStatus, EmailChange,
    MessageAccepted, NewMessage, NewRating, ResumeRequest, Resumed, event,
};
pub use error::{ErrorBody, ErrorDetail, ORDERS_UNAVAILABLE};
pub use handoff::{
    Availability, CartLine, FaqTry, HandoffAccepted, HandoffContext, HandoffReason, NewHandoff,
    Speaker, TranscriptLine,
};
pub use insights::{
    AskedQuestion, FaqTally, HandoffCount, InsightsBatch, QuestionKind, RatingTally, TriggerTally,
};
pub use orders::{OrderFound, OrderLine, OrderLookup, OrderRecord, OrderStatus};
pub use webhooks::{ConversationRef, NewConversation, Webhook, WebhookEvent, WebhookMessage};

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

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    ::serde::de::Error::custom(format!("must be one of {}", names.join(", ")))
                })
            }
        }
    };
}
use named;
