//! The eager stage's engine: it watches the page with the flow's trigger rules and says
//! when the panel (the conversation engine, the FAQ and the UI) must come.
//!
//! Most page views end without the shopper opening the chat, so this stage is all that
//! runs on them: the [`Launch`] part of the flow, the visitor's record and the page's
//! signals. The rules are those of [`super::triggers`], the same code the panel runs. When
//! a trigger would fire, the watcher does not show anything: it asks for the panel with a
//! [`Handover`] (the page as watched so far and the cue), and the panel judges the cue again
//! with everything it knows, picks the variant and shows the teaser.
//!
//! Like [`super::Conversation`] it is sans-IO: [`Watcher::handle_input`] with the time,
//! then [`Watcher::poll_output`] until [`Watch::Timeout`].

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::input::{Input, Page};
use super::logic;
use super::state::{Session, Visitor};
use super::triggers::{self, ACTIVE_MS, Cue, Rules, Watch as PageWatch};
use crate::codec::codec;
use crate::flow::{Launch, Subject, Trigger, TriggerEvent};
use crate::time::Time;
use crate::value::Value;

/// A timed trigger counts as ready this long before its moment: the panel is fetched then,
/// not on every page view that has a timer (most shoppers leave first).
pub const PREFETCH_LEAD_MS: u64 = 5_000;

/// Bump when [`Watched`] changes shape; an older record then starts afresh.
const WATCHED_VERSION: u8 = 1;

/// What both stages keep about the shopper, in one record (`localStorage`), so caps,
/// dismissals and visits hold whichever stage wrote them last: the visitor and what the
/// eager stage must know of the conversation without loading it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Watched {
    pub visitor: Visitor,
    pub chat: ChatSummary,
}

/// The conversation as the eager stage sees it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatSummary {
    /// The panel was open on the last page.
    pub open: bool,
    pub unread: u32,
    /// A teaser is on screen.
    pub teaser: bool,
    /// A person is or will be in the conversation: its live stream must be followed.
    pub live: bool,
    /// The bot waits for an answer or a server reply.
    pub waiting: bool,
    pub last_shopper_at: Option<Time>,
    pub language: String,
    /// The conversation's variables (conditions may test them).
    pub vars: Vec<(String, Value)>,
}

impl Watched {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![WATCHED_VERSION];
        crate::codec::Encode::encode(self, &mut out);
        out
    }

    /// Reads [`Watched::to_bytes`]; `None` for anything else. Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Option<Watched> {
        let (&version, body) = bytes.split_first()?;
        if version != WATCHED_VERSION {
            return None;
        }
        crate::codec::from_bytes(body)
    }

    /// Whether the panel must come at once on this page: the shopper had it open, has
    /// unread messages, a teaser on screen, or a person in the conversation.
    pub fn needs_panel(&self) -> bool {
        let c = &self.chat;
        c.open || c.unread > 0 || c.teaser || c.live
    }
}

/// What the eager stage hands to the panel: the page as watched so far, and the cue that
/// called the panel, if a trigger did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    pub visitor: Visitor,
    pub session: Session,
    pub watch: PageWatch,
    pub cue: Option<Cue>,
    /// The panel was open when the shopper arrived on this page (it stays open); otherwise
    /// it starts closed, whatever another tab does with its own.
    pub open: bool,
}

impl Handover {
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::codec::to_bytes(self)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Handover> {
        crate::codec::from_bytes(bytes)
    }
}

/// Why the panel is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Soon, probably: a trigger that waits for time, scroll, an exit or the cart is ready
    /// on this page. Download and compile the panel, but do not start it.
    Soon,
    /// Now: a trigger fires, or the conversation needs the panel (see
    /// [`Watched::needs_panel`]). Start the panel with [`Watcher::handover`].
    Now,
}

/// What [`Watcher::poll_output`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Watch {
    Panel(Need),
    /// Keep these bytes as the [`Watched`] record.
    Save(Vec<u8>),
    /// Nothing more now; send [`Input::Tick`] at this time (`None`: no timer needed).
    Timeout(Option<Time>),
}

