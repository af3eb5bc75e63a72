//! The run loop around the runtime: one input in, drain the effects, apply them.
//!
//! Like str0m's canonical loop: a DOM event, an HTTP answer or a timer becomes one
//! [`Input`]; [`Chat::dispatch`] hands it to the [`Conversation`], drains every effect, and
//! applies each: view effects set signals, I/O effects go to [`crate::io`], `Persist`
//! saves the snapshot, and the final timeout arms a single timer. No conversation decision
//! is made here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use flow_runtime::flow::{Phrase, Theme};
use flow_runtime::{
    ButtonView, Composer, Conversation, CsatView, Effect, Flow, HandoffStatus, InputHint, Message,
    Output, Prop, State, Time,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub use flow_runtime::Input;

use crate::api::Api;
use crate::config::Config;
use crate::io;
use crate::outbox::Outbox;
use crate::storage::Storage;

/// Everything that is not reactive: the conversation itself and the services around it.
pub struct Shell {
    pub conversation: RefCell<Conversation>,
    pub storage: Storage,
    pub outbox: Rc<Outbox>,
    pub api: Api,
    pub config: Config,
    timer: Cell<Option<i32>>,
    /// `Bellhop('on', name, callback)` subscriptions.
    pub listeners: RefCell<Vec<(String, js_sys::Function)>>,
    pub stream: RefCell<Option<io::Stream>>,
}

/// The bot's profile, for the header and the launcher.
#[derive(Clone, Debug)]
pub struct Bot {
    pub name: String,
    pub avatar: Option<String>,
    pub theme: Theme,
}

/// The conversation as the UI sees it: reactive state, changed only by runtime effects.
///
/// `Copy`, so components take it by value (every field is an arena handle).
#[derive(Clone, Copy)]
pub struct Chat {
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
    pub handoff: RwSignal<Option<HandoffStatus>>,
    /// The conversation's language: labels follow it.
    pub lang: RwSignal<String>,
    /// Set by the shopper's own open/close actions: only then does focus move.
    pub move_focus: RwSignal<bool>,
    /// Something the shopper asked for waits for the network (shown calmly in the panel).
    pub offline: RwSignal<bool>,
}

impl Chat {
    /// Starts (or resumes, from storage) the conversation for `flow`.
    pub fn new(flow: Flow, config: Config, visitor: Option<&str>) -> Chat {
        let storage = Storage::new();
        let visitor = visitor
            .map(str::to_owned)
            .unwrap_or_else(|| storage.visitor_id());
        let bot = Bot {
            name: flow.bot.name.clone(),
            avatar: flow.bot.avatar.clone(),
            theme: flow.bot.theme.clone(),
        };
        let now = now();
        let conversation = match storage.read_state() {
            Some(state) if state.visitor.id == visitor => Conversation::restore(flow, state, now),
            _ => Conversation::new(flow, &visitor, now),
        };
        let shell = Rc::new(Shell {
            conversation: RefCell::new(conversation),
            outbox: Outbox::load(),
            storage,
            api: Api::new(&config.api),
            config,
            timer: Cell::new(None),
            listeners: RefCell::new(Vec::new()),
            stream: RefCell::new(None),
        });
        let lang = shell.conversation.borrow().language().to_owned();
        let chat = Chat {
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
            handoff: RwSignal::new(None),
            lang: RwSignal::new(lang),
            move_focus: RwSignal::new(false),
            offline: RwSignal::new(false),
        };
        // Show what `restore` queued (the conversation so far), then carry on.
        chat.drain();
        io::pump(chat);
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
        self.shell()
            .conversation
            .borrow()
            .flow()
            .phrase(phrase, &lang)
            .to_owned()
    }

    /// Opens or closes the panel because the shopper asked: focus follows.
    pub fn set_open(&self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.move_focus.set(true);
        self.open.set(open);
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

    /// Feeds one input to the runtime and applies every effect it produces.
    pub fn dispatch(&self, input: Input) {
        let shell = self.shell();
        shell.conversation.borrow_mut().handle_input(input, now());
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
            self.apply(effect);
        }
        self.arm_timer(timeout);
        let lang = shell.conversation.borrow().language().to_owned();
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
    }

    fn apply(&self, effect: Effect) {
        match effect {
            Effect::Reset => self.messages.set(Vec::new()),
            Effect::ShowMessage(message) => self.messages.update(|m| m.push(message)),
            Effect::SetQuickReplies(replies) => self.quick_replies.set(replies),
            Effect::ShowTeaser(message) => self.teaser.set(Some(message)),
            Effect::HideTeaser => self.teaser.set(None),
            Effect::OpenPanel => self.open.set(true),
            Effect::ClosePanel => self.open.set(false),
            Effect::Unread(n) => self.unread.set(n),
            Effect::Composer(c) => self.composer.set(c),
            Effect::Typing(on) => self.typing.set(on),
            Effect::Csat(c) => self.csat.set(c),
            Effect::Handoff(status) => {
                self.handoff.set(status.clone());
                io::follow_handoff(*self, status.as_ref());
            }
            Effect::Persist => {
                let shell = self.shell();
                let state = shell.conversation.borrow().snapshot().clone();
                shell.storage.write_state(&state);
            }
            Effect::Track(track) => io::announce(self, &track.name, &track.props),
            Effect::AddToCart { sku, quantity } => {
                let conversation = self
                    .shell()
                    .conversation
                    .borrow()
                    .snapshot()
                    .chat
                    .id
                    .clone();
                io::announce(
                    self,
                    "add_to_cart",
                    &[
                        ("conversation".into(), Prop::Text(conversation)),
                        ("sku".into(), Prop::Text(sku)),
                        ("quantity".into(), Prop::int(i64::from(quantity))),
                    ],
                );
            }
            io_effect => io::perform(*self, io_effect),
        }
    }

    fn arm_timer(&self, at: Option<Time>) {
        let shell = self.shell();
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(id) = shell.timer.take() {
            window.clear_timeout_with_handle(id);
        }
        let Some(at) = at else { return };
        let delay = at.0.saturating_sub(now().0).min(i32::MAX as u64) as i32;
        let chat = *self;
        let tick = Closure::once_into_js(move || {
            chat.shell().timer.set(None);
            chat.dispatch(Input::Tick);
        });
        if let Ok(id) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(tick.unchecked_ref(), delay)
        {
            shell.timer.set(Some(id));
        }
    }

    /// Another tab saved the conversation: show the same here.
    pub fn adopt(&self, state: State) {
        self.shell().conversation.borrow_mut().adopt(state, now());
        self.drain();
    }
}

pub fn now() -> Time {
    Time(js_sys::Date::now() as u64)
}
