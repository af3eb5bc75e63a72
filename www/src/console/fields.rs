//! The console's form fields. Each is named by its kind and JSON pointer (see
//! [`super::apply`]) and shows, right under it, the compiler's problems at that pointer;
//! whatever no field on the page claims is listed at the top of the form.

use std::cell::RefCell;

use flow_authoring::compile::Diagnostic;
use maud::{Markup, html};
use serde_json::Value;

/// What a page's fields need: the draft, its problems, and the lists targets come from.
pub struct Form<'a> {
    pub doc: &'a Value,
    diags: &'a [Diagnostic],
    claimed: RefCell<Vec<bool>>,
    pub languages: Vec<String>,
    /// Step ids, in the document's order.
    pub steps: Vec<String>,
    /// FAQ entries: id and question (first language).
    pub faqs: Vec<(String, String)>,
}

/// The text of a `TextDoc` in `lang` (a plain string counts for the first language).
pub fn text_in(value: Option<&Value>, lang: &str, first: bool) -> String {
    match value {
        Some(Value::String(s)) if first => s.clone(),
        Some(Value::Object(m)) => m
            .get(lang)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

/// An HTML id for a field.
pub fn id_for(kind: &str, ptr: &str) -> String {
    let mut id = format!("f-{kind}");
    for c in ptr.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}

impl<'a> Form<'a> {
    pub fn new(doc: &'a Value, diags: &'a [Diagnostic]) -> Form<'a> {
        let mut languages: Vec<String> = doc
            .pointer("/bot/languages")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if languages.is_empty() {
            languages.push("en".into());
        }
        let steps = doc
            .get("steps")
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(|s| s.get("id")?.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let first = languages[0].clone();
        let faqs = doc
            .pointer("/faq/entries")
            .and_then(Value::as_array)
            .map(|e| {
                e.iter()
                    .filter_map(|e| {
                        let id = e.get("id")?.as_str()?.to_owned();
                        let q = text_in(e.get("question"), &first, true);
                        Some((id, q))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Form {
            doc,
            diags,
            claimed: RefCell::new(vec![false; diags.len()]),
            languages,
            steps,
            faqs,
        }
    }

    pub fn get(&self, ptr: &str) -> Option<&Value> {
        self.doc.pointer(ptr)
    }

    pub fn str_at(&self, ptr: &str) -> String {
        match self.get(ptr) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        }
    }

    fn has_problem(&self, ptr: &str, deep: bool) -> bool {
        self.diags.iter().any(|d| matches(&d.pointer, ptr, deep))
    }

    /// The problems at `ptr` (and below it when `deep`), claimed for this spot.
    pub fn problems(&self, ptr: &str, deep: bool, id: &str) -> Markup {
        let mut claimed = self.claimed.borrow_mut();
        let mut mine: Vec<&Diagnostic> = Vec::new();
        for (i, d) in self.diags.iter().enumerate() {
            if !claimed[i] && matches(&d.pointer, ptr, deep) {
                claimed[i] = true;
                mine.push(d);
            }
        }
        problem_list(&mine, &format!("{id}-problems"))
    }

    /// Problems no field on this page showed; `within` limits them to this page's part.
    pub fn unclaimed(&self, within: &str) -> Markup {
        let claimed = self.claimed.borrow();
        let rest: Vec<&Diagnostic> = self
            .diags
            .iter()
            .enumerate()
            .filter(|(i, d)| !claimed[*i] && matches(&d.pointer, within, true))
            .map(|(_, d)| d)
            .collect();
        html! {
            @if !rest.is_empty() {
                div.unclaimed {
                    p { strong { "Problems in this part of the flow:" } }
                    (problem_list(&rest, "unclaimed-problems"))
                }
            }
        }
    }

    fn described(&self, ptr: &str, id: &str, deep: bool) -> (Option<String>, Markup) {
        let problems = self.problems(ptr, deep, id);
        let has = !problems.0.is_empty();
        (has.then(|| format!("{id}-problems")), problems)
    }

    /// A one-line text field (`s`, or `o` when it may be left empty).
    pub fn text(&self, kind: &str, ptr: &str, label: &str, hint: &str) -> Markup {
        self.text_with(kind, ptr, label, hint, self.str_at(ptr))
    }

    fn text_with(&self, kind: &str, ptr: &str, label: &str, hint: &str, value: String) -> Markup {
        let id = id_for(kind, ptr);
        let invalid = self.has_problem(ptr, true);
        let (described, problems) = self.described(ptr, &id, true);
        html! {
            div.field {
                label for=(id) { (label) }
                @if !hint.is_empty() { span.hint { (hint) } }
                input id=(id) type="text" name={(kind) ":" (ptr)} value=(value)
                    aria-invalid=[invalid.then_some("true")] aria-describedby=[described];
                (problems)
            }
        }
    }

    /// A colour, with its hex value editable as text.
    pub fn colour(&self, ptr: &str, label: &str) -> Markup {
        self.text("o", ptr, label, "a colour such as #1f5f4a")
    }

    /// A multi-line text field.
    pub fn area(&self, kind: &str, ptr: &str, label: &str, hint: &str, value: String) -> Markup {
        let id = id_for(kind, ptr);
        let invalid = self.has_problem(ptr, true);
        let (described, problems) = self.described(ptr, &id, true);
        let rows = (value.lines().count() + 1).clamp(2, 12);
        html! {
            div.field {
                label for=(id) { (label) }
                @if !hint.is_empty() { span.hint { (hint) } }
                textarea id=(id) name={(kind) ":" (ptr)} rows=(rows)
                    aria-invalid=[invalid.then_some("true")] aria-describedby=[described] { (value) }
                (problems)
            }
        }
    }

    /// A text in every language of the flow; `markdown` adds a rendered preview of each.
    /// Optional texts left empty in every language are removed (`ot`).
    pub fn localized(&self, ptr: &str, label: &str, multiline: bool, markdown: bool) -> Markup {
        self.localized_kind("s", ptr, label, multiline, markdown)
    }

    /// [`Form::localized`] for a text the document may leave out.
    pub fn localized_opt(&self, ptr: &str, label: &str, multiline: bool, markdown: bool) -> Markup {
        self.localized_kind("ot", ptr, label, multiline, markdown)
    }

    fn localized_kind(
        &self,
        kind: &str,
        ptr: &str,
        label: &str,
        multiline: bool,
        markdown: bool,
    ) -> Markup {
        let value = self.get(ptr);
        let group = id_for("g", ptr);
        html! {
            fieldset.localized id=(group) {
                legend { (label) }
                (self.problems(ptr, false, &group))
                // One text for every language: kept so while the languages agree.
                @if matches!(value, Some(Value::String(_))) {
                    input type="hidden" name={"same:" (ptr)} value="1";
                }
                @for lang in &self.languages {
                    @let p = format!("{ptr}/{lang}");
                    @let text = text_in(value, lang, true);
                    @let name = super::words::language_name(lang);
                    @if multiline {
                        (self.area(kind, &p, name, "", text.clone()))
                    } @else {
                        (self.text_with(kind, &p, name, "", text.clone()))
                    }
                    @if markdown && !text.trim().is_empty() {
                        div.preview aria-label={"Preview, " (name)} { (super::markdown::render(&text)) }
                    }
                }
            }
        }
    }

    /// One item per line in every language of the flow (`ll`), lines matched by position:
    /// items the same in every language stay plain strings.
    pub fn localized_lines(&self, ptr: &str, label: &str, hint: &str) -> Markup {
        if self.languages.len() < 2 {
            return self.lines(ptr, label, hint);
        }
        let items: Vec<Value> = self
            .get(ptr)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let group = id_for("g", ptr);
        html! {
            fieldset.localized id=(group) {
                legend { (label) }
                span.hint { (hint) ", in the same order in every language" }
                (self.problems(ptr, false, &group))
                @for lang in &self.languages {
                    @let text = items.iter().map(|i| text_in(Some(i), lang, true)).collect::<Vec<_>>().join("\n");
                    (self.area("ll", &format!("{ptr}/{lang}"), super::words::language_name(lang), "", text))
                }
            }
        }
    }

    /// One item per line.
    pub fn lines(&self, ptr: &str, label: &str, hint: &str) -> Markup {
        let value = self
            .get(ptr)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        self.area("l", ptr, label, hint, value)
    }

    /// A number (`n`, `c` in conditions, `pct` for fractions shown as percentages).
    pub fn number(&self, kind: &str, ptr: &str, label: &str, hint: &str) -> Markup {
        let id = id_for(kind, ptr);
        let invalid = self.has_problem(ptr, true);
        let (described, problems) = self.described(ptr, &id, true);
        let value = match (kind, self.get(ptr)) {
            ("pct", Some(Value::Number(n))) => {
                format!("{}", (n.as_f64().unwrap_or(0.0) * 1000.0).round() / 10.0)
            }
            _ => self.str_at(ptr),
        };
        html! {
            div.field {
                label for=(id) { (label) }
                @if !hint.is_empty() { span.hint { (hint) } }
                input id=(id) type="text" inputmode="decimal" name={(kind) ":" (ptr)} value=(value)
                    aria-invalid=[invalid.then_some("true")] aria-describedby=[described];
                (problems)
            }
        }
    }

    /// A checkbox (with the hidden `false` sent when it is unticked).
    pub fn checkbox(&self, ptr: &str, label: &str, default: bool) -> Markup {
        let id = id_for("b", ptr);
        let on = self.get(ptr).and_then(Value::as_bool).unwrap_or(default);
        let (described, problems) = self.described(ptr, &id, true);
        html! {
            div.field.check {
                input type="hidden" name={"bdef:" (ptr)} value=(default);
                input type="hidden" name={"b:" (ptr)} value="false";
                input id=(id) type="checkbox" name={"b:" (ptr)} value="true" checked[on] aria-describedby=[described];
                label for=(id) { (label) }
                (problems)
            }
        }
    }

    /// A choice among fixed options (`(value, label)`).
    pub fn select(
        &self,
        kind: &str,
        ptr: &str,
        label: &str,
        options: &[(String, String)],
        current: &str,
    ) -> Markup {
        let id = id_for(kind, ptr);
        let invalid = self.has_problem(ptr, true);
        let (described, problems) = self.described(ptr, &id, true);
        html! {
            div.field {
                label for=(id) { (label) }
                select id=(id) name={(kind) ":" (ptr)} aria-invalid=[invalid.then_some("true")] aria-describedby=[described] {
                    @for (value, text) in options {
                        option value=(value) selected[value == current] { (text) }
                    }
                }
                (problems)
            }
        }
    }

    /// A step to go to, chosen from the flow's steps (never typed).
    pub fn step(&self, ptr: &str, label: &str, none: Option<&str>) -> Markup {
        let current = self.str_at(ptr);
        let mut options: Vec<(String, String)> = Vec::new();
        if let Some(none) = none {
            options.push((String::new(), none.to_owned()));
        }
        if !current.is_empty() && !self.steps.contains(&current) {
            options.push((current.clone(), format!("{current} (no such step)")));
        }
        options.extend(self.steps.iter().map(|s| (s.clone(), s.clone())));
        self.select(
            if none.is_some() { "o" } else { "s" },
            ptr,
            label,
            &options,
            &current,
        )
    }

    /// A button's action, chosen from the flow's steps and FAQ entries.
    pub fn action(&self, ptr: &str) -> Markup {
        let button = self.get(ptr);
        let key = |k: &str| button.and_then(|b| b.get(k));
        let current = if let Some(g) = key("goto").and_then(Value::as_str) {
            format!("goto:{g}")
        } else if let Some(f) = key("faq").and_then(Value::as_str) {
            format!("faq:{f}")
        } else if key("handoff").is_some() {
            "handoff".into()
        } else if key("url").is_some() {
            "url".into()
        } else if key("add_to_cart").is_some() {
            "cart".into()
        } else {
            String::new()
        };
        let mut options: Vec<(String, String)> =
            vec![(String::new(), "Choose what it does…".into())];
        options.push(("handoff".into(), "Hand off to a person".into()));
        options.push(("url".into(), "Open a link".into()));
        options.push(("cart".into(), "Add a product to the cart".into()));
        options.extend(
            self.steps
                .iter()
                .map(|s| (format!("goto:{s}"), format!("Go to step: {s}"))),
        );
        options.extend(
            self.faqs
                .iter()
                .map(|(id, q)| (format!("faq:{id}"), format!("Answer: {q}"))),
        );
        let url = key("url").and_then(Value::as_str).unwrap_or_default();
        let sku = button
            .and_then(|b| b.pointer("/add_to_cart/sku"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let url_id = id_for("au", ptr);
        let sku_id = id_for("asku", ptr);
        html! {
            (self.select("act", ptr, "When chosen", &options, &current))
            div.field.inline {
                label for=(url_id) { "Link (for “Open a link”)" }
                input id=(url_id) type="text" name={"au:" (ptr)} value=(url);
            }
            div.field.inline {
                label for=(sku_id) { "Product SKU (for “Add to cart”)" }
                input id=(sku_id) type="text" name={"asku:" (ptr)} value=(sku);
                (self.problems(&format!("{ptr}/add_to_cart"), true, &sku_id))
            }
        }
    }

    /// The quick replies (or a card's buttons) at `ptr`: label, action, order.
    pub fn buttons(&self, ptr: &str, label: &str) -> Markup {
        let items = self
            .get(ptr)
            .and_then(Value::as_array)
            .map(Vec::len)
            .unwrap_or(0);
        let group = id_for("g", ptr);
        html! {
            fieldset.buttons id=(group) {
                legend { (label) }
                (self.problems(ptr, false, &group))
                @for i in 0..items {
                    @let p = format!("{ptr}/{i}");
                    div.item {
                        p.item-title { (label) " " (i + 1) }
                        (self.localized(&format!("{p}/label"), "Label", false, false))
                        (self.action(&p))
                        (item_controls(&p, i, items))
                    }
                }
                button.secondary type="submit" name="action" value={"add:" (ptr) ":button"} { "Add " (label.to_lowercase()) }
            }
        }
    }
}

/// Move up, move down, remove.
pub fn item_controls(ptr: &str, i: usize, len: usize) -> Markup {
    html! {
        div.controls {
            @if i > 0 { button.secondary type="submit" name="action" value={"up:" (ptr)} { "Move up" } }
            @if i + 1 < len { button.secondary type="submit" name="action" value={"down:" (ptr)} { "Move down" } }
            button.danger type="submit" name="action" value={"remove:" (ptr)} { "Remove" }
        }
    }
}

fn matches(pointer: &str, ptr: &str, deep: bool) -> bool {
    pointer == ptr
        || (deep && pointer.starts_with(ptr) && pointer[ptr.len()..].starts_with('/'))
        || (deep && ptr.is_empty())
}

pub fn problem_list(list: &[&Diagnostic], id: &str) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.problems id=(id) {
                @for d in list {
                    @let said = super::words::said(d);
                    li class=(if d.is_error() { "error" } else { "warning" }) {
                        strong { (if d.is_error() { "Error: " } else { "Warning: " }) }
                        (said.message)
                        @if let Some(fix) = &said.fix { " " span.help { "Fix: " (fix) } }
                    }
                }
            }
        }
    }
}