/// The eager stage's state machine.
#[derive(Debug)]
pub struct Watcher {
    launch: Launch,
    now: Time,
    visitor: Visitor,
    session: Session,
    watch: PageWatch,
    chat: ChatSummary,
    /// Variables from `Bellhop('identify', …)` on this page.
    identified: Vec<(String, Value)>,
    /// The cue that called the panel, and the page as it was just before it.
    called: Option<(Cue, Session)>,
    out: VecDeque<Watch>,
    soon: bool,
    now_called: bool,
    open_on_arrival: bool,
}

impl Watcher {
    /// Starts watching for a visitor: with the record both stages keep, when there is one
    /// for this visitor, else afresh.
    pub fn new(launch: Launch, watched: Option<Watched>, visitor: &str, now: Time) -> Watcher {
        let watched = watched.filter(|w| w.visitor.id == visitor);
        let (visitor, chat) = match watched {
            Some(w) => (w.visitor, w.chat),
            None => (
                Visitor {
                    id: visitor.chars().take(64).collect(),
                    visits: 0,
                    first_seen: now,
                    last_seen: now,
                    triggers: Vec::new(),
                },
                ChatSummary::default(),
            ),
        };
        Watcher {
            launch,
            now,
            visitor,
            session: Session::default(),
            watch: PageWatch::default(),
            chat,
            identified: Vec::new(),
            called: None,
            out: VecDeque::new(),
            soon: false,
            now_called: false,
            open_on_arrival: false,
        }
    }

    pub fn launch(&self) -> &Launch {
        &self.launch
    }

    /// The page's language matched to the flow's (after the first page view).
    pub fn language(&self) -> String {
        triggers::pick_language(&self.launch.languages, &self.session.page.language)
    }

    /// Another tab wrote the record: take its visitor and conversation, keep this page.
    pub fn adopt(&mut self, watched: Watched) {
        if watched.visitor.id == self.visitor.id {
            self.visitor = watched.visitor;
            self.chat = watched.chat;
            if !self.now_called && Watched::needs_panel(&self.record()) {
                self.call(Need::Now);
            }
        }
    }

    /// Feeds one page input (the others are the panel's and are ignored).
    pub fn handle_input(&mut self, input: Input, now: Time) {
        self.now = self.now.max(now);
        if self.now_called {
            return;
        }
        match input {
            Input::PageView(page) => self.page_view(page),
            Input::Visibility(visible) => triggers::visibility(self, visible),
            Input::Scrolled(scroll) => triggers::scrolled(self, scroll),
            Input::Activity => triggers::activity(self),
            Input::PointerLeft => triggers::pointer_left(self),
            Input::PointerBack => triggers::pointer_back(self),
            Input::CartChanged(cart) => triggers::cart_changed(self, cart),
            Input::Custom(name) => triggers::custom_event(self, &name),
            // The panel shows it (the call is replayed there).
            Input::Preview { .. } => self.call(Need::Now),
            Input::Identify(pairs) => {
                for (name, value) in pairs.into_iter().take(20) {
                    self.identified.retain(|(n, _)| *n != name);
                    self.identified.push((name, Value::Text(value)));
                }
                triggers::recheck(self);
            }
            Input::Opened => self.call(Need::Now),
            _ => {}
        }
        if !self.now_called {
            triggers::check_timers(self);
        }
        if !self.soon && !self.now_called && self.armed() {
            self.call(Need::Soon);
        }
    }

