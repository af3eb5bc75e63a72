//! The emails' words: plain text and a simple HTML part of the same, in the shopper's
//! language for the shopper (the eight the widget speaks, English otherwise) and in
//! English for the team. No images, no tracking.

use maud::html;

use super::Letter;

/// A shopper's words as the emails quote them: the last few lines they wrote.
pub fn their_words(lines: &[String]) -> String {
    let start = lines.len().saturating_sub(3);
    lines[start..].join("\n")
}

struct Confirmation {
    subject: &'static str,
    hello: &'static str,
    you_wrote: &'static str,
    reply_at: &'static str,
    reply_soon: &'static str,
}

fn confirmation_words(language: &str) -> Confirmation {
    let base = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match base.as_str() {
        "es" => Confirmation {
            subject: "Hemos recibido tu pregunta",
            hello: "Gracias por escribirnos. Hemos recibido tu pregunta y alguien del equipo te responderá a este correo.",
            you_wrote: "Nos escribiste:",
            reply_at: "Nuestro equipo vuelve",
            reply_soon: "Te responderemos en cuanto el equipo vuelva.",
        },
        "fr" => Confirmation {
            subject: "Nous avons bien reçu votre question",
            hello: "Merci de nous avoir écrit. Nous avons bien reçu votre question et quelqu’un de l’équipe vous répondra à cette adresse.",
            you_wrote: "Vous avez écrit :",
            reply_at: "Notre équipe est de retour",
            reply_soon: "Nous vous répondrons dès le retour de l’équipe.",
        },
        "de" => Confirmation {
            subject: "Wir haben Ihre Frage erhalten",
            hello: "Danke für Ihre Nachricht. Wir haben Ihre Frage erhalten; jemand aus dem Team antwortet Ihnen an diese Adresse.",
            you_wrote: "Sie schrieben:",
            reply_at: "Unser Team ist wieder da",
            reply_soon: "Wir antworten, sobald das Team wieder da ist.",
        },
        "pt" => Confirmation {
            subject: "Recebemos a sua pergunta",
            hello: "Obrigado por nos escrever. Recebemos a sua pergunta e alguém da equipa vai responder para este e-mail.",
            you_wrote: "Escreveu:",
            reply_at: "A nossa equipa volta",
            reply_soon: "Respondemos assim que a equipa voltar.",
        },
        "it" => Confirmation {
            subject: "Abbiamo ricevuto la tua domanda",
            hello: "Grazie per averci scritto. Abbiamo ricevuto la tua domanda e qualcuno del team ti risponderà a questo indirizzo.",
            you_wrote: "Ci hai scritto:",
            reply_at: "Il nostro team torna",
            reply_soon: "Ti risponderemo appena il team torna.",
        },
        "ar" => Confirmation {
            subject: "تلقّينا سؤالك",
            hello: "شكرًا لتواصلك معنا. تلقّينا سؤالك وسيردّ عليك أحد أفراد الفريق على هذا البريد.",
            you_wrote: "كتبتَ:",
            reply_at: "يعود فريقنا",
            reply_soon: "سنردّ عليك فور عودة الفريق.",
        },
        "he" => Confirmation {
            subject: "קיבלנו את השאלה שלך",
            hello: "תודה שכתבת לנו. קיבלנו את השאלה ומישהו מהצוות יענה לך לכתובת הזו.",
            you_wrote: "כתבת:",
            reply_at: "הצוות שלנו חוזר",
            reply_soon: "נענה לך ברגע שהצוות יחזור.",
        },
        _ => Confirmation {
            subject: "We got your question",
            hello: "Thanks for writing to us. We got your question, and someone from the team will reply to this address.",
            you_wrote: "You wrote:",
            reply_at: "Our team is back",
            reply_soon: "We'll reply as soon as the team is back.",
        },
    }
}

/// Whether text in `language` runs right to left.
fn rtl(language: &str) -> bool {
    matches!(
        language.split(['-', '_']).next().unwrap_or(""),
        "ar" | "he" | "fa" | "ur"
    )
}

