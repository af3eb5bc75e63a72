//! The flow document: what a merchant writes to script the assistant.
//!
//! It is plain data (serde). Loading never panics; a step that refers to a step that does
//! not exist is tolerated by the engine (it says so and stops) so that a half-edited flow
//! still runs.

use serde::{Deserialize, Serialize};

/// The identifier of a step, unique within a flow (`"shipping"`, `"returns-policy"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepId(pub String);

impl From<&str> for StepId {
    fn from(s: &str) -> Self {
        StepId(s.to_owned())
    }
}

/// A whole flow document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// The version of the flow format; this crate reads version 1.
    #[serde(default = "one")]
    pub version: u32,
    pub bot: Bot,
    /// The step the conversation starts with when the shopper opens the chat.
    pub start: StepId,
    pub steps: Vec<Step>,
}

fn one() -> u32 {
    1
}

/// Who the shopper talks to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bot {
    /// Shown in the panel's header and used as the panel's accessible name.
    pub name: String,
}

/// One node of the conversation graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: StepId,
    #[serde(flatten)]
    pub kind: StepKind,
}

/// What a step does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepKind {
    /// Say something, then offer quick replies (if any) or go on to `next`.
    Message {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<QuickReply>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
}

/// A button offered under a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: String,
    #[serde(flatten)]
    pub action: Action,
}

/// What happens when the shopper picks a quick reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Continue the conversation at another step.
    Goto(StepId),
}

impl Flow {
    /// The step with this id, if the flow has one.
    pub fn step(&self, id: &StepId) -> Option<&Step> {
        self.steps.iter().find(|s| &s.id == id)
    }
}
