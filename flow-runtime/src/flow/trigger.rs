//! Proactive messages: when the assistant speaks first.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use super::{Condition, StepIdx};

/// A rule for speaking first: on an event, if conditions hold and caps allow, show a teaser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    pub id: String,
    pub event: TriggerEvent,
    /// Page-path globs (`/products/*`); empty means every page.
    pub pages: Vec<String>,
    pub condition: Condition,
    pub frequency: Frequency,
    /// Once the shopper closed this trigger's teaser, never show it to them again.
    pub respect_dismissal: bool,
    /// Stay quiet while a conversation is going on (the bot waits for an answer, a person
    /// is involved, or the shopper wrote in the last ten minutes).
    pub suppress_while_active: bool,
    /// Higher wins when several triggers fire at once.
    pub priority: i32,
    /// Variants with weights; the teaser shows the chosen variant's step.
    pub variants: Vec<Variant>,
    /// Share of visitors (per mille) who are assigned to no variant and see nothing: the
    /// control group that tells whether the trigger helps at all.
    pub holdout_permille: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerEvent {
    /// The shopper is about to leave. On desktop: the pointer leaves through the top edge.
    /// On phones, `mobile` says which heuristic counts (see [`MobileExit`]).
    ExitIntent { mobile: MobileExit },
    /// Active time on the current page (paused while the tab is hidden), in milliseconds.
    TimeOnPage { ms: u64 },
    /// The shopper scrolled this far down the page (percent).
    ScrollDepth { percent: u8 },
    /// No pointer, key or scroll activity for this long, in milliseconds.
    Idle { ms: u64 },
    /// A page (or single-page-app route) was shown.
    PageView,
    /// The cart changed.
    CartChanged,
    /// A page view by a shopper who visited before.
    ReturningVisit,
    /// `Bellhop('track', name)` from the host page.
    Custom(String),
}

/// Phones have no pointer to leave the window with; which signal stands in for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MobileExit {
    /// A fast scroll back up towards the address bar.
    ScrollUp,
    /// Coming back to the tab after a short absence (switched apps, then returned).
    TabReturn,
    /// Either.
    Both,
    /// No exit intent on phones.
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    /// At most once per visit (a visit ends after 30 minutes without activity).
    OncePerSession,
    /// At most once in this many days.
    OncePerDays(u32),
    /// Every time it fires, until the shopper engaged with it once.
    UntilEngaged,
    /// Every time it fires.
    Always,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub id: String,
    pub weight: u32,
    /// The step the teaser shows (usually a message with quick replies).
    pub step: StepIdx,
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct Trigger { id, event, pages, condition, frequency, respect_dismissal, suppress_while_active, priority, variants, holdout_permille });
codec!(enum TriggerEvent { 0 => ExitIntent { mobile }, 1 => TimeOnPage { ms }, 2 => ScrollDepth { percent }, 3 => Idle { ms }, 4 => PageView, 5 => CartChanged, 6 => ReturningVisit, 7 => Custom(v0) });
codec!(enum MobileExit { 0 => ScrollUp, 1 => TabReturn, 2 => Both, 3 => Off });
codec!(enum Frequency { 0 => OncePerSession, 1 => OncePerDays(v0), 2 => UntilEngaged, 3 => Always });
codec!(struct Variant { id, weight, step });