/// After an offline handoff: "we got your question", their words, and when the team is
/// back (`back`: the store's local time in words, such as `Monday 09:00 (Europe/Berlin)`).
pub fn confirmation(
    conversation: i64,
    to: &str,
    language: &str,
    shop: &str,
    words: &str,
    back: Option<&str>,
) -> Letter {
    let w = confirmation_words(language);
    let when = match back {
        Some(back) => format!("{} {back}.", w.reply_at),
        None => w.reply_soon.to_owned(),
    };
    let text = format!(
        "{hello}\n\n{you_wrote}\n\n{quoted}\n\n{when}\n\n— {shop}\n",
        hello = w.hello,
        you_wrote = w.you_wrote,
        quoted = words
            .lines()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let dir = if rtl(language) { "rtl" } else { "ltr" };
    let html = html! {
        (maud::DOCTYPE)
        html lang=(language) dir=(dir) {
            head { meta charset="utf-8"; title { (w.subject) } }
            body style="font-family: sans-serif; line-height: 1.5; color: #1d2430" {
                p { (w.hello) }
                p { (w.you_wrote) }
                blockquote style="border-inline-start: 3px solid #c5cbd5; margin: 0; padding-inline-start: 12px; white-space: pre-wrap" { (words) }
                p { (when) }
                p { "— " (shop) }
            }
        }
    }
    .into_string();
    Letter {
        kind: "confirmation",
        to: to.to_owned(),
        subject: format!("{} — {shop}", w.subject),
        text,
        html,
        key: format!("confirmation.{conversation}.{}", to.trim().to_lowercase()),
    }
}

struct Reply {
    you: &'static str,
    replied: &'static str,
    rate: &'static str,
    closed: &'static str,
    go_on: &'static str,
    rate_link: &'static str,
    expires: &'static str,
}

fn reply_words(language: &str) -> Reply {
    let base = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match base.as_str() {
        "es" => Reply {
            you: "Tú",
            replied: "te ha respondido",
            rate: "¿Qué tal te hemos atendido?",
            closed: "Tu conversación con el equipo ha terminado.",
            go_on: "Seguir la conversación",
            rate_link: "Valorar la atención",
            expires: "El enlace caduca en 7 días.",
        },
        "fr" => Reply {
            you: "Vous",
            replied: "vous a répondu",
            rate: "Comment avons-nous fait ?",
            closed: "Votre conversation avec l’équipe est terminée.",
            go_on: "Reprendre la conversation",
            rate_link: "Donner votre avis",
            expires: "Le lien expire dans 7 jours.",
        },
        "de" => Reply {
            you: "Sie",
            replied: "hat Ihnen geantwortet",
            rate: "Wie war unser Service?",
            closed: "Ihr Gespräch mit dem Team ist beendet.",
            go_on: "Gespräch fortsetzen",
            rate_link: "Bewerten",
            expires: "Der Link gilt 7 Tage.",
        },
        "pt" => Reply {
            you: "Você",
            replied: "respondeu-lhe",
            rate: "Como foi o nosso atendimento?",
            closed: "A sua conversa com a equipa terminou.",
            go_on: "Continuar a conversa",
            rate_link: "Avaliar o atendimento",
            expires: "A ligação expira em 7 dias.",
        },
        "it" => Reply {
            you: "Tu",
            replied: "ti ha risposto",
            rate: "Come ti abbiamo assistito?",
            closed: "La tua conversazione con il team è terminata.",
            go_on: "Continua la conversazione",
            rate_link: "Valuta l’assistenza",
            expires: "Il link scade tra 7 giorni.",
        },
        "ar" => Reply {
            you: "أنت",
            replied: "ردّ عليك",
            rate: "كيف كانت خدمتنا؟",
            closed: "انتهت محادثتك مع الفريق.",
            go_on: "متابعة المحادثة",
            rate_link: "قيّم الخدمة",
            expires: "تنتهي صلاحية الرابط بعد 7 أيام.",
        },
        "he" => Reply {
            you: "את/ה",
            replied: "ענה/תה לך",
            rate: "איך היה השירות?",
            closed: "השיחה שלך עם הצוות הסתיימה.",
            go_on: "להמשך השיחה",
            rate_link: "לדרג את השירות",
            expires: "הקישור בתוקף 7 ימים.",
        },
        _ => Reply {
            you: "You",
            replied: "replied to you",
            rate: "How did we do?",
            closed: "Your conversation with the team has ended.",
            go_on: "Continue the conversation",
            rate_link: "Rate our help",
            expires: "The link works for 7 days.",
        },
    }
}

/// What happened in the conversation that an email tells the shopper of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToShopper<'a> {
    /// A person of the team (`name`) replied (message `message`).
    Replied { name: &'a str, message: i64 },
    /// The team closed the conversation: the shopper may rate it.
    Closed,
}

/// To a shopper who is not in the conversation any more: the team's reply (or the end of
/// the conversation and a request for a rating), the recent transcript, and a link back into
/// the same conversation on the page they were on.
#[allow(clippy::too_many_arguments)]
pub fn to_shopper(
    what: ToShopper,
    conversation: i64,
    to: &str,
    language: &str,
    shop: &str,
    transcript: &[(String, String)],
    link: &str,
) -> Letter {
    let w = reply_words(language);
    let (kind, subject, headline, action, key) = match what {
        ToShopper::Replied { name, message } => (
            "reply",
            format!("{name} {} — {shop}", w.replied),
            format!("{name} {}.", w.replied),
            w.go_on,
            format!("reply.{conversation}.{message}"),
        ),
        ToShopper::Closed => (
            "rating",
            format!("{} — {shop}", w.rate),
            format!("{} {}", w.closed, w.rate),
            w.rate_link,
            format!("rating.{conversation}"),
        ),
    };
    // The shopper's own lines are theirs ("You"); the others carry their author's name.
    let transcript: Vec<(String, String)> = transcript
        .iter()
        .map(|(who, said)| {
            (
                if who.is_empty() {
                    w.you.to_owned()
                } else {
                    who.clone()
                },
                said.clone(),
            )
        })
        .collect();
    let lines: Vec<String> = transcript
        .iter()
        .map(|(who, text)| format!("{who}: {text}"))
        .collect();
    let text = format!(
        "{headline}\n\n{quoted}\n\n{action}: {link}\n({expires})\n\n— {shop}\n",
        quoted = lines
            .iter()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        expires = w.expires,
    );
    let dir = if rtl(language) { "rtl" } else { "ltr" };
    let html = html! {
        (maud::DOCTYPE)
        html lang=(language) dir=(dir) {
            head { meta charset="utf-8"; title { (subject) } }
            body style="font-family: sans-serif; line-height: 1.5; color: #1d2430" {
                p { (headline) }
                @for (who, said) in &transcript {
                    p style="margin: 4px 0" { strong { (who) ": " } span style="white-space: pre-wrap" { (said) } }
                }
                p { a href=(link) { (action) } br; small { (w.expires) } }
                p { "— " (shop) }
            }
        }
    }
    .into_string();
    Letter {
        kind,
        to: to.to_owned(),
        subject,
        text,
        html,
        key,
    }
}

/// Why the team is alerted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alert {
    /// A shopper asked for a person while nobody was there.
    Offline,
    /// A live handoff waited this many minutes without an answer.
    Unanswered(i64),
}

