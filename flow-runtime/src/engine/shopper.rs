//! What the shopper does: open, close, type, choose, rate.

use std::sync::Arc;

use super::effect::{Composer, CsatView, Effect, InputHint, Request, Speaker, View};
use super::state::{Cursor, Offered, Status};
use super::{Action, Conversation, HandoffStatus, Phrase, Prop, answer, escalation, intents};
use crate::faq::{Decision, Ranked};
use crate::flow::{FaqAnswer, Flow, StepKind};
use crate::value::Value;
use crate::wire::HandoffReason;

/// How many FAQ matches are remembered for the agent.
const FAQ_LOG: usize = 10;

impl Conversation {
    pub(super) fn opened(&mut self) {
        if self.state.session.panel_open {
            return;
        }
        self.state.session.panel_open = true;
        self.state.chat.unread = 0;
        self.view(View::OpenPanel);
        self.view(View::Unread(0));
        self.track("opened", vec![]);
        if self.state.chat.teaser.is_some() {
            self.teaser_engaged();
        }
        if !self.state.chat.greeted && self.state.chat.messages.is_empty() {
            self.greet();
        }
        self.state.chat.greeted = true;
    }

    pub(super) fn closed(&mut self) {
        if self.state.session.panel_open {
            self.state.session.panel_open = false;
            self.view(View::ClosePanel);
            self.track("closed", vec![]);
        }
    }

    /// The shopper sent a message.
    pub(super) fn said(&mut self, text: &str) {
        let text: String = text.trim().chars().take(super::MAX_MESSAGE_CHARS).collect();
        if text.is_empty() {
            return;
        }
        self.engage();
        self.show_text(Speaker::Shopper, None, &text);

        // In a live handoff the words go to the person (unless the flow asks something).
        let live = self.state.chat.handoff.as_ref().is_some_and(|h| {
            h.token.is_some()
                && matches!(
                    h.status,
                    HandoffStatus::Waiting | HandoffStatus::Joined { .. }
                )
        });
        if live && self.state.chat.cursor.is_none() {
            self.send_to_agent(&text);
            return;
        }
        self.clear_offer();

        if self.can_hand_off() && asks_for_human(self, &text) {
            self.leave_question();
            self.offer_human(HandoffReason::Asked);
            return;
        }
        if let Some(Cursor::Ask { .. }) = &self.state.chat.cursor {
            self.pending_question(&text);
            return;
        }
        if self.state.chat.cursor.is_some() {
            // A CSAT question is on screen but the shopper wrote instead: carry on.
            self.state.chat.cursor = None;
            self.state.chat.csat = None;
            self.view(View::Csat(None));
        }
        if let Some(menu) = self.flow.menu
            && intents::leaves_question(&text)
        {
            // "menu" with no question pending: the menu.
            self.run(menu);
            return;
        }
        let frustrated =
            self.flow.escalation.on_frustration && escalation::sounds_frustrated(&text);
        if frustrated {
            self.state.chat.frustrated = true;
        }
        let (question, found) = self.extract_entities(&text);
        if self.lookup_from_free_text(&question, found) {
            return;
        }
        self.question(&question);
        if frustrated
            && !self
                .state
                .chat
                .offered
                .iter()
                .any(|o| o.action == Action::Handoff)
        {
            self.offer_human(HandoffReason::Frustrated);
        }
    }

