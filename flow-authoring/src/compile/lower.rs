//! The lowering context: ids resolved to indices, texts parsed, every problem reported.

use std::collections::{BTreeSet, HashMap};

use super::diagnostic::{Diagnostic, push_pointer};
use super::markdown;
use super::parse::Parsed;
use super::suggest::closest;
use crate::doc::{ButtonDoc, CardDoc, ContentDoc, ImageDoc, TextDoc, ValueDoc};
use flow_runtime::flow::{
    Button, ButtonAction, CONTEXT, Card, Choice, Content, Image, QuickReply, Rich, StepIdx,
    Subject, Text, TextPart,
};
use flow_runtime::value::{Num, Value};
use flow_runtime::{safe_image, safe_link};

/// Most quick replies under one message: more do not fit on a phone.
pub const MAX_QUICK_REPLIES: usize = 10;

/// Variables every flow may use besides its context (`flow::CONTEXT`): entities found in
/// messages, order lookup results, the rating.
pub(super) const BUILT_IN_VARIABLES: &[&str] = &[
    "order_number",
    "email",
    "phone",
    "order.number",
    "order.status",
    "order.items",
    "order.item_count",
    "order.carrier",
    "order.tracking_url",
    "order.estimated_delivery",
    "csat.score",
    "csat.comment",
];

pub(super) struct Lower<'a> {
    pub parsed: &'a Parsed,
    pub diags: &'a mut Vec<Diagnostic>,
    pub languages: Vec<String>,
    pub step_ids: HashMap<String, StepIdx>,
    pub entry_ids: HashMap<String, u32>,
    /// Variables the flow sets or declares (for "unknown variable" warnings).
    pub variables: BTreeSet<String>,
    /// Where buttons hand off: each leads nowhere unless the flow has a handoff step.
    pub handoff_buttons: Vec<String>,
}

