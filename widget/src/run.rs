//! The run loop around the engine: one input in, drain the outputs, apply them.
//!
//! Like str0m's canonical loop: a DOM event, an HTTP answer or a timer becomes one
//! [`Input`]; [`Widget::dispatch`] hands it to the [`Conversation`], drains every output and
//! routes each by kind: a [`View`] sets a signal, a [`Request`] goes to [`crate::io`], an
//! [`Announcement`] to [`crate::page`], [`Effect::Save`] to [`crate::storage`]; the final
//! timeout arms a single timer. Every match is exhaustive and nothing is read back from
//! the engine: each effect carries all the shell needs. No conversation decision is made
//! here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use flow_runtime::flow::{Phrase, Theme};
use flow_runtime::{
    Announcement, ButtonView, Composer, Conversation, CsatView, Effect, Flow, HandoffStatus,
    InputHint, Message, Output, Prop, Time, View,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub use flow_runtime::Input;

use crate::config::Config;
use crate::io::{Io, Sink};
use crate::{page, storage};

/// Everything that is not reactive: the conversation itself and the services around it.
pub struct Shell {
    conversation: RefCell<Conversation>,
    /// The merchant's content, for labels (the engine has its own handle).
    flow: Arc<Flow>,
    pub io: Rc<Io>,
    pub config: Config,
    /// The armed timer: its handle, and when it fires.
    timer: Cell<Option<(i32, Time)>>,
    /// The one function every timer calls: made once, since a closure made per timer and
    /// cleared before it ran is never freed.
    tick: RefCell<Option<Closure<dyn Fn()>>>,
    /// This page view's counts, when the flow sends insights.
    pub insights: Option<Rc<crate::insights::Insights>>,
}

impl Shell {
    /// An image of the flow as an absolute address (see [`crate::js::asset`]).
    pub fn asset(&self, src: &str) -> String {
        crate::js::asset(src, &self.config.flow_url)
    }
}

/// The bot's profile, for the header and the launcher.
#[derive(Clone, Debug)]
pub struct Bot {
    pub name: String,
    pub avatar: Option<String>,
    pub theme: Theme,
}

/// The widget as the UI sees it: reactive state, changed only by the engine's views.
///
/// `Copy`, so components take it by value (every field is an arena handle).
#[derive(Clone, Copy)]
pub struct Widget {
    shell: StoredValue<Rc<Shell>, LocalStorage>,
    pub bot: StoredValue<Bot>,
    pub open: RwSignal<bool>,
    pub messages: RwSignal<Vec<Message>>,
    pub quick_replies: RwSignal<Vec<ButtonView>>,
    pub teaser: RwSignal<Option<Message>>,
    pub unread: RwSignal<u32>,
    pub composer: RwSignal<Composer>,
    pub typing: RwSignal<bool>,
    pub csat: RwSignal<Option<CsatView>>,
    /// "Did this help?" is asked under the last FAQ answer.
    pub helpful: RwSignal<bool>,
    pub handoff: RwSignal<Option<HandoffStatus>>,
    /// The conversation's language: labels follow it.
    pub lang: RwSignal<String>,
    /// Set by the shopper's own open/close actions: only then does focus move.
    pub move_focus: RwSignal<bool>,
    /// Something the shopper asked for waits for the network (shown calmly in the panel).
    pub offline: RwSignal<bool>,
}

impl Sink for Widget {
    fn answer(self, input: Input) {
        self.dispatch(input);
    }

    fn waiting(self, offline: bool) {
        if self.offline.get_untracked() != offline {
            self.offline.set(offline);
        }
    }
}

impl Widget {
    /// Starts (or resumes, from storage) the conversation for `flow`.
    pub fn new(flow: Flow, config: Config, visitor: Option<&str>) -> Widget {
        let visitor = visitor
            .map(str::to_owned)
            .unwrap_or_else(storage::visitor_id);
        let bot = Bot {
            name: flow.bot.name.clone(),
            // Paths are the Bellhop server's, whatever store's page this is.
            avatar: flow
                .bot
                .avatar
                .as_deref()
                .map(|a| crate::js::asset(a, &config.flow_url)),
            theme: flow.bot.theme.clone(),
        };
        let lang = flow.default_language().to_owned();
        let flow = Arc::new(flow);
        let now = now();
        let conversation = match storage::read_state() {
            Some(state) if state.visitor.id == visitor => {
                Conversation::restore(flow.clone(), state, now)
            }
            _ => Conversation::new(flow.clone(), &visitor, now),
        };
        let insights = flow.insights.then(|| {
            Rc::new(crate::insights::Insights::new(
                &config.api,
                config.flow_name(),
                flow.fingerprint,
            ))
        });
        let shell = Rc::new(Shell {
            conversation: RefCell::new(conversation),
            flow,
            io: Io::new(&config.api, config.flow_name()),
            config,
            timer: Cell::new(None),
            tick: RefCell::new(None),
            insights,
        });
        let chat = Widget {
            shell: StoredValue::new_local(shell),
            bot: StoredValue::new(bot),
            open: RwSignal::new(false),
            messages: RwSignal::new(Vec::new()),
            quick_replies: RwSignal::new(Vec::new()),
            teaser: RwSignal::new(None),
            unread: RwSignal::new(0),
            composer: RwSignal::new(Composer::Ready {
                hint: InputHint::Text,
            }),
            typing: RwSignal::new(false),
            csat: RwSignal::new(None),
            helpful: RwSignal::new(false),
            handoff: RwSignal::new(None),
            lang: RwSignal::new(lang),
            move_focus: RwSignal::new(false),
            offline: RwSignal::new(false),
        };
        // Show what `restore` queued (the conversation so far), then send what a previous
        // page left unsent.
        chat.drain();
        chat.shell().io.pump(chat);
        if let Some(insights) = &chat.shell().insights {
            crate::insights::listen(insights.clone());
        }
        chat
    }

    pub fn shell(&self) -> Rc<Shell> {
        self.shell.get_value()
    }

    /// A label of the widget in the conversation's language.
    ///
    /// Untracked: labels are plain strings, and the whole UI is rebuilt when the language
    /// changes (rare: a flow step switches it), which is far smaller in the wasm than a
    /// reactive effect per label.
    pub fn t(&self, phrase: Phrase) -> String {
        let lang = self.lang.get_untracked();
        self.shell().flow.phrase(phrase, &lang).to_owned()
    }

    /// Opens or closes the panel because the shopper asked: the engine decides, and focus
    /// follows its view.
    pub fn set_open(&self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.move_focus.set(true);
        self.dispatch(if open { Input::Opened } else { Input::Closed });
        if open {
            // The FAQ model is built on first use (tens of milliseconds for a large FAQ
            // in the browser). A shopper who opens the panel is about to ask, and typing
            // takes longer than that: build it now, once the panel has painted.
            let shell = self.shell();
            leptos::prelude::set_timeout(
                move || {
                    let conversation = shell.conversation.borrow();
                    // Measured only when it builds: reopening the panel costs nothing.
                    let start = crate::js::performance_now();
                    if conversation.prepare_faq() {
                        crate::js::measure_since("bellhop:faq-model", start);
                    }
                },
                std::time::Duration::from_millis(100),
            );
        }
    }

    /// Feeds one input to the engine and applies every effect it produces.
    pub fn dispatch(&self, input: Input) {
        let shell = self.shell();
        shell.conversation.borrow_mut().handle_input(input, now());
        self.drain();
    }

    /// Another tab saved the conversation: show the same here.
    pub fn adopt(&self, state: flow_runtime::State) {
        self.shell().conversation.borrow_mut().adopt(state, now());
        self.drain();
    }

    /// Applies every queued effect, then arms the timer for the next timeout.
    fn drain(&self) {
        let shell = self.shell();
        let (effects, timeout) = {
            let mut conversation = shell.conversation.borrow_mut();
            let mut effects = Vec::new();
            let timeout = loop {
                match conversation.poll_output() {
                    Output::Effect(e) => effects.push(e),
                    Output::Timeout(t) => break t,
                }
            };
            (effects, timeout)
        };
        for effect in effects {
            match effect {
                Effect::View(view) => self.show(view),
                Effect::Request(request) => shell.io.request(request, *self),
                Effect::Announce(announcement) => self.announce(announcement),
                Effect::Save(saved) => storage::save(&saved),
            }
        }
        self.arm_timer(timeout);
    }

    fn show(&self, view: View) {
        match view {
            View::Reset => self.messages.set(Vec::new()),
            View::ShowMessage(message) => self.messages.update(|m| m.push(message)),
            View::SetQuickReplies(replies) => self.quick_replies.set(replies),
            View::ShowTeaser(message) => self.teaser.set(Some(message)),
            View::HideTeaser => self.teaser.set(None),
            View::OpenPanel => self.open.set(true),
            View::ClosePanel => self.open.set(false),
            View::Unread(n) => self.unread.set(n),
            View::Composer(c) => self.composer.set(c),
            View::Typing(on) => self.typing.set(on),
            View::Csat(c) => self.csat.set(c),
            View::Helpful(on) => self.helpful.set(on),
            View::HandoffStatus(status) => self.handoff.set(status),
            View::Language(lang) => {
                if self.lang.get_untracked() != lang {
                    self.lang.set(lang);
                }
            }
        }
    }

    fn announce(&self, announcement: Announcement) {
        let shell = self.shell();
        if let Some(insights) = &shell.insights {
            insights.record(&announcement);
        }
        let text = shell.config.analytics_text;
        match announcement {
            Announcement::Track(track) => page::announce(&track.name, &track.props, text),
            Announcement::AddToCart {
                sku,
                quantity,
                conversation,
            } => page::announce(
                "add_to_cart",
                &[
                    ("conversation".into(), Prop::Text(conversation)),
                    ("sku".into(), Prop::Text(sku)),
                    ("quantity".into(), Prop::int(i64::from(quantity))),
                ],
                text,
            ),
        }
    }

    /// Arms one timer for the engine's next timeout. Most inputs (a scroll, a keystroke)
    /// leave the timeout where it was: then the armed timer stays.
    fn arm_timer(&self, at: Option<Time>) {
        let shell = self.shell();
        if shell.timer.get().map(|(_, t)| t) == at {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some((id, _)) = shell.timer.take() {
            window.clear_timeout_with_handle(id);
        }
        let Some(at) = at else { return };
        let delay = at.0.saturating_sub(now().0).min(i32::MAX as u64) as i32;
        let chat = *self;
        let mut tick = shell.tick.borrow_mut();
        let tick = tick.get_or_insert_with(|| {
            Closure::new(move || {
                chat.shell().timer.set(None);
                chat.dispatch(Input::Tick);
            })
        });
        if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            delay,
        ) {
            shell.timer.set(Some((id, at)));
        }
    }
}

/// The time, from the one clock both stages read ([`browser::now`]).
pub fn now() -> Time {
    browser::now()
}