/// To one person of the team: a shopper is waiting (see [`Alert`]).
pub fn team_alert(
    alert: Alert,
    conversation: i64,
    to: &str,
    words: &str,
    page: &str,
    shopper_email: Option<&str>,
    link: &str,
) -> Letter {
    let (kind, headline) = match alert {
        Alert::Offline => (
            "team_offline",
            "A shopper asked for a person while the team was away.".to_owned(),
        ),
        Alert::Unanswered(minutes) => (
            "team_unanswered",
            format!(
                "A shopper waited {minutes} min for a person and nobody answered; they were told the team will reply by email."
            ),
        ),
    };
    let first: String = words
        .lines()
        .last()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    let reach = shopper_email.map_or_else(
        || "The shopper has not left an email yet.".to_owned(),
        |e| format!("Reply to: {e}"),
    );
    let text = format!(
        "{headline}\n\n{quoted}\n\nPage: {page}\n{reach}\n\nOpen it in the inbox: {link}\n\n(Turn these emails off in the inbox.)\n",
        quoted = words
            .lines()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let html = html! {
        (maud::DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "A shopper is waiting" } }
            body style="font-family: sans-serif; line-height: 1.5; color: #1d2430" {
                p { (headline) }
                blockquote style="border-left: 3px solid #c5cbd5; margin: 0; padding-left: 12px; white-space: pre-wrap" { (words) }
                p { "Page: " (page) br; (reach) }
                p { a href=(link) { "Open it in the inbox" } }
                p style="color: #4a5568; font-size: 13px" { "Turn these emails off in the inbox." }
            }
        }
    }
    .into_string();
    Letter {
        kind,
        to: to.to_owned(),
        subject: format!("A shopper is waiting: “{first}”"),
        text,
        html,
        key: format!("{kind}.{conversation}.{}", to.trim().to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirmation_is_in_the_shoppers_language_and_escapes_their_words() {
        let l = confirmation(
            7,
            "ana@example.com",
            "es-ES",
            "Fernhill",
            "¿Dónde está mi pedido? <b>",
            Some("lunes 09:00 (Europe/Madrid)"),
        );
        assert_eq!(l.subject, "Hemos recibido tu pregunta — Fernhill");
        assert!(l.text.contains("> ¿Dónde está mi pedido? <b>"));
        assert!(
            l.text
                .contains("Nuestro equipo vuelve lunes 09:00 (Europe/Madrid).")
        );
        assert!(l.html.contains("&lt;b&gt;"));
        assert!(!l.html.contains("<img"));
        let he = confirmation(7, "a@b.c", "he", "Fernhill", "שלום", None);
        assert!(he.html.contains("dir=\"rtl\""));
        assert_eq!(
            confirmation(7, "a@b.c", "xx", "F", "", None).subject,
            "We got your question — F"
        );
    }

    #[test]
    fn the_team_alert_links_to_the_inbox() {
        let l = team_alert(
            Alert::Offline,
            9,
            "alex@shop.example",
            "hello\nwhere is my order",
            "https://shop.example/p",
            None,
            "https://help.example/inbox/conversations/9",
        );
        assert!(l.subject.contains("where is my order"));
        assert!(
            l.text
                .contains("https://help.example/inbox/conversations/9")
        );
        assert!(l.text.contains("has not left an email"));
    }
}
