//! The editor's forms, one per part of the flow. Each returns the form's fields; the page
//! (`pages::editor`) wraps them in the form that saves the draft.

use maud::{Markup, html};
use serde_json::Value;

use super::fields::{Form, item_controls, text_in};
use super::kinds;

/// A part of the flow with a page of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Bot,
    Hours,
    Handoff,
    Faq,
    FaqEntry(usize),
    Steps,
    Step(usize),
    Triggers,
    Trigger(usize),
}

impl Section {
    pub fn parse(path: &str) -> Option<Section> {
        let (head, index) = match path.split_once('/') {
            Some((h, i)) => (h, Some(i.parse::<usize>().ok()?)),
            None => (path, None),
        };
        Some(match (head, index) {
            ("bot", None) => Section::Bot,
            ("hours", None) => Section::Hours,
            ("handoff", None) => Section::Handoff,
            ("faq", None) => Section::Faq,
            ("faq", Some(i)) => Section::FaqEntry(i),
            ("steps", None) => Section::Steps,
            ("steps", Some(i)) => Section::Step(i),
            ("triggers", None) => Section::Triggers,
            ("triggers", Some(i)) => Section::Trigger(i),
            _ => return None,
        })
    }

    pub fn path(self) -> String {
        match self {
            Section::Bot => "bot".into(),
            Section::Hours => "hours".into(),
            Section::Handoff => "handoff".into(),
            Section::Faq => "faq".into(),
            Section::FaqEntry(i) => format!("faq/{i}"),
            Section::Steps => "steps".into(),
            Section::Step(i) => format!("steps/{i}"),
            Section::Triggers => "triggers".into(),
            Section::Trigger(i) => format!("triggers/{i}"),
        }
    }

    /// The tab it belongs to.
    pub fn tab(self) -> &'static str {
        match self {
            Section::Bot => "bot",
            Section::Hours => "hours",
            Section::Handoff => "handoff",
            Section::Faq | Section::FaqEntry(_) => "faq",
            Section::Steps | Section::Step(_) => "steps",
            Section::Triggers | Section::Trigger(_) => "triggers",
        }
    }

    /// The part of the document the page edits (its problems are listed on it).
    pub fn pointer(self) -> String {
        match self {
            Section::Bot => "/bot".into(),
            Section::Hours => "/bot/business_hours".into(),
            Section::Handoff => "/escalation".into(),
            Section::Faq => "/faq".into(),
            Section::FaqEntry(i) => format!("/faq/entries/{i}"),
            Section::Steps => "/steps".into(),
            Section::Step(i) => format!("/steps/{i}"),
            Section::Triggers => "/triggers".into(),
            Section::Trigger(i) => format!("/triggers/{i}"),
        }
    }

    /// The page where the problem at `pointer` is fixed.
    pub fn for_pointer(pointer: &str) -> Section {
        let segs: Vec<&str> = pointer.split('/').skip(1).collect();
        let index = |i: usize| segs.get(i).and_then(|s| s.parse::<usize>().ok());
        match segs.as_slice() {
            ["bot", "business_hours", ..] => Section::Hours,
            ["faq", "entries", ..] if index(2).is_some() => {
                Section::FaqEntry(index(2).unwrap_or(0))
            }
            ["faq", ..] => Section::Faq,
            ["steps", ..] if index(1).is_some() => Section::Step(index(1).unwrap_or(0)),
            ["steps", ..] => Section::Steps,
            ["triggers", ..] if index(1).is_some() => Section::Trigger(index(1).unwrap_or(0)),
            ["triggers", ..] => Section::Triggers,
            ["escalation", ..] | ["order_number", ..] => Section::Handoff,
            _ => Section::Bot,
        }
    }

    pub fn title(self, f: &Form) -> String {
        let id = |ptr: String| f.str_at(&format!("{ptr}/id"));
        match self {
            Section::Bot => "The bot".into(),
            Section::Hours => "Business hours".into(),
            Section::Handoff => "Handoff and orders".into(),
            Section::Faq => "FAQ".into(),
            Section::FaqEntry(_) => format!("FAQ entry “{}”", id(self.pointer())),
            Section::Steps => "Steps".into(),
            Section::Step(_) => format!("Step “{}”", id(self.pointer())),
            Section::Triggers => "Proactive messages".into(),
            Section::Trigger(_) => format!("Trigger “{}”", id(self.pointer())),
        }
    }
}

