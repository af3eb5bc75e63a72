//! Running the flow's steps until one waits for the shopper or the server.

use std::sync::Arc;

use super::effect::{Composer, CsatView, Request, View};
use super::state::{Cursor, Handoff, Pending, PendingKind, Status};
use super::{Conversation, HandoffRequest, HandoffStatus, Phrase, logic, render};
use crate::flow::{Expect, StepIdx, StepKind};
use crate::value::Value;

/// How many steps one input may run. A flow whose steps lead into each other in a circle
/// (which `flow check` reports) stops here instead of spinning.
pub const MAX_STEPS_PER_INPUT: usize = 64;

impl Conversation {
    /// The greeting, when the panel first opens.
    pub(super) fn greet(&mut self) {
        self.state.chat.greeted = true;
        let greeting = self.flow.greeting;
        self.run(greeting);
    }

    /// Runs steps from `start` until one waits.
    pub(super) fn run(&mut self, start: StepIdx) {
        let mut next = Some(start);
        let mut budget = MAX_STEPS_PER_INPUT;
        while let Some(idx) = next.take() {
            if budget == 0 {
                return;
            }
            budget -= 1;
            let flow = Arc::clone(&self.flow);
            let Some(step) = flow.step(idx) else {
                self.lost();
                return;
            };
            match &step.kind {
                StepKind::Message {
                    content,
                    next: after,
                } => {
                    self.say(content);
                    if content.quick_replies.is_empty() {
                        next = *after;
                    }
                }
                StepKind::Ask(ask) => {
                    self.say(&ask.content);
                    if let Expect::Choice(choices) = &ask.expect
                        && ask.content.quick_replies.is_empty()
                    {
                        self.offer_choices(choices);
                    }
                    // Asked afresh: no longer waiting behind another topic.
                    self.state.chat.suspended.retain(|s| *s != step.id);
                    self.state.chat.cursor = Some(Cursor::Ask {
                        step: step.id.clone(),
                        retries: 0,
                    });
                    let hint = super::shopper::composer_hint(&ask.expect);
                    self.set_composer(Composer::Ready { hint });
                    self.waiting_on_customer();
                    return;
                }
                StepKind::Goto(to) => next = Some(*to),
                StepKind::Condition {
                    branches,
                    otherwise,
                } => {
                    next = branches
                        .iter()
                        .find(|(condition, _)| logic::holds(condition, self))
                        .map(|(_, to)| *to)
                        .or(*otherwise);
                }
                StepKind::Set {
                    assign,
                    next: after,
                } => {
                    for a in assign {
                        let value = match &a.value {
                            crate::flow::Operand::Value(v) => v.clone(),
                            crate::flow::Operand::Template(parts) => {
                                Value::Text(render::text(parts, &super::Variables(self)))
                            }
                        };
                        self.state.chat.set_var(&a.var, value);
                    }
                    next = *after;
                }
                StepKind::End { content } => {
                    if let Some(content) = &content {
                        self.say(content);
                    }
                    self.state.chat.cursor = None;
                    self.state.chat.status = Status::Completed;
                    return;
                }
                StepKind::OrderLookup(lookup) => {
                    if let Some(content) = &lookup.content {
                        self.say(content);
                    }
                    let number = self
                        .variable(&lookup.number_var)
                        .filter(Value::is_set)
                        .map(|v| v.to_text());
                    let email = self
                        .variable(&lookup.email_var)
                        .filter(Value::is_set)
                        .map(|v| v.to_text());
                    let (Some(number), Some(email)) = (number, email) else {
                        // Nothing to look up with: the flow's error branch explains.
                        next = lookup.error.or(lookup.not_found);
                        continue;
                    };
                    let request = self.next_id();
                    let number = crate::fields::order_number(&number);
                    self.request(Request::LookUpOrder {
                        request,
                        number,
                        email: email.trim().to_owned(),
                    });
                    self.state.chat.pending = Some(Pending {
                        request,
                        kind: PendingKind::OrderLookup {
                            step: step.id.clone(),
                        },
                    });
                    self.set_typing(true);
                    let reason = self.phrase(Phrase::LookingUp).to_owned();
                    self.set_composer(Composer::Waiting { reason });
                    return;
                }
                StepKind::Handoff(handoff) => {
                    if let Some(content) = &handoff.content {
                        self.say(content);
                    }
                    self.hand_off(Some(step.id.clone()));
                    return;
                }
                StepKind::HandoffEmail {
                    var,
                    next: after,
                    error,
                } => {
                    let email = self
                        .variable(var)
                        .filter(Value::is_set)
                        .map(|v| v.to_text());
                    let token = self
                        .state
                        .chat
                        .handoff
                        .as_ref()
                        .and_then(|h| h.token.clone());
                    let (Some(email), Some(token)) = (email, token) else {
                        next = error.or(*after);
                        continue;
                    };
                    let request = self.next_id();
                    self.request(Request::SendEmail {
                        request,
                        token,
                        email,
                    });
                    self.state.chat.pending = Some(Pending {
                        request,
                        kind: PendingKind::Email {
                            step: step.id.clone(),
                        },
                    });
                    let reason = self.phrase(Phrase::Sending).to_owned();
                    self.set_composer(Composer::Waiting { reason });
                    return;
                }
                StepKind::Csat(csat) => {
                    self.say(&csat.content);
                    let view = CsatView {
                        scale: csat.scale,
                        comment: csat.comment,
                    };
                    self.state.chat.csat = Some(view);
                    self.state.chat.cursor = Some(Cursor::Csat {
                        step: step.id.clone(),
                    });
                    self.view(View::Csat(Some(view)));
                    self.waiting_on_customer();
                    return;
                }
            }
        }
        // The turn ended on a message: quick replies may be waiting for a choice.
        if !self.state.chat.offered.is_empty() && self.state.chat.status != Status::WaitingOnAgent {
            self.waiting_on_customer();
        }
    }

