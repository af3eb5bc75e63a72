//! Speaking first: page signals, timers, and the trigger rules of the flow.

//!
//! The rules are written once, over [`Rules`], and judged in two places: by the
//! conversation engine in the panel, and by the [`super::Watcher`] of the eager stage,
//! which has no conversation engine and only decides when the panel must come.

use serde::{Deserialize, Serialize};

use super::input::{Cart, Device, Page, Scroll};
use super::logic;
use super::state::{Session, VISIT_GAP_MS, Visitor};
use crate::codec::codec;
use crate::flow::{Frequency, MobileExit, Trigger, TriggerEvent};
use crate::time::Time;

const DAY_MS: u64 = 86_400_000;
/// A conversation counts as active this long after the shopper's last word.
pub(crate) const ACTIVE_MS: u64 = 10 * 60 * 1000;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitSignal {
    /// Desktop: the pointer left through the top edge and stayed out.
    PointerTop,
    /// Phone: a fast swipe back up towards the address bar.
    FastScrollUp,
    /// Phone: back to the tab after a short absence.
    TabReturn,
}

/// What the engine watches on the current page between inputs, to read exit intent from
/// raw signals. Not saved (it means nothing on another page), but handed from the eager
/// stage to the panel with the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    hidden_at: Option<Time>,
    pointer_left_at: Option<Time>,
    swipe: Swipe,
    /// This page began a returning visit: a returning-visit trigger may still fire here
    /// when its conditions come true (the cart arrives after the page).
    returning: bool,
    /// Time-based triggers whose moment came on this page but whose conditions did not
    /// hold: no timer waits for them any more, but a change of what they depend on may
    /// still let them fire.
    spent: Vec<String>,
}

/// The current run of upward scrolling: where and when it began, and the last position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cue {
    PageView,
    ReturningVisit,
    Exit(ExitSignal),
    Scrolled(u8),
    CartChanged,
    Custom(String),
    /// Time passed: time-on-page and idle triggers are checked.
    Clock,
    /// What conditions depend on changed (the cart, the shopper's identity, a custom
    /// event): every trigger whose event already happened on this page is judged again.
    Recheck,
}

/// What the trigger rules read and change, implemented by the conversation engine (the
/// panel) and by the [`super::Watcher`] (the eager stage).
pub(crate) trait Rules: logic::Facts {
    fn now(&self) -> Time;
    fn triggers(&self) -> &[Trigger];
    /// The flow's languages, the default first.
    fn languages(&self) -> &[String];
    fn visitor(&self) -> &Visitor;
    fn visitor_mut(&mut self) -> &mut Visitor;
    fn session(&self) -> &Session;
    fn session_mut(&mut self) -> &mut Session;
    fn watch(&self) -> &Watch;
    fn watch_mut(&mut self) -> &mut Watch;
    /// A teaser is on screen (a trigger never covers another).
    fn teaser_on_screen(&self) -> bool;
    /// The bot waits for an answer, a person is involved, or the shopper wrote in the
    /// last ten minutes.
    fn conversation_active(&self) -> bool;
    /// A new visit began on this page view.
    fn new_visit(&mut self);
    /// The page's language, matched to the flow's.
    fn page_language(&mut self, language: String);
    /// `triggers()[index]` fires on `cue`.
    fn fire(&mut self, index: usize, cue: &Cue);
}

pub(crate) fn page_view<R: Rules>(r: &mut R, page: Page) {
    let now = r.now();
    let visitor = r.visitor_mut();
    let new_visit = visitor.visits == 0 || now.millis_since(visitor.last_seen) > VISIT_GAP_MS;
    if new_visit {
        visitor.visits = visitor.visits.saturating_add(1);
    }
    visitor.last_seen = now;
    if new_visit {
        r.new_visit();
    }
    let language = pick_language(r.languages(), &page.language);
    let session = r.session_mut();
    session.visible_since = page.visible.then_some(now);
    session.page = page;
    session.page_shown_at = now;
    session.active_ms = 0;
    session.scrolled = 0;
    session.fired_on_page.clear();
    session.last_activity = now;
    *r.watch_mut() = Watch::default();
    r.page_language(language);
    evaluate(r, &Cue::PageView);
    if new_visit && r.visitor().visits > 1 {
        r.watch_mut().returning = true;
        evaluate(r, &Cue::ReturningVisit);
    }
}

