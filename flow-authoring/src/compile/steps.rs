//! Lowering steps.

use super::diagnostic::push_pointer;
use super::lower::Lower;
use super::markdown;
use super::phrases;
use crate::doc::{AskStep, CsatScaleDoc, ExpectDoc, StepDoc};
use flow_runtime::flow::Phrase;
use flow_runtime::flow::{self, Assign, Content, Expect, Operand, Rich, Step, StepKind};
use flow_runtime::pattern::Pattern;

impl Lower<'_> {
    /// Learns which variables the flow sets, before texts that use them are checked.
    pub(super) fn collect_variables(&mut self) {
        let doc = &self.parsed.doc;
        let mut vars: Vec<String> = doc.variables.keys().cloned().collect();
        for step in &doc.steps {
            match step {
                StepDoc::Ask(a) => vars.push(a.var.clone()),
                StepDoc::Set(s) => vars.extend(s.set.keys().cloned()),
                StepDoc::OrderLookup(o) => vars.extend([o.number.clone(), o.email.clone()]),
                _ => {}
            }
        }
        self.variables.extend(vars);
    }

    pub(super) fn step(&mut self, i: usize) -> Option<Step> {
        let step = self.parsed.doc.steps[i].clone();
        let at = self.step_pointer(i);
        let p = |field: &str| push_pointer(&at, field);
        let kind = match &step {
            StepDoc::Message(m) | StepDoc::Carousel(m) => {
                if matches!(step, StepDoc::Carousel(_)) && m.cards.is_empty() {
                    self.error(
                        "empty-carousel",
                        p("cards"),
                        "a carousel needs cards",
                        "add \"cards\": [ {\"title\": …} ], or make it a message",
                    );
                }
                if m.text.is_none()
                    && m.image.is_none()
                    && m.cards.is_empty()
                    && !m.show_order
                    && m.quick_replies.is_empty()
                {
                    self.warn(
                        "empty-message",
                        &at,
                        "this message shows nothing",
                        "add a text, an image, cards or quick replies",
                    );
                }
                let content = self.content(
                    m.text.as_ref(),
                    m.image.as_ref(),
                    &m.cards,
                    &m.quick_replies,
                    m.show_order,
                    &at,
                );
                if !m.quick_replies.is_empty() && m.next.is_some() {
                    self.warn(
                        "unused-next",
                        p("next"),
                        "`next` is ignored: the quick replies decide where to go",
                        "remove `next`, or the quick replies",
                    );
                }
                StepKind::Message {
                    content,
                    next: self.opt_step_ref(&m.next, &p("next")),
                }
            }
            StepDoc::Ask(a) => StepKind::Ask(self.ask(a, &at)?),
            StepDoc::Condition(c) => {
                if c.branches.is_empty() {
                    self.warn(
                        "empty-condition",
                        p("branches"),
                        "no branches: always goes to `otherwise`",
                        "add a branch, or use a goto step",
                    );
                }
                let branches = c
                    .branches
                    .iter()
                    .enumerate()
                    .filter_map(|(k, b)| {
                        let bp = format!("{}/{k}", p("branches"));
                        let cond = self.condition(&b.when.0, &push_pointer(&bp, "when"), 0);
                        let to = self.step_ref(&b.goto, &push_pointer(&bp, "goto"));
                        Some((cond?, to?))
                    })
                    .collect();
                StepKind::Condition {
                    branches,
                    otherwise: self.opt_step_ref(&c.otherwise, &p("otherwise")),
                }
            }
            StepDoc::Set(s) => {
                let mut assign = Vec::new();
                for (name, value) in &s.set {
                    let vp = push_pointer(&p("set"), name);
                    if !markdown::is_variable_name(name) {
                        self.error(
                            "bad-variable",
                            &vp,
                            format!("`{name}` is not a variable name"),
                            "use letters, digits, `_` and `.`, starting with a letter",
                        );
                        continue;
                    }
                    let value = match value {
                        crate::doc::ValueDoc::Text(t) if t.contains("{{") => {
                            match markdown::template(t) {
                                Ok(parts) => Operand::Template(parts),
                                Err(e) => {
                                    self.error("bad-template", &vp, e.message, e.help);
                                    continue;
                                }
                            }
                        }
                        v => match self.value(v, &vp) {
                            Some(v) => Operand::Value(v),
                            None => continue,
                        },
                    };
                    assign.push(Assign {
                        var: name.clone(),
                        value,
                    });
                }
                StepKind::Set {
                    assign,
                    next: self.opt_step_ref(&s.next, &p("next")),
                }
            }
            StepDoc::Goto(g) => StepKind::Goto(self.step_ref(&g.goto, &p("goto"))?),
            StepDoc::End(e) => {
                let content = (e.text.is_some() || e.image.is_some())
                    .then(|| self.content(e.text.as_ref(), e.image.as_ref(), &[], &[], false, &at));
                StepKind::End { content }
            }
            StepDoc::OrderLookup(o) => {
                for (field, var) in [("number", &o.number), ("email", &o.email)] {
                    if !markdown::is_variable_name(var) {
                        self.error(
                            "bad-variable",
                            p(field),
                            format!("`{var}` is not a variable name"),
                            "name the variable that holds the value, e.g. `order_number`",
                        );
                    }
                }
                if o.found.is_none() {
                    self.warn(
                        "missing-branch",
                        &at,
                        "no `found` step: the shopper is not told what was found",
                        "add \"found\": a step that shows {{order.status}} or the order card",
                    );
                }
                StepKind::OrderLookup(flow::OrderLookup {
                    number_var: o.number.clone(),
                    email_var: o.email.clone(),
                    content: o
                        .text
                        .as_ref()
                        .map(|t| self.content(Some(t), None, &[], &[], false, &at)),
                    found: self.opt_step_ref(&o.found, &p("found")),
                    not_found: self.opt_step_ref(&o.not_found, &p("not_found")),
                    error: self.opt_step_ref(&o.error, &p("error")),
                })
            }
            StepDoc::Handoff(h) => {
                if h.offline.is_none() {
                    self.warn(
                        "missing-branch",
                        &at,
                        "no `offline` step: outside business hours the shopper hears nothing",
                        "add \"offline\": a step that asks for an email and promises a reply",
                    );
                }
                StepKind::Handoff(flow::Handoff {
                    content: h
                        .text
                        .as_ref()
                        .map(|t| self.content(Some(t), None, &[], &[], false, &at)),
                    available: self.opt_step_ref(&h.available, &p("available")),
                    offline: self.opt_step_ref(&h.offline, &p("offline")),
                    error: self.opt_step_ref(&h.error, &p("error")),
                })
            }
            StepDoc::HandoffEmail(h) => {
                if !self.is_known_variable(&h.var) {
                    self.warn(
                        "unknown-variable",
                        p("var"),
                        format!("the variable `{}` is never set", h.var),
                        "ask for the email first (an ask step with \"expect\": \"email\")",
                    );
                }
                StepKind::HandoffEmail {
                    var: h.var.clone(),
                    next: self.opt_step_ref(&h.next, &p("next")),
                    error: self.opt_step_ref(&h.error, &p("error")),
                }
            }
            StepDoc::Csat(c) => StepKind::Csat(flow::Csat {
                content: self.content(Some(&c.text), None, &[], &[], false, &at),
                scale: match c.scale {
                    CsatScaleDoc::Thumbs => flow::CsatScale::Thumbs,
                    CsatScaleDoc::Five => flow::CsatScale::Five,
                },
                comment: c.comment,
                next: self.opt_step_ref(&c.next, &p("next")),
            }),
        };
        Some(Step {
            id: step.id().to_owned(),
            kind,
        })
    }

    fn ask(&mut self, a: &AskStep, at: &str) -> Option<flow::Ask> {
        let p = |field: &str| push_pointer(at, field);
        if !markdown::is_variable_name(&a.var) {
            self.error(
                "bad-variable",
                p("var"),
                format!("`{}` is not a variable name", a.var),
                "use letters, digits, `_` and `.`, starting with a letter",
            );
        }
        let unused = |l: &mut Self, field: &str, present: bool| {
            if present {
                l.warn(
                    "unused-field",
                    p(field),
                    format!("`{field}` is not used when expecting {:?}", a.expect).to_lowercase(),
                    format!("remove `{field}`"),
                );
            }
        };
        let pattern = |l: &mut Self, source: &str, pointer: String| -> Option<Pattern> {
            match Pattern::parse(source) {
                Ok(p) => Some(p),
                Err(e) => {
                    l.error(
                        "bad-pattern",
                        pointer,
                        format!(
                            "invalid pattern `{source}`: {} (at character {})",
                            e.message,
                            e.offset + 1
                        ),
                        "patterns use literals, [classes], \\d, \\w, ( | ), ? * + {n,m}",
                    );
                    None
                }
            }
        };
        let content = self.content(
            Some(&a.text),
            a.image.as_ref(),
            &[],
            &a.quick_replies,
            false,
            at,
        );
        let expect = match a.expect {
            ExpectDoc::Text => Expect::Text,
            ExpectDoc::Email => Expect::Email,
            ExpectDoc::Phone => Expect::Phone,
            ExpectDoc::OrderNumber => {
                let source = a
                    .pattern
                    .clone()
                    .or_else(|| self.parsed.doc.order_number.clone());
                match source {
                    Some(s) => {
                        let pointer = if a.pattern.is_some() {
                            p("pattern")
                        } else {
                            "/order_number".into()
                        };
                        Expect::Pattern(pattern(self, &s, pointer)?)
                    }
                    None => {
                        self.error("missing-pattern", p("expect"), "an order number needs a pattern", "set \"order_number\": \"#?[0-9]{5,6}\" at the top of the flow, or \"pattern\" here");
                        return None;
                    }
                }
            }
            ExpectDoc::Pattern => match &a.pattern {
                Some(s) => Expect::Pattern(pattern(self, s, p("pattern"))?),
                None => {
                    self.error(
                        "missing-pattern",
                        p("expect"),
                        "`expect: pattern` needs a `pattern`",
                        "add \"pattern\": \"[A-Z]{2}[0-9]{4}\"",
                    );
                    return None;
                }
            },
            ExpectDoc::Number => {
                let min = a.min.and_then(|n| self.num(n, &p("min")));
                let max = a.max.and_then(|n| self.num(n, &p("max")));
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo > hi
                {
                    self.error("bad-range", p("min"), "`min` is above `max`", "swap them");
                }
                Expect::Number { min, max }
            }
            ExpectDoc::Choice => {
                if a.choices.is_empty() {
                    self.error(
                        "missing-choices",
                        p("choices"),
                        "`expect: choice` needs `choices`",
                        "add \"choices\": [\"S\", \"M\", \"L\"]",
                    );
                    return None;
                }
                if a.choices.len() > super::lower::MAX_QUICK_REPLIES {
                    self.error(
                        "too-many-quick-replies",
                        p("choices"),
                        format!(
                            "{} choices; at most {} fit",
                            a.choices.len(),
                            super::lower::MAX_QUICK_REPLIES
                        ),
                        "split the question in two",
                    );
                }
                let choices = a
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.choice(c, &push_pointer(&p("choices"), &i.to_string())))
                    .collect();
                Expect::Choice(choices)
            }
        };
        if !matches!(a.expect, ExpectDoc::Pattern | ExpectDoc::OrderNumber) {
            unused(self, "pattern", a.pattern.is_some());
        }
        if a.expect != ExpectDoc::Number {
            unused(self, "min", a.min.is_some());
            unused(self, "max", a.max.is_some());
        }
        if a.expect != ExpectDoc::Choice {
            unused(self, "choices", !a.choices.is_empty());
        }

        let retry = match &a.retry_text {
            Some(t) => Content {
                text: Some(self.rich(t, &p("retry_text"))),
                ..Content::default()
            },
            None => {
                let phrase = match a.expect {
                    ExpectDoc::Text => Phrase::RetryText,
                    ExpectDoc::Email => Phrase::RetryEmail,
                    ExpectDoc::Phone => Phrase::RetryPhone,
                    ExpectDoc::Number => Phrase::RetryNumber,
                    ExpectDoc::Choice => Phrase::RetryChoice,
                    ExpectDoc::Pattern | ExpectDoc::OrderNumber => Phrase::RetryPattern,
                };
                Content {
                    text: Some(self.builtin(phrase)),
                    ..Content::default()
                }
            }
        };
        Some(flow::Ask {
            content,
            var: a.var.clone(),
            expect,
            retry,
            max_retries: a.max_retries,
            on_fail: self.opt_step_ref(&a.on_fail, &p("on_fail")),
            next: self.opt_step_ref(&a.next, &p("next")),
            reprompt: a.reprompt.as_ref().map(|t| Content {
                text: Some(self.rich(t, &p("reprompt"))),
                ..Content::default()
            }),
            strict: a.strict,
        })
    }

    /// A built-in phrase in every language of the flow.
    pub(super) fn builtin(&mut self, phrase: Phrase) -> Rich {
        let variants = self
            .languages
            .clone()
            .into_iter()
            .map(|lang| {
                let text = phrases::say(phrase, &lang);
                (
                    lang,
                    vec![flow::Block::Paragraph(vec![flow::Inline::Text(
                        text.to_owned(),
                    )])],
                )
            })
            .collect();
        Rich { variants }
    }
}