    /// A message while an `ask` step waits for its answer. What plausibly answers goes to
    /// the question; what is clearly something else is treated as such: an FAQ question
    /// the matcher is sure of is answered and the question asked again, "never mind"
    /// leaves it, frustration offers a person. A `strict` step takes everything as the
    /// answer.
    fn pending_question(&mut self, text: &str) {
        let flow = Arc::clone(&self.flow);
        let Some((step, ask)) = self.pending_ask(&flow) else {
            self.answer(text);
            return;
        };
        if ask.strict {
            self.answer(text);
            return;
        }
        let lang = self.lang();
        // An order number or an email said along the way is kept, as outside a question.
        let (question, _) = self.extract_entities(text);
        if intents::leaves_question(text) {
            self.leave_question();
            match self.flow.menu {
                Some(menu) => {
                    let left = self.phrase(Phrase::LeftQuestion);
                    self.show_text(Speaker::Bot, None, &left);
                    self.run(menu);
                }
                None => {
                    let left = self.phrase(Phrase::LeftQuestionAsk);
                    self.show_text(Speaker::Bot, None, &left);
                }
            }
            self.track("question_left", vec![("step", Prop::text(&step))]);
            return;
        }
        let free = matches!(ask.expect, crate::flow::Expect::Text);
        // Shaped like the answer (an order number, an email, one of the options): it is.
        if !free && answer::check(&ask.expect, text, &lang).is_some() {
            self.answer(text);
            return;
        }
        // A free answer is anything, unless it reads as a question of its own.
        let other = !free || intents::looks_like_question(text, &lang);
        if other {
            if let Decision::Answer(r) = self.flow.faq.decide(&question, &lang) {
                self.state.chat.misses = 0;
                self.answer_entry(r.entry, r.confidence, Some(&question));
                return;
            }
        }
        if !free && self.flow.escalation.on_frustration && escalation::sounds_frustrated(text) {
            self.state.chat.frustrated = true;
            self.leave_question();
            self.offer_human(HandoffReason::Frustrated);
            return;
        }
        self.answer(text);
    }

