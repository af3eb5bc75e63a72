//! The conversation engine: inputs in, effects out.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::flow::{Action, Flow, StepId, StepKind};
use crate::time::Time;

/// How many steps one input may run before the engine stops and waits for the shopper.
/// A flow whose steps `next` into each other in a circle would otherwise spin forever.
const MAX_STEPS_PER_INPUT: usize = 64;

/// Something that happened, told to the engine by the shell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Input {
    /// The shopper opened the chat panel.
    Opened,
    /// The shopper closed the chat panel.
    Closed,
    /// The shopper picked the quick reply with this index among those last offered.
    QuickReplyChosen { index: usize },
}

/// Who said a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Bot,
    Shopper,
}

/// A quick reply as the shell shows it: a label; the engine keeps what it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReplyView {
    pub label: String,
}

/// Something the shell must do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// Add a message to the conversation.
    ShowMessage { from: Speaker, text: String },
    /// Offer these quick replies, replacing any offered before (an empty list removes them).
    ShowQuickReplies { replies: Vec<QuickReplyView> },
}

/// What [`Conversation::poll_output`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Effect(Effect),
    /// Nothing more to do now; call [`Conversation::handle_input`] again at this time at the
    /// latest (with [`Input`]s of the shell's own, or a tick once timers exist).
    Timeout(Time),
}

/// One shopper's conversation with one flow.
#[derive(Debug)]
pub struct Conversation {
    flow: Flow,
    /// Whether the greeting has run; opening the panel again does not repeat it.
    started: bool,
    /// The actions behind the quick replies currently on screen, by index.
    offered: Vec<Action>,
    labels: Vec<String>,
    outputs: VecDeque<Effect>,
    now: Time,
}

impl Conversation {
    pub fn new(flow: Flow, now: Time) -> Self {
        Conversation {
            flow,
            started: false,
            offered: Vec::new(),
            labels: Vec::new(),
            outputs: VecDeque::new(),
            now,
        }
    }

    /// The flow this conversation runs.
    pub fn flow(&self) -> &Flow {
        &self.flow
    }

    /// Feed one input, stamped with the time it happened. Then drain [`Self::poll_output`].
    pub fn handle_input(&mut self, input: Input, now: Time) {
        self.now = self.now.max(now);
        match input {
            Input::Opened => {
                if !self.started {
                    self.started = true;
                    let start = self.flow.start.clone();
                    self.run_from(start);
                }
            }
            Input::Closed => {}
            Input::QuickReplyChosen { index } => {
                // A stale or forged index (double click, replayed event) is ignored.
                let Some(action) = self.offered.get(index).cloned() else {
                    return;
                };
                let label = self.labels.get(index).cloned().unwrap_or_default();
                self.clear_quick_replies();
                self.emit(Effect::ShowMessage { from: Speaker::Shopper, text: label });
                match action {
                    Action::Goto(step) => self.run_from(step),
                }
            }
        }
    }

    /// The next thing for the shell to do, in order. Returns [`Output::Timeout`] once
    /// everything has been drained.
    #[must_use]
    pub fn poll_output(&mut self) -> Output {
        match self.outputs.pop_front() {
            Some(effect) => Output::Effect(effect),
            None => Output::Timeout(Time(u64::MAX)),
        }
    }

    fn emit(&mut self, effect: Effect) {
        self.outputs.push_back(effect);
    }

    fn clear_quick_replies(&mut self) {
        if !self.offered.is_empty() {
            self.offered.clear();
            self.labels.clear();
            self.emit(Effect::ShowQuickReplies { replies: Vec::new() });
        }
    }

    /// Run steps from `id` until one waits for the shopper.
    fn run_from(&mut self, id: StepId) {
        let mut next = Some(id);
        let mut budget = MAX_STEPS_PER_INPUT;
        while let Some(id) = next.take() {
            if budget == 0 {
                return;
            }
            budget -= 1;
            let Some(step) = self.flow.step(&id) else {
                // `flow check` reports this; at run time the shopper is not left hanging silently.
                self.emit(Effect::ShowMessage {
                    from: Speaker::Bot,
                    text: "Sorry, I lost my place. Please try again.".into(),
                });
                return;
            };
            match step.kind.clone() {
                StepKind::Message { text, quick_replies, next: after } => {
                    self.emit(Effect::ShowMessage { from: Speaker::Bot, text });
                    if quick_replies.is_empty() {
                        next = after;
                    } else {
                        self.labels = quick_replies.iter().map(|q| q.label.clone()).collect();
                        self.offered = quick_replies.into_iter().map(|q| q.action).collect();
                        let replies = self
                            .labels
                            .iter()
                            .map(|label| QuickReplyView { label: label.clone() })
                            .collect();
                        self.emit(Effect::ShowQuickReplies { replies });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
