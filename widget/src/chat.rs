//! The run loop around the runtime: one input in, drain the effects, apply them.
//!
//! Like str0m's canonical loop: a DOM event, an HTTP answer or a timer becomes one
//! [`Input`]; [`Chat::dispatch`] hands it to the [`Conversation`], drains every effect, and
//! applies each: view effects set signals, I/O effects go to the shell's services.

use flow_runtime::{ButtonView, Conversation, Effect, Flow, Input, Message, Output, Page, Time};
use leptos::prelude::*;

/// The conversation as the UI sees it: reactive state, changed only by runtime effects.
///
/// `Copy`, so components take it by value (every field is an arena handle).
#[derive(Clone, Copy)]
pub struct Chat {
    conversation: StoredValue<Conversation>,
    pub bot_name: StoredValue<String>,
    pub open: RwSignal<bool>,
    pub messages: RwSignal<Vec<Message>>,
    pub quick_replies: RwSignal<Vec<ButtonView>>,
}

impl Chat {
    pub fn new(flow: Flow, visitor: &str) -> Chat {
        let bot_name = flow.bot.name.clone();
        Chat {
            conversation: StoredValue::new(Conversation::new(flow, visitor, now())),
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
            Effect::Reset => self.messages.set(Vec::new()),
            Effect::ShowMessage(message) => self.messages.update(|m| m.push(message)),
            Effect::SetQuickReplies(replies) => self.quick_replies.set(replies),
            Effect::OpenPanel => self.open.set(true),
            Effect::ClosePanel => self.open.set(false),
            _ => {}
        }
    }

    /// Tells the runtime which page this is.
    pub fn page_view(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let document = window.document();
        let language = document
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .unwrap_or_default();
        let page = Page {
            url: location.href().unwrap_or_default(),
            path: location.pathname().unwrap_or_default(),
            language,
            visible: true,
            ..Page::default()
        };
        self.dispatch(Input::PageView(page));
    }
}

pub fn now() -> Time {
    Time(js_sys::Date::now() as u64)
}