    /// The `ask` step the cursor is on in `flow` (the conversation's, shared so that it can
    /// be read while the conversation changes), with its id.
    fn pending_ask<'f>(&self, flow: &'f Flow) -> Option<(String, &'f crate::flow::Ask)> {
        let Some(Cursor::Ask { step, .. }) = &self.state.chat.cursor else {
            return None;
        };
        match flow.step(flow.step_index(step)?).map(|s| &s.kind) {
            Some(StepKind::Ask(ask)) => Some((step.clone(), ask)),
            _ => None,
        }
    }

    /// Leaves the question being asked, and those waiting behind it.
    pub(super) fn leave_question(&mut self) {
        self.state.chat.suspended.clear();
        if matches!(self.state.chat.cursor, Some(Cursor::Ask { .. })) {
            self.state.chat.cursor = None;
            self.set_composer(Composer::Ready {
                hint: InputHint::Text,
            });
            self.state.chat.status = Status::Engaged;
        }
    }

    /// Asks the pending question again after a digression: its `reprompt`, or "Back to my
    /// question:" and the question.
    fn ask_again(&mut self) {
        let flow = Arc::clone(&self.flow);
        let Some((_, ask)) = self.pending_ask(&flow) else {
            return;
        };
        match &ask.reprompt {
            Some(reprompt) => self.say(reprompt),
            None => {
                // One bubble: "Back to my question: What's your order number?"
                let lang = self.lang();
                let mut text = ask
                    .content
                    .text
                    .as_ref()
                    .map(|t| super::render::rich(t, &lang, &super::Variables(self)))
                    .unwrap_or_default();
                let back = super::Span {
                    text: format!("{} ", self.phrase(Phrase::BackToQuestion)),
                    ..super::Span::default()
                };
                match text.first_mut() {
                    Some(super::BlockView::Paragraph(spans)) => spans.insert(0, back),
                    _ => text.insert(0, super::BlockView::Paragraph(vec![back])),
                }
                self.show(super::Message {
                    id: 0,
                    at: self.now,
                    from: Speaker::Bot,
                    author: None,
                    text,
                    image: None,
                    cards: Vec::new(),
                    order: None,
                });
            }
        }
        match &ask.expect {
            crate::flow::Expect::Choice(choices) => self.offer_choices(choices),
            _ => self.clear_offer(),
        }
        let hint = composer_hint(&ask.expect);
        self.set_composer(Composer::Ready { hint });
    }

    /// After an input, a question that waited behind another topic is asked again once
    /// that topic needs nothing more (no question, no server answer pending).
    pub(super) fn resume_suspended(&mut self) {
        let chat = &self.state.chat;
        if chat.suspended.is_empty()
            || chat.cursor.is_some()
            || chat.pending.is_some()
            || chat.status == Status::WaitingOnAgent
        {
            return;
        }
        while let Some(step) = self.state.chat.suspended.pop() {
            if self.step_named(&step).is_some() {
                self.state.chat.cursor = Some(Cursor::Ask { step, retries: 0 });
                self.ask_again();
                self.waiting_on_customer();
                return;
            }
        }
    }

    /// The shopper picked a quick reply.
    pub(super) fn quick_reply(&mut self, index: usize) {
        // A stale or forged index (a double click, an old tab) is ignored.
        let Some(chosen) = self.state.chat.offered.get(index).cloned() else {
            return;
        };
        if self.state.chat.teaser.is_some() {
            self.teaser_engaged();
            if !self.state.session.panel_open {
                self.state.session.panel_open = true;
                self.state.chat.unread = 0;
                self.view(View::OpenPanel);
                self.view(View::Unread(0));
            }
        }
        self.engage();
        self.clear_offer();
        self.show_text(Speaker::Shopper, None, &chosen.label);
        let (action, target) = chosen.action.describe();
        self.track(
            "quick_reply",
            vec![
                ("label", Prop::text(&chosen.label)),
                ("action", Prop::text(action)),
                ("target", Prop::text(target)),
            ],
        );
        self.perform(chosen.action);
    }

    /// The shopper pressed a card's button.
    pub(super) fn card_button(&mut self, message: u64, card: usize, button: usize) {
        let Some(action) = self
            .state
            .chat
            .card_actions
            .iter()
            .find(|(id, _)| *id == message)
            .and_then(|(_, cards)| cards.get(card))
            .and_then(|buttons| buttons.get(button))
            .cloned()
        else {
            return;
        };
        self.engage();
        self.perform(action);
    }

    pub(super) fn rated(&mut self, score: u8, comment: Option<String>) {
        let Some(Cursor::Csat { step }) = self.state.chat.cursor.clone() else {
            return;
        };
        let Some(idx) = self.step_named(&step) else {
            return;
        };
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Csat(csat)) = flow.step(idx).map(|s| &s.kind) else {
            return;
        };
        let view = CsatView {
            scale: csat.scale,
            comment: csat.comment,
        };
        if !view.choices().iter().any(|c| c.score == score) {
            return;
        }
        let max = view.choices().iter().map(|c| c.score).max().unwrap_or(0);
        let comment: Option<String> = comment
            .filter(|_| csat.comment)
            .map(|c| crate::wire::limits::cut(c.trim(), crate::wire::limits::COMMENT_CHARS))
            .filter(|c| !c.is_empty());
        self.state.chat.cursor = None;
        self.state.chat.csat = None;
        self.view(View::Csat(None));
        self.state.chat.set_var(
            "csat.score",
            Value::Num(crate::value::Num::from_int(i64::from(score))),
        );
        if let Some(c) = &comment {
            self.state
                .chat
                .set_var("csat.comment", Value::Text(c.clone()));
        }
        self.track(
            "csat",
            vec![
                ("score", Prop::int(i64::from(score))),
                ("scale", Prop::int(i64::from(max))),
            ],
        );
        // With a handoff, the rating (and comment) belong to that conversation's record.
        if let Some(token) = self
            .state
            .chat
            .handoff
            .as_ref()
            .and_then(|h| h.token.clone())
        {
            let request = self.next_id();
            self.request(Request::SendRating {
                request,
                token,
                score,
                comment,
            });
        }
        if let Some(next) = csat.next {
            self.run(next);
        }
    }

    pub(super) fn teaser_dismissed(&mut self) {
        self.close_teaser(false);
    }

    fn teaser_engaged(&mut self) {
        self.close_teaser(true);
    }

    /// The teaser goes away: the shopper took it up (`engaged`) or closed it. Either is
    /// remembered for the trigger's caps and reported with the A/B variant.
    fn close_teaser(&mut self, engaged: bool) {
        let Some(trigger) = self.state.chat.teaser.take() else {
            return;
        };
        let history = self.state.visitor.trigger(&trigger);
        if engaged {
            history.engaged = true;
        } else {
            history.dismissed = true;
        }
        self.view(View::HideTeaser);
        let variant = self
            .state
            .chat
            .trigger
            .as_ref()
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let event = if engaged {
            "trigger_converted"
        } else {
            "trigger_dismissed"
        };
        self.track(
            event,
            vec![
                ("trigger", Prop::text(&trigger)),
                ("variant", Prop::text(&variant)),
            ],
        );
    }

    /// The shopper did something: the conversation is under way.
    fn engage(&mut self) {
        if self.state.chat.status == Status::Completed {
            // A new conversation begins after one ended: a new id for analytics.
            self.state.chat.id = super::conversation_id(&self.state.visitor.id, self.now);
        }
        if matches!(
            self.state.chat.status,
            Status::New | Status::Completed | Status::WaitingOnCustomer
        ) {
            self.state.chat.status = Status::Engaged;
        }
        self.state.chat.greeted = true;
        self.state.session.last_activity = self.now;
        self.state.chat.last_shopper_at = Some(self.now);
    }

    pub(super) fn perform(&mut self, action: Action) {
        match action {
            Action::Goto(id) => match self.step_named(&id) {
                Some(idx) => {
                    // Another topic while a question waits: the question waits behind it.
                    if let Some(Cursor::Ask { step, .. }) = self.state.chat.cursor.clone() {
                        self.suspend(step);
                    }
                    self.run(idx)
                }
                None => self.lost(),
            },
            Action::Faq(id) => match self.flow.faq.entries.iter().position(|e| e.id == id) {
                Some(i) => self.answer_entry(i as u32, 1000, None),
                None => self.lost(),
            },
            Action::Url(url) => {
                // The widget opened the link itself (a real <a>); only the click is counted.
                self.track("link_opened", vec![("url", Prop::text(url))]);
            }
            Action::Handoff => self.accept_human(),
            // The shell reports it to the store's page (and its analytics) itself.
            Action::AddToCart { sku, quantity } => {
                let conversation = self.state.chat.id.clone();
                self.emit(Effect::Announce(super::Announcement::AddToCart {
                    sku,
                    quantity,
                    conversation,
                }));
            }
            Action::Answer(text) => match &self.state.chat.cursor {
                Some(Cursor::Ask { .. }) => self.answer(&text),
                _ => self.question(&text),
            },
            Action::Decline => {
                self.state.chat.misses = 0;
                self.state.chat.offered_for = Default::default();
                if matches!(self.state.chat.cursor, Some(Cursor::Ask { .. })) {
                    self.ask_again();
                } else {
                    let text = self.phrase(Phrase::Declined);
                    self.show_text(Speaker::Bot, None, &text);
                }
            }
        }
    }

    /// The answer to the `ask` step the cursor is on.
    fn answer(&mut self, text: &str) {
        let Some(Cursor::Ask { step, retries }) = self.state.chat.cursor.clone() else {
            return;
        };
        let Some(idx) = self.step_named(&step) else {
            self.state.chat.cursor = None;
            self.lost();
            return;
        };
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Ask(ask)) = flow.step(idx).map(|s| &s.kind) else {
            self.state.chat.cursor = None;
            self.lost();
            return;
        };
        match answer::check(&ask.expect, text, &self.state.chat.language) {
            Some(value) => {
                self.state.chat.set_var(&ask.var, value);
                self.state.chat.cursor = None;
                self.set_composer(Composer::Ready {
                    hint: InputHint::Text,
                });
                self.state.chat.status = Status::Engaged;
                if let Some(next) = ask.next {
                    self.run(next);
                }
            }
            None if retries >= ask.max_retries => {
                self.state.chat.cursor = None;
                self.set_composer(Composer::Ready {
                    hint: InputHint::Text,
                });
                self.track("ask_failed", vec![("step", Prop::text(&step))]);
                match ask.on_fail {
                    Some(next) => self.run(next),
                    None => self.offer_human(HandoffReason::AnswerFailed),
                }
            }
            None => {
                self.state.chat.cursor = Some(Cursor::Ask {
                    step,
                    retries: retries + 1,
                });
                self.say(&ask.retry);
                if let crate::flow::Expect::Choice(choices) = &ask.expect {
                    self.offer_choices(choices);
                }
            }
        }
    }

    /// A free-text question: FAQ answer, "did you mean …?", or the fallback.
    fn question(&mut self, text: &str) {
        let mut decision = self.flow.faq.decide(text, &self.state.chat.language);
        // "Did you mean" offers each entry by its question: an entry whose question is
        // blank in this language (a flow compiled before questions were required) is no
        // choice, and with none left the question was missed.
        if let Decision::Unsure(suggest) = &mut decision {
            let lang = self.lang();
            suggest.retain(|r| {
                self.flow
                    .faq
                    .entries
                    .get(r.entry as usize)
                    .is_some_and(|e| {
                        !super::render::localized(&e.question, &lang, &super::Variables(self))
                            .trim()
                            .is_empty()
                    })
            });
            if suggest.is_empty() {
                decision = Decision::Missed(Vec::new());
            }
        }
        match decision {
            Decision::Answer(Ranked {
                entry, confidence, ..
            }) => {
                self.state.chat.misses = 0;
                self.answer_entry(entry, confidence, Some(text));
            }
            Decision::Unsure(suggest) => {
                self.state.chat.misses = 0;
                let lang = self.lang();
                let mut offered: Vec<Offered> = suggest
                    .iter()
                    .filter_map(|r| self.flow.faq.entries.get(r.entry as usize))
                    .map(|e| Offered {
                        label: super::render::localized(
                            &e.question,
                            &lang,
                            &super::Variables(self),
                        ),
                        href: None,
                        action: Action::Faq(e.id.clone()),
                    })
                    .collect();
                offered.push(Offered {
                    label: self.phrase(Phrase::NoneOfThese).to_owned(),
                    href: None,
                    action: Action::Decline,
                });
                self.log_faq(&suggest);
                let props = self.faq_props(&suggest, text);
                self.track("faq_unsure", props);
                // The choices are in the bubble too, so the history still reads once the
                // quick replies are gone.
                let span = |text: &str| super::Span {
                    text: text.to_owned(),
                    ..super::Span::default()
                };
                let choices = offered[..offered.len() - 1]
                    .iter()
                    .map(|o| vec![span(&o.label)])
                    .collect();
                let text = vec![
                    super::BlockView::Paragraph(vec![span(&self.phrase(Phrase::DidYouMean))]),
                    super::BlockView::List {
                        ordered: false,
                        items: choices,
                    },
                ];
                self.show(super::Message {
                    id: 0,
                    at: self.now,
                    from: Speaker::Bot,
                    author: None,
                    text,
                    image: None,
                    cards: Vec::new(),
                    order: None,
                });
                self.offer(offered);
            }
            Decision::Missed(closest) => {
                self.state.chat.misses = self.state.chat.misses.saturating_add(1);
                let props = self.faq_props(&closest, text);
                self.track("faq_missed", props);
                let flow = Arc::clone(&self.flow);
                self.say(&flow.faq.fallback);
                let max = self.flow.escalation.max_misses;
                if max > 0 && self.state.chat.misses >= max {
                    self.state.chat.misses = 0;
                    self.offer_human(HandoffReason::Missed);
                }
            }
        }
    }

    /// Answers FAQ entry `entry`; `question` is what the shopper typed (without emails and
    /// order numbers), or `None` when they chose the entry.
    fn answer_entry(&mut self, entry: u32, confidence: u16, question: Option<&str>) {
        let flow = Arc::clone(&self.flow);
        let Some(e) = flow.faq.entries.get(entry as usize) else {
            self.lost();
            return;
        };
        self.log_faq(&[Ranked {
            entry,
            confidence,
            shared: 0,
            content: 0,
        }]);
        let mut props = vec![
            ("entry", Prop::text(&e.id)),
            ("confidence", Prop::confidence(confidence)),
        ];
        if let Some(q) = question {
            props.push(("question", Prop::text(tidy(q))));
        }
        self.track("faq_answered", props);
        // Answered while a question waits: a plain answer, then the question again; an
        // answer that runs steps is a topic of its own, and the question waits behind it.
        let waiting = match &self.state.chat.cursor {
            Some(Cursor::Ask { step, .. }) => Some(step.clone()),
            _ => None,
        };
        match &e.answer {
            FaqAnswer::Content(content) => {
                self.say(content);
                if waiting.is_some() {
                    self.ask_again();
                } else {
                    // The question as the shopper put it, or the entry's when they chose it.
                    let asked = match question {
                        Some(q) => tidy(q),
                        None => super::render::localized(
                            &e.question,
                            &self.lang(),
                            &super::Variables(self),
                        ),
                    };
                    self.helpful = Some((e.id.clone(), asked));
                    self.view(View::Helpful(true));
                }
            }
            FaqAnswer::Goto(step) => {
                if let Some(waiting) = waiting {
                    self.suspend(waiting);
                }
                self.run(*step);
            }
        }
    }

    /// Puts the question being asked aside (at most three deep; the oldest goes).
    fn suspend(&mut self, step: String) {
        self.state.chat.cursor = None;
        let suspended = &mut self.state.chat.suspended;
        suspended.retain(|s| *s != step);
        suspended.push(step);
        if suspended.len() > 3 {
            suspended.remove(0);
        }
    }

    /// The properties of `faq_unsure` and `faq_missed`: the entries considered, their
    /// confidences, and the question.
    fn faq_props(&self, ranked: &[Ranked], question: &str) -> Vec<(&'static str, Prop)> {
        let entries = ranked
            .iter()
            .filter_map(|r| self.flow.faq.entries.get(r.entry as usize))
            .map(|e| Prop::text(&e.id))
            .collect();
        let confidences = ranked
            .iter()
            .map(|r| Prop::confidence(r.confidence))
            .collect();
        vec![
            ("entries", Prop::List(entries)),
            ("confidences", Prop::List(confidences)),
            ("question", Prop::text(tidy(question))),
            // The language it was asked in, so that the merchant's "add as a phrasing"
            // teaches that language.
            ("language", Prop::text(&self.state.chat.language)),
        ]
    }

    fn log_faq(&mut self, ranked: &[Ranked]) {
        for r in ranked {
            if let Some(e) = self.flow.faq.entries.get(r.entry as usize) {
                let id = e.id.clone();
                self.state.chat.faq_log.push((id, r.confidence));
            }
        }
        let log = &mut self.state.chat.faq_log;
        if log.len() > FAQ_LOG {
            log.drain(..log.len() - FAQ_LOG);
        }
    }

    /// Order numbers, emails and phone numbers in free text become variables, so
    /// "order #10493 hasn't arrived" can go straight to a lookup. Returns the text without
    /// them (an email address says nothing about which question was asked) and what was
    /// found.
    fn extract_entities(&mut self, text: &str) -> (String, Found) {
        let mut rest = text.to_owned();
        let mut found = Found::default();
        if let Some(email) = answer::find_email(&rest) {
            if let Some(at) = rest.to_ascii_lowercase().find(&email) {
                rest.replace_range(at..at + email.len(), " ");
            }
            self.state.chat.set_var("email", Value::Text(email));
            found.email = true;
        }
        if let Some(p) = &self.flow.order_number
            && let Some((s, e)) = p.find(&rest)
        {
            let number = rest[s..e].to_owned();
            rest.replace_range(s..e, " ");
            self.state.chat.set_var("order_number", Value::Text(number));
            found.order_number = true;
        }
        if let Some(phone) = answer::find_phone(&rest) {
            if let Some(at) = rest.find(&phone) {
                rest.replace_range(at..at + phone.len(), " ");
            }
            self.state.chat.set_var("phone", Value::Text(phone));
        }
        (rest, found)
    }

    /// A message carrying an order number is about that order, wherever it is typed
    /// ("where is 10234?"): the lookup starts (the flow's `order_start`, which asks for
    /// what is still missing). An email on its own (with no question around it) continues
    /// a lookup that has a number and waits for it. Returns whether the message went to the
    /// lookup.
    fn lookup_from_free_text(&mut self, rest: &str, found: Found) -> bool {
        let Some(start) = self.flow.order_start else {
            return false;
        };
        let has_number = self.variable("order_number").is_some_and(|v| v.is_set());
        let only_an_email = found.email && has_number && crate::faq::words(rest).len() <= 3;
        if !(found.order_number || only_an_email) {
            return false;
        }
        self.run(start);
        true
    }

    /// Offers a person: the flow's offer step, or the built-in question. The reason goes
    /// to analytics and, when the shopper takes the offer, with the handoff.
    pub(super) fn offer_human(&mut self, reason: HandoffReason) {
        // A flow without a handoff step has no person to offer: the shopper's words go to
        // the FAQ like any other (its "contact us" entry answers them).
        if !self.can_hand_off() {
            return;
        }
        self.state.chat.offered_for = super::state::OfferedFor(reason);
        self.track(
            "human_offered",
            vec![("reason", Prop::text(reason.as_str()))],
        );
        if let Some(step) = self.flow.escalation.offer {
            self.run(step);
            return;
        }
        let question = self.phrase(Phrase::OfferHuman);
        self.show_text(Speaker::Bot, None, &question);
        let offered = vec![
            Offered {
                label: self.phrase(Phrase::OfferHumanYes).to_owned(),
                href: None,
                action: Action::Handoff,
            },
            Offered {
                label: self.phrase(Phrase::OfferHumanNo).to_owned(),
                href: None,
                action: Action::Decline,
            },
        ];
        self.offer(offered);
    }

    /// The "did this help?" prompt goes (the shopper did something else).
    pub(super) fn forget_helpful(&mut self) {
        if self.helpful.take().is_some() {
            self.view(View::Helpful(false));
        }
    }

    /// The shopper said whether the last FAQ answer helped. Counted (with the question,
    /// so the merchant sees which answers miss); a "no" gets a way forward.
    pub(super) fn helpful_answered(&mut self, yes: bool) {
        let Some((entry, question)) = self.helpful.take() else {
            return;
        };
        self.view(View::Helpful(false));
        self.engage();
        self.track(
            "faq_feedback",
            vec![
                ("entry", Prop::text(&entry)),
                ("helpful", Prop::text(if yes { "yes" } else { "no" })),
                ("question", Prop::text(question)),
                ("language", Prop::text(&self.state.chat.language)),
            ],
        );
        if !yes {
            let text = self.phrase(Phrase::NotHelped).to_owned();
            self.show_text(Speaker::Bot, None, &text);
            if self.can_hand_off() {
                let label = self.phrase(Phrase::TalkToPerson).to_owned();
                self.offer(vec![Offered {
                    label,
                    href: None,
                    action: Action::Handoff,
                }]);
            }
        }
    }

    /// Whether the flow has a person to hand off to.
    pub(super) fn can_hand_off(&self) -> bool {
        self.flow.escalation.handoff.is_some()
    }

    /// The shopper wants a person: run the flow's handoff step.
    fn accept_human(&mut self) {
        match self.flow.escalation.handoff {
            Some(step) => self.run(step),
            None => self.lost(),
        }
    }

    fn send_to_agent(&mut self, text: &str) {
        let Some(token) = self
            .state
            .chat
            .handoff
            .as_ref()
            .and_then(|h| h.token.clone())
        else {
            return;
        };
        let request = self.next_id();
        let key = self
            .state
            .chat
            .messages
            .last()
            .map_or(request, |m| m.id)
            .to_string();
        self.request(Request::SendToAgent {
            request,
            token,
            key,
            text: text.to_owned(),
        });
    }
}

fn asks_for_human(conversation: &Conversation, text: &str) -> bool {
    escalation::asks_for_human(text, &conversation.flow.escalation.phrases)
}

/// The keyboard a question wants.
pub(super) fn composer_hint(expect: &crate::flow::Expect) -> InputHint {
    use crate::flow::Expect;
    match expect {
        Expect::Email => InputHint::Email,
        Expect::Phone => InputHint::Phone,
        Expect::Number { .. } => InputHint::Number,
        _ => InputHint::Text,
    }
}

/// What a message carried besides its words.
#[derive(Clone, Copy, Debug, Default)]
struct Found {
    order_number: bool,
    email: bool,
}

/// A question as analytics keep it: one space between words, at most 500 characters.
fn tidy(text: &str) -> String {
    // Word by word rather than `join`: one generic join fewer in the wasm (0.9 KB).
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    crate::wire::limits::cut(&out, 500)
}