impl<'a> Lower<'a> {
    pub(super) fn new(
        parsed: &'a Parsed,
        diags: &'a mut Vec<Diagnostic>,
        languages: Vec<String>,
    ) -> Lower<'a> {
        let mut step_ids = HashMap::new();
        for (i, step) in parsed.doc.steps.iter().enumerate() {
            step_ids.entry(step.id().to_owned()).or_insert(i as StepIdx);
        }
        let mut entry_ids = HashMap::new();
        for (i, e) in parsed.doc.faq.entries.iter().enumerate() {
            entry_ids.entry(e.id.clone()).or_insert(i as u32);
        }
        Lower {
            parsed,
            diags,
            languages,
            step_ids,
            entry_ids,
            variables: BTreeSet::new(),
            handoff_buttons: Vec::new(),
        }
    }

    pub(super) fn error(
        &mut self,
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, pointer, message).help(help));
    }

    pub(super) fn warn(
        &mut self,
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::warning(code, pointer, message).help(help));
    }

    pub(super) fn default_language(&self) -> String {
        self.languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into())
    }

    /// The pointer of the compiled step `i`.
    pub(super) fn step_pointer(&self, i: usize) -> String {
        format!(
            "/steps/{}",
            self.parsed.step_pos.get(i).copied().unwrap_or(i)
        )
    }

    /// Resolves a step reference, reporting an unknown one with the closest existing id.
    pub(super) fn step_ref(&mut self, id: &str, pointer: &str) -> Option<StepIdx> {
        if let Some(&i) = self.step_ids.get(id) {
            return Some(i);
        }
        if self.parsed.broken_steps.iter().any(|b| b == id) {
            // Already reported where the step itself is broken.
            return None;
        }
        let ids: Vec<&str> = self.parsed.doc.steps.iter().map(|s| s.id()).collect();
        let help = match closest(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "no step has this id; check the spelling or add the step".into(),
        };
        self.error(
            "unknown-step",
            pointer,
            format!("there is no step `{id}`"),
            help,
        );
        None
    }

    pub(super) fn opt_step_ref(&mut self, id: &Option<String>, pointer: &str) -> Option<StepIdx> {
        id.as_deref().and_then(|id| self.step_ref(id, pointer))
    }

    pub(super) fn entry_ref(&mut self, id: &str, pointer: &str) -> Option<u32> {
        if let Some(&i) = self.entry_ids.get(id) {
            return Some(i);
        }
        if self.parsed.broken_entries.iter().any(|b| b == id) {
            return None;
        }
        let ids: Vec<&str> = self
            .parsed
            .doc
            .faq
            .entries
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        let help = match closest(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "no FAQ entry has this id".into(),
        };
        self.error(
            "unknown-faq-entry",
            pointer,
            format!("there is no FAQ entry `{id}`"),
            help,
        );
        None
    }

    /// The languages of a text, in the flow's order, with their strings; checks that the
    /// languages exist and warns about missing translations.
    fn by_language<'t>(&mut self, t: &'t TextDoc, pointer: &str) -> Vec<(String, &'t str)> {
        match t {
            TextDoc::Same(s) => vec![(self.default_language(), s.as_str())],
            TextDoc::ByLanguage(map) => {
                for lang in map.keys() {
                    if !self.languages.contains(lang) {
                        let help = match closest(lang, self.languages.iter().map(String::as_str)) {
                            Some(s) => format!(
                                "did you mean `{s}`? (languages are listed in bot.languages)"
                            ),
                            None => {
                                format!("add `{lang}` to bot.languages, or remove this translation")
                            }
                        };
                        self.error(
                            "unknown-language",
                            push_pointer(pointer, lang),
                            format!("`{lang}` is not one of the flow's languages"),
                            help,
                        );
                    }
                }
                let missing: Vec<String> = self
                    .languages
                    .iter()
                    .filter(|l| !map.contains_key(*l))
                    .cloned()
                    .collect();
                if !missing.is_empty() && !map.is_empty() {
                    self.warn(
                        "missing-translation",
                        pointer,
                        format!("no translation for {}", missing.join(", ")),
                        format!(
                            "shoppers in those languages see the {} text",
                            map.keys().next().cloned().unwrap_or_default()
                        ),
                    );
                }
                let mut out: Vec<(String, &str)> = self
                    .languages
                    .iter()
                    .filter_map(|l| map.get(l).map(|s| (l.clone(), s.as_str())))
                    .collect();
                if out.is_empty() {
                    out = map.iter().map(|(l, s)| (l.clone(), s.as_str())).collect();
                }
                out
            }
        }
    }

    /// An option of a question: its value is its text in the first of the flow's
    /// languages it has, and the other languages' texts are labels.
    pub(super) fn choice(&mut self, t: &TextDoc, pointer: &str) -> Choice {
        let texts = self.by_language(t, pointer);
        let Some((_, value)) = texts.first() else {
            self.error(
                "empty-choice",
                pointer,
                "this choice has no text",
                "write the option, or remove it",
            );
            return Choice::same("");
        };
        let value = value.trim().to_owned();
        if value.is_empty() || texts.iter().any(|(_, s)| s.trim().is_empty()) {
            self.error(
                "empty-choice",
                pointer,
                "this choice has an empty text",
                "write the option in every language it lists, or remove it",
            );
        }
        let labels = texts
            .iter()
            .skip(1)
            .filter(|(_, s)| s.trim() != value)
            .map(|(l, s)| (l.clone(), s.trim().to_owned()))
            .collect();
        Choice { value, labels }
    }

    /// Plain text with `{{variables}}`.
    pub(super) fn text(&mut self, t: &TextDoc, pointer: &str) -> Text {
        let mut variants = Vec::new();
        for (lang, s) in self.by_language(t, pointer) {
            let at = if matches!(t, TextDoc::ByLanguage(_)) {
                push_pointer(pointer, &lang)
            } else {
                pointer.to_owned()
            };
            match markdown::template(s) {
                Ok(parts) => {
                    self.check_variables(parts.iter().filter_map(undefaulted), &at);
                    variants.push((lang, parts));
                }
                Err(e) => self.error("bad-template", at, e.message, e.help),
            }
        }
        Text { variants }
    }

    /// Markdown text with `{{variables}}`; links must be safe.
    pub(super) fn rich(&mut self, t: &TextDoc, pointer: &str) -> Rich {
        let mut variants = Vec::new();
        for (lang, s) in self.by_language(t, pointer) {
            let at = if matches!(t, TextDoc::ByLanguage(_)) {
                push_pointer(pointer, &lang)
            } else {
                pointer.to_owned()
            };
            match markdown::parse(s) {
                Ok(blocks) => {
                    for href in markdown::links(&blocks) {
                        self.check_url(href, &at, false);
                    }
                    let vars = markdown::variables_without_default(&blocks);
                    self.check_variables(vars.iter().map(String::as_str), &at);
                    variants.push((lang, blocks));
                }
                Err(e) => self.error("bad-template", at, e.message, e.help),
            }
        }
        Rich { variants }
    }

    /// Reports link targets that are not http(s), mailto, tel or a path on the store.
    /// Targets made only of a variable are checked again when shown.
    fn check_url(&mut self, href: &[TextPart], pointer: &str, image: bool) {
        let literal: String = href
            .iter()
            .map(|p| match p {
                TextPart::Lit(s) => s.as_str(),
                TextPart::Var { .. } => "",
            })
            .collect();
        if href
            .first()
            .is_some_and(|p| matches!(p, TextPart::Var { .. }))
        {
            return;
        }
        let ok = if image {
            safe_image(&literal).is_some()
        } else {
            safe_link(&literal).is_some()
        };
        if !ok {
            let allowed = if image {
                "https:// or a path on the store (/images/…)"
            } else {
                "https://, http://, mailto:, tel: or a path on the store (/…)"
            };
            self.error(
                "unsafe-url",
                pointer,
                format!("`{literal}` is not a safe link"),
                format!("links must start with {allowed}"),
            );
        }
    }

    /// A URL that may contain `{{variables}}` (checked again once they are filled in).
    pub(super) fn url(&mut self, url: &str, pointer: &str) -> Option<Vec<TextPart>> {
        match markdown::template(url.trim()) {
            Ok(parts) => {
                let before = self.diags.len();
                self.check_url(&parts, pointer, false);
                self.check_variables(parts.iter().filter_map(var_name), pointer);
                (!self.diags[before..].iter().any(Diagnostic::is_error)).then_some(parts)
            }
            Err(e) => {
                self.error("bad-template", pointer, e.message, e.help);
                None
            }
        }
    }

    pub(super) fn check_variables<'v>(
        &mut self,
        names: impl Iterator<Item = &'v str>,
        pointer: &str,
    ) {
        for name in names {
            if !self.is_known_variable(name) {
                let known: Vec<String> = self
                    .variables
                    .iter()
                    .cloned()
                    .chain(BUILT_IN_VARIABLES.iter().map(|s| s.to_string()))
                    .chain(CONTEXT.iter().map(|(n, _)| n.to_string()))
                    .collect();
                let help = match closest(name, known.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`? (unset variables show their default)"),
                    None => "no step sets it: declare it under \"variables\" or set it with an ask or set step".into(),
                };
                self.warn(
                    "unknown-variable",
                    pointer,
                    format!("the variable `{name}` is never set"),
                    help,
                );
            }
        }
    }

    pub(super) fn is_known_variable(&self, name: &str) -> bool {
        self.variables.contains(name)
            || BUILT_IN_VARIABLES.contains(&name)
            || Subject::context(name).is_some()
    }

    pub(super) fn image(&mut self, i: &ImageDoc, pointer: &str) -> Option<Image> {
        let src_at = push_pointer(pointer, "src");
        if safe_image(&i.src).is_none() {
            self.error(
                "unsafe-url",
                if i.alt.is_none() {
                    pointer.to_owned()
                } else {
                    src_at
                },
                format!("`{}` is not a safe image address", i.src),
                "images must be https://… or a path on the store (/images/…)",
            );
            return None;
        }
        let alt = match &i.alt {
            Some(a) => self.text(a, &push_pointer(pointer, "alt")),
            None => Text::default(),
        };
        Some(Image {
            src: i.src.clone(),
            alt,
        })
    }

    pub(super) fn content(
        &mut self,
        text: Option<&TextDoc>,
        image: Option<&ImageDoc>,
        cards: &[CardDoc],
        quick_replies: &[ButtonDoc],
        show_order: bool,
        pointer: &str,
    ) -> Content {
        let text = text.map(|t| self.rich(t, &push_pointer(pointer, "text")));
        let image = image.and_then(|i| self.image(i, &push_pointer(pointer, "image")));
        let cards = cards
            .iter()
            .enumerate()
            .map(|(i, c)| self.card(c, &format!("{}/{i}", push_pointer(pointer, "cards"))))
            .collect();
        if quick_replies.len() > MAX_QUICK_REPLIES {
            self.error(
                "too-many-quick-replies",
                push_pointer(pointer, "quick_replies"),
                format!(
                    "{} quick replies; at most {MAX_QUICK_REPLIES} fit",
                    quick_replies.len()
                ),
                "move some into a follow-up step (\"More options\")",
            );
        }
        let quick_replies = quick_replies
            .iter()
            .enumerate()
            .filter_map(|(i, q)| {
                let at = format!("{}/{i}", push_pointer(pointer, "quick_replies"));
                self.button(q, &at, false)
                    .map(|(label, action)| QuickReply { label, action })
            })
            .collect();
        Content {
            text,
            image,
            cards,
            quick_replies,
            show_order,
        }
    }

    pub(super) fn content_doc(&mut self, c: &ContentDoc, pointer: &str) -> Content {
        self.content(
            c.text.as_ref(),
            c.image.as_ref(),
            &c.cards,
            &c.quick_replies,
            c.show_order,
            pointer,
        )
    }

    fn card(&mut self, c: &CardDoc, pointer: &str) -> Card {
        let buttons = c
            .buttons
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let at = format!("{}/{i}", push_pointer(pointer, "buttons"));
                self.button(b, &at, true)
                    .map(|(label, action)| Button { label, action })
            })
            .collect();
        Card {
            image: c
                .image
                .as_ref()
                .and_then(|i| self.image(i, &push_pointer(pointer, "image"))),
            title: self.text(&c.title, &push_pointer(pointer, "title")),
            subtitle: c
                .subtitle
                .as_ref()
                .map(|t| self.text(t, &push_pointer(pointer, "subtitle"))),
            price: c
                .price
                .as_ref()
                .map(|t| self.text(t, &push_pointer(pointer, "price"))),
            buttons,
        }
    }

    /// A button needs exactly one action.
    pub(super) fn button(
        &mut self,
        b: &ButtonDoc,
        pointer: &str,
        on_card: bool,
    ) -> Option<(Text, ButtonAction)> {
        let label = self.text(&b.label, &push_pointer(pointer, "label"));
        let blank = match &b.label {
            TextDoc::Same(s) => s.trim().is_empty(),
            TextDoc::ByLanguage(m) => m.values().any(|s| s.trim().is_empty()),
        };
        if blank {
            self.error(
                "empty-label",
                push_pointer(pointer, "label"),
                "this button has no label",
                "write what the shopper taps, e.g. \"Track my order\"",
            );
        }
        let count = [
            b.goto.is_some(),
            b.faq.is_some(),
            b.url.is_some(),
            b.handoff.is_some(),
            b.add_to_cart.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if count != 1 {
            let message = if count == 0 {
                "this button does nothing"
            } else {
                "this button has more than one action"
            };
            self.error(
                "button-action",
                pointer,
                message,
                "give it exactly one of goto, faq, url, handoff, add_to_cart",
            );
            return None;
        }
        let action = if let Some(g) = &b.goto {
            ButtonAction::Goto(self.step_ref(g, &push_pointer(pointer, "goto"))?)
        } else if let Some(f) = &b.faq {
            ButtonAction::Faq(self.entry_ref(f, &push_pointer(pointer, "faq"))?)
        } else if let Some(u) = &b.url {
            ButtonAction::Url(self.url(u, &push_pointer(pointer, "url"))?)
        } else if let Some(h) = b.handoff {
            if !h {
                self.error(
                    "button-action",
                    push_pointer(pointer, "handoff"),
                    "`handoff: false` does nothing",
                    "remove the button, or write `handoff: true`",
                );
                return None;
            }
            self.handoff_buttons.push(push_pointer(pointer, "handoff"));
            ButtonAction::Handoff
        } else if let Some(cart) = &b.add_to_cart {
            if !on_card {
                self.error(
                    "button-action",
                    push_pointer(pointer, "add_to_cart"),
                    "add_to_cart is for card buttons",
                    "put this button on a product card",
                );
                return None;
            }
            if cart.sku.trim().is_empty() || cart.quantity == 0 {
                self.error(
                    "button-action",
                    push_pointer(pointer, "add_to_cart"),
                    "add_to_cart needs a sku and a quantity of at least 1",
                    "write {\"sku\": \"FH-TR-01\", \"quantity\": 1}",
                );
                return None;
            }
            ButtonAction::AddToCart {
                sku: cart.sku.clone(),
                quantity: cart.quantity,
            }
        } else {
            return None;
        };
        Some((label, action))
    }

    pub(super) fn value(&mut self, v: &ValueDoc, pointer: &str) -> Option<Value> {
        Some(match v {
            ValueDoc::Text(s) => Value::Text(s.clone()),
            ValueDoc::Bool(b) => Value::Bool(*b),
            ValueDoc::Number(n) => Value::Num(self.num(*n, pointer)?),
        })
    }

    pub(super) fn num(&mut self, n: f64, pointer: &str) -> Option<Num> {
        let scaled = (n * 1000.0).round();
        if n.is_finite() && scaled.abs() < 9.0e15 {
            Some(Num(scaled as i64))
        } else {
            self.error(
                "bad-number",
                pointer,
                format!("{n} is out of range"),
                "use a number below a trillion",
            );
            None
        }
    }
}

/// A variable used without a default (one with a default may be unset on purpose, e.g. a
/// name the store page passes with `Bellhop('identify', …)`).
fn undefaulted(p: &TextPart) -> Option<&str> {
    match p {
        TextPart::Var { name, default } if default.is_empty() => Some(name),
        _ => None,
    }
}

fn var_name(p: &TextPart) -> Option<&str> {
    match p {
        TextPart::Var { name, .. } => Some(name),
        TextPart::Lit(_) => None,
    }
}
