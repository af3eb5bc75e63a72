//! Lowering triggers.

use std::collections::HashSet;

use super::diagnostic::push_pointer;
use super::lower::Lower;
use crate::doc::{EventDoc, FrequencyDoc, MobileExitDoc, TriggerDoc};
use flow_runtime::flow::{Condition, Frequency, MobileExit, Trigger, TriggerEvent, Variant};

impl Lower<'_> {
    pub(super) fn triggers(&mut self) -> Vec<Trigger> {
        let docs = self.parsed.doc.triggers.clone();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, t) in docs.iter().enumerate() {
            let at = format!(
                "/triggers/{}",
                self.parsed.trigger_pos.get(i).copied().unwrap_or(i)
            );
            if !seen.insert(t.id.clone()) {
                self.error(
                    "duplicate-id",
                    push_pointer(&at, "id"),
                    format!("two triggers are called `{}`", t.id),
                    "trigger ids must be unique: frequency caps are kept per id",
                );
            }
            if let Some(t) = self.trigger(t, &at) {
                out.push(t);
            }
        }
        out
    }

    fn trigger(&mut self, t: &TriggerDoc, at: &str) -> Option<Trigger> {
        let p = |field: &str| push_pointer(at, field);
        let seconds = |l: &mut Self, s: f64, field: &str| -> Option<u64> {
            if s.is_finite() && s > 0.0 && s <= 86_400.0 {
                Some((s * 1000.0).round() as u64)
            } else {
                l.error(
                    "bad-number",
                    push_pointer(&p("on"), field),
                    format!("{s} seconds is not a sensible wait"),
                    "use a number of seconds between 0 and 86400",
                );
                None
            }
        };
        let mobile = match t.mobile {
            None | Some(MobileExitDoc::Both) => MobileExit::Both,
            Some(MobileExitDoc::ScrollUp) => MobileExit::ScrollUp,
            Some(MobileExitDoc::TabReturn) => MobileExit::TabReturn,
            Some(MobileExitDoc::Off) => MobileExit::Off,
        };
        if t.mobile.is_some() && t.on != EventDoc::ExitIntent {
            self.warn(
                "unused-field",
                p("mobile"),
                "`mobile` only applies to exit_intent triggers",
                "remove `mobile`",
            );
        }
        let event = match &t.on {
            EventDoc::ExitIntent => TriggerEvent::ExitIntent { mobile },
            EventDoc::TimeOnPage(s) => TriggerEvent::TimeOnPage {
                ms: seconds(self, *s, "time_on_page")?,
            },
            EventDoc::Idle(s) => TriggerEvent::Idle {
                ms: seconds(self, *s, "idle")?,
            },
            EventDoc::ScrollDepth(pct) => {
                if *pct == 0 || *pct > 100 {
                    self.error(
                        "bad-number",
                        push_pointer(&p("on"), "scroll_depth"),
                        format!("{pct}% is not a scroll depth"),
                        "use 1 to 100",
                    );
                    return None;
                }
                TriggerEvent::ScrollDepth { percent: *pct }
            }
            EventDoc::PageView => TriggerEvent::PageView,
            EventDoc::CartChanged => TriggerEvent::CartChanged,
            EventDoc::ReturningVisit => TriggerEvent::ReturningVisit,
            EventDoc::Custom(name) => {
                if name.trim().is_empty() {
                    self.error(
                        "bad-event",
                        p("on"),
                        "a custom event needs a name",
                        "write {\"custom\": \"newsletter_signup\"}",
                    );
                    return None;
                }
                TriggerEvent::Custom(name.clone())
            }
        };
        for (k, g) in t.pages.iter().enumerate() {
            if !g.starts_with('/') && !g.starts_with('*') {
                self.warn(
                    "bad-glob",
                    format!("{}/{k}", p("pages")),
                    format!("`{g}` never matches a page path"),
                    "page globs match paths such as /products/* (start with / or *)",
                );
            }
        }
        let condition = match &t.when {
            Some(c) => self
                .condition(&c.0, &p("when"), 0)
                .unwrap_or(Condition::Any(Vec::new())),
            None => Condition::Always,
        };
        let frequency = match t.frequency {
            FrequencyDoc::OncePerSession => Frequency::OncePerSession,
            FrequencyDoc::OncePerDays(0) => {
                self.error(
                    "bad-number",
                    p("frequency"),
                    "once every 0 days",
                    "use at least 1, or \"always\"",
                );
                Frequency::Always
            }
            FrequencyDoc::OncePerDays(d) => Frequency::OncePerDays(d),
            FrequencyDoc::UntilEngaged => Frequency::UntilEngaged,
            FrequencyDoc::Always => Frequency::Always,
        };
        let variants = match (&t.step, t.variants.is_empty()) {
            (Some(step), true) => vec![Variant {
                id: "default".into(),
                weight: 1,
                step: self.step_ref(step, &p("step"))?,
            }],
            (None, false) => {
                let mut ids = HashSet::new();
                let mut out = Vec::new();
                for (k, v) in t.variants.iter().enumerate() {
                    let vp = format!("{}/{k}", p("variants"));
                    if !ids.insert(v.id.clone()) {
                        self.error(
                            "duplicate-id",
                            push_pointer(&vp, "id"),
                            format!("two variants are called `{}`", v.id),
                            "variant ids must be unique within a trigger",
                        );
                    }
                    if let Some(step) = self.step_ref(&v.step, &push_pointer(&vp, "step")) {
                        out.push(Variant {
                            id: v.id.clone(),
                            weight: v.weight,
                            step,
                        });
                    }
                }
                if t.variants.iter().map(|v| u64::from(v.weight)).sum::<u64>() == 0 {
                    self.error(
                        "bad-weights",
                        p("variants"),
                        "every variant has weight 0",
                        "give at least one variant a positive weight",
                    );
                }
                out
            }
            (Some(_), false) => {
                self.error(
                    "trigger-step",
                    at,
                    "a trigger has either `step` or `variants`, not both",
                    "keep `variants` for an A/B test, or `step` for one message",
                );
                return None;
            }
            (None, true) => {
                self.error(
                    "trigger-step",
                    at,
                    "this trigger shows nothing",
                    "add \"step\": the message to show, or \"variants\" for an A/B test",
                );
                return None;
            }
        };
        if !(0.0..=0.9).contains(&t.holdout) {
            self.error(
                "bad-holdout",
                p("holdout"),
                format!(
                    "a holdout of {} is not a share between 0 and 0.9",
                    t.holdout
                ),
                "use e.g. 0.1 for 10 % of visitors",
            );
        }
        Some(Trigger {
            id: t.id.clone(),
            event,
            pages: t.pages.clone(),
            condition,
            frequency,
            respect_dismissal: t.respect_dismissal,
            suppress_while_active: t.suppress_while_active,
            priority: t.priority,
            variants,
            holdout_permille: (t.holdout.clamp(0.0, 0.9) * 1000.0).round() as u16,
        })
    }
}