fn opts(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

pub fn fields(section: Section, f: &Form, flow: &str) -> Markup {
    match section {
        Section::Bot => bot(f),
        Section::Hours => hours(f),
        Section::Handoff => handoff(f),
        Section::Faq => faq(f, flow),
        Section::FaqEntry(i) => faq_entry(f, i),
        Section::Steps => steps(f, flow),
        Section::Step(i) => step(f, i),
        Section::Triggers => triggers(f, flow),
        Section::Trigger(i) => trigger(f, i),
    }
}

fn bot(f: &Form) -> Markup {
    html! {
        (f.text("s", "/bot/name", "Name", "shown at the top of the chat"))
        (f.text("o", "/bot/avatar", "Avatar", "an image URL, e.g. /store/img/fern.svg"))
        (f.text("lc", "/bot/languages", "Languages", "language codes, the first is the default: en, es"))
        (f.step("/bot/greeting", "Greeting (the step shown when the chat opens)", Some("The first step")))
        (f.step("/bot/menu", "Menu (the step “anything else?” goes back to)", Some("None")))
        (f.area("j", "/variables", "Variables at the start", "a JSON object, e.g. {\"vip\": false}; empty: none", f.get("/variables").map(|v| v.to_string()).unwrap_or_default()))
        (f.number("n", "/seed", "A/B seed", "change it to deal shoppers into variants afresh"))
        (f.checkbox("/insights", "Send insights to this server: per page view where the chat is used, counts and the questions it missed (no emails, no numbers, no visitor id; after consent where the tag asks for it). See the Insights tab.", false))
        fieldset {
            legend { "Look" }
            (f.colour("/bot/theme/accent", "Accent colour"))
            (f.colour("/bot/theme/on_accent", "Text on the accent colour"))
            (contrast(f))
            (f.select("o", "/bot/theme/position", "Launcher position", &opts(&[("", "Right (default)"), ("right", "Right"), ("left", "Left")]), &f.str_at("/bot/theme/position")))
            (f.text("o", "/bot/theme/launcher_label", "Launcher label", "what screen readers say for the chat button"))
            (f.select("o", "/bot/theme/mode", "Light or dark", &opts(&[("", "Follow the shopper's device"), ("auto", "Follow the shopper's device (auto)"), ("light", "Always light"), ("dark", "Always dark")]), &f.str_at("/bot/theme/mode")))
        }
    }
}

/// The accent and the text on it as the compiler reads them (its colours, its text colour
/// when none is set) and its verdict: the compiler's own `low-contrast` warning, so the
/// console and the compiled flow never disagree.
fn contrast(f: &Form) -> Markup {
    let doc = f.get("/bot/theme").cloned().unwrap_or(Value::Null);
    let Ok(doc) = serde_json::from_value::<flow_authoring::doc::ThemeDoc>(doc) else {
        return html! {};
    };
    let (theme, diagnostics) = flow_authoring::compile::theme(&doc);
    if diagnostics.iter().any(|d| d.code == "bad-color") {
        // Said under the colour itself.
        return html! {};
    }
    let low = diagnostics.iter().find(|d| d.code == "low-contrast");
    html! {
        p.contrast class=(if low.is_none() { "ok" } else { "bad" }) role="status" {
            // Presentation attributes, not a style: the console's CSP allows no inline styles.
            svg.swatch width="40" height="24" viewBox="0 0 40 24" aria-hidden="true" {
                rect width="40" height="24" rx="4" fill=(theme.accent) {}
                text x="20" y="17" text-anchor="middle" font-size="14" font-weight="700" fill=(theme.on_accent) { "Aa" }
            }
            @if low.is_none() {
                " Contrast: readable (WCAG AA asks at least 4.5:1)."
            } @else {
                " Contrast: too low to read comfortably (below WCAG AA's 4.5:1)."
            }
        }
        // The same warning, claimed here so that it is not listed again at the foot.
        (f.problems("/bot/theme", false, "f-contrast"))
    }
}

fn hours(f: &Form) -> Markup {
    let days = [
        ("mon", "Monday"),
        ("tue", "Tuesday"),
        ("wed", "Wednesday"),
        ("thu", "Thursday"),
        ("fri", "Friday"),
        ("sat", "Saturday"),
        ("sun", "Sunday"),
    ];
    html! {
        @if f.get("/bot/business_hours").is_none() {
            p { "The team takes handoffs at any time. Add business hours so that shoppers outside them are asked for an email instead." }
            button type="submit" name="action" value="hours:add" { "Add business hours" }
        } @else {
            (f.text("s", "/bot/business_hours/time_zone", "Time zone", "an IANA name such as America/New_York or Europe/Madrid"))
            fieldset {
                legend { "Opening hours" }
                p.hint { "Times as 09:00-18:00, several separated by commas; leave a day empty when closed." }
                @for (key, name) in days {
                    @let ptr = format!("/bot/business_hours/weekly/{key}");
                    @let value = f.get(&ptr).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                    @let id = super::fields::id_for("lc", &ptr);
                    div.field {
                        label for=(id) { (name) }
                        input id=(id) type="text" name={"lc:" (ptr)} value=(value);
                        (f.problems(&ptr, true, &id))
                    }
                }
            }
            (f.lines("/bot/business_hours/closed", "Holidays (closed all day)", "one date per line, 2026-12-25"))
            button.danger type="submit" name="action" value="hours:remove" { "Remove business hours (always open)" }
        }
    }
}

fn handoff(f: &Form) -> Markup {
    html! {
        fieldset {
            legend { "When to offer a person" }
            (f.number("n", "/escalation/max_misses", "After this many questions in a row the bot did not understand", "0: never"))
            (f.checkbox("/escalation/on_frustration", "When the shopper sounds frustrated", true))
            (f.step("/escalation/offer", "The step that offers a person", Some("A built-in offer")))
            (f.step("/escalation/handoff", "The handoff step", Some("The flow's first handoff step")))
            (f.step("/escalation/after_handoff", "After a person closes the conversation", Some("Nothing (e.g. choose a rating step)")))
            (f.lines("/escalation/phrases", "Words that ask for a person", "one per line; empty: the built-in ones in six languages"))
        }
        fieldset {
            legend { "Orders" }
            (f.text("o", "/order_number", "Order number pattern", "what your order numbers look like, e.g. #?[0-9]{5}"))
        }
    }
}

fn faq(f: &Form, flow: &str) -> Markup {
    let entries = f
        .get("/faq/entries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let first = f.languages[0].clone();
    let synonyms = f
        .get("/faq/synonyms")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .map(|g| {
                    g.as_array()
                        .map(|w| {
                            w.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    html! {
        table.list {
            caption { "Questions the bot answers" }
            thead { tr { th scope="col" { "Question" } th scope="col" { "Phrasings" } th scope="col" { "Answer" } } }
            tbody {
                @for (i, e) in entries.iter().enumerate() {
                    @let count: usize = match e.get("phrasings") {
                        Some(Value::Array(a)) => a.len(),
                        Some(Value::Object(m)) => m.values().filter_map(Value::as_array).map(Vec::len).sum(),
                        _ => 0,
                    };
                    // An entry with no question yet is still a link with words on it.
                    @let question = text_in(e.get("question"), &first, true);
                    @let id = e.get("id").and_then(Value::as_str).unwrap_or("new entry");
                    tr {
                        td { a href={"/console/flows/" (flow) "/edit/faq/" (i)} {
                            @if question.trim().is_empty() { "(no question yet: " (id) ")" } @else { (question) }
                        } }
                        td { (count) }
                        td { @if let Some(g) = e.get("goto").and_then(Value::as_str) { "goes to step " (g) } @else {
                            @let answer = super::markdown::plain(&text_in(e.pointer("/answer/text").or(e.get("answer")), &first, true));
                            (answer.chars().take(80).collect::<String>()) @if answer.chars().count() > 80 { "…" }
                        } }
                    }
                }
            }
        }
        button type="submit" name="action" value="add:/faq/entries:faq" { "Add an FAQ entry" }
        @let fallback = if matches!(f.get("/faq/fallback"), Some(Value::String(_))) { "/faq/fallback" } else { "/faq/fallback/text" };
        (f.localized_opt(fallback, "When no entry fits, say (empty: the built-in “I didn't understand”)", true, true))
        fieldset {
            legend { "How sure the bot must be" }
            p.hint { "Leave empty for the calibrated values; the question box on the right shows the confidences." }
            (f.number("n", "/faq/answer_threshold", "Answer from this confidence (0–1)", ""))
            (f.number("n", "/faq/clear_lead", "…when this far ahead of the next entry (0–1)", ""))
            (f.number("n", "/faq/suggest_threshold", "Offer “did you mean” from (0–1)", ""))
        }
        (f.area("syn", "/faq/synonyms", "Synonyms", "one group per line, words that mean the same separated by commas: shipping, delivery, postage", synonyms))
    }
}

fn faq_entry(f: &Form, i: usize) -> Markup {
    let p = format!("/faq/entries/{i}");
    let goto = f.get(&format!("{p}/goto")).is_some();
    // An answer written as a plain string is edited as its text.
    let text_ptr = if matches!(f.get(&format!("{p}/answer")), Some(Value::String(_))) {
        format!("{p}/answer")
    } else {
        format!("{p}/answer/text")
    };
    html! {
        (f.text("s", &format!("{p}/id"), "Id", "used by quick replies and analytics; letters, digits and -"))
        (f.localized(&format!("{p}/question"), "Question (as a shopper would ask it; also shown in “did you mean…?”)", false, false))
        fieldset {
            legend { "Phrasings: other ways shoppers ask it" }
            (f.problems(&format!("{p}/phrasings"), false, &super::fields::id_for("g", &format!("{p}/phrasings"))))
            @for lang in &f.languages {
                (f.lines(&format!("{p}/phrasings/{lang}"), super::words::language_name(lang), "one per line"))
            }
        }
        (f.select("ans", &p, "Answer with", &opts(&[("text", "A message"), ("goto", "A step of the flow")]), if goto { "goto" } else { "text" }))
        @if goto {
            (f.step(&format!("{p}/goto"), "Step", None))
        } @else {
            (f.problems(&format!("{p}/answer"), false, &super::fields::id_for("g", &format!("{p}/answer"))))
            (f.localized_opt(&text_ptr, "Answer (Markdown: **bold**, *italic*, [link](https://…), lists)", true, true))
            @if text_ptr.ends_with("/text") {
                (f.buttons(&format!("{p}/answer/quick_replies"), "Follow-up quick reply"))
            }
        }
        div.controls {
            button.danger type="submit" name="action" value={"remove:" (p)} { "Delete this entry" }
        }
    }
}

fn steps(f: &Form, flow: &str) -> Markup {
    let steps = f
        .get("/steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let first = f.languages[0].clone();
    let kinds: Vec<(String, String)> = kinds::all()
        .iter()
        .map(|k| (k.name.clone(), k.label().to_owned()))
        .collect();
    html! {
        table.list {
            caption { "The conversation's steps" }
            thead { tr { th scope="col" { "Step" } th scope="col" { "Kind" } th scope="col" { "Says" } } }
            tbody {
                @for (i, s) in steps.iter().enumerate() {
                    tr {
                        td { a href={"/console/flows/" (flow) "/edit/steps/" (i)} { (s.get("id").and_then(Value::as_str).unwrap_or("(no id)")) } }
                        td { (kinds::label(s.get("type").and_then(Value::as_str).unwrap_or(""))) }
                        td { (text_in(s.get("text"), &first, true).chars().take(80).collect::<String>()) }
                    }
                }
            }
        }
        fieldset {
            legend { "Add a step" }
            div.field {
                label for="new-step-id" { "Id" }
                span.hint { "a short name, e.g. ask-size" }
                input #new-step-id type="text" name="new_id";
            }
            div.field {
                label for="new-step-kind" { "Kind" }
                select #new-step-kind name="new_kind" { @for (v, l) in &kinds { option value=(v) { (l) } } }
            }
            button type="submit" name="action" value="add:/steps:step" { "Add the step" }
        }
    }
}

fn step(f: &Form, i: usize) -> Markup {
    let p = format!("/steps/{i}");
    let kind = f.str_at(&format!("{p}/type"));
    let kinds: Vec<(String, String)> = kinds::all()
        .iter()
        .map(|k| (k.name.clone(), k.label().to_owned()))
        .collect();
    let at = |k: &str| format!("{p}/{k}");
    html! {
        (f.text("s", &at("id"), "Id", "quick replies and other steps go here by this name"))
        (f.select("ty", &p, "Kind", &kinds, &kind))
        p.hint { "Changing the kind keeps only the fields the new kind has, when you save." }
        @match kind.as_str() {
            "message" | "carousel" | "end" => {
                (f.localized_opt(&at("text"), "Text (Markdown)", true, true))
                (f.text("o", &format!("{p}/image/src"), "Image", "an image URL (optional)"))
                @if kind != "end" {
                    (cards(f, &at("cards")))
                    (f.checkbox(&at("show_order"), "Show the order just looked up", false))
                    (f.buttons(&at("quick_replies"), "Quick reply"))
                    (f.step(&at("next"), "Then go on to", Some("Wait for the shopper")))
                }
            }
            "ask" => {
                (f.localized(&at("text"), "Question", true, true))
                (f.text("s", &at("var"), "Keep the answer in the variable", "e.g. email; used as {{email}}"))
                (f.select("s", &at("expect"), "Expect", &opts(&[("text", "Any text"), ("email", "An email address"), ("phone", "A phone number"), ("order_number", "An order number"), ("number", "A number"), ("choice", "One of the choices"), ("pattern", "Text matching a pattern")]), &{ let e = f.str_at(&at("expect")); if e.is_empty() { "text".into() } else { e } }))
                (f.localized_lines(&at("choices"), "Choices (for “one of the choices”)", "one per line; shown as quick replies"))
                (f.text("o", &at("pattern"), "Pattern (for “text matching a pattern”)", ""))
                (f.number("n", &at("min"), "Smallest number accepted (for “a number”)", "optional"))
                (f.number("n", &at("max"), "Largest number accepted (for “a number”)", "optional"))
                (f.text("o", &format!("{p}/image/src"), "Image", "an image URL (optional)"))
                (f.buttons(&at("quick_replies"), "Suggested answer"))
                (f.localized_opt(&at("retry_text"), "When the answer does not fit, say", true, false))
                (f.number("n", &at("max_retries"), "Tries before giving up", "default 2"))
                (f.step(&at("on_fail"), "After the last try, go to", Some("Carry on")))
                (f.localized_opt(&at("reprompt"), "When asking again after the shopper asked something else, say", true, false))
                (f.checkbox(&at("strict"), "A pure form: every message is taken as the answer (no FAQ answers or “never mind” meanwhile)", false))
                (f.step(&at("next"), "Then go on to", Some("Nowhere")))
            }
            "condition" => {
                @let branches = f.get(&at("branches")).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
                fieldset.buttons {
                    legend { "Branches (the first that holds is taken)" }
                    (f.problems(&at("branches"), false, "branches"))
                    @for b in 0..branches {
                        @let bp = format!("{p}/branches/{b}");
                        div.item {
                            p.item-title { "Branch " (b + 1) }
                            @let when = f.get(&format!("{bp}/when")).map(|v| v.to_string()).unwrap_or_default();
                            (f.area("j", &format!("{bp}/when"), "When", "e.g. {\"size_kind\": \"Shoes\"} or {\"cart.value\": {\"gte\": 75}}", when))
                            (f.step(&format!("{bp}/goto"), "Go to", None))
                            (item_controls(&bp, b, branches))
                        }
                    }
                    button.secondary type="submit" name="action" value={"add:" (at("branches")) ":branch"} { "Add a branch" }
                }
                (f.step(&at("otherwise"), "Otherwise go to", Some("Stop here")))
            }
            "set" => {
                @let set = f.get(&at("set")).map(|v| serde_json::to_string_pretty(v).unwrap_or_default()).unwrap_or_default();
                (f.area("j", &at("set"), "Variables to set", "e.g. {\"order_number\": \"\", \"email\": \"\"}", set))
                (f.step(&at("next"), "Then go on to", Some("Nowhere")))
            }
            "goto" => { (f.step(&at("goto"), "Go to", None)) }
            "order_lookup" => {
                (f.localized_opt(&at("text"), "While looking, say", false, false))
                (f.text("o", &at("number"), "Variable holding the order number", "default order_number"))
                (f.text("o", &at("email"), "Variable holding the email", "default email"))
                (f.step(&at("found"), "When the order is found, go to", Some("Show it")))
                (f.step(&at("not_found"), "When it is not found, go to", Some("A built-in message")))
                (f.step(&at("error"), "When the order system fails, go to", Some("A built-in message")))
            }
            "handoff" => {
                (f.localized_opt(&at("text"), "While finding someone, say", false, false))
                (f.step(&at("available"), "When someone is there, go to", Some("A built-in message")))
                (f.step(&at("offline"), "Outside business hours, go to", Some("A built-in message")))
                (f.step(&at("error"), "When the server cannot be reached, go to", Some("A built-in message")))
            }
            "handoff_email" => {
                (f.text("o", &at("var"), "Variable holding the email", "default email"))
                (f.step(&at("next"), "Then go on to", Some("Nowhere")))
                (f.step(&at("error"), "When it cannot be sent, go to", Some("A built-in message")))
            }
            "csat" => {
                (f.localized(&at("text"), "Question", true, false))
                (f.select("s", &at("scale"), "Scale", &opts(&[("thumbs", "Thumbs up or down"), ("five", "One to five stars")]), &{ let s = f.str_at(&at("scale")); if s.is_empty() { "thumbs".into() } else { s } }))
                (f.checkbox(&at("comment"), "Ask for a comment", false))
                (f.step(&at("next"), "Then go on to", Some("Nowhere")))
            }
            _ => { p { "Choose a kind and save." } }
        }
        div.controls {
            button.danger type="submit" name="action" value={"remove:" (p)} { "Delete this step" }
        }
    }
}

fn cards(f: &Form, ptr: &str) -> Markup {
    let n = f
        .get(ptr)
        .and_then(Value::as_array)
        .map(Vec::len)
        .unwrap_or(0);
    html! {
        fieldset.buttons {
            legend { "Product cards" }
            (f.problems(ptr, false, "cards"))
            @for c in 0..n {
                @let cp = format!("{ptr}/{c}");
                div.item {
                    p.item-title { "Card " (c + 1) }
                    (f.localized(&format!("{cp}/title"), "Title", false, false))
                    (f.localized_opt(&format!("{cp}/subtitle"), "Subtitle", false, false))
                    (f.localized_opt(&format!("{cp}/price"), "Price", false, false))
                    (f.text("o", &format!("{cp}/image/src"), "Image", "an image URL"))
                    (f.localized_opt(&format!("{cp}/image/alt"), "Image description (for screen readers)", false, false))
                    (f.buttons(&format!("{cp}/buttons"), "Button"))
                    (item_controls(&cp, c, n))
                }
            }
            button.secondary type="submit" name="action" value={"add:" (ptr) ":card"} { "Add a card" }
        }
    }
}

fn triggers(f: &Form, flow: &str) -> Markup {
    let list = f
        .get("/triggers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    html! {
        table.list {
            caption { "Messages the bot starts by itself" }
            thead { tr { th scope="col" { "Trigger" } th scope="col" { "When" } th scope="col" { "Pages" } } }
            tbody {
                @for (i, t) in list.iter().enumerate() {
                    tr {
                        td { a href={"/console/flows/" (flow) "/edit/triggers/" (i)} { (t.get("id").and_then(Value::as_str).unwrap_or("(no id)")) } }
                        td { (event_words(t.get("on"))) }
                        td { (t.get("pages").and_then(Value::as_array).map(|p| p.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_else(|| "every page".into())) }
                    }
                }
            }
        }
        button type="submit" name="action" value="add:/triggers:trigger" { "Add a trigger" }
    }
}

fn event_words(on: Option<&Value>) -> String {
    match on {
        Some(Value::String(s)) => match s.as_str() {
            "exit_intent" => "the shopper is about to leave".into(),
            "page_view" => "a page is viewed".into(),
            "cart_changed" => "the cart changes".into(),
            "returning_visit" => "a shopper comes back".into(),
            other => other.into(),
        },
        Some(Value::Object(m)) => match m.iter().next() {
            Some((k, v)) if k == "time_on_page" => format!("after {v} s on the page"),
            Some((k, v)) if k == "idle" => format!("after {v} s without activity"),
            Some((k, v)) if k == "scroll_depth" => format!("scrolled {v} % down"),
            Some((k, v)) if k == "custom" => format!("the store says {v}"),
            _ => "?".into(),
        },
        _ => "?".into(),
    }
}

fn trigger(f: &Form, i: usize) -> Markup {
    let p = format!("/triggers/{i}");
    let at = |k: &str| format!("{p}/{k}");
    let (event, amount, custom) = match f.get(&at("on")) {
        Some(Value::String(s)) => (s.clone(), String::new(), String::new()),
        Some(Value::Object(m)) => match m.iter().next() {
            Some((k, v)) if k == "custom" => (
                k.clone(),
                String::new(),
                v.as_str().unwrap_or_default().to_owned(),
            ),
            Some((k, v)) => (k.clone(), v.to_string(), String::new()),
            None => (String::new(), String::new(), String::new()),
        },
        _ => ("exit_intent".into(), String::new(), String::new()),
    };
    let (frequency, days) = match f.get(&at("frequency")) {
        Some(Value::String(s)) => (s.clone(), String::new()),
        Some(Value::Object(m)) => m
            .iter()
            .next()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .unwrap_or_default(),
        _ => ("once_per_session".into(), String::new()),
    };
    let variants = f
        .get(&at("variants"))
        .and_then(Value::as_array)
        .map(Vec::len)
        .unwrap_or(0);
    let on_id = super::fields::id_for("onv", &at("on"));
    let name_id = super::fields::id_for("onname", &at("on"));
    let days_id = super::fields::id_for("fqv", &at("frequency"));
    html! {
        (f.text("s", &at("id"), "Id", "shown in analytics"))
        fieldset {
            legend { "When" }
            (f.select("on", &at("on"), "Event", &opts(&[("exit_intent", "The shopper is about to leave"), ("time_on_page", "Time on the page"), ("scroll_depth", "Scrolled down the page"), ("idle", "No activity for a while"), ("page_view", "A page is viewed"), ("cart_changed", "The cart changes"), ("returning_visit", "A shopper comes back"), ("custom", "The store's page says so (Bellhop('track', name))")]), &event))
            div.field {
                label for=(on_id) { "Seconds, or percent scrolled" }
                span.hint { "for time on the page, no activity and scrolling" }
                input id=(on_id) type="text" inputmode="decimal" name={"onv:" (at("on"))} value=(amount);
            }
            div.field {
                label for=(name_id) { "Event name (for “the store's page says so”)" }
                input id=(name_id) type="text" name={"onname:" (at("on"))} value=(custom);
            }
            (f.problems(&at("on"), true, "on"))
            (f.select("o", &at("mobile"), "On phones (exit intent)", &opts(&[("", "Leaving the tab, or a fast scroll up (default)"), ("both", "Both"), ("tab_return", "Coming back to the tab"), ("scroll_up", "A fast scroll up"), ("off", "Never on phones")]), &f.str_at(&at("mobile"))))
            (f.lines(&at("pages"), "On pages", "URL paths, * matches anything: /products/*, /checkout*; empty: every page"))
        }
        fieldset {
            legend { "Only if" }
            (f.number("c", &format!("{p}/when/cart.items/gte"), "At least this many items in the cart", ""))
            (f.number("c", &format!("{p}/when/cart.value/gte"), "A cart worth at least", "in the store's currency"))
            (f.number("c", &format!("{p}/when/visitor.visits/gte"), "At least this many visits", "1 is the first visit"))
            (f.problems(&at("when"), true, "when"))
        }
        fieldset {
            legend { "How often" }
            (f.select("fq", &at("frequency"), "At most", &opts(&[("once_per_session", "Once a visit"), ("once_per_days", "Once every few days"), ("until_engaged", "Until the shopper answers"), ("always", "Every time")]), &frequency))
            div.field {
                label for=(days_id) { "Days (for “once every few days”)" }
                input id=(days_id) type="text" inputmode="numeric" name={"fqv:" (at("frequency"))} value=(days);
            }
            (f.checkbox(&at("respect_dismissal"), "Not again after the shopper closed it", true))
            (f.checkbox(&at("suppress_while_active"), "Not while the shopper is chatting", true))
            (f.number("n", &at("priority"), "Priority", "when two could show, the higher wins"))
        }
        fieldset {
            legend { "Message" }
            @if variants == 0 {
                (f.step(&at("step"), "Show the step", Some("Choose a step…")))
                p.hint { "Or test several messages against each other:" }
            } @else {
                @for v in 0..variants {
                    @let vp = format!("{p}/variants/{v}");
                    div.item {
                        p.item-title { "Variant " (v + 1) }
                        (f.text("s", &format!("{vp}/id"), "Name", ""))
                        (f.number("n", &format!("{vp}/weight"), "Weight", "shoppers are split by weight"))
                        (f.step(&format!("{vp}/step"), "Step", None))
                        (item_controls(&vp, v, variants))
                    }
                }
                (f.number("pct", &at("holdout"), "Holdout (%)", "shoppers who see nothing, to measure the lift"))
            }
            button.secondary type="submit" name="action" value={"add:" (at("variants")) ":variant"} { "Add a variant" }
        }
        div.controls {
            button.danger type="submit" name="action" value={"remove:" (p)} { "Delete this trigger" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The step form shows every field of every kind the format has (read from the
    /// schema): a field the format gains fails here until the form offers it.
    #[test]
    fn every_field_of_every_kind_has_its_place_in_the_step_form() {
        let blank = serde_json::json!({ "en": "" });
        let mut missing = Vec::new();
        for kind in kinds::all() {
            let doc = serde_json::json!({
                "bot": { "name": "A", "languages": ["en"] },
                "steps": [kind.new_step("s", &blank)],
            });
            let f = Form::new(&doc, &[]);
            let html = fields(Section::Step(0), &f, "flow").into_string();
            for field in &kind.fields {
                // The field itself, not one it is a prefix of (`max` of `max_retries`).
                let at = format!("/steps/0/{field}");
                let placed = html.match_indices(&at).any(|(i, _)| {
                    !html[i + at.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                if !placed {
                    missing.push(format!("{}.{field}", kind.name));
                }
            }
        }
        assert_eq!(
            missing,
            Vec::<String>::new(),
            "fields the step form does not offer"
        );
    }
}
