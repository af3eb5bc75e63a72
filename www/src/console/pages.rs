//! The console's HTML (maud escapes every value it interpolates).

use flow_authoring::compile::Diagnostic;
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::editor::Section;
use super::fields::Form;
use super::tryout::{Explained, Health};
use crate::agents::{Agent, Role, Session};
use crate::clock::iso_minute;
use crate::flows::store::{Summary, Version};

/// A page of the console.
pub fn layout(title: &str, session: Option<&Session>, body: Markup) -> String {
    crate::staff::layout(crate::staff::Area::Console, title, session, body)
}

pub fn home(session: &Session, flows: &[Summary], now: i64) -> String {
    layout(
        "Flows",
        Some(session),
        html! {
            h1 { "Your assistants" }
            p { "Each flow is one assistant: what it says, the questions it answers and when it speaks first. Edit the draft, try it beside the editor, then publish: shoppers get the new version on their next page." }
            table.list {
                caption { "Flows" }
                thead { tr { th scope="col" { "Flow" } th scope="col" { "Live" } th scope="col" { "Draft" } th scope="col" { "Last edited" } } }
                tbody {
                    @for f in flows {
                        tr {
                            td { a href={"/console/flows/" (f.name)} { (f.name) } " " span.hint { "/flows/" (f.name) ".json" } }
                            td { @match f.live { Some(n) => { "version " (n) }, None => { "never published" } } }
                            td { @if f.changed { "unpublished changes" } @else { "as published" } }
                            td { (crate::clock::duration_words(now - f.updated_at)) " ago" }
                        }
                    }
                }
            }
            form.card method="post" action="/console/flows" {
                h2 { "New flow" }
                input type="hidden" name="csrf" value=(session.csrf);
                div.field {
                    label for="new-name" { "Name" }
                    span.hint #new-name-hint { "Such as “Tea shop”. It becomes the assistant's address, written in lowercase letters, digits and hyphens (tea-shop)." }
                    input #new-name type="text" name="name" required maxlength="64" aria-describedby="new-name-hint";
                }
                div.field {
                    label for="new-source" { "Start from" }
                    select #new-source name="from" {
                        option value="blank" { "A new assistant (a greeting, one FAQ entry and a way to your team)" }
                        @for f in flows { option value=(f.name) { "A copy of " (f.name) } }
                    }
                }
                button type="submit" { "Create" }
            }
        },
    )
}

