//! Handoffs and the live conversations that follow: the only module that writes them.
//!
//! Every change is one transaction that also appends to `events` (what the shopper's and the
//! inbox's live streams read, in id order) and, when a webhook is configured, queues its
//! delivery: an event is never recorded without its delivery, nor the other way round.
//! After each commit [`Conversations`] bumps a watch channel so open streams look at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{Value, json};
use sqlx::{Any, Row, Transaction};
use tokio::sync::watch;

use crate::clock::now_ms;
use crate::db::{Backend, Db};
use crate::mail;
use crate::secrets::random_hex;
use crate::webhooks;

use flow_runtime::wire::{AgentJoined, AgentMessage, ConversationClosed, event};
pub use flow_runtime::wire::{CartLine, FaqTry, HandoffContext as Context, NewHandoff};
use flow_runtime::wire::{ConversationRef, NewConversation, Speaker, WebhookEvent, WebhookMessage};

/// How long the link in an email brings the shopper back into the conversation.
pub const RESUME_FOR_MS: i64 = 7 * 24 * 3600 * 1000;

/// What a handoff request made.
#[derive(Debug)]
pub enum Handoff {
    /// A new conversation.
    Created(Conversation),
    /// The conversation an identical earlier request made (a retry).
    Again(Conversation),
    /// The key was used before with another request: nothing is given away.
    KeyReused,
}

/// A conversation as its token sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conversation {
    pub id: i64,
    pub token: String,
    pub status: String,
    pub live: bool,
    pub agent: Option<String>,
    /// The flow it came from (`demo.json`), if the widget said.
    pub flow: Option<String>,
}

/// An entry of the queue in the inbox.
#[derive(Clone, Debug)]
pub struct Summary {
    pub id: i64,
    pub status: String,
    pub live: bool,
    pub created_at: i64,
    pub agent: Option<String>,
    pub email: Option<String>,
    pub context: Context,
    pub last_shopper_message: Option<String>,
    pub rating: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Message {
    pub id: i64,
    pub sender: Speaker,
    pub author: Option<String>,
    pub text: String,
    pub at: i64,
    /// Sent by the shopper's browser with the handoff (said before it), not seen by us.
    pub reported: bool,
}

/// Conversations on one page of the inbox's list.
pub const PAGE_SIZE: i64 = 50;
/// Most conversations one bulk action closes.
pub const MAX_BULK: i64 = 1_000;

/// Which conversations the inbox lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    /// Waiting and open: the work to do.
    #[default]
    Active,
    Waiting,
    Open,
    Closed,
    All,
}

impl Show {
    pub const ALL: [Show; 5] = [
        Show::Active,
        Show::Waiting,
        Show::Open,
        Show::Closed,
        Show::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Show::Active => "active",
            Show::Waiting => "waiting",
            Show::Open => "open",
            Show::Closed => "closed",
            Show::All => "all",
        }
    }

    pub fn parse(text: &str) -> Option<Show> {
        Show::ALL.into_iter().find(|s| s.as_str() == text)
    }

    fn condition(self) -> &'static str {
        match self {
            Show::Active => "c.status <> 'closed'",
            Show::Waiting => "c.status = 'waiting'",
            Show::Open => "c.status = 'open'",
            Show::Closed => "c.status = 'closed'",
            Show::All => "1 = 1",
        }
    }
}

/// What the inbox asks for: which, in which order, which page (from 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueQuery {
    pub show: Show,
    pub newest_first: bool,
    pub page: u32,
}

/// Conversations by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub waiting: i64,
    pub open: i64,
    pub closed: i64,
}

/// One page of the list.
#[derive(Clone, Debug)]
pub struct QueuePage {
    pub list: Vec<Summary>,
    pub counts: Counts,
    /// How many the query matches, on every page.
    pub total: i64,
    /// Waiting conversations in which the shopper never wrote.
    pub silent: i64,
}

/// A conversation open in the inbox.
#[derive(Clone, Debug)]
pub struct Detail {
    pub summary: Summary,
    /// Other conversations, not closed, from the same address.
    pub same_address: usize,
    pub messages: Vec<Message>,
    pub rating_comment: Option<String>,
    /// The stream resumes after this.
    pub last_event: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub conversation: i64,
    pub kind: String,
    pub data: Value,
}

/// Why a change to a conversation was refused.
#[derive(Debug)]
pub enum Refused {
    Closed,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Refused {
        Refused::Db(e)
    }
}

