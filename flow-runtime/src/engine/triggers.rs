//! Speaking first: page signals, timers, and the trigger rules of the flow.

use std::sync::Arc;

use super::effect::View;
use super::input::{Cart, Device, Page, Scroll};
use super::state::{Status, VISIT_GAP_MS};
use super::{Conversation, Prop, Speaker, hash, logic};
use crate::flow::{Frequency, MobileExit, Trigger, TriggerEvent};
use crate::time::Time;

const DAY_MS: u64 = 86_400_000;
/// A conversation counts as active this long after the shopper's last word.
const ACTIVE_MS: u64 = 10 * 60 * 1000;

/// How long the pointer may be out through the top before it counts as leaving: moving to
/// the browser's tabs and straight back is not leaving.
pub const EXIT_GRACE_MS: u64 = 300;
/// A tab hidden at least this long, then shown again, is a return (phones and tablets):
/// shorter is a glance at a notification, longer is a new visit of its own.
pub const TAB_RETURN_MS: core::ops::Range<u64> = 3_000..10 * 60_000;
/// Scroll events closer than this belong to one swipe.
const SWIPE_GAP_MS: u64 = 300;
/// A swipe up counts as reaching for the address bar when it covers more than a screen
/// within this time and ends within the first screen.
const FAST_SWIPE_MS: u64 = 1_000;

/// How the shopper showed they may leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ExitSignal {
    /// Desktop: the pointer left through the top edge and stayed out.
    PointerTop,
    /// Phone: a fast swipe back up towards the address bar.
    FastScrollUp,
    /// Phone: back to the tab after a short absence.
    TabReturn,
}

/// What the engine watches on the current page between inputs, to read exit intent from
/// raw signals. Not saved: it means nothing on another page.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Watch {
    hidden_at: Option<Time>,
    pointer_left_at: Option<Time>,
    swipe: Swipe,
}

/// The current run of upward scrolling: where and when it began, and the last position.
#[derive(Clone, Copy, Debug, Default)]
struct Swipe {
    from_top: u32,
    from: Time,
    last_top: u32,
    last: Time,
    upward: bool,
}

impl Swipe {
    /// A scroll event moves to `top` at `now`: the run goes on while events keep coming
    /// upward less than [`SWIPE_GAP_MS`] apart, and starts afresh otherwise. A new run
    /// starts where the page was and *when this event came*: the previous event may be long
    /// ago (the shopper stopped to read), and its time says nothing about the swipe's speed.
    fn next(self, top: u32, now: Time) -> Swipe {
        let up = top < self.last_top;
        let goes_on = up && self.upward && now.millis_since(self.last) < SWIPE_GAP_MS;
        let (from_top, from) = match (goes_on, up) {
            (true, _) => (self.from_top, self.from),
            (false, true) => (self.last_top, now),
            (false, false) => (top, now),
        };
        Swipe {
            from_top,
            from,
            last_top: top,
            last: now,
            upward: up,
        }
    }

    /// More than a screen up within [`FAST_SWIPE_MS`], ending within the first screen.
    fn reaches_for_the_top(self, scroll: Scroll, now: Time) -> bool {
        self.upward
            && self.from_top.saturating_sub(scroll.top) > scroll.viewport
            && now.millis_since(self.from) < FAST_SWIPE_MS
            && scroll.top < scroll.viewport
    }
}

/// What just happened on the page, to match against trigger events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Occurrence<'a> {
    PageView,
    ReturningVisit,
    Exit(ExitSignal),
    Scrolled(u8),
    CartChanged,
    Custom(&'a str),
    /// Time passed: time-on-page and idle triggers are checked.
    Clock,
}

