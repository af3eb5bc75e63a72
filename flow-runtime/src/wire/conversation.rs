//! The live conversation after a handoff: the shopper's messages, email and rating, its
//! status, and the events of its stream.

use serde::{Deserialize, Serialize};

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

/// `POST /conversations/resume`: the token of an email's link back into a conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeRequest {
    pub resume: String,
}

/// What a resume token opens: the conversation's bearer token and where it stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resumed {
    pub token: String,
    /// `waiting`, `open` or `closed`.
    pub status: String,
    /// The name of the person who joined.
    pub agent: Option<String>,
}

/// The live stream (`GET /conversations/{token}/events`, server-sent events): the event
/// names, each with its `data`.
pub mod event {
    pub const JOINED: &str = "joined";
    pub const MESSAGE: &str = "message";
    pub const CLOSED: &str = "closed";
    /// Nobody took a live handoff in time: the team answers by email (no data).
    pub const UNANSWERED: &str = "unanswered";
    /// Every kind the shopper's stream carries.
    pub const SHOPPER: [&str; 4] = [JOINED, MESSAGE, CLOSED, UNANSWERED];
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
