//! The engine's whole state: what a snapshot holds.
//!
//! Steps and FAQ entries are referred to by their ids (not positions), so a snapshot taken
//! under an older flow can be checked against the new one when it is restored.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use super::effect::{Composer, CsatView, HandoffStatus, Message, Speaker};
use super::input::{Cart, Order, Page};
use crate::time::Time;
use crate::value::Value;

/// Bump when the state's shape changes; older snapshots then start afresh.
pub const SNAPSHOT_VERSION: u32 = 2;

/// How many days back a handoff's transcript goes (the server refuses older lines).
pub(super) const TRANSCRIPT_DAYS: u64 = 90;

/// A visit ends after this long without activity.
pub(super) const VISIT_GAP_MS: u64 = 30 * 60 * 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    /// Fingerprint of the flow this state was made with.
    pub flow: u64,
    /// Counter for message and request ids.
    pub next_id: u64,
    pub visitor: Visitor,
    pub session: Session,
    pub chat: Chat,
}

/// What is remembered about the shopper across visits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visitor {
    /// Random, made by the shell; also the seed of A/B assignment.
    pub id: String,
    pub visits: u32,
    pub first_seen: Time,
    pub last_seen: Time,
    pub triggers: Vec<(String, TriggerHistory)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerHistory {
    pub shown: u32,
    pub last_shown: Option<Time>,
    /// The visit number it was last shown in.
    pub last_visit: u32,
    pub dismissed: bool,
    pub engaged: bool,
}

/// The current visit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub page: Page,
    pub page_shown_at: Time,
    /// Active (visible) time on the current page before `visible_since`.
    pub active_ms: u64,
    /// When the tab last became visible, if it is visible.
    pub visible_since: Option<Time>,
    pub last_activity: Time,
    pub scrolled: u8,
    /// Triggers already evaluated as fired on this page (each fires at most once per page).
    pub fired_on_page: Vec<String>,
    pub cart: Cart,
    pub typing: bool,
    pub panel_open: bool,
}

/// Where the conversation is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Nothing from the shopper yet.
    #[default]
    New,
    /// The shopper is talking with the bot.
    Engaged,
    /// The bot asked something and waits for the answer.
    WaitingOnCustomer,
    /// Handed off: waiting for, or talking with, a person.
    WaitingOnAgent,
    /// Ended by the flow or by the agent.
    Completed,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chat {
    /// This conversation's id in analytics: made from the visitor and the time it began,
    /// so that it is stable across pages and reloads and new after a conversation ends.
    pub id: String,
    pub status: Status,
    pub language: String,
    pub greeted: bool,
    /// Every message shown, oldest first (the oldest are dropped past a limit).
    pub messages: Vec<Message>,
    /// The quick replies on screen.
    pub offered: Vec<Offered>,
    /// What the buttons of product cards do: `(message id, per card, per button)`.
    pub card_actions: Vec<(u64, Vec<Vec<Action>>)>,
    /// What the bot waits for, if anything in particular.
    pub cursor: Option<Cursor>,
    /// Questions (`ask` step ids) left waiting while the shopper went off on another
    /// topic that asked its own question, latest last. Asked again when that is done.
    pub suspended: Vec<String>,
    pub vars: Vec<(String, Value)>,
    /// Consecutive questions the FAQ did not understand.
    pub misses: u8,
    pub pending: Option<Pending>,
    pub handoff: Option<Handoff>,
    pub order: Option<Order>,
    /// The trigger and variant that started this conversation.
    pub trigger: Option<(String, String)>,
    /// The trigger whose teaser is on screen.
    pub teaser: Option<String>,
    /// What the FAQ understood, latest last: `(entry id, confidence)`.
    pub faq_log: Vec<(String, u16)>,
    pub frustrated: bool,
    /// When the shopper last said or chose something.
    pub last_shopper_at: Option<Time>,
    pub unread: u32,
    pub composer: Option<Composer>,
    pub csat: Option<CsatView>,
    pub typing_shown: bool,
    /// Why a person was last offered: the reason a handoff that follows carries. Kept last
    /// in the snapshot, so that one written before it existed still reads (see
    /// [`OfferedFor`]).
    pub offered_for: OfferedFor,
}

/// Why a person was last offered ([`crate::wire::HandoffReason`]). The snapshot's last
/// field: a snapshot written before it was added ends where it would start, and reads it
/// as `asked` instead of failing, so no conversation is lost to the upgrade.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedFor(pub crate::wire::HandoffReason);

impl crate::codec::Encode for OfferedFor {
    fn encode(&self, w: &mut Vec<u8>) {
        let tag = crate::wire::HandoffReason::ALL
            .iter()
            .position(|r| *r == self.0)
            .unwrap_or(0);
        w.push(tag as u8);
    }
}

impl crate::codec::Decode for OfferedFor {
    fn decode(r: &mut crate::codec::Reader) -> OfferedFor {
        if r.remaining() == 0 {
            return OfferedFor::default();
        }
        let tag = r.byte() as usize;
        let reason = crate::wire::HandoffReason::ALL.get(tag).copied();
        r.check(reason.is_some());
        OfferedFor(reason.unwrap_or_default())
    }
}

/// A quick reply on screen and what it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offered {
    pub label: String,
    pub href: Option<String>,
    pub action: Action,
}