impl Conversation {
    pub(super) fn page_view(&mut self, page: Page) {
        let now = self.now;
        let visitor = &mut self.state.visitor;
        let new_visit = visitor.visits == 0 || now.millis_since(visitor.last_seen) > VISIT_GAP_MS;
        if new_visit {
            visitor.visits = visitor.visits.saturating_add(1);
        }
        visitor.last_seen = now;
        if new_visit && self.state.chat.teaser.take().is_some() {
            // A teaser from an earlier visit is stale: the shopper has moved on.
            self.view(View::HideTeaser);
        }
        let language = self.pick_language(&page.language);
        let session = &mut self.state.session;
        session.visible_since = page.visible.then_some(now);
        session.page = page;
        session.page_shown_at = now;
        session.active_ms = 0;
        session.scrolled = 0;
        session.fired_on_page.clear();
        session.last_activity = now;
        if self.state.chat.messages.is_empty() {
            self.state.chat.language = language;
        }
        self.evaluate(Occurrence::PageView);
        if new_visit && self.state.visitor.visits > 1 {
            self.evaluate(Occurrence::ReturningVisit);
        }
    }

    /// The flow language closest to the page's (`es-MX` → `es`), else the default.
    fn pick_language(&self, wanted: &str) -> String {
        let wanted = wanted.to_ascii_lowercase();
        let base = wanted.split(['-', '_']).next().unwrap_or("");
        self.flow
            .languages
            .iter()
            .find(|l| l.to_ascii_lowercase() == wanted)
            .or_else(|| {
                self.flow
                    .languages
                    .iter()
                    .find(|l| l.to_ascii_lowercase().split(['-', '_']).next() == Some(base))
            })
            .cloned()
            .unwrap_or_else(|| self.flow.default_language().to_owned())
    }

    pub(super) fn visibility(&mut self, visible: bool) {
        let now = self.now;
        // A phone's stand-in for exit intent: back to the tab after a short absence.
        let hidden_at = self.watch.hidden_at.take();
        if !visible {
            self.watch.hidden_at = Some(now);
        } else if let Some(at) = hidden_at {
            if self.on_touch_device() && TAB_RETURN_MS.contains(&now.millis_since(at)) {
                self.evaluate(Occurrence::Exit(ExitSignal::TabReturn));
            }
        }
        let session = &mut self.state.session;
        match (visible, session.visible_since) {
            (true, None) => session.visible_since = Some(now),
            (false, Some(since)) => {
                session.active_ms = session.active_ms.saturating_add(now.millis_since(since));
                session.visible_since = None;
            }
            _ => {}
        }
        session.page.visible = visible;
    }

    pub(super) fn scrolled(&mut self, scroll: Scroll) {
        let now = self.now;
        self.state.session.last_activity = now;
        let percent = scroll.depth();
        if percent > self.state.session.scrolled {
            self.state.session.scrolled = percent;
            self.evaluate(Occurrence::Scrolled(percent));
        }
        let swipe = self.watch.swipe.next(scroll.top, now);
        self.watch.swipe = swipe;
        if self.on_touch_device() && swipe.reaches_for_the_top(scroll, now) {
            self.watch.swipe = Swipe::default();
            self.evaluate(Occurrence::Exit(ExitSignal::FastScrollUp));
        }
    }

    pub(super) fn activity(&mut self) {
        self.state.session.last_activity = self.now;
    }

    pub(super) fn pointer_left(&mut self) {
        if self.watch.pointer_left_at.is_none() {
            self.watch.pointer_left_at = Some(self.now);
        }
    }

    pub(super) fn pointer_back(&mut self) {
        self.watch.pointer_left_at = None;
    }

    /// Phones and tablets: no pointer to leave through the top.
    fn on_touch_device(&self) -> bool {
        self.state.session.page.device != Device::Desktop
    }

    pub(super) fn cart_changed(&mut self, mut cart: Cart) {
        // Whatever the page sends, the snapshot stays small.
        cart.currency.truncate(8);
        cart.lines.truncate(Cart::MAX_LINES);
        for line in &mut cart.lines {
            line.name = line.name.chars().take(120).collect();
        }
        if self.state.session.cart != cart {
            self.state.session.cart = cart;
            self.evaluate(Occurrence::CartChanged);
        }
    }

    pub(super) fn custom_event(&mut self, name: &str) {
        self.evaluate(Occurrence::Custom(name));
    }

