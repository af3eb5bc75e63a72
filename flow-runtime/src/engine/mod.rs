//! The conversation engine: [`Input`]s in, [`Effect`]s out.
//!
//! One [`Conversation`] per shopper. The shell calls [`Conversation::handle_input`] with
//! each input and the time it happened, then drains [`Conversation::poll_output`] until it
//! returns [`Output::Timeout`]: every effect in order, then the time at which to send
//! [`Input::Tick`] if nothing else happens first (a time-on-page trigger, say).
//!
//! The state ([`State`]) is plain data; [`Conversation::snapshot`] and
//! [`Conversation::restore`] carry a conversation across page loads.
//!
//! Module map: `steps` runs the flow's steps, `shopper` handles what the shopper does,
//! `server` handles answers from the server and the agent, `triggers` decides when to
//! speak first, `render` turns content into views, `answer` checks answers, `logic`
//! evaluates conditions, `escalation` spots requests for a person.

mod answer;
mod effect;
mod escalation;
mod input;
mod intents;
mod logic;
mod render;
mod server;
mod shopper;
mod speaking;
mod state;
mod steps;
mod triggers;
mod watcher;

use std::collections::VecDeque;
use std::sync::Arc;

pub use answer::{find_email, find_phone};
pub use effect::{
    Announcement, BlockView, ButtonView, CardView, Composer, CsatView, Effect, Format,
    HandoffRequest, HandoffStatus, ImageView, InputHint, Message, Prop, QuickReplyView,
    RatingChoice, RatingIcon, Request, Saved, Span, Speaker, Track, View,
};
pub use escalation::DEFAULT_HUMAN_PHRASES;
pub use input::{
    AgentEvent, Cart, CartLine, Device, HandoffAnswer, Input, Order, OrderAnswer, OrderItem, Page,
    Scroll,
};
pub use logic::glob;
pub use render::{safe_image, safe_link};
pub use state::{
    Action, Chat, Cursor, Offered, OfferedFor, SNAPSHOT_VERSION, Session, State, Status,
    TriggerHistory, Visitor,
};
pub use steps::MAX_STEPS_PER_INPUT;
pub use triggers::{Cue, EXIT_GRACE_MS, ExitSignal, TAB_RETURN_MS, Watch as PageWatch};
pub use watcher::{ChatSummary, Handover, Need, PREFETCH_LEAD_MS, Watch, Watched, Watcher};

use crate::flow::{Content, Flow, Phrase, Subject};
use crate::time::Time;
use crate::value::Value;

/// Whether a product card links to the page at `path` (its address, on this store).
fn card_links_to(card: &crate::flow::Card, path: &str) -> bool {
    fn path_of(url: &str) -> &str {
        let rest = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => url,
        };
        let end = rest.find(['?', '#']).unwrap_or(rest.len());
        let p = &rest[..end];
        p.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(p)
    }
    !path.is_empty()
        && card.buttons.iter().any(|b| match &b.action {
            crate::flow::ButtonAction::Url(parts) => {
                let mut url = String::new();
                for part in parts {
                    match part {
                        crate::flow::TextPart::Lit(t) => url.push_str(t),
                        // An address made of variables is not this page's, as far as we know.
                        crate::flow::TextPart::Var { .. } => return false,
                    }
                }
                path_of(&url) == path_of(path)
            }
            _ => false,
        })
}

/// Most messages kept in the state (and in storage); older ones are dropped.
const MAX_MESSAGES: usize = 200;
use crate::fields::MAX_MESSAGE_CHARS;

/// What [`Conversation::poll_output`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Effect(Effect),
    /// Nothing more to do now. Send [`Input::Tick`] at this time unless another input
    /// comes first; `None` means no timer is needed.
    Timeout(Option<Time>),
}