/// What a quick reply or card button does, in terms a snapshot can keep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Action {
    Goto(String),
    Faq(String),
    Url(String),
    Handoff,
    AddToCart {
        sku: String,
        quantity: u32,
    },
    /// Answer the current `ask` with this text.
    Answer(String),
    /// "No, thanks" to an offer: nothing happens but a polite word.
    Decline,
}

/// What the bot is waiting for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cursor {
    Ask { step: String, retries: u8 },
    Csat { step: String },
}

/// A request to the server not answered yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub request: u64,
    pub kind: PendingKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingKind {
    OrderLookup { step: String },
    Handoff { step: Option<String> },
    Email { step: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    pub token: Option<String>,
    pub status: HandoffStatus,
    /// Agent message ids already shown.
    pub seen: Vec<String>,
    /// The last event of the live conversation seen: its stream resumes after it.
    pub after: String,
}

impl State {
    /// The snapshot in the compact binary form (what the widget keeps in `localStorage`).
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::codec::to_bytes(self)
    }

    /// Reads [`State::to_bytes`]; `None` for anything else, whatever the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<State> {
        crate::codec::from_bytes(bytes)
    }
}

impl Chat {
    pub fn var(&self, name: &str) -> Option<&Value> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn set_var(&mut self, name: &str, value: Value) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name.to_owned(), value)),
        }
    }

    /// The transcript as plain text, for a handoff: what the shopper and the bot said in
    /// the last [`TRANSCRIPT_DAYS`] days (the server takes no other lines from a browser:
    /// a person's words and the system's it writes itself).
    /// Its latest [`limits::TRANSCRIPT_LINES`] lines, each cut to the wire's length.
    ///
    /// [`limits::TRANSCRIPT_LINES`]: crate::wire::limits::TRANSCRIPT_LINES
    pub fn transcript(&self, now: Time) -> Vec<crate::wire::TranscriptLine> {
        use crate::wire::limits::{TRANSCRIPT_LINE_CHARS, TRANSCRIPT_LINES, cut};
        let since = now.0.saturating_sub(TRANSCRIPT_DAYS * 24 * 3600 * 1000);
        let lines: Vec<_> = self
            .messages
            .iter()
            .filter(|m| matches!(m.from, Speaker::Shopper | Speaker::Bot) && m.at.0 >= since)
            .collect();
        let skip = lines.len().saturating_sub(TRANSCRIPT_LINES);
        lines[skip..]
            .iter()
            .map(|m| crate::wire::TranscriptLine {
                at: m.at.0,
                from: m.from.into(),
                text: cut(&m.plain_text(), TRANSCRIPT_LINE_CHARS),
            })
            .collect()
    }
}

impl Action {
    /// What the action is and what it leads to, for analytics: `("goto", step id)`,
    /// `("faq", entry id)`, `("url", address)`, `("handoff", "")`, `("add_to_cart", sku)`,
    /// `("answer", text)` or `("decline", "")`.
    pub fn describe(&self) -> (&'static str, &str) {
        match self {
            Action::Goto(id) => ("goto", id),
            Action::Faq(id) => ("faq", id),
            Action::Url(url) => ("url", url),
            Action::Handoff => ("handoff", ""),
            Action::AddToCart { sku, .. } => ("add_to_cart", sku),
            Action::Answer(text) => ("answer", text),
            Action::Decline => ("decline", ""),
        }
    }
}

impl Visitor {
    pub fn trigger(&mut self, id: &str) -> &mut TriggerHistory {
        if let Some(i) = self.triggers.iter().position(|(t, _)| t == id) {
            return &mut self.triggers[i].1;
        }
        self.triggers
            .push((id.to_owned(), TriggerHistory::default()));
        let last = self.triggers.len() - 1;
        &mut self.triggers[last].1
    }

    pub fn history(&self, id: &str) -> Option<&TriggerHistory> {
        self.triggers.iter().find(|(t, _)| t == id).map(|(_, h)| h)
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct State { version, flow, next_id, visitor, session, chat });
codec!(struct Visitor { id, visits, first_seen, last_seen, triggers });
codec!(struct TriggerHistory { shown, last_shown, last_visit, dismissed, engaged });
codec!(struct Session { page, page_shown_at, active_ms, visible_since, last_activity, scrolled, fired_on_page, cart, typing, panel_open });
codec!(enum Status { 0 => New, 1 => Engaged, 2 => WaitingOnCustomer, 3 => WaitingOnAgent, 4 => Completed });
codec!(struct Chat { id, status, language, greeted, messages, offered, card_actions, cursor, suspended, vars, misses, pending, handoff, order, trigger, teaser, faq_log, frustrated, last_shopper_at, unread, composer, csat, typing_shown, offered_for });
codec!(struct Offered { label, href, action });
codec!(enum Action { 0 => Goto(v0), 1 => Faq(v0), 2 => Url(v0), 3 => Handoff, 4 => AddToCart { sku, quantity }, 5 => Answer(v0), 6 => Decline });
codec!(enum Cursor { 0 => Ask { step, retries }, 1 => Csat { step } });
codec!(struct Pending { request, kind });
codec!(enum PendingKind { 0 => OrderLookup { step }, 1 => Handoff { step }, 2 => Email { step } });
codec!(struct Handoff { token, status, seen, after });
