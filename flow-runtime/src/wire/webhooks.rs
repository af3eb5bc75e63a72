//! What the server POSTs to the merchant's help desk (`--webhook-url`): one JSON object per
//! delivery, `{"id", "event", "created_at", …}` with the event's own fields beside them.
//! A public contract like the API: `openapi.json` lists it under `webhooks`, and a test
//! compares the two.

use serde::{Deserialize, Serialize};

use super::{HandoffContext, TranscriptLine};

/// One delivery's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// The delivery's id, also in the `Bellhop-Delivery` header: the same on every retry.
    pub id: String,
    /// When the event happened: Unix milliseconds.
    pub created_at: i64,
    /// `event` names it (`conversation.created`…); its fields sit beside `id`.
    #[serde(flatten)]
    pub event: WebhookEvent,
}

/// What happened, by its `event` name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event")]
pub enum WebhookEvent {
    /// A shopper was handed to a person: what they said and their situation.
    #[serde(rename = "conversation.created")]
    Created {
        conversation: NewConversation,
        transcript: Vec<TranscriptLine>,
    },
    /// The shopper wrote to the team.
    #[serde(rename = "conversation.shopper_message")]
    ShopperMessage {
        conversation: ConversationRef,
        message: WebhookMessage,
    },
    /// A person closed the conversation.
    #[serde(rename = "conversation.closed")]
    Closed { conversation: ConversationRef },
}

impl WebhookEvent {
    /// Every event name, in order.
    pub const NAMES: [&'static str; 3] = [
        "conversation.created",
        "conversation.shopper_message",
        "conversation.closed",
    ];

    /// Its `event` name.
    pub fn name(&self) -> &'static str {
        match self {
            WebhookEvent::Created { .. } => Self::NAMES[0],
            WebhookEvent::ShopperMessage { .. } => Self::NAMES[1],
            WebhookEvent::Closed { .. } => Self::NAMES[2],
        }
    }

    /// The conversation it is about.
    pub fn conversation(&self) -> i64 {
        match self {
            WebhookEvent::Created { conversation, .. } => conversation.id,
            WebhookEvent::ShopperMessage { conversation, .. }
            | WebhookEvent::Closed { conversation } => conversation.id,
        }
    }
}

/// A conversation by its id in the inbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationRef {
    pub id: i64,
}

/// A new conversation: whether a person answers now (else by email), and the context the
/// handoff carried.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConversation {
    pub id: i64,
    pub live: bool,
    pub context: HandoffContext,
}

/// A message the shopper wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookMessage {
    pub id: i64,
    pub text: String,
    /// Unix milliseconds.
    pub at: i64,
}
