//! The inbox's HTML (maud escapes every value it interpolates).

use maud::{Markup, html};

use crate::agents::Session;
use crate::clock::{duration_words, iso_minute};
use crate::conversations::{Detail, PAGE_SIZE, QueuePage, QueueQuery, Show, Summary};
use crate::webhooks::Delivery;
use flow_runtime::wire::Speaker;

/// A page of the inbox.
fn layout(title: &str, session: Option<&Session>, body: Markup) -> String {
    crate::staff::layout(crate::staff::Area::Inbox, title, session, body)
}

pub fn login(failed: bool) -> String {
    layout(
        "Log in",
        None,
        html! {
            form.login method="post" action="/inbox/login" {
                h1 { "Log in" }
                @if failed {
                    p.problem role="alert" { "That email and password do not match an account." }
                }
                label for="email" { "Email" }
                input #email type="email" name="email" autocomplete="username" required;
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { "Log in" }
            }
        },
    )
}

/// The login form while this address or account is locked out after failed logins.
pub fn login_locked(seconds: u64) -> String {
    let wait = if seconds < 120 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", seconds.div_ceil(60))
    };
    layout(
        "Log in",
        None,
        html! {
            form.login method="post" action="/inbox/login" {
                h1 { "Log in" }
                p.problem role="alert" { "Too many failed logins. Try again in " (wait) "." }
                label for="email" { "Email" }
                input #email type="email" name="email" autocomplete="username" required;
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { "Log in" }
            }
        },
    )
}

fn status_label(s: &Summary) -> &'static str {
    match (s.status.as_str(), s.live) {
        ("waiting", true) => "Waiting",
        ("waiting", false) => "Reply by email",
        ("open", _) => "Open",
        _ => "Closed",
    }
}

/// The link to the list as `q` with one thing changed.
fn queue_href(q: &QueueQuery) -> String {
    let mut href = format!("/inbox?show={}", q.show.as_str());
    if q.newest_first {
        href.push_str("&order=newest");
    }
    if q.page > 0 {
        href.push_str(&format!("&page={}", q.page));
    }
    href
}