    /// The step an id names now, if it still exists.
    pub(super) fn step_named(&self, id: &str) -> Option<StepIdx> {
        self.flow.step_index(id)
    }

    /// Asks the server for a person. `step` is the handoff step whose branches follow.
    pub(super) fn hand_off(&mut self, step: Option<String>) {
        if let Some(h) = &self.state.chat.handoff
            && matches!(
                h.status,
                HandoffStatus::Connecting | HandoffStatus::Waiting | HandoffStatus::Joined { .. }
            )
        {
            return;
        }
        let request = self.next_id();
        let email = self
            .variable("email")
            .filter(Value::is_set)
            .map(|v| v.to_text());
        let s = &self.state.session;
        let chat = &self.state.chat;
        // Everything cut to the contract's limits here, so that a long page address (a
        // `utm_` tail) or a long cart never makes the server refuse a shopper's handoff.
        use crate::wire::limits::{self as limit, cut};
        let reason = chat.offered_for.0;
        let context = crate::wire::HandoffContext {
            page_url: cut(&s.page.url, limit::PAGE_URL_CHARS),
            language: cut(&chat.language, limit::LANGUAGE_CHARS),
            device: cut(s.page.device.as_str(), limit::DEVICE_CHARS),
            cart_items: s.cart.items,
            cart_value: cut(&s.cart.value.to_string(), limit::CART_VALUE_CHARS),
            currency: cut(&s.cart.currency, limit::CURRENCY_CHARS),
            cart_lines: s
                .cart
                .lines
                .iter()
                .take(limit::CART_LINES)
                .filter(|l| !l.name.trim().is_empty())
                .map(|l| crate::wire::CartLine {
                    name: limit::shorten(&l.name, limit::CART_LINE_NAME_CHARS),
                    quantity: l.quantity,
                })
                .collect(),
            faq: chat.faq_log[chat.faq_log.len().saturating_sub(limit::FAQ_TRIES)..]
                .iter()
                .map(|(id, confidence)| {
                    let question = self
                        .flow
                        .faq
                        .entries
                        .iter()
                        .find(|e| &e.id == id)
                        .map(|e| {
                            render::localized(&e.question, &chat.language, &super::Variables(self))
                        })
                        .unwrap_or_default();
                    crate::wire::FaqTry {
                        entry: cut(id, limit::NAME_CHARS),
                        question: cut(&question, limit::FAQ_QUESTION_CHARS),
                        confidence: crate::wire::Confidence(*confidence),
                    }
                })
                .collect(),
            trigger: chat
                .trigger
                .as_ref()
                .map(|(t, _)| cut(t, limit::NAME_CHARS)),
            variant: chat
                .trigger
                .as_ref()
                .map(|(_, v)| cut(v, limit::NAME_CHARS)),
            frustrated: chat.frustrated,
            reason,
            visits: self.state.visitor.visits,
            email: email.filter(|e| e.chars().count() <= limit::EMAIL_CHARS),
        };
        let transcript = chat.transcript(self.now);
        let context_reason = context.reason;
        self.request(Request::HandOff(HandoffRequest {
            request,
            transcript,
            context,
        }));
        self.state.chat.pending = Some(Pending {
            request,
            kind: PendingKind::Handoff { step },
        });
        self.state.chat.handoff = Some(Handoff {
            token: None,
            status: HandoffStatus::Connecting,
            seen: Vec::new(),
            after: String::new(),
        });
        self.view(View::HandoffStatus(Some(HandoffStatus::Connecting)));
        self.state.chat.status = Status::WaitingOnAgent;
        // A person takes over: questions left waiting are theirs now.
        self.state.chat.suspended.clear();
        self.set_typing(true);
        let reason = self.phrase(Phrase::Connecting).to_owned();
        self.set_composer(Composer::Waiting { reason });
        self.state.chat.offered_for = Default::default();
        self.track(
            "handoff_requested",
            vec![("reason", super::Prop::text(context_reason.as_str()))],
        );
    }

    /// A reference that no longer leads anywhere: apologise and offer the greeting again.
    pub(super) fn lost(&mut self) {
        let text = self.phrase(Phrase::Lost);
        self.show_text(super::Speaker::Bot, None, &text);
        self.state.chat.cursor = None;
    }

    pub(super) fn waiting_on_customer(&mut self) {
        // A conversation stays `New` until the shopper does something.
        if !matches!(self.state.chat.status, Status::New | Status::WaitingOnAgent) {
            self.state.chat.status = Status::WaitingOnCustomer;
        }
    }
}