/// One shopper's conversation with one flow.
#[derive(Debug)]
pub struct Conversation {
    /// Shared, so that a step can be read while the conversation changes (no clones).
    flow: Arc<Flow>,
    state: State,
    out: VecDeque<Effect>,
    now: Time,
    /// The current page's raw signals, between inputs (not saved).
    watch: triggers::Watch,
    /// The FAQ answer "did this help?" asks about: the entry and the question (not saved:
    /// after a reload the question is gone, which is fine for a small courtesy).
    helpful: Option<(String, String)>,
}

impl Conversation {
    /// A new visitor's first conversation. `visitor` is a random id the shell made (and
    /// keeps); it also seeds the A/B assignment.
    ///
    /// The flow may be shared (an `Arc`): a shell keeps its own handle for labels.
    pub fn new(flow: impl Into<Arc<Flow>>, visitor: &str, now: Time) -> Conversation {
        let flow: Arc<Flow> = flow.into();
        let fingerprint = fingerprint(&flow);
        let mut chat = Chat {
            id: conversation_id(visitor, now),
            language: flow.default_language().to_owned(),
            ..Chat::default()
        };
        chat.vars = flow.variables.clone();
        chat.composer = Some(Composer::Ready {
            hint: InputHint::Text,
        });
        let state = State {
            version: SNAPSHOT_VERSION,
            flow: fingerprint,
            next_id: 1,
            visitor: Visitor {
                id: visitor.chars().take(64).collect(),
                visits: 0,
                first_seen: now,
                last_seen: now,
                triggers: Vec::new(),
            },
            session: Session::default(),
            chat,
        };
        Conversation {
            flow,
            state,
            out: VecDeque::new(),
            now,
            watch: triggers::Watch::default(),
            helpful: None,
        }
    }

    /// Resumes a conversation from a snapshot, and queues the effects that show it again
    /// (starting with [`Effect::Reset`]).
    ///
    /// A snapshot from another snapshot version starts afresh for the same visitor. A
    /// snapshot made under another version of the flow resumes if everything it refers to
    /// still exists; otherwise the conversation restarts politely, keeping its messages and
    /// the visitor's history, and telling the shopper why.
    pub fn restore(flow: impl Into<Arc<Flow>>, snapshot: State, now: Time) -> Conversation {
        let flow: Arc<Flow> = flow.into();
        if snapshot.version != SNAPSHOT_VERSION {
            let mut fresh = Conversation::new(flow, &snapshot.visitor.id, now);
            fresh.state.visitor = snapshot.visitor;
            fresh.replay();
            return fresh;
        }
        let fingerprint = fingerprint(&flow);
        let mut conversation = Conversation {
            flow,
            state: snapshot,
            out: VecDeque::new(),
            now,
            watch: triggers::Watch::default(),
            helpful: None,
        };
        conversation.now = conversation.now.max(now);
        if conversation.state.flow != fingerprint {
            conversation.state.flow = fingerprint;
            if !conversation.refers_to_existing_things() {
                conversation.restart_politely();
            }
        }
        conversation.replay();
        conversation
    }

    /// The whole state, to save (as JSON natively, or any serde format).
    pub fn snapshot(&self) -> &State {
        &self.state
    }

    /// Builds the FAQ's model now, if it is not built yet, rather than on the first
    /// question; says whether it did. Pure computation: the shell calls it when the
    /// shopper is likely to ask soon (the panel opened), outside any input.
    pub fn prepare_faq(&self) -> bool {
        let index = &self.flow.faq.index;
        let work = !index.is_prepared();
        index.prepare();
        work
    }

    pub fn flow(&self) -> &Flow {
        &self.flow
    }

    pub fn status(&self) -> Status {
        self.state.chat.status
    }

    /// The conversation's language (one of the flow's).
    pub fn language(&self) -> &str {
        &self.state.chat.language
    }

    /// The token of the handoff conversation, once the server gave one.
    pub fn handoff_token(&self) -> Option<&str> {
        self.state
            .chat
            .handoff
            .as_ref()
            .and_then(|h| h.token.as_deref())
    }

