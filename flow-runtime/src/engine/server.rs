//! Answers from the server, and the live conversation with a person.

use std::sync::Arc;

use super::effect::{Composer, InputHint, Speaker};
use super::input::{AgentEvent, HandoffAnswer, OrderAnswer};
use super::state::{Action, Offered, PendingKind, Status};
use super::{Conversation, HandoffStatus, Phrase, Prop};
use crate::flow::StepKind;
use crate::value::{Num, Value};

/// Most agent message ids remembered to drop duplicates.
const SEEN_AGENT_MESSAGES: usize = 500;

impl Conversation {
    /// Takes the pending request if `request` is it.
    fn take_pending(&mut self, request: u64) -> Option<PendingKind> {
        if self
            .state
            .chat
            .pending
            .as_ref()
            .is_some_and(|p| p.request == request)
        {
            let pending = self.state.chat.pending.take()?;
            self.set_typing(false);
            self.set_composer(Composer::Ready {
                hint: InputHint::Text,
            });
            Some(pending.kind)
        } else {
            None
        }
    }

    pub(super) fn order_answered(&mut self, request: u64, answer: OrderAnswer) {
        // An answer to a request we no longer wait for (answered twice, a stale tab) is dropped.
        let Some(PendingKind::OrderLookup { step }) = self.take_pending(request) else {
            return;
        };
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::OrderLookup(lookup)) = self
            .step_named(&step)
            .and_then(|i| flow.step(i))
            .map(|s| &s.kind)
        else {
            self.lost();
            return;
        };
        // The number is spent: asking to track again asks for an order afresh (what was
        // found stays in `order.*`).
        if !matches!(answer, OrderAnswer::Error) {
            self.state
                .chat
                .set_var(&lookup.number_var, Value::Text(String::new()));
        }
        let next = match answer {
            OrderAnswer::Found(order) => {
                let chat = &mut self.state.chat;
                chat.set_var("order.number", Value::Text(order.number.clone()));
                chat.set_var("order.status", Value::Text(order.status.clone()));
                let items: Vec<String> = order
                    .items
                    .iter()
                    .map(|i| format!("{} × {}", i.quantity, i.name))
                    .collect();
                chat.set_var("order.items", Value::Text(items.join(", ")));
                chat.set_var(
                    "order.item_count",
                    Value::Num(Num::from_int(
                        order.items.iter().map(|i| i64::from(i.quantity)).sum(),
                    )),
                );
                chat.set_var(
                    "order.carrier",
                    Value::Text(order.carrier.clone().unwrap_or_default()),
                );
                chat.set_var(
                    "order.tracking_url",
                    Value::Text(order.tracking_url.clone().unwrap_or_default()),
                );
                chat.set_var(
                    "order.estimated_delivery",
                    Value::Text(order.estimated_delivery.clone().unwrap_or_default()),
                );
                chat.order = Some(order);
                self.track("order_lookup", vec![("result", Prop::text("found"))]);
                lookup.found
            }
            OrderAnswer::NotFound => {
                self.track("order_lookup", vec![("result", Prop::text("not_found"))]);
                lookup.not_found
            }
            OrderAnswer::Error => {
                self.track("order_lookup", vec![("result", Prop::text("error"))]);
                if lookup.error.is_none() {
                    // The flow has nothing to say: say what happened and what else there is.
                    self.could_not_reach(Phrase::LookupFailed, Action::Goto(step.clone()));
                }
                lookup.error
            }
        };
        if let Some(next) = next {
            self.run(next);
        }
    }

    /// The server could not do what the shopper asked (`what` says so): offer to try
    /// again (`again`) and, where the flow has a team, a person.
    fn could_not_reach(&mut self, what: Phrase, again: Action) {
        let text = self.phrase(what).to_owned();
        self.show_text(Speaker::Bot, None, &text);
        let mut offered = vec![Offered {
            label: self.phrase(Phrase::TryAgain).to_owned(),
            href: None,
            action: again.clone(),
        }];
        if self.can_hand_off() && again != Action::Handoff {
            offered.push(Offered {
                label: self.phrase(Phrase::TalkToPerson).to_owned(),
                href: None,
                action: Action::Handoff,
            });
        }
        self.offer(offered);
    }

    pub(super) fn handoff_answered(&mut self, request: u64, answer: HandoffAnswer) {
        let Some(PendingKind::Handoff { step }) = self.take_pending(request) else {
            return;
        };
        let handoff = step
            .as_deref()
            .and_then(|s| self.step_named(s))
            .and_then(|i| self.flow.step(i))
            .and_then(|s| match &s.kind {
                StepKind::Handoff(h) => Some(h.clone()),
                _ => None,
            });
        let next = match answer {
            HandoffAnswer::Available { token } => {
                if let Some(h) = &mut self.state.chat.handoff {
                    h.token = Some(token);
                }
                self.set_handoff_status(Some(HandoffStatus::Waiting));
                self.track("handoff", vec![("result", Prop::text("available"))]);
                handoff.and_then(|h| h.available)
            }
            HandoffAnswer::Offline { token } => {
                if let Some(h) = &mut self.state.chat.handoff {
                    h.token = Some(token);
                }
                self.set_handoff_status(Some(HandoffStatus::Offline));
                self.state.chat.status = Status::Engaged;
                self.track("handoff", vec![("result", Prop::text("offline"))]);
                handoff.and_then(|h| h.offline)
            }
            HandoffAnswer::Error => {
                self.set_handoff_status(None);
                self.state.chat.status = Status::Engaged;
                self.track("handoff", vec![("result", Prop::text("error"))]);
                let next = handoff.and_then(|h| h.error);
                if next.is_none() {
                    self.could_not_reach(Phrase::HandoffFailed, Action::Handoff);
                }
                next
            }
        };
        if let Some(next) = next {
            self.run(next);
        }
    }

    pub(super) fn delivered(&mut self, request: u64, ok: bool) {
        match self.take_pending(request) {
            Some(PendingKind::Email { step }) => {
                let flow = Arc::clone(&self.flow);
                let Some(&StepKind::HandoffEmail { next, error, .. }) = self
                    .step_named(&step)
                    .and_then(|i| flow.step(i))
                    .map(|s| &s.kind)
                else {
                    self.lost();
                    return;
                };
                if let Some(step) = if ok { next } else { error.or(next) } {
                    self.run(step);
                }
            }
            Some(other) => {
                // Not a delivery request after all: put it back.
                self.state.chat.pending = Some(super::state::Pending {
                    request,
                    kind: other,
                });
            }
            None if !ok => {
                let text = self.phrase(Phrase::NotDelivered);
                self.show_text(Speaker::System, None, &text);
            }
            None => {}
        }
    }

    /// Back through an email's link: this browser takes up the conversation (its stream
    /// replays what the team wrote), or, when it has ended, is asked for its rating. The
    /// same conversation already here changes nothing.
    pub(super) fn resumed(&mut self, token: String, agent: Option<String>, closed: bool) {
        let here = self.state.chat.handoff.as_ref();
        if here.and_then(|h| h.token.as_deref()) == Some(token.as_str()) {
            return;
        }
        if self.following().is_some() {
            self.set_handoff_status(None);
        }
        self.state.chat.handoff = Some(super::state::Handoff {
            token: Some(token),
            status: HandoffStatus::Connecting,
            seen: Vec::new(),
            after: String::new(),
        });
        self.track("handoff", vec![("result", Prop::text("resumed"))]);
        if closed {
            self.set_handoff_status(Some(HandoffStatus::Closed));
            self.state.chat.status = Status::Completed;
            let text = self.phrase(Phrase::Closed).to_owned();
            self.show_text(Speaker::System, None, &text);
            if let Some(step) = self.flow.escalation.after_handoff {
                self.run(step);
            }
        } else {
            self.state.chat.status = Status::WaitingOnAgent;
            self.set_handoff_status(Some(match agent {
                Some(name) => HandoffStatus::Joined { name },
                None => HandoffStatus::Waiting,
            }));
        }
        self.save();
    }

    pub(super) fn agent(&mut self, event: AgentEvent) {
        let Some(handoff) = &self.state.chat.handoff else {
            return;
        };
        if handoff.token.is_none() || handoff.status == HandoffStatus::Closed {
            return;
        }
        if !event.event().is_empty()
            && let Some(h) = &mut self.state.chat.handoff
        {
            h.after = event.event().to_owned();
        }
        let Some(handoff) = &self.state.chat.handoff else {
            return;
        };
        match event {
            AgentEvent::Joined { name, .. } => {
                if handoff.status == (HandoffStatus::Joined { name: name.clone() }) {
                    return;
                }
                self.state.chat.status = Status::WaitingOnAgent;
                self.set_handoff_status(Some(HandoffStatus::Joined { name: name.clone() }));
                let joined = format!("{name} {}", self.phrase(Phrase::Joined));
                self.show_text(Speaker::System, None, &joined);
            }
            AgentEvent::Message {
                event: id,
                name,
                text,
            } => {
                if handoff.seen.contains(&id) {
                    return;
                }
                if let Some(h) = &mut self.state.chat.handoff {
                    h.seen.push(id);
                    if h.seen.len() > SEEN_AGENT_MESSAGES {
                        h.seen.remove(0);
                    }
                }
                let text: String = text.chars().take(super::MAX_MESSAGE_CHARS * 2).collect();
                self.show_text(Speaker::Agent, Some(name), &text);
            }
            AgentEvent::Unanswered { .. } => {
                // Only a handoff still waiting for a person becomes an email promise.
                if handoff.status != HandoffStatus::Waiting {
                    return;
                }
                self.set_handoff_status(Some(HandoffStatus::Offline));
                self.state.chat.status = Status::Engaged;
                self.track("handoff", vec![("result", Prop::text("unanswered"))]);
                let text = self.phrase(Phrase::NobodyFree).to_owned();
                self.show_text(Speaker::System, None, &text);
                // The flow's own way of taking an email when the team is away.
                let flow = Arc::clone(&self.flow);
                let offline = flow
                    .escalation
                    .handoff
                    .and_then(|i| flow.step(i))
                    .and_then(|s| match &s.kind {
                        StepKind::Handoff(h) => h.offline,
                        _ => None,
                    });
                if let Some(step) = offline {
                    self.run(step);
                }
            }
            AgentEvent::Closed { .. } => {
                self.set_handoff_status(Some(HandoffStatus::Closed));
                self.state.chat.status = Status::Completed;
                let text = self.phrase(Phrase::Closed);
                self.show_text(Speaker::System, None, &text);
                self.set_composer(Composer::Ready {
                    hint: InputHint::Text,
                });
                if let Some(step) = self.flow.escalation.after_handoff {
                    self.run(step);
                }
            }
        }
        self.save();
    }
}