    /// Checks time-based triggers whose moment has come, and a pointer that stayed out.
    pub(super) fn check_timers(&mut self) {
        if let Some(at) = self.watch.pointer_left_at {
            if self.now.millis_since(at) >= EXIT_GRACE_MS {
                self.watch.pointer_left_at = None;
                self.evaluate(Occurrence::Exit(ExitSignal::PointerTop));
            }
        }
        if self.trigger_deadline().is_some_and(|at| at <= self.now) {
            self.evaluate(Occurrence::Clock);
        }
    }

    /// Active time on the current page until now.
    fn active_ms(&self) -> u64 {
        let s = &self.state.session;
        s.active_ms.saturating_add(
            s.visible_since
                .map_or(0, |since| self.now.millis_since(since)),
        )
    }

    /// When the engine next needs [`super::Input::Tick`]: a time-based trigger, or the end
    /// of the pointer's grace period.
    pub(super) fn next_deadline(&self) -> Option<Time> {
        let grace = self
            .watch
            .pointer_left_at
            .map(|at| at.plus_millis(EXIT_GRACE_MS));
        match (self.trigger_deadline(), grace) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When the next time-based trigger could fire, if any is waiting.
    fn trigger_deadline(&self) -> Option<Time> {
        let s = &self.state.session;
        // No page yet, or the page is hidden: no timer runs.
        let since = s.visible_since?;
        self.flow
            .triggers
            .iter()
            .filter(|t| !s.fired_on_page.contains(&t.id))
            .filter_map(|t| match t.event {
                TriggerEvent::TimeOnPage { ms } => {
                    Some(since.plus_millis(ms.saturating_sub(s.active_ms)))
                }
                TriggerEvent::Idle { ms } => Some(s.last_activity.max(since).plus_millis(ms)),
                _ => None,
            })
            .min()
    }

    fn event_matches(&self, trigger: &Trigger, occurrence: Occurrence) -> bool {
        let s = &self.state.session;
        match (&trigger.event, occurrence) {
            (TriggerEvent::PageView, Occurrence::PageView) => true,
            (TriggerEvent::ReturningVisit, Occurrence::ReturningVisit) => true,
            (TriggerEvent::CartChanged, Occurrence::CartChanged) => true,
            (TriggerEvent::Custom(name), Occurrence::Custom(n)) => name == n,
            (TriggerEvent::ScrollDepth { percent }, Occurrence::Scrolled(p)) => p >= *percent,
            (TriggerEvent::ExitIntent { mobile }, Occurrence::Exit(signal)) => match signal {
                ExitSignal::PointerTop => true,
                ExitSignal::FastScrollUp => {
                    matches!(mobile, MobileExit::ScrollUp | MobileExit::Both)
                }
                ExitSignal::TabReturn => matches!(mobile, MobileExit::TabReturn | MobileExit::Both),
            },
            (TriggerEvent::TimeOnPage { ms }, Occurrence::Clock) => self.active_ms() >= *ms,
            (TriggerEvent::Idle { ms }, Occurrence::Clock) => {
                s.visible_since.is_some() && self.now.millis_since(s.last_activity) >= *ms
            }
            _ => false,
        }
    }

    /// Whether the caps and the shopper's state allow `trigger` now.
    fn allowed(&self, trigger: &Trigger) -> bool {
        let s = &self.state.session;
        // Never interrupt a shopper who is reading the chat or typing.
        if s.panel_open || s.typing || self.state.chat.teaser.is_some() {
            return false;
        }
        if s.fired_on_page.contains(&trigger.id) {
            return false;
        }
        if trigger.suppress_while_active && self.conversation_active() {
            return false;
        }
        let Some(history) = self.state.visitor.history(&trigger.id) else {
            return true;
        };
        if trigger.respect_dismissal && history.dismissed {
            return false;
        }
        match trigger.frequency {
            Frequency::Always => true,
            Frequency::OncePerSession => {
                history.shown == 0 || history.last_visit != self.state.visitor.visits
            }
            Frequency::OncePerDays(days) => history.last_shown.is_none_or(|at| {
                self.now.millis_since(at) >= u64::from(days).saturating_mul(DAY_MS)
            }),
            Frequency::UntilEngaged => !history.engaged,
        }
    }

    fn conversation_active(&self) -> bool {
        let chat = &self.state.chat;
        chat.pending.is_some()
            || chat.status == Status::WaitingOnAgent
            || chat.cursor.is_some()
            || chat
                .last_shopper_at
                .is_some_and(|at| self.now.millis_since(at) < ACTIVE_MS)
    }

    /// Fires the best trigger for this occurrence, if any may fire.
    fn evaluate(&mut self, occurrence: Occurrence) {
        let path = self.state.session.page.path.clone();
        let mut best: Option<usize> = None;
        for (i, trigger) in self.flow.triggers.iter().enumerate() {
            if !self.event_matches(trigger, occurrence) {
                continue;
            }
            if !trigger.pages.is_empty() && !trigger.pages.iter().any(|g| logic::glob(g, &path)) {
                continue;
            }
            if !self.allowed(trigger) || !logic::holds(&trigger.condition, self) {
                continue;
            }
            if best.is_none_or(|b| trigger.priority > self.flow.triggers[b].priority) {
                best = Some(i);
            }
        }
        if occurrence == Occurrence::Clock {
            // A timer that came due is spent for this page whether or not it could fire
            // (caps, a chat in progress): otherwise its moment would stay in the past and
            // the shell would be asked to tick again at once, forever.
            let due: Vec<String> = self
                .flow
                .triggers
                .iter()
                .filter(|t| {
                    matches!(
                        t.event,
                        TriggerEvent::TimeOnPage { .. } | TriggerEvent::Idle { .. }
                    )
                })
                .filter(|t| self.event_matches(t, occurrence))
                .map(|t| t.id.clone())
                .collect();
            for id in due {
                if !self.state.session.fired_on_page.contains(&id) {
                    self.state.session.fired_on_page.push(id);
                }
            }
        }
        if let Some(i) = best {
            let flow = Arc::clone(&self.flow);
            self.fire(&flow.triggers[i]);
        }
    }

    fn fire(&mut self, trigger: &Trigger) {
        let now = self.now;
        let visits = self.state.visitor.visits;
        if !self.state.session.fired_on_page.contains(&trigger.id) {
            self.state.session.fired_on_page.push(trigger.id.clone());
        }
        let history = self.state.visitor.trigger(&trigger.id);
        history.shown = history.shown.saturating_add(1);
        history.last_shown = Some(now);
        history.last_visit = visits;

        let seed = self.flow.seed.to_string();
        let visitor = self.state.visitor.id.clone();
        let total: u64 = trigger.variants.iter().map(|v| u64::from(v.weight)).sum();
        if total == 0 {
            return;
        }
        let mut pick = hash(&[&seed, &visitor, &trigger.id, "variant"]) % total;
        let Some(variant) = trigger.variants.iter().find(|v| {
            let w = u64::from(v.weight);
            if pick < w {
                true
            } else {
                pick -= w;
                false
            }
        }) else {
            return;
        };
        // The holdout sees nothing; it is counted with the variant it would have seen, so
        // each variant's lift over its own holdout can be measured.
        let bucket = hash(&[&seed, &visitor, &trigger.id, "holdout"]) % 1000;
        if bucket < u64::from(trigger.holdout_permille) {
            self.track(
                "trigger_holdout",
                vec![
                    ("trigger", Prop::text(&trigger.id)),
                    ("variant", Prop::text(&variant.id)),
                ],
            );
            return;
        }
        self.state.chat.trigger = Some((trigger.id.clone(), variant.id.clone()));
        self.state.chat.teaser = Some(trigger.id.clone());
        self.state.chat.greeted = true;
        let before = self.state.chat.messages.len();
        self.run(variant.step);
        let shown = self.state.chat.messages[before.min(self.state.chat.messages.len())..]
            .iter()
            .rev()
            .find(|m| m.from == Speaker::Bot)
            .cloned();
        match shown {
            Some(message) => {
                self.view(View::ShowTeaser(message));
                self.track(
                    "trigger_shown",
                    vec![
                        ("trigger", Prop::text(&trigger.id)),
                        ("variant", Prop::text(&variant.id)),
                    ],
                );
            }
            None => self.state.chat.teaser = None,
        }
    }
}
