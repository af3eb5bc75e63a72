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
use crate::secrets::random_hex;
use crate::webhooks;

use flow_runtime::Speaker;
use flow_runtime::wire::{AgentJoined, AgentMessage, ConversationClosed, event};
pub use flow_runtime::wire::{CartLine, FaqTry, HandoffContext as Context, NewHandoff};

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

/// A conversation open in the inbox.
#[derive(Clone, Debug)]
pub struct Detail {
    pub summary: Summary,
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

/// Conversations in the database, with the stream notifiers and the webhook switch.
#[derive(Clone)]
pub struct Conversations {
    db: Db,
    webhooks: bool,
    /// Wakes what follows every conversation (the inbox, the webhook worker).
    changed: watch::Sender<i64>,
    /// Wakes the streams of one conversation: a shopper's stream re-reads only when its own
    /// conversation changed (300 idle streams on one server used to re-read on every
    /// change anywhere, and slowed every other request tenfold).
    each: Arc<Mutex<HashMap<i64, watch::Sender<i64>>>>,
    /// How often a stream looks again without being woken: other servers on the same
    /// PostgreSQL do not wake ours; one server on SQLite wakes itself.
    poll: std::time::Duration,
}

impl Conversations {
    pub fn new(db: Db, webhooks: bool) -> Conversations {
        let poll = match db.backend() {
            Backend::Postgres => std::time::Duration::from_secs(3),
            Backend::Sqlite => std::time::Duration::from_secs(30),
        };
        Conversations {
            db,
            webhooks,
            changed: watch::Sender::new(0),
            each: Arc::default(),
            poll,
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
        sqlx::query(
            "INSERT INTO events (conversation_id, kind, data, at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(conversation)
        .bind(kind)
        .bind(data.to_string())
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")
    }

    async fn webhook(
        &self,
        tx: &mut Transaction<'static, Any>,
        event: &str,
        conversation: i64,
        payload: Value,
        now: i64,
    ) -> sqlx::Result<()> {
        if self.webhooks {
            webhooks::enqueue(tx, event, conversation, payload, now).await?;
        }
        Ok(())
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
    ) -> sqlx::Result<Handoff> {
        if let Some(found) = self.by_key(&h.key, digest).await? {
            return Ok(found);
        }
        let now = now_ms();
        let token = random_hex(24);
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO conversations (handoff_key, request_digest, token, status, live, email, context, created_at, updated_at, flow)
             VALUES ($1, $2, $3, 'waiting', $4, $5, $6, $7, $7, $8)
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
            .bind(i64::try_from(line.at.0).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        self.event(&mut tx, id, "created", &json!({ "live": live }), now)
            .await?;
        self.webhook(
            &mut tx,
            "conversation.created",
            id,
            json!({
                "conversation": { "id": id, "live": live, "context": h.context },
                "transcript": h.transcript,
            }),
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
            "SELECT c.id, c.token, c.status, c.live, a.name FROM conversations c
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
            "conversation.shopper_message",
            c.id,
            json!({ "conversation": { "id": c.id }, "message": { "id": id, "text": text, "at": now } }),
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
    pub async fn set_email(&self, c: &Conversation, email: &str) -> sqlx::Result<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
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
    pub async fn agent_says(
        &self,
        id: i64,
        agent: &crate::agents::Agent,
        text: &str,
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
        tx.commit().await?;
        self.changed(id);
        Ok(message)
    }

    /// The agent is done: the shopper is told and asked for a rating.
    pub async fn close(&self, id: i64) -> sqlx::Result<bool> {
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
        self.webhook(
            &mut tx,
            "conversation.closed",
            id,
            json!({ "conversation": { "id": id } }),
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

    /// Conversations for the inbox: waiting and open ones oldest first, then the latest
    /// closed ones.
    pub async fn queue(&self) -> sqlx::Result<Vec<Summary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE c.status <> 'closed' ORDER BY c.created_at, c.id LIMIT 200"
        )))
        .fetch_all(self.db.pool())
        .await?;
        let closed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE c.status = 'closed' ORDER BY c.closed_at DESC, c.id DESC LIMIT 20"
        )))
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().chain(&closed).map(summary).collect()
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
                sender: serde_json::from_value(Value::String(sender)).unwrap_or(Speaker::System),
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
        Ok(Some(Detail {
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
                        Ok(_) => {
                            // Other servers on the same PostgreSQL do not wake us: look again
                            // every few seconds anyway.
                            let _ = tokio::time::timeout(poll, wake.changed()).await;
                        }
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
    /// `frustration` when the bot heard it, `missed` when the FAQ's best try was weak
    /// (below 0.25), else `asked`.
    pub reason: String,
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
            // The FAQ's best try was below an answer's confidence: it had missed.
            let missed = context.faq.first().is_some_and(|f| f.confidence.0 < 250);
            let reason = if context.frustrated {
                "frustration"
            } else if missed {
                "missed"
            } else {
                "asked"
            };
            Ok(HandoffQuestion {
                id: r.try_get("id")?,
                at: r.try_get("created_at")?,
                question: r
                    .try_get::<Option<String>, _>("question")?
                    .unwrap_or_default(),
                reason: reason.to_owned(),
            })
        })
        .collect()
}
