//! The panel's side of the trigger rules: the conversation engine judges them with
//! everything it knows, and when one fires, runs the chosen variant's step as a teaser.

use std::sync::Arc;

use super::effect::View;
use super::state::{Session, Status, Visitor};
use super::triggers::{self, ACTIVE_MS, Cue, Rules, Watch};
use super::{Conversation, Prop, Speaker, hash};
use crate::flow::Trigger;
use crate::time::Time;

impl Rules for Conversation {
    fn now(&self) -> Time {
        self.now
    }

    fn triggers(&self) -> &[Trigger] {
        &self.flow.triggers
    }

    fn languages(&self) -> &[String] {
        &self.flow.languages
    }

    fn visitor(&self) -> &Visitor {
        &self.state.visitor
    }

    fn visitor_mut(&mut self) -> &mut Visitor {
        &mut self.state.visitor
    }

    fn session(&self) -> &Session {
        &self.state.session
    }

    fn session_mut(&mut self) -> &mut Session {
        &mut self.state.session
    }

    fn watch(&self) -> &Watch {
        &self.watch
    }

    fn watch_mut(&mut self) -> &mut Watch {
        &mut self.watch
    }

    fn teaser_on_screen(&self) -> bool {
        self.state.chat.teaser.is_some()
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

    fn new_visit(&mut self) {
        if self.state.chat.teaser.take().is_some() {
            // A teaser from an earlier visit is stale: the shopper has moved on.
            self.view(View::HideTeaser);
        }
    }

    fn page_language(&mut self, language: String) {
        if self.state.chat.messages.is_empty() {
            self.state.chat.language = language;
        }
    }

    fn fire(&mut self, index: usize, _cue: &Cue) {
        let flow = Arc::clone(&self.flow);
        self.speak_first(&flow.triggers[index]);
    }
}

impl Conversation {
    /// The eager stage watched this page until now and loads the panel: carry on from
    /// where it got to (visits counted, time on the page, scroll depth, cart), and judge
    /// the cue that made it call, if any, with everything the panel knows.
    pub(super) fn take_over(&mut self, handover: super::Handover) {
        let mut new_visit = false;
        if handover.visitor.id == self.state.visitor.id {
            // The watcher counted this page view; a visit more means a new visit began.
            new_visit = handover.visitor.visits != self.state.visitor.visits;
            self.state.visitor = handover.visitor;
        }
        if new_visit {
            Rules::new_visit(self);
        }
        // Open as it was when the shopper arrived on this page; a conversation another tab
        // has open does not open here by itself (a click replays `open` after this).
        let was_open = self.state.session.panel_open;
        self.state.session = Session {
            panel_open: was_open,
            typing: false,
            ..handover.session
        };
        match (was_open, handover.open) {
            (true, false) => {
                self.state.session.panel_open = false;
                self.view(View::ClosePanel);
            }
            // The snapshot may be gone (refused consent, another browser profile): open
            // it as the shopper opens it.
            (false, true) => self.opened(),
            _ => {}
        }
        self.watch = handover.watch;
        let language =
            triggers::pick_language(&self.flow.languages, &self.state.session.page.language);
        self.page_language(language);
        if let Some(cue) = handover.cue {
            triggers::evaluate(self, &cue);
        }
    }

    fn speak_first(&mut self, trigger: &Trigger) {
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
        if self.show_teaser(trigger, variant) {
            self.track(
                "trigger_shown",
                vec![
                    ("trigger", Prop::text(&trigger.id)),
                    ("variant", Prop::text(&variant.id)),
                ],
            );
        }
    }

    /// Runs the variant's step and shows its last message as a teaser; `false` when it
    /// said nothing.
    fn show_teaser(&mut self, trigger: &Trigger, variant: &crate::flow::Variant) -> bool {
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
                true
            }
            None => {
                self.state.chat.teaser = None;
                false
            }
        }
    }

    /// See [`crate::Input::Preview`]: the merchant fires a trigger by hand in the console.
    pub(super) fn preview_trigger(&mut self, trigger: &str, variant: &str) {
        let flow = Arc::clone(&self.flow);
        let Some(trigger) = flow.triggers.iter().find(|t| t.id == trigger) else {
            return;
        };
        let Some(chosen) = trigger
            .variants
            .iter()
            .find(|v| v.id == variant)
            .or_else(|| trigger.variants.first())
        else {
            return;
        };
        if self.state.session.panel_open {
            // A teaser shows over a closed chat.
            self.state.session.panel_open = false;
            self.view(View::ClosePanel);
        }
        self.show_teaser(trigger, chosen);
    }
}