    /// Takes on the conversation another tab of the same shopper saved, keeping this tab's
    /// own page context (its page, timers and panel), and queues the effects that show it.
    pub fn adopt(&mut self, other: State, now: Time) {
        if other.version != SNAPSHOT_VERSION || other.flow != self.state.flow {
            return;
        }
        self.now = self.now.max(now);
        let session = std::mem::take(&mut self.state.session);
        self.state = State { session, ..other };
        let open = self.state.session.panel_open;
        self.replay();
        if !open {
            self.view(View::ClosePanel);
        }
    }

    /// The value of a variable (flow variables and context such as `page.path`).
    pub fn var(&self, name: &str) -> Option<Value> {
        self.variable(name)
    }

    /// Feeds one input. Then drain [`Self::poll_output`].
    pub fn handle_input(&mut self, input: Input, now: Time) {
        // Clocks jump; the engine's time never goes backwards.
        self.now = self.now.max(now);
        let language = self.state.chat.language.clone();
        let before = self.out.len();
        let meaningful = !matches!(
            input,
            Input::Activity
                | Input::Scrolled(_)
                | Input::PointerLeft
                | Input::PointerBack
                | Input::Typing(_)
                | Input::Visibility(_)
                | Input::Tick
        );
        // "Did this help?" stands until the shopper does something else.
        if matches!(
            input,
            Input::Said(_) | Input::QuickReply(_) | Input::CardButton { .. } | Input::Rated { .. }
        ) {
            self.forget_helpful();
        }
        match input {
            Input::Helpful(yes) => self.helpful_answered(yes),
            Input::Opened => self.opened(),
            Input::Closed => self.closed(),
            Input::Said(text) => self.said(&text),
            Input::QuickReply(index) => self.quick_reply(index),
            Input::CardButton {
                message,
                card,
                button,
            } => self.card_button(message, card, button),
            Input::Rated { score, comment } => self.rated(score, comment),
            Input::TeaserDismissed => self.teaser_dismissed(),
            Input::Typing(typing) => self.state.session.typing = typing,
            Input::PageView(page) => triggers::page_view(self, page),
            Input::TakeOver(handover) => self.take_over(*handover),
            Input::Visibility(visible) => triggers::visibility(self, visible),
            Input::Scrolled(scroll) => triggers::scrolled(self, scroll),
            Input::Activity => triggers::activity(self),
            Input::PointerLeft => triggers::pointer_left(self),
            Input::PointerBack => triggers::pointer_back(self),
            Input::CartChanged(cart) => triggers::cart_changed(self, cart),
            Input::Custom(name) => triggers::custom_event(self, &name),
            Input::Preview { trigger, variant } => self.preview_trigger(&trigger, &variant),
            Input::Identify(pairs) => self.identify(pairs),
            Input::Tick => {}
            Input::OrderAnswered { request, answer } => self.order_answered(request, answer),
            Input::HandoffAnswered { request, answer } => self.handoff_answered(request, answer),
            Input::Delivered { request, ok } => self.delivered(request, ok),
            Input::Agent(event) => self.agent(event),
            Input::Resumed {
                token,
                agent,
                closed,
            } => self.resumed(token, agent, closed),
        }
        self.resume_suspended();
        triggers::check_timers(self);
        if self.state.chat.language != language {
            let language = self.state.chat.language.clone();
            self.view(View::Language(language));
        }
        if meaningful || self.out.len() > before {
            self.save();
        }
    }

    /// The next effect, in order; then [`Output::Timeout`] with the next timer.
    #[must_use]
    pub fn poll_output(&mut self) -> Output {
        match self.out.pop_front() {
            // The state as it is now, when the shell takes it (several changes, one save).
            Some(Effect::Save(_)) => Output::Effect(Effect::Save(Saved {
                conversation: self.state.to_bytes(),
                watched: self.watched().to_bytes(),
            })),
            Some(effect) => Output::Effect(effect),
            None => Output::Timeout(triggers::next_deadline(self)),
        }
    }