pub fn accounts(session: &Session, list: &[Agent], note: Option<&str>) -> String {
    layout(
        "Accounts",
        Some(session),
        html! {
            h1 { "Accounts" }
            @if let Some(note) = note { p.notice role="status" { (note) } }
            table.list {
                caption { "Who can log in" }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for a in list {
                        tr {
                            td { (a.name) }
                            td { (a.email) }
                            td { @match a.role { Role::Owner => "Owner (console and inbox)", Role::Agent => "Agent (inbox)" } }
                            td {
                                @if a.id != session.agent.id {
                                    form method="post" action={"/console/accounts/" (a.id) "/remove"} {
                                        input type="hidden" name="csrf" value=(session.csrf);
                                        button.danger type="submit" aria-label={"Remove " (a.name)} { "Remove" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form.card method="post" action="/console/accounts" {
                h2 { "Add an account" }
                p.hint { "An existing email gets the new name, password and role." }
                input type="hidden" name="csrf" value=(session.csrf);
                div.field { label for="a-name" { "Name (shoppers see it when a person joins)" } input #a-name type="text" name="name" required maxlength="60"; }
                div.field { label for="a-email" { "Email" } input #a-email type="email" name="email" required; }
                div.field { label for="a-password" { "Password (at least 10 characters)" } input #a-password type="password" name="password" required minlength="10" autocomplete="new-password"; }
                div.field {
                    label for="a-role" { "Role" }
                    select #a-role name="role" { option value="agent" { "Agent: the inbox" } option value="owner" { "Owner: the inbox and the console" } }
                }
                button type="submit" { "Add" }
            }
        },
    )
}

fn tabs(flow: &str, current: &str) -> Markup {
    let tabs = [
        ("", "Overview"),
        ("edit/bot", "Bot"),
        ("edit/faq", "FAQ"),
        ("edit/steps", "Steps"),
        ("edit/triggers", "Proactive messages"),
        ("edit/hours", "Business hours"),
        ("edit/handoff", "Handoff and orders"),
        ("health", "FAQ health"),
        ("insights", "Insights"),
    ];
    html! {
        nav.tabs aria-label="Flow" {
            @for (path, label) in tabs {
                @let href = if path.is_empty() { format!("/console/flows/{flow}") } else { format!("/console/flows/{flow}/{path}") };
                a href=(href) aria-current=[(path == current).then_some("page")] { (label) }
            }
        }
    }
}

/// Errors and warnings of the draft, in a line.
fn status(diags: &[Diagnostic]) -> Markup {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    html! {
        p.status role="status" {
            @if errors == 0 && warnings == 0 { "The draft has no problems." }
            @else {
                (errors) " " (if errors == 1 { "error" } else { "errors" }) ", " (warnings) " " (if warnings == 1 { "warning" } else { "warnings" })
                @if errors > 0 { ": fix the errors to publish." }
            }
        }
    }
}

pub struct FlowPage<'a> {
    pub session: &'a Session,
    pub name: &'a str,
    pub revision: i64,
    pub diags: &'a [Diagnostic],
    pub live: Option<&'a Version>,
    pub changed: bool,
}

/// Where a flow is installed, for the overview's "Install" card.
pub struct Install {
    /// The tag to paste, with this server's address.
    pub script_src: String,
    /// The storefronts this flow is installed on.
    pub origins: Vec<String>,
    /// Those the server allows for every flow (`--allowed-origins`).
    pub server_wide: Vec<String>,
}

pub fn overview(
    p: &FlowPage,
    versions: &[Version],
    install: &Install,
    now: i64,
    note: Option<&str>,
) -> String {
    let errors = p.diags.iter().filter(|d| d.is_error()).count();
    let name = p.name;
    layout(
        name,
        Some(p.session),
        html! {
            h1 { "Flow " (name) }
            (tabs(name, ""))
            @if let Some(note) = note { p.notice role="status" { (note) } }
            section.card aria-labelledby="publish-title" {
                h2 #publish-title { "Publish" }
                p {
                    @match p.live { Some(v) => { "Shoppers get version " (v.number) ", published " (iso_minute(v.published_at)) " by " (v.published_by) "." }, None => { "Never published: shoppers get nothing yet." } }
                    " "
                    @if p.changed { "The draft has changes they do not have yet." } @else { "The draft is what they get." }
                }
                (status(p.diags))
                @if !p.diags.is_empty() {
                    ul.problems {
                        @for d in p.diags {
                            li class=(if d.is_error() { "error" } else { "warning" }) {
                                a href={"/console/flows/" (name) "/edit/" (Section::for_pointer(&d.pointer).path())} { (if d.is_error() { "Error" } else { "Warning" }) }
                                @let said = super::words::said(d);
                                ": " (said.message)
                                @if let Some(h) = &said.fix { " " span.help { "Fix: " (h) } }
                                " " span.hint { "(" (super::words::place(&d.pointer)) ")" }
                            }
                        }
                    }
                }
                form method="post" action={"/console/flows/" (name) "/publish"} {
                    input type="hidden" name="csrf" value=(p.session.csrf);
                    input type="hidden" name="revision" value=(p.revision);
                    div.field {
                        label for="publish-note" { "What changed (optional)" }
                        input #publish-note type="text" name="note" maxlength="200";
                    }
                    button type="submit" disabled[errors > 0 || !p.changed] { "Publish the draft" }
                }
            }
            section.card aria-labelledby="install-title" {
                h2 #install-title { "Install on your shop" }
                p { "Paste this tag into your shop's pages (in the theme, before " code { "</body>" } "):" }
                pre.snippet { code { "<script async src=\"" (install.script_src) "\" data-flow=\"/flows/" (name) ".json\"></script>" } }
                form method="post" action={"/console/flows/" (name) "/origins"} {
                    input type="hidden" name="csrf" value=(p.session.csrf);
                    div.field {
                        label for="origins" { "Your shop's addresses" }
                        p.hint #origins-hint { "One per line, such as https://www.your-shop.example. Pages there may look up orders and reach your team through this assistant; the change applies at once." }
                        textarea #origins name="origins" rows="3" aria-describedby="origins-hint" { (install.origins.join("\n")) }
                    }
                    button type="submit" { "Save the addresses" }
                }
                @if !install.server_wide.is_empty() {
                    p.hint { "Allowed for every assistant by the server's settings: " (install.server_wide.join(", ")) "." }
                }
            }
            section.card aria-labelledby="versions-title" {
                h2 #versions-title { "Versions" }
                table.list {
                    thead { tr { th scope="col" { "Version" } th scope="col" { "Published" } th scope="col" { "By" } th scope="col" { "Note" } th scope="col" { span.visually-hidden { "Actions" } } } }
                    tbody {
                        @for (i, v) in versions.iter().enumerate() {
                            tr {
                                td { (v.number) @if i == 0 { " " strong { "(live)" } } }
                                td { (iso_minute(v.published_at)) " " span.hint { "(" (crate::clock::duration_words(now - v.published_at)) " ago)" } }
                                td { (v.published_by) }
                                td { (v.note) }
                                td.actions {
                                    a href={"/console/flows/" (name) "/versions/" (v.number) "/export"} download={(name) "-v" (v.number) ".json"} { "Export JSON" }
                                    @if i > 0 {
                                        form method="post" action={"/console/flows/" (name) "/versions/" (v.number) "/rollback"} {
                                            input type="hidden" name="csrf" value=(p.session.csrf);
                                            button.secondary type="submit" { "Roll back to version " (v.number) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p { a href={"/console/flows/" (name) "/draft/export"} download={(name) "-draft.json"} { "Export the draft as JSON" } " (for " code { "flow check" } " and " code { "flow test" } ")" }
            }
            form.card method="post" action={"/console/flows/" (name) "/import"} {
                h2 { "Import a flow file" }
                p.hint { "The file replaces the draft; it is published at once when it has no errors." }
                input type="hidden" name="csrf" value=(p.session.csrf);
                div.field {
                    label for="import-file" { "Flow file (.json)" }
                    input #import-file type="file" accept=".json,application/json" data-fills="import-source";
                }
                div.field {
                    label for="import-source" { "Or paste the JSON" }
                    textarea #import-source name="source" rows="4" required {}
                }
                button type="submit" { "Import" }
            }
        },
    )
}

pub struct Tryout<'a> {
    /// The order panel (the handoff page only).
    pub orders: Option<Markup>,
    pub explained: Option<&'a Explained>,
    pub triggers: Vec<(String, Vec<String>)>,
    pub languages: &'a [String],
    /// `Some(true)`: the draft has errors, and what is tried is the newest draft without;
    /// `None`: nothing can be tried yet.
    pub stale: Option<bool>,
}

pub fn editor(p: &FlowPage, section: Section, doc: &Value, t: &Tryout) -> String {
    let f = Form::new(doc, p.diags);
    let title = section.title(&f);
    let fields = super::editor::fields(section, &f, p.name);
    let rest = f.unclaimed(&section.pointer());
    let name = p.name;
    let back = format!("/console/flows/{name}/edit/{}", section.path());
    layout(
        &title,
        Some(p.session),
        html! {
            h1 { (title) " " span.hint { "— flow " (name) } }
            (tabs(name, &format!("edit/{}", section.tab())))
            (status(p.diags))
            div.workspace {
                form.editor method="post" action={"/console/flows/" (name) "/draft"} data-unsaved=(back) data-revision=(p.revision) novalidate {
                    input type="hidden" name="csrf" value=(p.session.csrf);
                    input type="hidden" name="revision" value=(p.revision);
                    input type="hidden" name="back" value=(section.path());
                    p.unsaved-note role="status" hidden { "Restored the changes you had not saved. Save them, or " button.link.discard type="button" { "discard them" } "." }
                    (rest)
                    (fields)
                    div.savebar {
                        button type="submit" name="action" value="save" { "Save the draft" }
                        a href={"/console/flows/" (name)} { "Publish…" }
                    }
                }
                (tryout_panel(name, t, &back))
            }
        },
    )
}

fn tryout_panel(name: &str, t: &Tryout, back: &str) -> Markup {
    html! {
        aside.tryout aria-labelledby="try-title" {
            @if let Some(orders) = &t.orders {
                (orders)
            }
            h2 #try-title { "Try it" }
            p.hint { "The real widget, running the draft as saved. It stores nothing and starts afresh on every save." }
            @if t.stale == Some(true) {
                p.notice role="status" { "The draft has errors, so the preview and the question box show the last saved draft without errors. Fix the errors to try your latest changes." }
            }
            iframe.preview src={"/console/flows/" (name) "/preview"} title="Preview of the assistant (the draft)" {}
            @if !t.triggers.is_empty() {
                div.fire {
                    p { strong { "Fire a proactive message" } }
                    @for (trigger, variants) in &t.triggers {
                        @if variants.is_empty() {
                            button.secondary type="button" data-fire=(trigger) { (trigger) }
                        }
                        @for v in variants {
                            button.secondary type="button" data-fire=(trigger) data-variant=(v) { (trigger) ": " (v) }
                        }
                    }
                }
            }
            form.ask method="get" action=(back) {
                div.field {
                    label for="ask-q" { "Ask the FAQ a question" }
                    input #ask-q type="text" name="ask" value=(t.explained.map(|e| e.question.as_str()).unwrap_or("")) maxlength="500";
                }
                @if t.languages.len() > 1 {
                    div.field {
                        label for="ask-lang" { "In" }
                        select #ask-lang name="lang" {
                            @for l in t.languages {
                                option value=(l) selected[t.explained.is_some_and(|e| &e.language == l)] { (super::words::language_name(l)) }
                            }
                        }
                    }
                }
                button type="submit" { "Ask" }
            }
            @if let Some(e) = t.explained {
                div.explained #explained role="status" {
                    p.decision {
                        @match e.decision {
                            "answer" => { "Answers with " strong { (e.chosen.clone().unwrap_or_default()) } "." }
                            "unsure" => { "Not sure: asks “did you mean…?”, offering " strong { (e.chosen.clone().unwrap_or_default()) } " first." }
                            _ => { "Missed: no entry is close enough; the shopper gets the fallback." }
                        }
                    }
                    @if !e.candidates.is_empty() {
                        table.list {
                            caption { "Closest entries" }
                            thead { tr { th scope="col" { "Entry" } th scope="col" { "Confidence" } th scope="col" { "Words in common" } } }
                            tbody {
                                @for c in &e.candidates {
                                    tr {
                                        td { (c.id) br; span.hint { (c.question) } }
                                        td { (format!("{:.2}", f64::from(c.confidence) / 1000.0)) }
                                        td { @if c.matched.is_empty() { "none" } @else { (c.matched.join(", ")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn health(
    p: &FlowPage,
    h: &Health,
    entries: &[(usize, String)],
    took: std::time::Duration,
) -> String {
    let name = p.name;
    let index_of = |id: &str| {
        entries
            .iter()
            .find(|(_, e)| e == id)
            .map(|(i, _)| *i)
            .unwrap_or(0)
    };
    layout(
        "FAQ health",
        Some(p.session),
        html! {
            h1 { "FAQ health " span.hint { "— flow " (name) ", the draft" } }
            (tabs(name, "health"))
            p {
                "Each phrasing was asked of the FAQ without it, as a shopper's question. "
                (h.own) " of " (h.asked) " found their own entry as the answer"
                @if h.asked > 0 { " (" (h.own * 100 / h.asked) " %)" } ". "
                span.hint { "(" (h.asked) " phrasings asked in " (took.as_millis()) " ms.)" }
            }
            @if !h.complete {
                p.problem role="status" {
                    "The check stopped after " (super::tryout::HEALTH_TIME.as_secs()) " seconds: what it found so far is below. "
                    "An FAQ this large is better checked in parts, or with `flow bench` from a terminal."
                }
            }
            section.card aria-labelledby="confused-title" {
                h2 #confused-title { "Entries the matcher confuses" }
                @if h.confusions.is_empty() {
                    p { "None: every phrasing asked on its own went to its entry or to “did you mean”." }
                } @else {
                    p.hint { "Make the phrasings of these entries more distinct, merge entries that are the same question, or add synonyms." }
                    table.list {
                        thead { tr { th scope="col" { "Asked as a phrasing of" } th scope="col" { "Got" } th scope="col" { "Examples" } } }
                        tbody {
                            @for c in &h.confusions {
                                tr {
                                    td { a href={"/console/flows/" (name) "/edit/faq/" (index_of(&c.asked))} { (c.asked) } }
                                    td { @if c.answered { "the answer of " } @else { "“did you mean” first offering " } a href={"/console/flows/" (name) "/edit/faq/" (index_of(&c.got))} { (c.got) } }
                                    td { (c.examples.iter().map(|e| format!("“{e}”")).collect::<Vec<_>>().join(", ")) }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="thin-title" {
                h2 #thin-title { "Entries with too few phrasings" }
                @if h.thin.is_empty() {
                    p { "None: every entry has at least " (super::tryout::MIN_PHRASINGS) " ways of asking in every language." }
                } @else {
                    p.hint { "Fewer than " (super::tryout::MIN_PHRASINGS) " ways of asking (the question included): shoppers who word it differently are missed." }
                    ul {
                        @for (id, lang, n) in &h.thin {
                            li { a href={"/console/flows/" (name) "/edit/faq/" (index_of(id))} { (id) } ", " (super::words::language_name(lang)) ": " (n) }
                        }
                    }
                }
            }
        },
    )
}

pub fn stale(name: &str, back: &str) -> String {
    layout(
        "Saved elsewhere",
        None,
        html! {
            h1 { "The draft changed since this page was opened" }
            p.problem role="alert" { "Someone (perhaps you, in another tab) saved the draft in the meantime, so this save was not applied. Your changes are kept in this browser: open the page again and they are restored over the newest draft; then save." }
            p { a href={"/console/flows/" (name) "/edit/" (back)} { "Open the page again" } }
        },
    )
}

pub fn preview(name: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Preview of " (name) }
                link rel="stylesheet" href="/console/console.css";
                link rel="icon" href="/bellhop-icon.svg" type="image/svg+xml";
            }
            body.preview-page {
                main {
                    h1.visually-hidden { "Preview of " (name) }
                    p.hint { "A page of your store. The assistant below runs the draft." }
                }
                // Consent is never given here: the preview stores nothing and forgets on reload.
                script async src="/bellhop/bellhop.js" data-flow={"/console/preview/" (name) ".json"} data-consent="required" {}
            }
        }
    }
    .into_string()
}

pub struct InsightsPage<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub version: Option<i64>,
    pub versions: &'a [i64],
    pub figures: &'a super::figures::Figures,
    pub questions: &'a [crate::insights::Question],
    /// For each question, the entry the draft answers it with now.
    pub answers: &'a [Option<String>],
    pub handoffs: &'a [crate::conversations::HandoffQuestion],
    pub insights_on: bool,
    pub entries: &'a [(String, String)],
    /// Triggers of the draft with more than one variant, and their variants.
    pub with_variants: &'a [(String, Vec<String>)],
    pub note: Option<&'a str>,
}

pub fn insights(p: &FlowPage, i: &InsightsPage) -> String {
    use super::figures::{chart, percent, trigger_rows};
    let name = p.name;
    let f = i.figures;
    let query = format!(
        "from={}&to={}&version={}",
        i.from,
        i.to,
        i.version.unwrap_or(0)
    );
    let csv = |table: &str| format!("/console/flows/{name}/insights?{query}&csv={table}");
    let (csat, rated) = f.csat();
    layout(
        "Insights",
        Some(p.session),
        html! {
            h1 { "Insights " span.hint { "— flow " (name) } }
            (tabs(name, "insights"))
            @if let Some(note) = i.note { p.notice role="status" { (note) } }
            @if !i.insights_on {
                p.notice role="status" { "Insights are off for the live version of this flow: shoppers' browsers send nothing. Switch them on in the Bot tab (“Send insights to this server”) and publish." }
            }
            form.filters method="get" action={"/console/flows/" (name) "/insights"} {
                div.field { label for="from" { "From" } input #from type="date" name="from" value=(i.from); }
                div.field { label for="to" { "To" } input #to type="date" name="to" value=(i.to); }
                div.field {
                    label for="version" { "Version" }
                    select #version name="version" {
                        option value="0" selected[i.version.is_none()] { "All versions" }
                        @for v in i.versions { option value=(v) selected[i.version == Some(*v)] { "Version " (v) } }
                    }
                }
                button type="submit" { "Show" }
            }
            section.card aria-labelledby="deflection-title" {
                h2 #deflection-title { "Deflection" }
                dl.figures {
                    div { dt { "Conversations" } dd { (f.conversations) } }
                    div { dt { "Resolved without a person" } dd { (percent(f.deflection())) } }
                    div { dt { "FAQ answered outright" } dd { (percent(f.answer_rate())) } }
                    div { dt { "Handoff rate" } dd { (percent(f.handoff_rate())) } }
                    div { dt { "CSAT (out of 5)" } dd { (csat.map_or("—".into(), |c| format!("{c:.1}"))) " " span.hint { "(" (rated) " ratings)" } } }
                    div { dt { "Unique visitors" } dd { (f.visitors) } }
                }
                (chart(f))
                details {
                    summary { "The numbers per day" }
                    table.list {
                        thead { tr { @for h in super::figures::DAYS { th scope="col" { (h) } } } }
                        tbody { @for row in super::figures::day_rows(f) { tr { @for c in row { td { (c) } } } } }
                    }
                }
                p { a href=(csv("summary")) { "Download the figures (CSV)" } " · " a href=(csv("days")) { "per day (CSV)" } }
            }
            section.card aria-labelledby="questions-title" {
                h2 #questions-title { "What Bellhop missed or was unsure about" }
                @let asked: Vec<_> = i.questions.iter().zip(i.answers).filter(|(q, _)| q.kind != "unhelpful").collect();
                @if asked.is_empty() {
                    p { "No missed or unsure questions in this period (a question is listed once two shoppers asked it)." }
                } @else {
                    table.list {
                        thead { tr { th scope="col" { "Question" } th scope="col" { "Times" } th scope="col" { "Entries considered" } th scope="col" { "The draft now" } th scope="col" { "Teach it" } } }
                        tbody {
                            @for (q, answer) in asked {
                                tr {
                                    td { (q.text) br; span.hint { @if q.kind == "missed" { "missed" } @else { "did you mean" } } }
                                    td { (q.count) }
                                    td { (q.entries.join(", ")) }
                                    td { @match answer { Some(e) => { "answers with " strong { (e) } }, None => { "does not answer" } } }
                                    td { (teach(p, i, q, &query)) }
                                }
                            }
                        }
                    }
                    p.hint { "Added phrasings go into the draft: try them on the FAQ page, then publish." }
                }
                p { a href=(csv("questions")) { "Download the questions (CSV)" } }
            }
            section.card aria-labelledby="unhelpful-title" {
                h2 #unhelpful-title { "Answers shoppers said did not help" }
                @let unhelpful: Vec<_> = i.questions.iter().zip(i.answers).filter(|(q, _)| q.kind == "unhelpful").collect();
                @if unhelpful.is_empty() {
                    p { "No answer was marked as unhelpful in this period." }
                } @else {
                    table.list {
                        thead { tr { th scope="col" { "Question" } th scope="col" { "Answered with" } th scope="col" { "Times" } th scope="col" { "The draft now" } th scope="col" { "Teach it" } } }
                        tbody {
                            @for (q, answer) in unhelpful {
                                @let entry = q.entries.first().cloned().unwrap_or_default();
                                tr {
                                    td { (q.text) }
                                    td {
                                        @match i.entries.iter().position(|(e, _)| *e == entry) {
                                            Some(k) => { a href={"/console/flows/" (name) "/edit/faq/" (k)} { (entry) } " " span.hint { "(edit its answer)" } },
                                            None => { (entry) },
                                        }
                                    }
                                    td { (q.count) }
                                    td { @match answer { Some(e) => { "answers with " strong { (e) } }, None => { "does not answer" } } }
                                    td { (teach(p, i, q, &query)) }
                                }
                            }
                        }
                    }
                    p.hint { "Shoppers answered “Did this help?” with “No”. Fix the answer, or teach the question to the entry that should answer it." }
                }
            }
            section.card aria-labelledby="triggers-title" {
                h2 #triggers-title { "Proactive messages" }
                @if f.triggers.is_empty() {
                    p { "No proactive message was shown in this period." }
                } @else {
                    table.list {
                        thead { tr { th scope="col" { "Trigger" } th scope="col" { "Variant" } th scope="col" { "Shown" } th scope="col" { "Dismissed" } th scope="col" { "Converted" } th scope="col" { "Conversion (95 % interval)" } th scope="col" { "Holdout: used the chat anyway" } th scope="col" { span.visually-hidden { "Actions" } } } }
                        tbody {
                            @for row in trigger_rows(f) {
                                @let variants = i.with_variants.iter().find(|(t, _)| *t == row[0]).map(|(_, v)| v.as_slice()).unwrap_or(&[]);
                                @let winner = super::figures::winner(f, &row[0], variants);
                                tr {
                                    td { (row[0]) } td { (row[1]) } td { (row[2]) } td { (row[3]) } td { (row[4]) }
                                    td { (row[5]) " " span.hint { (row[6]) } }
                                    td { @if row[7] == "0" { "—" } @else { (row[8]) " of " (row[7]) " " span.hint { (row[9]) } } }
                                    td {
                                        @if variants.len() > 1 && winner.as_deref() == Some(row[1].as_str()) {
                                        form method="post" action={"/console/flows/" (name) "/insights/winner"} {
                                            input type="hidden" name="csrf" value=(p.session.csrf);
                                            input type="hidden" name="revision" value=(p.revision);
                                            input type="hidden" name="trigger" value=(row[0]);
                                            input type="hidden" name="variant" value=(row[1]);
                                            input type="hidden" name="back" value=(query);
                                            button.secondary type="submit" aria-label={"Make " (row[1]) " the winner of " (row[0])} { "Make the winner" }
                                        }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p.hint { "Conversion: the shopper opened or answered the message. The holdout saw nothing; how many of them used the chat anyway is the rate the message has to beat." }
                    p.hint { "“Make the winner” appears beside a variant once each variant was shown to at least " (super::figures::MIN_WINNER_SAMPLE) " shoppers and the variant's 95 % interval is above every other's: before that, a difference may be chance." }
                }
                p { a href=(csv("triggers")) { "Download the proactive messages (CSV)" } }
            }
            section.card aria-labelledby="handoffs-title" {
                h2 #handoffs-title { "Handoffs" }
                @if f.by_reason.is_empty() && i.handoffs.is_empty() {
                    p { "No handoffs in this period." }
                } @else {
                    ul {
                        @for (reason, n) in &f.by_reason {
                            li { (reason_words(reason)) ": " (n) }
                        }
                    }
                    @if !i.handoffs.is_empty() {
                        table.list {
                            caption { "What shoppers said last before a person took over" }
                            thead { tr { th scope="col" { "When" } th scope="col" { "Why" } th scope="col" { "The shopper's last words (the last two lines)" } } }
                            tbody {
                                @for h in i.handoffs {
                                    tr {
                                        td { (crate::clock::iso_minute(h.at)) }
                                        td { (reason_words(h.reason.as_str())) }
                                        td { a href={"/inbox/conversations/" (h.id)} { @if h.question.is_empty() { "(nothing typed)" } @else { (h.question) } } }
                                    }
                                }
                            }
                        }
                    }
                }
                p { a href=(csv("handoffs")) { "Download the handoffs (CSV)" } }
            }
        },
    )
}

/// "Add as a phrasing of …" for one reported question: nothing chosen until the owner
/// chooses (the closest entry is often the wrong one).
fn teach(p: &FlowPage, i: &InsightsPage, q: &crate::insights::Question, query: &str) -> Markup {
    let name = p.name;
    let id = format!(
        "teach-{}-{}",
        q.kind,
        super::fields::id_for("q", &q.normalized)
    );
    html! {
        form.teach method="post" action={"/console/flows/" (name) "/insights/phrasing"} {
            input type="hidden" name="csrf" value=(p.session.csrf);
            input type="hidden" name="revision" value=(p.revision);
            input type="hidden" name="question" value=(q.text);
            input type="hidden" name="language" value=(q.language);
            input type="hidden" name="back" value=(query);
            label for=(id) { "Add as a phrasing of" }
            select id=(id) name="entry" required {
                option value="" selected disabled { "Choose an entry…" }
                @for (e, question) in i.entries {
                    option value=(e) { (if question.trim().is_empty() { e.as_str() } else { question.as_str() }) }
                }
                option value="new" { "A new entry" }
            }
            @if !q.language.is_empty() {
                span.hint { "(asked in " (super::words::language_name(&q.language)) ")" }
            }
            button type="submit" { "Add" }
        }
    }
}

/// A handoff's reason for the insights page: the inbox's words, capitalised.
fn reason_words(reason: &str) -> String {
    match flow_runtime::wire::HandoffReason::parse(reason) {
        Some(r) => {
            let words = crate::inbox::reason_words(r);
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        None => "Other".into(),
    }
}
