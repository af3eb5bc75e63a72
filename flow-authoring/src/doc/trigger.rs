//! Triggers as merchants write them.

use schemars::JsonSchema;
use serde::Deserialize;

use super::condition::ConditionDoc;

/// Speak first: on an event, on some pages, if a condition holds and the caps allow.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Trigger")]
pub struct TriggerDoc {
    pub id: String,
    pub on: EventDoc,
    /// Page-path globs where the trigger may fire (`/products/*`); all pages if empty.
    #[serde(default)]
    pub pages: Vec<String>,
    #[serde(default)]
    pub when: Option<ConditionDoc>,
    #[serde(default)]
    pub frequency: FrequencyDoc,
    /// Never show again to a shopper who closed this teaser (default true).
    #[serde(default = "yes")]
    pub respect_dismissal: bool,
    /// Stay quiet while a conversation is going on (default true).
    #[serde(default = "yes")]
    pub suppress_while_active: bool,
    /// Higher wins when several triggers fire at once.
    #[serde(default)]
    pub priority: i32,
    /// The step the teaser shows (or use `variants` for an A/B test).
    #[serde(default)]
    pub step: Option<String>,
    #[serde(default)]
    pub variants: Vec<VariantDoc>,
    /// Share of visitors (0 to 0.9) who see nothing: the control group.
    #[serde(default)]
    pub holdout: f64,
    /// Exit intent on phones (no pointer there): `scroll_up`, `tab_return`, `both` or `off`.
    #[serde(default)]
    pub mobile: Option<MobileExitDoc>,
}

fn yes() -> bool {
    true
}

/// What sets a trigger off.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "Event")]
pub enum EventDoc {
    /// The shopper is about to leave (pointer out through the top; on phones see `mobile`).
    ExitIntent,
    /// Seconds of active time on the page (paused while the tab is hidden).
    TimeOnPage(f64),
    /// Percent of the page scrolled.
    ScrollDepth(u8),
    /// Seconds without pointer, key or scroll activity.
    Idle(f64),
    PageView,
    CartChanged,
    ReturningVisit,
    /// `Bellhop('track', name)` from the store's page.
    Custom(String),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "Frequency")]
pub enum FrequencyDoc {
    #[default]
    OncePerSession,
    OncePerDays(u32),
    UntilEngaged,
    Always,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "MobileExit")]
pub enum MobileExitDoc {
    ScrollUp,
    TabReturn,
    Both,
    Off,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Variant")]
pub struct VariantDoc {
    pub id: String,
    /// Relative weight (default 1).
    #[serde(default = "one")]
    pub weight: u32,
    pub step: String,
}

fn one() -> u32 {
    1
}
