//! The transcript: one line of text for each thing the bot did, as `flow chat` prints it
//! and the engine's tests compare it.

use flow_runtime::{
    Announcement, BlockView, ButtonView, Composer, Effect, HandoffStatus, Input, Message, Request,
    Speaker, Status, View,
};

use flow_runtime::Conversation;

/// One transcript line for an effect (or none for bookkeeping effects, and for the panel
/// opening or closing because the shopper did it: `acting`).
pub(super) fn line(
    effect: &Effect,
    conversation: &Conversation,
    bot_name: &str,
    acting: Option<&Input>,
) -> Option<String> {
    Some(match effect {
        Effect::View(View::ShowMessage(m)) => render_message(m, bot_name),
        Effect::View(View::SetQuickReplies(q)) if q.is_empty() => return None,
        Effect::View(View::SetQuickReplies(q)) => format!(
            "  [{}]",
            q.iter()
                .map(|b| b.label.as_str())
                .collect::<Vec<_>>()
                .join("] [")
        ),
        Effect::View(View::ShowTeaser(m)) => format!("  teaser: {}", message_text(m)),
        Effect::View(View::HideTeaser) => "  (teaser hidden)".into(),
        Effect::View(View::OpenPanel) if acting == Some(&Input::Opened) => return None,
        Effect::View(View::ClosePanel) if acting == Some(&Input::Closed) => return None,
        Effect::View(View::OpenPanel) => "  (panel opens)".into(),
        Effect::View(View::ClosePanel) => "  (panel closes)".into(),
        Effect::View(View::Composer(Composer::Waiting { reason })) => {
            format!("  (composer waits: {reason})")
        }
        Effect::View(View::Helpful(true)) => "  (did this help? yes / no)".to_owned(),
        Effect::View(View::Helpful(false)) => return None,
        Effect::View(View::Csat(Some(c))) => format!(
            "  (rating asked: {}{})",
            c.choices()
                .iter()
                .map(|choice| {
                    let label = conversation
                        .flow()
                        .phrase(choice.phrase(), conversation.language());
                    format!(
                        "{}={}",
                        label.replace("{n}", &choice.score.to_string()),
                        choice.score
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            if c.comment { " with comment" } else { "" }
        ),
        Effect::View(View::HandoffStatus(Some(status))) => format!(
            "  (handoff: {})",
            match status {
                HandoffStatus::Connecting => "connecting".to_owned(),
                HandoffStatus::Waiting => "a person will join".to_owned(),
                HandoffStatus::Joined { name } => format!("{name} joined"),
                HandoffStatus::Offline => "offline, reply by email".to_owned(),
                HandoffStatus::Closed => "closed".to_owned(),
            }
        ),
        Effect::Request(Request::LookUpOrder { number, email, .. }) => {
            format!("  → look up order {number} for {email}")
        }
        Effect::Request(Request::HandOff(h)) => format!(
            "  → hand off ({}): {} lines of transcript{}{}",
            h.context.reason.as_str(),
            h.transcript.len(),
            if h.context.frustrated {
                ", frustrated"
            } else {
                ""
            },
            h.context
                .trigger
                .as_ref()
                .map(|t| format!(
                    ", from trigger {t}/{}",
                    h.context.variant.clone().unwrap_or_default()
                ))
                .unwrap_or_default()
        ),
        Effect::Request(Request::SendToAgent { text, .. }) => {
            format!("  → to the agent: {text}")
        }
        Effect::Request(Request::SendEmail { email, .. }) => {
            format!("  → email for the team: {email}")
        }
        Effect::Request(Request::SendRating { score, comment, .. }) => format!(
            "  → rating {score}{}",
            comment
                .as_ref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default()
        ),
        Effect::Announce(Announcement::AddToCart { sku, quantity, .. }) => {
            format!("  → add to cart: {sku} × {quantity}")
        }
        Effect::Announce(Announcement::Track(t)) => {
            // Every event carries the conversation's id; transcripts leave it out.
            let props: Vec<String> = t
                .props
                .iter()
                .filter(|(k, _)| k != "conversation")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!(
                "  · {}{}",
                t.name,
                if props.is_empty() {
                    String::new()
                } else {
                    format!(" {}", props.join(" "))
                }
            )
        }
        // Bookkeeping the transcript leaves out (every kind named, so that a new one is
        // a decision here).
        Effect::View(
            View::Reset
            | View::Unread(_)
            | View::Composer(Composer::Ready { .. })
            | View::Typing(_)
            | View::Csat(None)
            | View::HandoffStatus(None)
            | View::Language(_),
        )
        | Effect::Request(Request::Follow { .. } | Request::Unfollow)
        | Effect::Save(_) => return None,
    })
}

/// The labels of buttons, for messages about them.
pub(super) fn labels(b: &[ButtonView]) -> String {
    b.iter()
        .map(|b| format!("`{}`", b.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message as one line of plain text.
pub fn message_text(m: &Message) -> String {
    let mut parts = Vec::new();
    for block in &m.text {
        match block {
            BlockView::Paragraph(spans) => {
                parts.push(spans.iter().map(|s| s.text.as_str()).collect::<String>())
            }
            BlockView::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    let text: String = item.iter().map(|s| s.text.as_str()).collect();
                    parts.push(if *ordered {
                        format!("{}. {text}", i + 1)
                    } else {
                        format!("- {text}")
                    });
                }
            }
        }
    }
    parts.join(" / ").replace('\n', " / ")
}

fn render_message(m: &Message, bot: &str) -> String {
    let who = match m.from {
        Speaker::Bot => bot.to_owned(),
        Speaker::Shopper => "shopper".into(),
        Speaker::Agent => m.author.clone().unwrap_or_else(|| "agent".into()),
        Speaker::System => "·".into(),
    };
    let mut line = format!("  {who}: {}", message_text(m));
    if let Some(i) = &m.image {
        line.push_str(&format!(" [image: {}]", i.alt));
    }
    for c in &m.cards {
        let buttons: Vec<&str> = c.buttons.iter().map(|b| b.label.as_str()).collect();
        line.push_str(&format!(
            "\n    [card] {}{} {{{}}}",
            c.title,
            c.price
                .as_ref()
                .map(|p| format!(" — {p}"))
                .unwrap_or_default(),
            buttons.join(" | ")
        ));
    }
    if let Some(o) = &m.order {
        line.push_str(&format!("\n    [order {} · {}]", o.number, o.status));
    }
    line
}

/// A short name for an effect's kind, as `expect: {effect: …}` names it.
pub fn effect_kind(e: &Effect) -> &'static str {
    match e {
        Effect::View(View::Reset) => "reset",
        Effect::View(View::ShowMessage(_)) => "show_message",
        Effect::View(View::SetQuickReplies(_)) => "quick_replies",
        Effect::View(View::ShowTeaser(_)) => "teaser",
        Effect::View(View::HideTeaser) => "hide_teaser",
        Effect::View(View::OpenPanel) => "open_panel",
        Effect::View(View::ClosePanel) => "close_panel",
        Effect::View(View::Unread(_)) => "unread",
        Effect::View(View::Composer(_)) => "composer",
        Effect::View(View::Typing(_)) => "typing",
        Effect::View(View::Csat(_)) => "csat",
        Effect::View(View::Helpful(_)) => "helpful",
        Effect::View(View::HandoffStatus(_)) => "handoff_status",
        Effect::Request(Request::LookUpOrder { .. }) => "look_up_order",
        Effect::Request(Request::HandOff(_)) => "hand_off",
        Effect::Request(Request::SendToAgent { .. }) => "send_to_agent",
        Effect::Request(Request::SendEmail { .. }) => "send_email",
        Effect::Request(Request::SendRating { .. }) => "send_rating",
        Effect::Announce(Announcement::AddToCart { .. }) => "add_to_cart",
        Effect::Announce(Announcement::Track(_)) => "track",
        Effect::View(View::Language(_)) => "language",
        Effect::Request(Request::Follow { .. }) => "follow",
        Effect::Request(Request::Unfollow) => "unfollow",
        Effect::Save(_) => "save",
    }
}

/// A status as tests name it.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::New => "new",
        Status::Engaged => "engaged",
        Status::WaitingOnCustomer => "waiting_on_customer",
        Status::WaitingOnAgent => "waiting_on_agent",
        Status::Completed => "completed",
    }
}