/// The PostgreSQL `NOTIFY` channel on which each event is announced (its conversation's id
/// as payload), for the listeners of every instance ([`crate::cluster`]).
pub const EVENTS_CHANNEL: &str = "bellhop_events";

/// Conversations in the database, with the stream notifiers and the webhook switch.
#[derive(Clone)]
pub struct Conversations {
    db: Db,
    webhooks: bool,
    /// Where emails' links point, when email is on (`BELLHOP_SMTP_URL`).
    mail: Option<crate::mail::Outgoing>,
    /// Wakes what follows every conversation (the inbox, the webhook worker).
    changed: watch::Sender<i64>,
    /// Wakes the streams of one conversation: a shopper's stream re-reads only when its own
    /// conversation changed (300 idle streams on one server used to re-read on every
    /// change anywhere, and slowed every other request tenfold).
    each: Arc<Mutex<HashMap<i64, watch::Sender<i64>>>>,
    /// How often a stream looks again without being woken, if ever: on SQLite (one
    /// instance, which wakes itself) every 30 s as a safety net; on PostgreSQL never, since
    /// every event is announced with `NOTIFY` in its own transaction and each instance's
    /// listener wakes its streams ([`crate::cluster`]).
    poll: Option<std::time::Duration>,
    /// The key of the client-address digests (read from the database once).
    address_key: Arc<tokio::sync::OnceCell<String>>,
}

impl Conversations {
    pub fn new(db: Db, webhooks: bool, mail: Option<crate::mail::Outgoing>) -> Conversations {
        let poll = match db.backend() {
            Backend::Postgres => None,
            Backend::Sqlite => Some(std::time::Duration::from_secs(30)),
        };
        Conversations {
            db,
            webhooks,
            mail,
            changed: watch::Sender::new(0),
            each: Arc::default(),
            poll,
            address_key: Arc::default(),
        }
    }

