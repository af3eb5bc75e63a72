//! The run loop around the runtime: one input in, drain the effects, apply them to signals.

use flow_runtime::{Conversation, Effect, Flow, Input, Output, QuickReplyView, Speaker, Time};
use leptos::prelude::*;

/// A message as the message list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatMessage {
    /// Position in the conversation; stable, so it keys the list.
    pub id: usize,
    pub from: Speaker,
    pub text: String,
}

/// The conversation as the UI sees it: reactive state, changed only by runtime effects.
///
/// `Copy`, so components can take it by value (every field is an arena handle).
#[derive(Clone, Copy)]
pub struct Chat {
    conversation: StoredValue<Conversation>,
    pub bot_name: StoredValue<String>,
    pub open: RwSignal<bool>,
    pub messages: RwSignal<Vec<ChatMessage>>,
    pub quick_replies: RwSignal<Vec<QuickReplyView>>,
}

impl Chat {
    pub fn new(flow: Flow) -> Chat {
        let bot_name = flow.bot.name.clone();
        Chat {
            conversation: StoredValue::new(Conversation::new(flow, now())),
            bot_name: StoredValue::new(bot_name),
            open: RwSignal::new(false),
            messages: RwSignal::new(Vec::new()),
            quick_replies: RwSignal::new(Vec::new()),
        }
    }

    /// Opens or closes the panel, and tells the runtime.
    pub fn set_open(&self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        self.dispatch(if open { Input::Opened } else { Input::Closed });
    }

    /// Feeds one input to the runtime and applies every effect it produces.
    pub fn dispatch(&self, input: Input) {
        let now = now();
        let effects = self
            .conversation
            .try_update_value(|conversation| {
                conversation.handle_input(input, now);
                let mut effects = Vec::new();
                while let Output::Effect(effect) = conversation.poll_output() {
                    effects.push(effect);
                }
                effects
            })
            .unwrap_or_default();
        for effect in effects {
            self.apply(effect);
        }
    }

    fn apply(&self, effect: Effect) {
        match effect {
            Effect::ShowMessage { from, text } => self.messages.update(|messages| {
                let id = messages.len();
                messages.push(ChatMessage { id, from, text });
            }),
            Effect::ShowQuickReplies { replies } => self.quick_replies.set(replies),
        }
    }
}

fn now() -> Time {
    Time(js_sys::Date::now() as u64)
}