    /// The next output, in order; then [`Watch::Timeout`].
    #[must_use]
    pub fn poll_output(&mut self) -> Watch {
        match self.out.pop_front() {
            Some(Watch::Save(_)) => Watch::Save(self.record().to_bytes()),
            Some(w) => w,
            None if self.now_called => Watch::Timeout(None),
            None => {
                let next = triggers::next_deadline(self);
                let soon = self.ready_timers().min().filter(|_| !self.soon);
                Watch::Timeout(
                    match (
                        next,
                        soon.map(|t| Time(t.0.saturating_sub(PREFETCH_LEAD_MS))),
                    ) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    },
                )
            }
        }
    }

    /// The panel could not start: watch again, so the next click or cue calls it again.
    pub fn resume(&mut self) {
        self.now_called = false;
        self.called = None;
    }

    /// What the panel starts from.
    pub fn handover(&self) -> Handover {
        let (cue, session) = match &self.called {
            Some((cue, session)) => (Some(cue.clone()), session.clone()),
            None => (None, self.session.clone()),
        };
        Handover {
            visitor: self.visitor.clone(),
            session,
            watch: self.watch.clone(),
            cue,
            open: self.open_on_arrival,
        }
    }

    fn record(&self) -> Watched {
        Watched {
            visitor: self.visitor.clone(),
            chat: self.chat.clone(),
        }
    }

    fn page_view(&mut self, page: Page) {
        self.open_on_arrival = self.chat.open;
        triggers::page_view(self, page);
        self.out.push_back(Watch::Save(Vec::new()));
        if !self.now_called && self.record().needs_panel() {
            self.call(Need::Now);
        }
    }

    fn call(&mut self, need: Need) {
        match need {
            Need::Soon => self.soon = true,
            Need::Now => {
                self.soon = true;
                self.now_called = true;
            }
        }
        self.out.push_back(Watch::Panel(need));
    }

    /// A trigger that waits for an event is ready to fire on this page: an exit, a scroll,
    /// the cart or a custom event at any moment, a timed one within [`PREFETCH_LEAD_MS`].
    fn armed(&self) -> bool {
        let near = Time(self.now.0.saturating_add(PREFETCH_LEAD_MS));
        self.triggers().iter().any(|t| match t.event {
            TriggerEvent::PageView | TriggerEvent::ReturningVisit => false,
            TriggerEvent::TimeOnPage { .. } | TriggerEvent::Idle { .. } => {
                triggers::deadline_of(self, t).is_some_and(|at| at <= near)
                    && triggers::ready(self, t)
            }
            _ => triggers::ready(self, t),
        })
    }

    /// The moments of the timed triggers that are ready on this page.
    fn ready_timers(&self) -> impl Iterator<Item = Time> + '_ {
        self.triggers()
            .iter()
            .filter(|t| triggers::ready(self, t))
            .filter_map(|t| triggers::deadline_of(self, t))
    }
}

impl Rules for Watcher {
    fn now(&self) -> Time {
        self.now
    }

    fn triggers(&self) -> &[Trigger] {
        &self.launch.triggers
    }

    fn languages(&self) -> &[String] {
        &self.launch.languages
    }

    fn visitor(&self) -> &Visitor {
        &self.visitor
    }

    fn visitor_mut(&mut self) -> &mut Visitor {
        &mut self.visitor
    }

    fn session(&self) -> &Session {
        &self.session
    }

    fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    fn watch(&self) -> &PageWatch {
        &self.watch
    }

    fn watch_mut(&mut self) -> &mut PageWatch {
        &mut self.watch
    }

    fn teaser_on_screen(&self) -> bool {
        self.chat.teaser
    }

    fn conversation_active(&self) -> bool {
        self.chat.waiting
            || self.chat.live
            || self
                .chat
                .last_shopper_at
                .is_some_and(|at| self.now.millis_since(at) < ACTIVE_MS)
    }

    fn new_visit(&mut self) {
        // A teaser from an earlier visit is stale (the panel hides it when it comes).
        self.chat.teaser = false;
    }

    fn page_language(&mut self, language: String) {
        if self.chat.language.is_empty() {
            self.chat.language = language;
        }
    }

    fn fire(&mut self, _index: usize, cue: &Cue) {
        // The panel judges the cue again and shows the teaser; here only the call.
        if !self.now_called {
            self.called = Some((cue.clone(), self.session.clone()));
            self.call(Need::Now);
        }
    }
}

impl logic::Facts for Watcher {
    fn subject(&self, subject: &Subject) -> Option<Value> {
        let Subject::Var(name) = subject else {
            let context = logic::Context {
                session: &self.session,
                visitor: &self.visitor,
                language: &self.chat.language,
                bot_name: &self.launch.name,
                // No variant before a trigger fires.
                variant: "",
                hours: self.launch.business_hours.as_ref(),
                now: self.now,
            };
            return context.value(subject);
        };
        self.identified
            .iter()
            .chain(&self.chat.vars)
            .chain(&self.launch.variables)
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

codec!(struct Watched { visitor, chat });
codec!(struct ChatSummary { open, unread, teaser, live, waiting, last_shopper_at, language, vars });
codec!(struct Handover { visitor, session, watch, cue, open });