/// What trigger conditions depend on changed (the cart, the shopper's identity, a custom
/// event): triggers whose moment already came on this page are judged again, so that a
/// cart set after the page loaded still lets "welcome back, your cart is waiting" speak.
/// Each fires at most once a page, as always.
pub(crate) fn recheck<R: Rules>(r: &mut R) {
    evaluate(r, &Cue::Recheck);
}

/// The flow language closest to the page's (`es-MX` → `es`), else the default.
pub(crate) fn pick_language(languages: &[String], wanted: &str) -> String {
    let wanted = wanted.to_ascii_lowercase();
    let base = wanted.split(['-', '_']).next().unwrap_or("");
    languages
        .iter()
        .find(|l| l.to_ascii_lowercase() == wanted)
        .or_else(|| {
            languages
                .iter()
                .find(|l| l.to_ascii_lowercase().split(['-', '_']).next() == Some(base))
        })
        .or(languages.first())
        .cloned()
        .unwrap_or_else(|| "en".to_owned())
}

pub(crate) fn visibility<R: Rules>(r: &mut R, visible: bool) {
    let now = r.now();
    // A phone's stand-in for exit intent: back to the tab after a short absence.
    let hidden_at = r.watch_mut().hidden_at.take();
    if !visible {
        r.watch_mut().hidden_at = Some(now);
    } else if let Some(at) = hidden_at {
        if on_touch_device(r) && TAB_RETURN_MS.contains(&now.millis_since(at)) {
            evaluate(r, &Cue::Exit(ExitSignal::TabReturn));
        }
    }
    let session = r.session_mut();
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

pub(crate) fn scrolled<R: Rules>(r: &mut R, scroll: Scroll) {
    let now = r.now();
    r.session_mut().last_activity = now;
    let percent = scroll.depth();
    if percent > r.session().scrolled {
        r.session_mut().scrolled = percent;
        evaluate(r, &Cue::Scrolled(percent));
    }
    let swipe = r.watch().swipe.next(scroll.top, now);
    r.watch_mut().swipe = swipe;
    if on_touch_device(r) && swipe.reaches_for_the_top(scroll, now) {
        r.watch_mut().swipe = Swipe::default();
        evaluate(r, &Cue::Exit(ExitSignal::FastScrollUp));
    }
}

pub(crate) fn activity<R: Rules>(r: &mut R) {
    r.session_mut().last_activity = r.now();
}

pub(crate) fn pointer_left<R: Rules>(r: &mut R) {
    let now = r.now();
    let watch = r.watch_mut();
    if watch.pointer_left_at.is_none() {
        watch.pointer_left_at = Some(now);
    }
}

pub(crate) fn pointer_back<R: Rules>(r: &mut R) {
    r.watch_mut().pointer_left_at = None;
}

/// Phones and tablets: no pointer to leave through the top.
fn on_touch_device<R: Rules>(r: &R) -> bool {
    r.session().page.device != Device::Desktop
}

pub(crate) fn cart_changed<R: Rules>(r: &mut R, mut cart: Cart) {
    // Whatever the page sends, the snapshot stays small.
    cart.currency.truncate(8);
    cart.lines.truncate(Cart::MAX_LINES);
    for line in &mut cart.lines {
        line.name =
            crate::wire::limits::shorten(&line.name, crate::wire::limits::CART_LINE_NAME_CHARS);
    }
    if r.session().cart != cart {
        r.session_mut().cart = cart;
        evaluate(r, &Cue::CartChanged);
        recheck(r);
    }
}

pub(crate) fn custom_event<R: Rules>(r: &mut R, name: &str) {
    evaluate(r, &Cue::Custom(name.to_owned()));
    recheck(r);
}

/// Checks time-based triggers whose moment has come, and a pointer that stayed out.
pub(crate) fn check_timers<R: Rules>(r: &mut R) {
    let now = r.now();
    if let Some(at) = r.watch().pointer_left_at {
        if now.millis_since(at) >= EXIT_GRACE_MS {
            r.watch_mut().pointer_left_at = None;
            evaluate(r, &Cue::Exit(ExitSignal::PointerTop));
        }
    }
    if trigger_deadline(r).is_some_and(|at| at <= now) {
        evaluate(r, &Cue::Clock);
    }
}

/// Active time on the current page until now.
fn active_ms<R: Rules>(r: &R) -> u64 {
    let s = r.session();
    s.active_ms.saturating_add(
        s.visible_since
            .map_or(0, |since| r.now().millis_since(since)),
    )
}

/// When the rules next need [`super::Input::Tick`]: a time-based trigger, or the end of
/// the pointer's grace period.
pub(crate) fn next_deadline<R: Rules>(r: &R) -> Option<Time> {
    let grace = r
        .watch()
        .pointer_left_at
        .map(|at| at.plus_millis(EXIT_GRACE_MS));
    match (trigger_deadline(r), grace) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// When the next time-based trigger could fire, if any is waiting.
fn trigger_deadline<R: Rules>(r: &R) -> Option<Time> {
    r.triggers().iter().filter_map(|t| deadline_of(r, t)).min()
}

/// When time-based `trigger` could fire on this page (`None`: it is not time-based, not
/// for this page, already spent, or the page is hidden and no timer runs).
pub(crate) fn deadline_of<R: Rules>(r: &R, trigger: &Trigger) -> Option<Time> {
    let s = r.session();
    let since = s.visible_since?;
    if s.fired_on_page.contains(&trigger.id)
        || r.watch().spent.contains(&trigger.id)
        || !on_this_page(r, trigger)
    {
        return None;
    }
    match trigger.event {
        TriggerEvent::TimeOnPage { ms } => Some(since.plus_millis(ms.saturating_sub(s.active_ms))),
        TriggerEvent::Idle { ms } => Some(s.last_activity.max(since).plus_millis(ms)),
        _ => None,
    }
}

fn event_matches<R: Rules>(r: &R, trigger: &Trigger, cue: &Cue) -> bool {
    let s = r.session();
    match (&trigger.event, cue) {
        (TriggerEvent::PageView, Cue::PageView) => true,
        (TriggerEvent::ReturningVisit, Cue::ReturningVisit) => true,
        (TriggerEvent::CartChanged, Cue::CartChanged) => true,
        (TriggerEvent::Custom(name), Cue::Custom(n)) => name == n,
        (TriggerEvent::ScrollDepth { percent }, Cue::Scrolled(p)) => p >= percent,
        (TriggerEvent::ExitIntent { mobile }, Cue::Exit(signal)) => match signal {
            ExitSignal::PointerTop => true,
            ExitSignal::FastScrollUp => matches!(mobile, MobileExit::ScrollUp | MobileExit::Both),
            ExitSignal::TabReturn => matches!(mobile, MobileExit::TabReturn | MobileExit::Both),
        },
        (TriggerEvent::TimeOnPage { ms }, Cue::Clock) => active_ms(r) >= *ms,
        (TriggerEvent::Idle { ms }, Cue::Clock) => {
            s.visible_since.is_some() && r.now().millis_since(s.last_activity) >= *ms
        }
        // Judged again: the events that have happened on this page and stay true.
        (TriggerEvent::PageView, Cue::Recheck) => true,
        (TriggerEvent::ReturningVisit, Cue::Recheck) => r.watch().returning,
        (TriggerEvent::TimeOnPage { ms }, Cue::Recheck) => active_ms(r) >= *ms,
        (TriggerEvent::ScrollDepth { percent }, Cue::Recheck) => s.scrolled >= *percent,
        _ => false,
    }
}

/// Whether the caps and the shopper's state allow `trigger` now.
fn allowed<R: Rules>(r: &R, trigger: &Trigger) -> bool {
    let s = r.session();
    // Never interrupt a shopper who is reading the chat or typing.
    if s.panel_open || s.typing || r.teaser_on_screen() {
        return false;
    }
    if s.fired_on_page.contains(&trigger.id) {
        return false;
    }
    if trigger.suppress_while_active && r.conversation_active() {
        return false;
    }
    let visitor = r.visitor();
    let Some(history) = visitor.history(&trigger.id) else {
        return true;
    };
    if trigger.respect_dismissal && history.dismissed {
        return false;
    }
    match trigger.frequency {
        Frequency::Always => true,
        Frequency::OncePerSession => history.shown == 0 || history.last_visit != visitor.visits,
        Frequency::OncePerDays(days) => history
            .last_shown
            .is_none_or(|at| r.now().millis_since(at) >= u64::from(days).saturating_mul(DAY_MS)),
        Frequency::UntilEngaged => !history.engaged,
    }
}

fn on_this_page<R: Rules>(r: &R, trigger: &Trigger) -> bool {
    let path = &r.session().page.path;
    trigger.pages.is_empty() || trigger.pages.iter().any(|g| logic::glob(g, path))
}

/// Whether `trigger` may fire on this page now, its event aside: its pages, its caps and
/// its conditions. The eager stage fetches the panel ahead when one that waits for an
/// event (time, scroll, exit, cart) is ready like this.
pub(crate) fn ready<R: Rules>(r: &R, trigger: &Trigger) -> bool {
    on_this_page(r, trigger) && allowed(r, trigger) && logic::holds(&trigger.condition, r)
}

/// Fires the best trigger for this cue, if any may fire.
pub(crate) fn evaluate<R: Rules>(r: &mut R, cue: &Cue) {
    let mut best: Option<usize> = None;
    for (i, trigger) in r.triggers().iter().enumerate() {
        if !event_matches(r, trigger, cue) || !ready(r, trigger) {
            continue;
        }
        if best.is_none_or(|b| trigger.priority > r.triggers()[b].priority) {
            best = Some(i);
        }
    }
    // Fire first: the eager stage hands the page over as it was before this cue.
    if let Some(i) = best {
        r.fire(i, cue);
    }
    if *cue == Cue::Clock {
        // A timer that came due is spent for this page whether or not it could fire
        // (caps, a chat in progress): otherwise its moment would stay in the past and
        // the shell would be asked to tick again at once, forever. One that did not fire
        // may still on a recheck (its conditions may come true).
        let due: Vec<String> = r
            .triggers()
            .iter()
            .filter(|t| {
                matches!(
                    t.event,
                    TriggerEvent::TimeOnPage { .. } | TriggerEvent::Idle { .. }
                )
            })
            .filter(|t| event_matches(r, t, cue))
            .map(|t| t.id.clone())
            .collect();
        let fired = r.session().fired_on_page.clone();
        let spent = &mut r.watch_mut().spent;
        for id in due {
            if !fired.contains(&id) && !spent.contains(&id) {
                spent.push(id);
            }
        }
    }
}

codec!(enum Cue { 0 => PageView, 1 => ReturningVisit, 2 => Exit(v0), 3 => Scrolled(v0), 4 => CartChanged, 5 => Custom(v0), 6 => Clock, 7 => Recheck });
codec!(enum ExitSignal { 0 => PointerTop, 1 => FastScrollUp, 2 => TabReturn });
codec!(struct Watch { hidden_at, pointer_left_at, swipe, returning, spent });
codec!(struct Swipe { from_top, from, last_top, last, upward });