    // --- shared helpers for the submodules ---

    fn emit(&mut self, effect: Effect) {
        self.out.push_back(effect);
    }

    fn view(&mut self, view: View) {
        self.emit(Effect::View(view));
    }

    fn request(&mut self, request: Request) {
        self.emit(Effect::Request(request));
    }

    /// Asks the shell to keep the state; one save at the end of a batch is enough.
    fn save(&mut self) {
        if !matches!(self.out.back(), Some(Effect::Save(_))) {
            self.emit(Effect::Save(Saved::default()));
        }
    }

    fn next_id(&mut self) -> u64 {
        let id = self.state.next_id;
        self.state.next_id = id.saturating_add(1);
        id
    }

    fn lang(&self) -> String {
        self.state.chat.language.clone()
    }

    fn phrase(&self, phrase: Phrase) -> String {
        self.flow
            .phrase(phrase, &self.state.chat.language)
            .to_owned()
    }

    /// Adds a message to the conversation and shows it.
    fn show(&mut self, mut message: Message) {
        message.id = self.next_id();
        message.at = self.now;
        let chat = &mut self.state.chat;
        if message.from != Speaker::Shopper && !self.state.session.panel_open {
            chat.unread = chat.unread.saturating_add(1);
            let unread = chat.unread;
            self.view(View::Unread(unread));
        }
        let chat = &mut self.state.chat;
        chat.messages.push(message.clone());
        if chat.messages.len() > MAX_MESSAGES {
            let drop = chat.messages.len() - MAX_MESSAGES;
            let oldest_kept = chat.messages[drop].id;
            chat.messages.drain(..drop);
            chat.card_actions.retain(|(id, _)| *id >= oldest_kept);
        }
        self.view(View::ShowMessage(message));
    }

