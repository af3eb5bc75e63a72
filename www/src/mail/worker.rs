//! Sends queued emails over SMTP (spawned by `serve` when `BELLHOP_SMTP_URL` is set).
//!
//! `smtp://user:pass@mail.example:587` sends with STARTTLS (required), `smtps://…:465` over
//! TLS, and `smtp://` to a loopback address (a local relay) in plain text. Each email is
//! leased while it is sent and marked sent as soon as the server accepts it; a crash in
//! between can repeat it at worst, with the same Message-ID.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::{self, Due};
use crate::clock::now_ms;
use crate::db::Db;
use crate::secrets::Secret;

/// How long an email is someone's to send before another try may take it: longer than the
/// SMTP time-out (20 s).
const LEASE_MS: i64 = 30_000;

#[derive(Clone)]
pub struct Worker {
    db: Db,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The team's address, where shoppers' replies go.
    reply_to: Option<Mailbox>,
    /// The first retry's delay; each next one doubles (tests shorten it).
    pub base_delay: Duration,
}

/// The transport for an SMTP URL, with this server's rules for TLS (above).
pub fn transport(url: &Secret) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let text = url.expose();
    let parsed =
        reqwest::Url::parse(text).map_err(|_| "BELLHOP_SMTP_URL is not a URL".to_owned())?;
    let loopback = matches!(
        parsed.host_str(),
        Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
    );
    let with_tls = match parsed.scheme() {
        "smtps" => text.to_owned(),
        "smtp" if parsed.query_pairs().any(|(k, _)| k == "tls") => text.to_owned(),
        "smtp" => {
            let tls = if loopback {
                "opportunistic"
            } else {
                "required"
            };
            let sep = if parsed.query().is_some() { '&' } else { '?' };
            format!("{text}{sep}tls={tls}")
        }
        _ => return Err("BELLHOP_SMTP_URL must start with smtp:// or smtps://".into()),
    };
    AsyncSmtpTransport::<Tokio1Executor>::from_url(&with_tls)
        .map(|b| b.timeout(Some(Duration::from_secs(20))).build())
        // lettre's error may quote the URL, and with it the password: not shown.
        .map_err(|_| {
            "BELLHOP_SMTP_URL could not be read (scheme, host, port, user and password)".to_owned()
        })
}

impl Worker {
    pub fn new(db: Db, url: &Secret, from: &str, reply_to: Option<&str>) -> Result<Worker, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| format!("BELLHOP_MAIL_FROM `{from}` is not an address such as `Fernhill <help@shop.example>`"))?;
        let reply_to = reply_to
            .map(|r| {
                r.parse()
                    .map_err(|_| format!("BELLHOP_TEAM_EMAIL `{r}` is not an address"))
            })
            .transpose()?;
        Ok(Worker {
            db,
            transport: transport(url)?,
            from,
            reply_to,
            base_delay: Duration::from_secs(30),
        })
    }

    /// Sends what is due every `poll`, or sooner when `wake` changes (a new email).
    pub async fn run(self, mut wake: tokio::sync::watch::Receiver<i64>, poll: Duration) {
        loop {
            match self.send_due().await {
                Ok(0) | Err(_) => {
                    let _ = tokio::time::timeout(poll, wake.changed()).await;
                }
                Ok(_) => {}
            }
        }
    }

    /// Sends every email due now, one at a time; returns how many were tried.
    pub async fn send_due(&self) -> sqlx::Result<usize> {
        let mut tried = 0;
        let mut after = 0;
        loop {
            let due = outbox::claim(&self.db, now_ms(), LEASE_MS, after).await?;
            let Some(last) = due.last() else {
                return Ok(tried);
            };
            after = last.id;
            tried += due.len();
            self.send_each(&due).await?;
        }
    }

    async fn send_each(&self, due: &[Due]) -> sqlx::Result<()> {
        for email in due {
            let outcome = self.send(email).await;
            if let Err(e) = &outcome {
                tracing::warn!("email {} to {}: {e}", email.message_id, email.kind);
            }
            let base = i64::try_from(self.base_delay.as_millis()).unwrap_or(30_000);
            outbox::record(&self.db, email, outcome, now_ms(), base).await?;
        }
        Ok(())
    }

    async fn send(&self, email: &Due) -> Result<(), String> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| format!("`{}` is not an address", email.to))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(email.message_id.clone()));
        // Shoppers reply to the team; the team's own alerts need no Reply-To.
        if !email.kind.starts_with("team_") {
            if let Some(r) = &self.reply_to {
                builder = builder.reply_to(r.clone());
            }
        }
        let message = builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        lettre::message::SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(email.text.clone()),
                    )
                    .singlepart(
                        lettre::message::SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(email.html.clone()),
                    ),
            )
            .map_err(|e| format!("could not write the email: {e}"))?;
        self.transport.send(message).await.map(drop).map_err(|e| {
            if e.is_permanent() {
                format!("the mail server refused it: {e}")
            } else {
                format!("the mail server could not take it now: {e}")
            }
        })
    }
}