pub fn queue(
    session: &Session,
    q: &QueueQuery,
    page: &QueuePage,
    last_event: i64,
    now: i64,
    note: Option<&str>,
    alerts: Option<bool>,
    away: bool,
) -> String {
    let c = &page.counts;
    let pages = ((page.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let first = i64::from(q.page) * PAGE_SIZE;
    let shown = |show: Show, n: i64, label: &str| {
        let href = queue_href(&QueueQuery {
            show,
            page: 0,
            ..*q
        });
        html! {
            @if q.show == show {
                a href=(href) aria-current="page" { (label) " (" (n) ")" }
            } @else {
                a href=(href) { (label) " (" (n) ")" }
            }
        }
    };
    layout(
        "Queue",
        Some(session),
        html! {
            h1 { "Conversations" }
            @if let Some(note) = note {
                p.note role="status" { (note) }
            }
            nav.filters aria-label="Which conversations" {
                (shown(Show::Active, c.waiting + c.open, "Waiting or open"))
                (shown(Show::Waiting, c.waiting, "Waiting"))
                (shown(Show::Open, c.open, "Open"))
                (shown(Show::Closed, c.closed, "Closed"))
                (shown(Show::All, c.waiting + c.open + c.closed, "All"))
                @if q.newest_first {
                    a href=(queue_href(&QueueQuery { newest_first: false, page: 0, ..*q })) { "Oldest first" }
                } @else {
                    a href=(queue_href(&QueueQuery { newest_first: true, page: 0, ..*q })) { "Newest first" }
                }
            }
            form.away method="post" action="/inbox/away" {
                input type="hidden" name="csrf" value=(session.csrf);
                input type="hidden" name="away" value=(if away { "no" } else { "yes" });
                @if away {
                    span { "You are " strong { "away" } ": shoppers are not told someone is here because of you. " }
                    button type="submit" { "I'm back" }
                } @else {
                    span { "You are " strong { "available" } " while this inbox is open. " }
                    button.secondary type="submit" { "Set me away" }
                }
            }
            @if let Some(on) = alerts {
                form.alerts method="post" action="/inbox/alerts" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    input type="hidden" name="alerts" value=(if on { "off" } else { "on" });
                    span { "Alert emails to you (a shopper waiting while the team is away): " strong { (if on { "on" } else { "off" }) } " " }
                    button.secondary type="submit" { (if on { "Turn them off" } else { "Turn them on" }) }
                }
            }
            @if page.silent > 0 {
                form.bulk method="post" action="/inbox/close-silent" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    p { (page.silent) " waiting conversations have no message from the shopper since the handoff (a flood of scripted handoffs looks like this)." }
                    button type="submit" { "Close those " (page.silent) }
                }
            }
            p.summary {
                @if page.total == 0 { "None." } @else {
                    "Showing " (first + 1) "–" ((first + page.list.len() as i64)) " of " (page.total)
                    @if q.newest_first { ", newest first" } @else { ", oldest first" }
                }
            }
            div.alerting {
                // Shown by inbox.js when the browser can alert and has not been asked yet.
                button.secondary #alerts-on type="button" hidden { "Alert me with a sound and a notification for each new shopper" }
                span #alerts-state role="status" {}
            }
            table.queue data-live=(if q.page == 0 && !q.newest_first { "queue" } else { "" }) data-after=(last_event) data-waiting=(c.waiting) {
                thead { tr {
                    th scope="col" { "Shopper" }
                    th scope="col" { "Status" }
                    th scope="col" { "Waiting" }
                    th scope="col" { "Last message" }
                    th scope="col" { "Page" }
                } }
                tbody {
                    @for s in &page.list {
                        tr.(s.status) {
                            td { a href={ "/inbox/conversations/" (s.id) } {
                                "#" (s.id) " " (s.email.as_deref().unwrap_or("anonymous shopper"))
                            } }
                            td { (status_label(s)) @if let Some(a) = &s.agent { " · " (a) } }
                            td { @if s.status == "closed" { "—" } @else { (duration_words(now - s.created_at)) } }
                            td.last { (s.last_shopper_message.as_deref().unwrap_or("")) }
                            td.page { (s.context.page_url) }
                        }
                    }
                    @if page.list.is_empty() {
                        tr { td colspan="5" { "Nobody is waiting. New conversations appear here as they arrive." } }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label="Pages" {
                    @if q.page > 0 {
                        a rel="prev" href=(queue_href(&QueueQuery { page: q.page - 1, ..*q })) { "Previous" }
                    }
                    span { "Page " (q.page + 1) " of " (pages) }
                    @if i64::from(q.page) + 1 < pages {
                        a rel="next" href=(queue_href(&QueueQuery { page: q.page + 1, ..*q })) { "Next" }
                    }
                }
            }
        },
    )
}

/// Why the shopper came to a person, as the engine knew it.
pub fn reason_words(r: flow_runtime::wire::HandoffReason) -> &'static str {
    use flow_runtime::wire::HandoffReason::*;
    match r {
        Asked => "asked for a person",
        Frustrated => "sounded frustrated",
        Missed => "the bot did not understand, several times",
        AnswerFailed => "their answers did not fit a question, several times",
    }
}

fn sender(m: &crate::conversations::Message) -> String {
    match m.sender {
        Speaker::Bot => "Bot".into(),
        Speaker::Shopper => "Shopper".into(),
        Speaker::Agent => m.author.clone().unwrap_or_else(|| "Agent".into()),
        Speaker::System => "Note".into(),
    }
}

pub fn conversation(session: &Session, d: &Detail, now: i64) -> String {
    let s = &d.summary;
    let c = &s.context;
    layout(
        &format!("Conversation #{}", s.id),
        Some(session),
        html! {
            div.conversation {
                section.transcript aria-labelledby="transcript-title" {
                    h1 #transcript-title { "Conversation #" (s.id) }
                    p.status { (status_label(s)) " · started " (iso_minute(s.created_at)) ", " (duration_words(now - s.created_at)) " ago" }
                    @let reported: Vec<_> = d.messages.iter().filter(|m| m.reported).collect();
                    @if !reported.is_empty() {
                        h2.reported-title { "Before the handoff" }
                        p.reported-note { "As the shopper's browser reported it: Bellhop did not see these lines itself." }
                        ol.messages.reported {
                            @for m in &reported {
                                li class=(format!("{:?}", m.sender).to_lowercase()) {
                                    span.who { (sender(m)) }
                                    time { (iso_minute(m.at)) }
                                    p { (m.text) }
                                }
                            }
                        }
                        h2.reported-title { "Since the handoff" }
                    }
                    ol.messages data-live="conversation" data-conversation=(s.id) data-after=(d.last_event) {
                        @for m in d.messages.iter().filter(|m| !m.reported) {
                            li class=(format!("{:?}", m.sender).to_lowercase()) {
                                span.who { (sender(m)) }
                                time { (iso_minute(m.at)) }
                                p { (m.text) }
                            }
                        }
                    }
                    @if s.status == "closed" {
                        p.closed { "This conversation is closed." }
                        @if let Some(r) = s.rating {
                            p.rating { "Rating: " (r) " / 5" @if let Some(c) = &d.rating_comment { " — “" (c) "”" } }
                        }
                    } @else {
                        form.reply method="post" action={ "/inbox/conversations/" (s.id) "/reply" } {
                            input type="hidden" name="csrf" value=(session.csrf);
                            label for="reply" { "Reply to the shopper" }
                            textarea #reply name="text" rows="3" maxlength=(flow_runtime::wire::limits::AGENT_REPLY_CHARS) required {}
                            button type="submit" { "Send" }
                        }
                        form.close method="post" action={ "/inbox/conversations/" (s.id) "/close" } {
                            input type="hidden" name="csrf" value=(session.csrf);
                            button type="submit" { "Close conversation" }
                        }
                        @if d.same_address > 0 {
                            form.close method="post" action={ "/inbox/conversations/" (s.id) "/close-same-address" } {
                                input type="hidden" name="csrf" value=(session.csrf);
                                p { (d.same_address) " other open conversations came from the same address." }
                                button type="submit" { "Close this and those " (d.same_address) }
                            }
                        }
                    }
                }
                aside.context aria-labelledby="context-title" {
                    h2 #context-title { "Context" }
                    dl {
                        dt { "Page" } dd { (c.page_url) }
                        dt { "Cart" } dd { (super::format::cart(c)) }
                        dt { "Email" } dd {
                            @if let Some(email) = s.email.as_deref().or(c.email.as_deref()) {
                                a href={ "mailto:" (email) } { (email) }
                            } @else { "not given" }
                        }
                        dt { "Language" } dd { (c.language) }
                        dt { "Device" } dd { (c.device) }
                        dt { "Visits" } dd { (c.visits) }
                        dt { "Trigger" } dd { (c.trigger.as_deref().unwrap_or("none")) @if let Some(v) = &c.variant { " (variant " (v) ")" } }
                        dt { "Mood" } dd { @if c.frustrated { "sounded frustrated" } @else { "calm" } }
                        dt { "Why" } dd { (reason_words(c.reason)) }
                        dt { "Handoff" } dd { @if s.live { "live, in business hours" } @else { "outside business hours: reply by email" } }
                    }
                    h3 { "What the bot tried" }
                    @if c.faq.is_empty() {
                        p { "No FAQ answers." }
                    } @else {
                        ol.faq {
                            @for f in &c.faq {
                                li { (f.question) " " span.confidence { "(" (f.confidence.percent()) " % sure)" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn webhooks(
    session: &Session,
    log: &[Delivery],
    configured: bool,
    emails: &[crate::mail::outbox::Logged],
    email_on: bool,
) -> String {
    layout(
        "Delivery log",
        Some(session),
        html! {
            h1 { "Delivery log" }
            h2 { "Emails" }
            @if !email_on {
                p { "Email is off: no SMTP server is configured (see README, “Email”)." }
            }
            table.deliveries {
                thead { tr {
                    th scope="col" { "Email" } th scope="col" { "To" } th scope="col" { "Conversation" }
                    th scope="col" { "Status" } th scope="col" { "Attempts" } th scope="col" { "Last error" } th scope="col" { "Created" }
                } }
                tbody {
                    @for e in emails {
                        tr.(e.status) {
                            td { (e.kind) ": " (e.subject) }
                            td { (e.to) }
                            td { @if let Some(c) = e.conversation { a href={ "/inbox/conversations/" (c) } { "#" (c) } } }
                            td { (e.status) @if let Some(at) = e.sent_at { " " (iso_minute(at)) } }
                            td { (e.attempts) }
                            td { @if let Some(err) = &e.last_error { (err) } }
                            td { (iso_minute(e.created_at)) }
                        }
                    }
                }
            }
            h2 { "Webhook deliveries" }
            @if !configured {
                p { "No webhook is configured (see README, “Configuration”)." }
            }
            table.deliveries {
                thead { tr {
                    th scope="col" { "Delivery" } th scope="col" { "Event" } th scope="col" { "Conversation" }
                    th scope="col" { "Status" } th scope="col" { "Attempts" } th scope="col" { "Last answer" } th scope="col" { "Created" }
                } }
                tbody {
                    @for d in log {
                        tr.(d.status) {
                            td { code { (d.delivery_id) } }
                            td { (d.event) }
                            td { @if let Some(c) = d.conversation { a href={ "/inbox/conversations/" (c) } { "#" (c) } } }
                            td { (d.status) @if d.status == "pending" && d.attempts > 0 { ", next try " (iso_minute(d.next_attempt_at)) } }
                            td { (d.attempts) }
                            td { @if let Some(code) = d.last_status { "HTTP " (code) } @else if let Some(e) = &d.last_error { (e) } }
                            td { (iso_minute(d.created_at)) }
                        }
                    }
                }
            }
        },
    )
}