    /// Shows plain text from a speaker (engine phrases, the shopper's words, agents).
    fn show_text(&mut self, from: Speaker, author: Option<String>, text: &str) {
        let paragraphs = text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                BlockView::Paragraph(vec![Span {
                    text: p.to_owned(),
                    ..Span::default()
                }])
            })
            .collect();
        self.show(Message {
            id: 0,
            at: self.now,
            from,
            author,
            text: paragraphs,
            image: None,
            cards: Vec::new(),
            order: None,
        });
    }

    /// Renders content from the flow as a bot message, and offers its quick replies.
    fn say(&mut self, content: &Content) {
        let lang = self.lang();
        let vars = Variables(self);
        let text = content
            .text
            .as_ref()
            .map(|t| render::rich(t, &lang, &vars))
            .unwrap_or_default();
        let image = content
            .image
            .as_ref()
            .and_then(|i| render::image(i, &lang, &vars));
        let mut actions = Vec::new();
        // A product page's carousel does not recommend the product on screen (unless it is
        // all the carousel has).
        let here = self.state.session.page.path.clone();
        let elsewhere = |card: &&crate::flow::Card| !card_links_to(card, &here);
        let keep_all = content.cards.iter().filter(elsewhere).count() == 0;
        let cards = content
            .cards
            .iter()
            .filter(|c| keep_all || elsewhere(c))
            .map(|card| {
                let mut card_actions = Vec::new();
                let view = render::card(card, &lang, &vars, |b| {
                    let (view, action) = self.button(&b.label, &b.action, &vars);
                    card_actions.push(action);
                    view
                });
                actions.push(card_actions);
                view
            })
            .collect::<Vec<_>>();
        let order = if content.show_order {
            self.state.chat.order.clone()
        } else {
            None
        };
        let offered: Vec<Offered> = content
            .quick_replies
            .iter()
            .map(|q| {
                let (view, action) = self.button(&q.label, &q.action, &vars);
                Offered {
                    label: view.label,
                    href: view.href,
                    action,
                }
            })
            .collect();
        let nothing = text.is_empty() && image.is_none() && cards.is_empty() && order.is_none();
        if !nothing {
            let message = Message {
                id: 0,
                at: self.now,
                from: Speaker::Bot,
                author: None,
                text,
                image,
                cards,
                order,
            };
            self.show(message);
            if !actions.is_empty() {
                let id = self.state.chat.messages.last().map_or(0, |m| m.id);
                self.state.chat.card_actions.push((id, actions));
            }
        }
        if !offered.is_empty() {
            self.offer(offered);
        }
    }

    /// A button's view and the action a snapshot keeps for it.
    fn button(
        &self,
        label: &crate::flow::Text,
        action: &crate::flow::ButtonAction,
        vars: &Variables,
    ) -> (ButtonView, Action) {
        use crate::flow::ButtonAction as B;
        let label = render::localized(label, &self.state.chat.language, vars);
        let step_id = |i: u32| self.flow.step(i).map(|s| s.id.clone()).unwrap_or_default();
        let (href, action) = match action {
            B::Goto(i) => (None, Action::Goto(step_id(*i))),
            B::Faq(i) => (
                None,
                Action::Faq(
                    self.flow
                        .faq
                        .entries
                        .get(*i as usize)
                        .map(|e| e.id.clone())
                        .unwrap_or_default(),
                ),
            ),
            B::Url(u) => match render::safe_link(&render::text(u, vars)) {
                Some(u) => (Some(u.clone()), Action::Url(u)),
                None => (None, Action::Decline),
            },
            B::Handoff => (None, Action::Handoff),
            B::AddToCart { sku, quantity } => (
                None,
                Action::AddToCart {
                    sku: sku.clone(),
                    quantity: *quantity,
                },
            ),
        };
        (ButtonView { label, href }, action)
    }

    fn offer(&mut self, mut offered: Vec<Offered>) {
        // A button with nothing on it is no choice (the compiler refuses blank labels;
        // a variable may still render as nothing).
        offered.retain(|o| !o.label.trim().is_empty());
        let views = offered
            .iter()
            .map(|o| ButtonView {
                label: o.label.clone(),
                href: o.href.clone(),
            })
            .collect();
        self.state.chat.offered = offered;
        self.view(View::SetQuickReplies(views));
    }

    /// The choices of a question as quick replies: the shopper can tap instead of typing.
    fn offer_choices(&mut self, choices: &[crate::flow::Choice]) {
        let language = &self.state.chat.language;
        let offered = choices
            .iter()
            .map(|c| Offered {
                label: c.label(language).to_owned(),
                href: None,
                action: Action::Answer(c.label(language).to_owned()),
            })
            .collect();
        self.offer(offered);
    }

    fn clear_offer(&mut self) {
        if !self.state.chat.offered.is_empty() {
            self.state.chat.offered.clear();
            self.view(View::SetQuickReplies(Vec::new()));
        }
    }

    /// An analytics event with `props`, and the conversation's id.
    fn track(&mut self, name: &str, props: Vec<(&str, Prop)>) {
        let mut all = vec![(
            "conversation".to_owned(),
            Prop::Text(self.state.chat.id.clone()),
        )];
        all.extend(props.into_iter().map(|(k, v)| (k.to_owned(), v)));
        self.emit(Effect::Announce(Announcement::Track(Track {
            name: name.to_owned(),
            props: all,
        })));
    }

    fn set_composer(&mut self, composer: Composer) {
        if self.state.chat.composer.as_ref() != Some(&composer) {
            self.state.chat.composer = Some(composer.clone());
            self.view(View::Composer(composer));
        }
    }

    fn set_typing(&mut self, typing: bool) {
        if self.state.chat.typing_shown != typing {
            self.state.chat.typing_shown = typing;
            self.view(View::Typing(typing));
        }
    }

    fn set_handoff_status(&mut self, status: Option<HandoffStatus>) {
        let was_live = self.following().is_some();
        match (&mut self.state.chat.handoff, &status) {
            (Some(h), Some(s)) => h.status = s.clone(),
            (slot @ Some(_), None) => *slot = None,
            _ => {}
        }
        self.view(View::HandoffStatus(status));
        match (was_live, self.following()) {
            (false, Some(follow)) => self.request(follow),
            (true, None) => self.request(Request::Unfollow),
            _ => {}
        }
    }

    /// What the eager stage needs to know of this conversation (see [`Watched`]).
    fn watched(&self) -> Watched {
        let chat = &self.state.chat;
        Watched {
            visitor: self.state.visitor.clone(),
            chat: ChatSummary {
                open: self.state.session.panel_open,
                unread: chat.unread,
                teaser: chat.teaser.is_some(),
                live: self.following().is_some(),
                waiting: chat.pending.is_some()
                    || chat.cursor.is_some()
                    || chat.status == Status::WaitingOnAgent,
                last_shopper_at: chat.last_shopper_at,
                language: chat.language.clone(),
                vars: chat.vars.clone(),
            },
        }
    }

    /// The live conversation to follow, while there is one: a person is coming, there, or
    /// will answer by email.
    fn following(&self) -> Option<Request> {
        let h = self.state.chat.handoff.as_ref()?;
        let live = matches!(
            h.status,
            HandoffStatus::Waiting | HandoffStatus::Joined { .. } | HandoffStatus::Offline
        );
        Some(Request::Follow {
            token: h.token.clone()?,
            after: h.after.clone(),
        })
        .filter(|_| live)
    }

    /// The value of a variable or of a context name used in templates and conditions.
    fn variable(&self, name: &str) -> Option<Value> {
        match Subject::context(name) {
            Some(context) => self.context().value(context),
            None => self.state.chat.var(name).cloned(),
        }
    }

    fn subject(&self, subject: &Subject) -> Option<Value> {
        match subject {
            Subject::Var(name) => self.state.chat.var(name).cloned(),
            context => self.context().value(context),
        }
    }

    /// The context conditions and templates read.
    fn context(&self) -> logic::Context<'_> {
        logic::Context {
            session: &self.state.session,
            visitor: &self.state.visitor,
            language: &self.state.chat.language,
            bot_name: &self.flow.bot.name,
            variant: self
                .state
                .chat
                .trigger
                .as_ref()
                .map_or("", |(_, v)| v.as_str()),
            hours: self.flow.bot.business_hours.as_ref(),
            now: self.now,
        }
    }

    /// Whether the flow's business hours say a person is available now (always, without
    /// hours): what its `business_hours` conditions test, and what the server answers a
    /// handoff from this flow with (it applies the same [`crate::hours::BusinessHours`]).
    pub fn agents_available(&self) -> bool {
        self.subject(&Subject::BusinessHours) == Some(Value::Bool(true))
    }

    fn identify(&mut self, pairs: Vec<(String, String)>) {
        for (name, value) in pairs.into_iter().take(20) {
            let ok = !name.is_empty()
                && name.len() <= 64
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                && !["page.", "cart.", "visitor.", "order.", "csat."]
                    .iter()
                    .any(|p| name.starts_with(p));
            if ok {
                let value: String = value.chars().take(200).collect();
                self.state.chat.set_var(&name, Value::Text(value));
            }
        }
        // Conditions may read what the store just told us.
        triggers::recheck(self);
    }

    /// Queues the effects that show the whole state again, after a restore.
    fn replay(&mut self) {
        self.view(View::Reset);
        let language = self.state.chat.language.clone();
        self.view(View::Language(language));
        for message in self.state.chat.messages.clone() {
            self.view(View::ShowMessage(message));
        }
        let views = self
            .state
            .chat
            .offered
            .iter()
            .map(|o| ButtonView {
                label: o.label.clone(),
                href: o.href.clone(),
            })
            .collect();
        self.view(View::SetQuickReplies(views));
        if let Some(composer) = self.state.chat.composer.clone() {
            self.view(View::Composer(composer));
        }
        self.view(View::Typing(self.state.chat.typing_shown));
        self.view(View::HandoffStatus(
            self.state.chat.handoff.as_ref().map(|h| h.status.clone()),
        ));
        if let Some(follow) = self.following() {
            self.request(follow);
        }
        self.view(View::Csat(self.state.chat.csat));
        self.view(View::Unread(self.state.chat.unread));
        if self.state.session.panel_open {
            self.view(View::OpenPanel);
        } else if self.state.chat.teaser.is_some()
            && let Some(message) = self
                .state
                .chat
                .messages
                .iter()
                .rev()
                .find(|m| m.from == Speaker::Bot)
                .cloned()
        {
            self.view(View::ShowTeaser(message));
        }
    }

    /// Whether every step and FAQ entry the state mentions exists in the current flow.
    fn refers_to_existing_things(&self) -> bool {
        let step = |id: &str| self.flow.step_index(id).is_some();
        let faq = |id: &str| self.flow.faq.entries.iter().any(|e| e.id == id);
        let action_ok = |a: &Action| match a {
            Action::Goto(id) => step(id),
            Action::Faq(id) => faq(id),
            _ => true,
        };
        let chat = &self.state.chat;
        let cursor_ok = match &chat.cursor {
            Some(Cursor::Ask { step: id, .. }) | Some(Cursor::Csat { step: id }) => step(id),
            None => true,
        };
        let pending_ok = match chat.pending.as_ref().map(|p| &p.kind) {
            Some(state::PendingKind::OrderLookup { step: id })
            | Some(state::PendingKind::Email { step: id }) => step(id),
            Some(state::PendingKind::Handoff { step: Some(id) }) => step(id),
            _ => true,
        };
        cursor_ok
            && pending_ok
            && chat.offered.iter().all(|o| action_ok(&o.action))
            && chat
                .card_actions
                .iter()
                .all(|(_, cards)| cards.iter().flatten().all(action_ok))
    }

    /// After a flow update that the conversation cannot follow: say so and start over,
    /// keeping the messages, the variables and a live handoff.
    fn restart_politely(&mut self) {
        let chat = &mut self.state.chat;
        chat.offered.clear();
        chat.card_actions.clear();
        chat.cursor = None;
        chat.csat = None;
        if !matches!(
            chat.pending.as_ref().map(|p| &p.kind),
            Some(state::PendingKind::Handoff { .. })
        ) {
            chat.pending = None;
        }
        chat.greeted = false;
        chat.teaser = None;
        let updated = self.phrase(Phrase::Updated);
        self.show_text(Speaker::System, None, &updated);
        // The replay that follows shows it; the queue so far is dropped.
        self.out.clear();
        if self.state.session.panel_open {
            self.greet();
        }
        self.out.clear();
    }
}

/// Variables as the renderer sees them.
struct Variables<'a>(&'a Conversation);

impl render::Vars for Variables<'_> {
    fn get(&self, name: &str) -> Option<Value> {
        self.0.variable(name)
    }

    fn format(&self, name: &str) -> Option<Format> {
        match name {
            "order.estimated_delivery" => Some(Format::Date),
            "cart.value" => Some(Format::Money(self.0.state.session.cart.currency.clone()))
                .filter(|_| !self.0.state.session.cart.currency.is_empty()),
            _ => None,
        }
    }
}

impl logic::Facts for Conversation {
    fn subject(&self, subject: &Subject) -> Option<Value> {
        Conversation::subject(self, subject)
    }
}

/// A conversation's id for analytics: 16 hex digits from the visitor and the time.
fn conversation_id(visitor: &str, now: Time) -> String {
    format!("{:016x}", hash(&[visitor, &now.0.to_string()]))
}

/// The compiler's fingerprint of the flow (see [`Flow::fingerprint`]).
fn fingerprint(flow: &Flow) -> u64 {
    flow.fingerprint
}

/// A stable 64-bit hash of a few strings (A/B assignment, idempotency keys).
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    // Finalise (splitmix64) so that nearby inputs spread over the whole range.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}
