//! Speaking first: page signals, timers, and the trigger rules of the flow.

use std::sync::Arc;

use super::effect::Effect;
use super::input::{Cart, ExitSignal, Page};
use super::state::{Status, VISIT_GAP_MS};
use super::{Conversation, Prop, Speaker, hash, logic};
use crate::flow::{Frequency, MobileExit, Trigger, TriggerEvent};
use crate::time::Time;

const DAY_MS: u64 = 86_400_000;
/// A conversation counts as active this long after the shopper's last word.
const ACTIVE_MS: u64 = 10 * 60 * 1000;

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
            self.emit(Effect::HideTeaser);
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

    pub(super) fn scrolled(&mut self, percent: u8) {
        let percent = percent.min(100);
        self.state.session.last_activity = self.now;
        if percent > self.state.session.scrolled {
            self.state.session.scrolled = percent;
            self.evaluate(Occurrence::Scrolled(percent));
        }
    }

    pub(super) fn activity(&mut self) {
        self.state.session.last_activity = self.now;
    }

    pub(super) fn exit_intent(&mut self, signal: ExitSignal) {
        self.evaluate(Occurrence::Exit(signal));
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

    /// Checks time-based triggers whose moment has come.
    pub(super) fn check_timers(&mut self) {
        if self.next_deadline().is_some_and(|at| at <= self.now) {
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

    /// When the next time-based trigger could fire, if any is waiting.
    pub(super) fn next_deadline(&self) -> Option<Time> {
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
                self.emit(Effect::ShowTeaser(message));
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