    /// Wakes up when anything changed (streams re-read after it).
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.changed.subscribe()
    }

    /// Wakes up when conversation `id` changed.
    fn subscribe_to(&self, id: i64) -> watch::Receiver<i64> {
        let mut each = self.each.lock().unwrap_or_else(|e| e.into_inner());
        // Forget the conversations nobody follows any more.
        if each.len() > 64 {
            each.retain(|_, tx| tx.receiver_count() > 0);
        }
        each.entry(id)
            .or_insert_with(|| watch::Sender::new(0))
            .subscribe()
    }

    fn changed(&self, id: i64) {
        self.changed.send_modify(|n| *n += 1);
        let each = self.each.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = each.get(&id) {
            tx.send_modify(|n| *n += 1);
        }
    }

    /// Conversation `id` changed on another instance (its `NOTIFY` arrived).
    pub(crate) fn changed_elsewhere(&self, id: i64) {
        self.changed(id);
    }

    /// Anything may have changed (the listener reconnected, and may have missed some
    /// notifications): every stream here looks again.
    pub(crate) fn wake_all(&self) {
        self.changed.send_modify(|n| *n += 1);
        let each = self.each.lock().unwrap_or_else(|e| e.into_inner());
        for tx in each.values() {
            tx.send_modify(|n| *n += 1);
        }
    }

    async fn begin(&self) -> sqlx::Result<Transaction<'static, Any>> {
        let mut tx = self.db.begin_write().await?;
        if self.db.backend() == Backend::Postgres {
            // Serialise writers of `events` so ids become visible in order, and a stream
            // reading `id > last` never skips one committed late.
            sqlx::query("SELECT pg_advisory_xact_lock(7411)")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    async fn event(
        &self,
        tx: &mut Transaction<'static, Any>,
        conversation: i64,
        kind: &str,
        data: &Value,
        now: i64,
    ) -> sqlx::Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO events (conversation_id, kind, data, at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(conversation)
        .bind(kind)
        .bind(data.to_string())
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        if self.db.backend() == Backend::Postgres {
            // Delivered to every instance's listener when (and only if) this commits.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(EVENTS_CHANNEL)
                .bind(conversation.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(id)
    }

    async fn webhook(
        &self,
        tx: &mut Transaction<'static, Any>,
        event: WebhookEvent,
        now: i64,
    ) -> sqlx::Result<()> {
        if self.webhooks {
            webhooks::enqueue(tx, event, now).await?;
        }
        Ok(())
    }

    /// Emails every person of the team who wants alerts: a shopper is waiting offline.
    async fn alert_team(
        &self,
        tx: &mut Transaction<'static, Any>,
        alert: mail::compose::Alert,
        id: i64,
        words: &str,
        context: &Context,
        now: i64,
    ) -> sqlx::Result<()> {
        let Some(out) = &self.mail else {
            return Ok(());
        };
        let link = format!("{}/inbox/conversations/{id}", out.public_url);
        for (_, to) in mail::outbox::alerted(tx).await? {
            let letter = mail::compose::team_alert(
                alert,
                id,
                &to,
                words,
                &context.page_url,
                context.email.as_deref(),
                &link,
            );
            mail::outbox::enqueue(tx, out, Some(id), &letter, now).await?;
        }
        Ok(())
    }

    /// Emails the shopper that their question arrived (once per conversation and address).
    #[allow(clippy::too_many_arguments)]
    async fn confirm(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        email: &str,
        language: &str,
        words: &str,
        back: Option<&str>,
        now: i64,
    ) -> sqlx::Result<()> {
        let Some(out) = &self.mail else {
            return Ok(());
        };
        let letter = mail::compose::confirmation(id, email, language, &out.shop, words, back);
        mail::outbox::enqueue(tx, out, Some(id), &letter, now).await
    }

    /// Live handoffs nobody took within `after_ms`: each becomes an email promise (its
    /// stream hears `unanswered` and the widget asks for an email; the conversation is no
    /// longer live) and the team is emailed. Returns how many.
    pub async fn sweep_unanswered(&self, after_ms: i64, now: i64) -> sqlx::Result<usize> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM conversations WHERE status = 'waiting' AND live = 1 AND agent_id IS NULL
             AND created_at <= $1 ORDER BY id LIMIT 100",
        )
        .bind(now - after_ms)
        .fetch_all(self.db.pool())
        .await?;
        let mut swept = 0;
        for id in ids {
            let mut tx = self.begin().await?;
            // Still waiting: another instance, or an agent, may have come first.
            let changed = sqlx::query(
                "UPDATE conversations SET live = 0, updated_at = $1
                 WHERE id = $2 AND status = 'waiting' AND live = 1 AND agent_id IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                continue;
            }
            self.event(&mut tx, id, event::UNANSWERED, &json!({}), now)
                .await?;
            if self.mail.is_some() {
                let (_, words) = self.language_and_words(&mut tx, id).await?;
                let context: String =
                    sqlx::query_scalar("SELECT context FROM conversations WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                let context: Context = serde_json::from_str(&context).unwrap_or_default();
                let minutes = (after_ms / 60_000).max(1);
                self.alert_team(
                    &mut tx,
                    mail::compose::Alert::Unanswered(minutes),
                    id,
                    &words,
                    &context,
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            self.changed(id);
            swept += 1;
        }
        Ok(swept)
    }

    /// Emails the shopper of conversation `id` (if they left an address and email is on):
    /// `what` happened, the recent transcript, and a link back into the conversation that
    /// carries a new resume token.
    async fn email_shopper(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        what: mail::compose::ToShopper<'_>,
        now: i64,
    ) -> sqlx::Result<()> {
        let Some(out) = &self.mail else {
            return Ok(());
        };
        let row = sqlx::query("SELECT email, context FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        let Some(email) = row.try_get::<Option<String>, _>("email")? else {
            return Ok(());
        };
        let context: Context =
            serde_json::from_str(&row.try_get::<String, _>("context")?).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT sender, author, body FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 6",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        let mut transcript = Vec::with_capacity(rows.len());
        for r in rows.iter().rev() {
            let sender: String = r.try_get("sender")?;
            let who = match sender.as_str() {
                "shopper" => String::new(),
                "agent" => r
                    .try_get::<Option<String>, _>("author")?
                    .unwrap_or_default(),
                _ => out.shop.clone(),
            };
            transcript.push((who, r.try_get::<String, _>("body")?));
        }
        let link = self
            .resume_link(tx, id, &context.page_url, out, now)
            .await?;
        let letter = mail::compose::to_shopper(
            what,
            id,
            &email,
            &context.language,
            &out.shop,
            &transcript,
            &link,
        );
        mail::outbox::enqueue(tx, out, Some(id), &letter, now).await
    }

    /// A link back into conversation `id` on the store's page it started on: a new resume
    /// token (7 days; its digest is kept), in the URL's fragment, which browsers never send
    /// to servers.
    async fn resume_link(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        page_url: &str,
        out: &mail::Outgoing,
        now: i64,
    ) -> sqlx::Result<String> {
        let token = random_hex(24);
        sqlx::query(
            "INSERT INTO resume_tokens (token_hash, conversation_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(crate::secrets::sha256_hex(&token))
        .bind(id)
        .bind(now)
        .bind(now + RESUME_FOR_MS)
        .execute(&mut **tx)
        .await?;
        let page = if page_url.starts_with("https://") || page_url.starts_with("http://") {
            page_url.split('#').next().unwrap_or(page_url).to_owned()
        } else {
            format!("{}/", out.public_url)
        };
        Ok(format!("{page}#bellhop-resume={token}"))
    }

    /// The conversation a resume token opens (its bearer token), if the token is known and
    /// has not expired.
    pub async fn resume(&self, token: &str, now: i64) -> sqlx::Result<Option<Conversation>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT conversation_id FROM resume_tokens WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(crate::secrets::sha256_hex(token))
        .bind(now)
        .fetch_optional(self.db.pool())
        .await?;
        match id {
            Some(id) => {
                self.find("c.id = CAST($1 AS BIGINT)", &id.to_string())
                    .await
            }
            None => Ok(None),
        }
    }

    /// The conversation's language and what the shopper wrote last.
    async fn language_and_words(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
    ) -> sqlx::Result<(String, String)> {
        let context: String = sqlx::query_scalar("SELECT context FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        let language = serde_json::from_str::<Context>(&context)
            .map(|c| c.language)
            .unwrap_or_default();
        let lines: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM messages WHERE conversation_id = $1 AND sender = 'shopper' ORDER BY id DESC LIMIT 3",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        let lines: Vec<String> = lines.into_iter().rev().collect();
        Ok((language, mail::compose::their_words(&lines)))
    }

    /// A digest of the client's address that groups a flood without keeping the address.
    pub async fn address_digest(&self, client: &str) -> sqlx::Result<String> {
        let key = self
            .address_key
            .get_or_try_init(|| crate::secrets::server_secret(&self.db, "client-address"))
            .await?;
        Ok(crate::secrets::keyed_digest(key, client))
    }

    /// Creates the conversation of a handoff, or finds the one created by an earlier try
    /// with the same key and the same request (`digest`, the SHA-256 of its body). The
    /// same key with another request is [`Handoff::KeyReused`]: whoever learns or guesses
    /// a key gets nothing from it.
    pub async fn hand_off(
        &self,
        h: &NewHandoff,
        digest: &str,
        live: bool,
        client: &str,
        back: Option<&str>,
    ) -> sqlx::Result<Handoff> {
        if let Some(found) = self.by_key(&h.key, digest).await? {
            return Ok(found);
        }
        let now = now_ms();
        let token = random_hex(24);
        let client = self.address_digest(client).await?;
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO conversations (handoff_key, request_digest, token, status, live, email, context, created_at, updated_at, flow, client_digest)
             VALUES ($1, $2, $3, 'waiting', $4, $5, $6, $7, $7, $8, $9)
             ON CONFLICT (handoff_key) DO NOTHING RETURNING id",
        )
        .bind(&h.key)
        .bind(digest)
        .bind(&token)
        .bind(i64::from(live))
        .bind(h.context.email.as_deref())
        .bind(serde_json::to_string(&h.context).unwrap_or_default())
        .bind(now)
        .bind(h.flow.as_deref())
        .bind(&client)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = inserted else {
            // Another request with the same key won the race.
            tx.rollback().await?;
            return self
                .by_key(&h.key, digest)
                .await?
                .ok_or(sqlx::Error::RowNotFound);
        };
        let id: i64 = row.try_get("id")?;
        for line in &h.transcript {
            sqlx::query(
                "INSERT INTO messages (conversation_id, sender, body, at, reported) VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(id)
            .bind(line.from.as_str())
            .bind(&line.text)
            .bind(i64::try_from(line.at).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        self.event(&mut tx, id, "created", &json!({ "live": live }), now)
            .await?;
        if !live {
            let words = shopper_words(&h.transcript);
            self.alert_team(
                &mut tx,
                mail::compose::Alert::Offline,
                id,
                &words,
                &h.context,
                now,
            )
            .await?;
            if let Some(email) = h.context.email.as_deref() {
                self.confirm(&mut tx, id, email, &h.context.language, &words, back, now)
                    .await?;
            }
        }
        self.webhook(
            &mut tx,
            WebhookEvent::Created {
                conversation: NewConversation {
                    id,
                    live,
                    context: h.context.clone(),
                },
                transcript: h.transcript.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.changed(id);
        Ok(Handoff::Created(Conversation {
            id,
            token,
            status: "waiting".into(),
            live,
            agent: None,
            flow: h.flow.clone(),
        }))
    }

    /// What an earlier request with this key made: the same conversation for the same
    /// request, else [`Handoff::KeyReused`].
    async fn by_key(&self, key: &str, digest: &str) -> sqlx::Result<Option<Handoff>> {
        let Some(row) =
            sqlx::query("SELECT request_digest FROM conversations WHERE handoff_key = $1")
                .bind(key)
                .fetch_optional(self.db.pool())
                .await?
        else {
            return Ok(None);
        };
        let stored: Option<String> = row.try_get("request_digest")?;
        // Digests compared in constant time: a mismatch says nothing about how close.
        let same = stored.is_some_and(|s| {
            bool::from(subtle::ConstantTimeEq::ct_eq(
                s.as_bytes(),
                digest.as_bytes(),
            ))
        });
        if !same {
            return Ok(Some(Handoff::KeyReused));
        }
        let c = self
            .find("c.handoff_key = $1", key)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        Ok(Some(Handoff::Again(c)))
    }

    /// The conversation this token grants access to.
    pub async fn by_token(&self, token: &str) -> sqlx::Result<Option<Conversation>> {
        self.find("c.token = $1", token).await
    }

    async fn find(&self, condition: &str, value: &str) -> sqlx::Result<Option<Conversation>> {
        // `condition` is one of this module's constants.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.token, c.status, c.live, c.flow, a.name FROM conversations c
             LEFT JOIN agents a ON a.id = c.agent_id WHERE {condition}"
        )))
        .bind(value)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| {
            Ok(Conversation {
                id: r.try_get("id")?,
                token: r.try_get("token")?,
                status: r.try_get("status")?,
                live: r.try_get::<i64, _>("live")? != 0,
                agent: r.try_get("name")?,
                flow: r.try_get("flow")?,
            })
        })
        .transpose()
    }

    /// A message from the shopper; `key` makes a retry harmless. Returns the message id.
    pub async fn shopper_says(
        &self,
        c: &Conversation,
        key: &str,
        text: &str,
    ) -> Result<i64, Refused> {
        if let Some(id) = self.message_by_key(c.id, key).await? {
            return Ok(id);
        }
        if c.status == "closed" {
            return Err(Refused::Closed);
        }
        let now = now_ms();
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO messages (conversation_id, sender, body, client_key, at) VALUES ($1, 'shopper', $2, $3, $4)
             ON CONFLICT (conversation_id, client_key) DO NOTHING RETURNING id",
        )
        .bind(c.id)
        .bind(text)
        .bind(key)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return self
                .message_by_key(c.id, key)
                .await?
                .ok_or(Refused::Db(sqlx::Error::RowNotFound));
        };
        let id: i64 = row.try_get("id")?;
        let data = json!({ "id": id, "text": text });
        self.event(&mut tx, c.id, "shopper_message", &data, now)
            .await?;
        self.touch(&mut tx, c.id, now).await?;
        self.webhook(
            &mut tx,
            WebhookEvent::ShopperMessage {
                conversation: ConversationRef { id: c.id },
                message: WebhookMessage {
                    id,
                    text: text.to_owned(),
                    at: now,
                },
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.changed(c.id);
        Ok(id)
    }

    async fn message_by_key(&self, conversation: i64, key: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query("SELECT id FROM messages WHERE conversation_id = $1 AND client_key = $2")
            .bind(conversation)
            .bind(key)
            .fetch_optional(self.db.pool())
            .await?
            .map(|r| r.try_get("id"))
            .transpose()
    }

    async fn touch(
        &self,
        tx: &mut Transaction<'static, Any>,
        id: i64,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map(drop)
    }

    /// The email an offline handoff should be answered at.
    /// Where to answer an offline handoff; the shopper gets a confirmation (with `back`,
    /// when the team is back) when email is on.
    pub async fn set_email(
        &self,
        c: &Conversation,
        email: &str,
        back: Option<&str>,
    ) -> sqlx::Result<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        if !c.live && self.mail.is_some() {
            let (language, words) = self.language_and_words(&mut tx, c.id).await?;
            self.confirm(&mut tx, c.id, email, &language, &words, back, now)
                .await?;
        }
        sqlx::query("UPDATE conversations SET email = $1, updated_at = $2 WHERE id = $3")
            .bind(email)
            .bind(now)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        self.event(&mut tx, c.id, "email", &json!({ "email": email }), now)
            .await?;
        tx.commit().await?;
        self.changed(c.id);
        Ok(())
    }

    /// The shopper's rating of a closed conversation (a second rating replaces the first).
    pub async fn rate(
        &self,
        c: &Conversation,
        score: i64,
        comment: Option<&str>,
    ) -> sqlx::Result<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE conversations SET rating = $1, rating_comment = $2, updated_at = $3 WHERE id = $4")
            .bind(score)
            .bind(comment)
            .bind(now)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        let data = json!({ "score": score, "comment": comment });
        self.event(&mut tx, c.id, "rating", &data, now).await?;
        tx.commit().await?;
        self.changed(c.id);
        Ok(())
    }

    /// An agent's reply; the first one from an agent also tells the shopper they joined.
    /// An agent's reply; when the shopper is not following the conversation
    /// (`shopper_here` false) it is also emailed to them, if they left an address.
    pub async fn agent_says(
        &self,
        id: i64,
        agent: &crate::agents::Agent,
        text: &str,
        shopper_here: bool,
    ) -> Result<i64, Refused> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT status, agent_id FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Refused::Db(sqlx::Error::RowNotFound))?;
        let status: String = row.try_get("status")?;
        if status == "closed" {
            return Err(Refused::Closed);
        }
        if row.try_get::<Option<i64>, _>("agent_id")? != Some(agent.id) {
            sqlx::query("UPDATE conversations SET status = 'open', agent_id = $1 WHERE id = $2")
                .bind(agent.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let joined = AgentJoined {
                name: agent.name.clone(),
            };
            self.event(&mut tx, id, event::JOINED, &wire(&joined), now)
                .await?;
        }
        let message: i64 = sqlx::query(
            "INSERT INTO messages (conversation_id, sender, author, body, at) VALUES ($1, 'agent', $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(&agent.name)
        .bind(text)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let data = wire(&AgentMessage {
            id: message.to_string(),
            name: agent.name.clone(),
            text: text.to_owned(),
        });
        self.event(&mut tx, id, event::MESSAGE, &data, now).await?;
        self.touch(&mut tx, id, now).await?;
        if !shopper_here {
            let what = mail::compose::ToShopper::Replied {
                name: &agent.name,
                message,
            };
            self.email_shopper(&mut tx, id, what, now).await?;
        }
        tx.commit().await?;
        self.changed(id);
        Ok(message)
    }

    /// The agent is done: the shopper is told and asked for a rating.
    /// When the shopper is not following it (`shopper_here` false), they are asked for
    /// their rating by email, if they left an address.
    pub async fn close(&self, id: i64, shopper_here: bool) -> sqlx::Result<bool> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE conversations SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2 AND status <> 'closed'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !done {
            tx.rollback().await?;
            return Ok(false);
        }
        self.event(
            &mut tx,
            id,
            event::CLOSED,
            &wire(&ConversationClosed {}),
            now,
        )
        .await?;
        if !shopper_here {
            self.email_shopper(&mut tx, id, mail::compose::ToShopper::Closed, now)
                .await?;
        }
        self.webhook(
            &mut tx,
            WebhookEvent::Closed {
                conversation: ConversationRef { id },
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.changed(id);
        Ok(true)
    }

    /// Events after `after`, of one conversation or all, of the given kinds (all if empty).
    pub async fn events_after(
        &self,
        conversation: Option<i64>,
        after: i64,
        kinds: &[&str],
        limit: i64,
    ) -> sqlx::Result<Vec<Event>> {
        let mut sql = String::from(
            "SELECT id, conversation_id, kind, data FROM events
             WHERE id > $1 AND ($2 = 0 OR conversation_id = $2)",
        );
        if !kinds.is_empty() {
            // Kinds are this module's own constants, never user input.
            let list: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
            sql.push_str(&format!(" AND kind IN ({})", list.join(", ")));
        }
        sql.push_str(" ORDER BY id LIMIT $3");
        let q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(conversation.unwrap_or(0))
            .bind(limit);
        q.fetch_all(self.db.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(Event {
                    id: r.try_get("id")?,
                    conversation: r.try_get("conversation_id")?,
                    kind: r.try_get("kind")?,
                    data: serde_json::from_str(&r.try_get::<String, _>("data")?)
                        .unwrap_or(Value::Null),
                })
            })
            .collect()
    }

    /// The last event id (a new inbox stream starts after it).
    pub async fn last_event(&self) -> sqlx::Result<i64> {
        sqlx::query("SELECT COALESCE(MAX(id), 0) AS id FROM events")
            .fetch_one(self.db.pool())
            .await?
            .try_get("id")
    }

    /// One page of the inbox's list, and how many conversations there are in each state.
    /// However many arrive (a flood included), every waiting shopper can be reached: by
    /// page, newest first, or by state.
    pub async fn queue(&self, q: &QueueQuery) -> sqlx::Result<QueuePage> {
        let filter = q.show.condition();
        let order = if q.newest_first {
            "c.created_at DESC, c.id DESC"
        } else {
            "c.created_at, c.id"
        };
        // `filter` and `order` are this module's constants.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE {filter} ORDER BY {order} LIMIT $1 OFFSET $2"
        )))
        .bind(PAGE_SIZE)
        .bind(i64::from(q.page) * PAGE_SIZE)
        .fetch_all(self.db.pool())
        .await?;
        let list = rows.iter().map(summary).collect::<sqlx::Result<Vec<_>>>()?;
        let mut counts = Counts::default();
        for r in sqlx::query("SELECT status, COUNT(*) AS n FROM conversations GROUP BY status")
            .fetch_all(self.db.pool())
            .await?
        {
            let n: i64 = r.try_get("n")?;
            match r.try_get::<String, _>("status")?.as_str() {
                "waiting" => counts.waiting = n,
                "open" => counts.open = n,
                _ => counts.closed = n,
            }
        }
        let total = match q.show {
            Show::Active => counts.waiting + counts.open,
            Show::Waiting => counts.waiting,
            Show::Open => counts.open,
            Show::Closed => counts.closed,
            Show::All => counts.waiting + counts.open + counts.closed,
        };
        Ok(QueuePage {
            list,
            counts,
            total,
            silent: self.silent_count().await?,
        })
    }

    /// Waiting conversations in which the shopper has written nothing since the handoff
    /// and no agent has answered: what a flood of scripted handoffs looks like.
    const SILENT: &'static str = "c.status = 'waiting' AND c.agent_id IS NULL AND NOT EXISTS
        (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' AND m.reported = 0)";

    async fn silent_count(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM conversations c WHERE {}",
            Self::SILENT
        )))
        .fetch_one(self.db.pool())
        .await
    }

    /// Closes every waiting conversation in which the shopper never wrote (at most
    /// [`MAX_BULK`] at a time); how many were closed.
    pub async fn close_silent(&self) -> sqlx::Result<usize> {
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT c.id FROM conversations c WHERE {} ORDER BY c.id LIMIT $1",
            Self::SILENT
        )))
        .bind(MAX_BULK)
        .fetch_all(self.db.pool())
        .await?;
        self.close_all(&ids).await
    }

    /// The other conversations, not closed, that came from the same address as `id`.
    pub async fn same_address(&self, id: i64) -> sqlx::Result<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT c.id FROM conversations c JOIN conversations o ON o.client_digest = c.client_digest
             WHERE o.id = $1 AND c.id <> $1 AND c.status <> 'closed' ORDER BY c.id LIMIT $2",
        )
        .bind(id)
        .bind(MAX_BULK)
        .fetch_all(self.db.pool())
        .await
    }

    /// Closes `id` and every conversation, not closed, from the same address; how many.
    pub async fn close_same_address(&self, id: i64) -> sqlx::Result<usize> {
        let mut ids = self.same_address(id).await?;
        ids.push(id);
        self.close_all(&ids).await
    }

    async fn close_all(&self, ids: &[i64]) -> sqlx::Result<usize> {
        let mut closed = 0;
        for &id in ids {
            if self.close(id, true).await? {
                closed += 1;
            }
        }
        Ok(closed)
    }

    pub async fn detail(&self, id: i64) -> sqlx::Result<Option<Detail>> {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE c.id = $1")))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
        else {
            return Ok(None);
        };
        let messages = sqlx::query(
            "SELECT id, sender, author, body, at, reported FROM messages WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|r| {
            let sender: String = r.try_get("sender")?;
            Ok(Message {
                id: r.try_get("id")?,
                sender: Speaker::parse(&sender).unwrap_or(Speaker::System),
                author: r.try_get("author")?,
                text: r.try_get("body")?,
                at: r.try_get("at")?,
                reported: r.try_get::<i64, _>("reported")? != 0,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        let last_event =
            sqlx::query("SELECT COALESCE(MAX(id), 0) AS id FROM events WHERE conversation_id = $1")
                .bind(id)
                .fetch_one(self.db.pool())
                .await?
                .try_get("id")?;
        let same_address = self.same_address(id).await?.len();
        Ok(Some(Detail {
            same_address,
            rating_comment: row.try_get("rating_comment")?,
            summary: summary(&row)?,
            messages,
            last_event,
        }))
    }
}

const SUMMARY: &str = "SELECT c.id, c.status, c.live, c.created_at, c.email, c.context, c.rating, c.rating_comment, a.name,
    (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' ORDER BY m.id DESC LIMIT 1) AS last_shopper
    FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id";

fn summary(r: &sqlx::any::AnyRow) -> sqlx::Result<Summary> {
    Ok(Summary {
        id: r.try_get("id")?,
        status: r.try_get("status")?,
        live: r.try_get::<i64, _>("live")? != 0,
        created_at: r.try_get("created_at")?,
        agent: r.try_get("name")?,
        email: r.try_get("email")?,
        context: serde_json::from_str(&r.try_get::<String, _>("context")?).unwrap_or_default(),
        last_shopper_message: r.try_get("last_shopper")?,
        rating: r.try_get("rating")?,
    })
}

impl Conversations {
    /// Events after `after` as they happen: first those already recorded, then each new one
    /// soon after its commit. Used by the shopper's and the inbox's live streams.
    pub fn follow(
        &self,
        conversation: Option<i64>,
        after: i64,
        kinds: &'static [&'static str],
    ) -> impl futures_util::Stream<Item = Event> + Send + use<> {
        let this = self.clone();
        let wake = match conversation {
            Some(id) => self.subscribe_to(id),
            None => self.subscribe(),
        };
        let poll = self.poll;
        let state = (
            this,
            wake,
            after,
            std::collections::VecDeque::<Event>::new(),
        );
        futures_util::stream::unfold(
            state,
            move |(this, mut wake, mut after, mut ready)| async move {
                loop {
                    if let Some(event) = ready.pop_front() {
                        after = event.id;
                        return Some((event, (this, wake, after, ready)));
                    }
                    // Mark before reading, so a commit in between wakes the next wait.
                    wake.mark_unchanged();
                    match this.events_after(conversation, after, kinds, 100).await {
                        Ok(events) if !events.is_empty() => ready.extend(events),
                        Ok(_) => match poll {
                            Some(poll) => {
                                let _ = tokio::time::timeout(poll, wake.changed()).await;
                            }
                            None => {
                                if wake.changed().await.is_err() {
                                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                                }
                            }
                        },
                        Err(e) => {
                            tracing::warn!("event stream: {e}");
                            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                        }
                    }
                }
            },
        )
    }
}

/// A payload of the live stream as the JSON stored with its event.
fn wire(payload: &impl Serialize) -> Value {
    serde_json::to_value(payload).unwrap_or(Value::Null)
}

/// A handoff as the insights page shows it: what the shopper last said before it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffQuestion {
    pub id: i64,
    pub at: i64,
    /// The shopper's last two lines before the handoff (from the transcript their browser
    /// sent), joined by an arrow.
    pub question: String,
    /// Why the shopper came to a person, as their engine knew it.
    pub reason: flow_runtime::wire::HandoffReason,
}

/// The handoffs of flow `flow` (`demo.json`) between two times, newest first.
pub async fn handoffs_of(
    db: &Db,
    flow: &str,
    from: i64,
    to: i64,
    limit: i64,
) -> sqlx::Result<Vec<HandoffQuestion>> {
    let rows = sqlx::query(
        "SELECT c.id, c.created_at, c.context,
                (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' AND m.reported = 1
                 ORDER BY m.id DESC LIMIT 1) AS question,
                (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' AND m.reported = 1
                 ORDER BY m.id DESC LIMIT 1 OFFSET 1) AS before
         FROM conversations c WHERE c.flow = $1 AND c.created_at >= $2 AND c.created_at < $3
         ORDER BY c.created_at DESC LIMIT $4",
    )
    .bind(flow)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let context: String = r.try_get("context")?;
            let context: flow_runtime::wire::HandoffContext =
                serde_json::from_str(&context).unwrap_or_default();
            // Why, as the shopper's engine knew it when it handed off: never guessed here.
            let reason = context.reason;
            Ok(HandoffQuestion {
                id: r.try_get("id")?,
                at: r.try_get("created_at")?,
                question: r
                    .try_get::<Option<String>, _>("question")?
                    .unwrap_or_default(),
                reason,
            })
        })
        .collect()
}

/// What the shopper wrote last in a transcript, as emails quote it.
fn shopper_words(transcript: &[flow_runtime::wire::TranscriptLine]) -> String {
    let lines: Vec<String> = transcript
        .iter()
        .filter(|l| l.from == Speaker::Shopper)
        .map(|l| l.text.clone())
        .collect();
    mail::compose::their_words(&lines)
}
