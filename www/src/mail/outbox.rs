//! The emails waiting to be sent, and the log of those sent: the only SQL of [`super`].

use sqlx::{Any, Row, Transaction};

use super::{Letter, Outgoing};
use crate::db::Db;
use crate::secrets::sha256_hex;

/// Tries before an email is given up (30 s, 1 min, 2 min … between them, at most an hour).
pub const MAX_ATTEMPTS: i64 = 8;

/// Queues `letter` for `conversation` (inside the caller's transaction); the same key is
/// queued once, however often it is asked for.
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    out: &Outgoing,
    conversation: Option<i64>,
    letter: &Letter,
    now: i64,
) -> sqlx::Result<()> {
    let message_id = format!(
        "<{}.{}@{}>",
        letter.kind,
        &sha256_hex(&letter.key)[..32],
        out.domain
    );
    sqlx::query(
        "INSERT INTO emails (message_id, kind, conversation_id, recipient, subject, text_body, html_body, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8)
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(message_id)
    .bind(letter.kind)
    .bind(conversation)
    .bind(&letter.to)
    .bind(&letter.subject)
    .bind(&letter.text)
    .bind(&letter.html)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// The people of the team who want alert emails: `(name, email)`.
pub async fn alerted(tx: &mut Transaction<'static, Any>) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query("SELECT name, email FROM agents WHERE email_alerts = 1 ORDER BY id")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("name")?, r.try_get("email")?)))
        .collect()
}

/// An email due to be sent.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub kind: String,
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attempts: i64,
}

/// The next email due at `now`, leased for `lease_ms` (so a second worker, or this one
/// after a crash, takes it again only when the lease has run out). One at a time: a crash
/// leaves at most one email waiting for its lease.
/// Only emails after `after` (an id) are taken: one round never takes an email twice.
pub async fn claim(db: &Db, now: i64, lease_ms: i64, after: i64) -> sqlx::Result<Vec<Due>> {
    let mut tx = db.begin_write().await?;
    // Claimed under a lease (`next_attempt_at` moved on) in a transaction that skips rows
    // another instance is claiming: each email is sent by one instance.
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, kind, message_id, recipient, subject, text_body, html_body, attempts FROM emails
         WHERE status = 'pending' AND next_attempt_at <= $1 AND id > $2 ORDER BY id LIMIT 1{}",
        db.skip_locked()
    )))
    .bind(now)
    .bind(after)
    .fetch_all(&mut *tx)
    .await?;
    let mut due = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        sqlx::query("UPDATE emails SET next_attempt_at = $1 WHERE id = $2")
            .bind(now + lease_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        due.push(Due {
            id,
            kind: r.try_get("kind")?,
            message_id: r.try_get("message_id")?,
            to: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            text: r.try_get("text_body")?,
            html: r.try_get("html_body")?,
            attempts: r.try_get("attempts")?,
        });
    }
    tx.commit().await?;
    Ok(due)
}

/// Records a try: sent, or the error and when to try again (or given up).
pub async fn record(
    db: &Db,
    due: &Due,
    outcome: Result<(), String>,
    now: i64,
    base_delay_ms: i64,
) -> sqlx::Result<()> {
    let attempts = due.attempts + 1;
    let (status, error, next) = match outcome {
        Ok(()) => ("sent", None, now),
        Err(e) => {
            let delay = (base_delay_ms * (1i64 << (attempts - 1).min(20))).min(3_600_000);
            let status = if attempts >= MAX_ATTEMPTS {
                "failed"
            } else {
                "pending"
            };
            (status, Some(e), now + delay)
        }
    };
    sqlx::query(
        "UPDATE emails SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4,
         sent_at = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at END WHERE id = $6",
    )
    .bind(status)
    .bind(attempts)
    .bind(next)
    .bind(error)
    .bind(now)
    .bind(due.id)
    .execute(db.pool())
    .await
    .map(drop)
}

/// An email as the inbox's delivery log shows it.
#[derive(Clone, Debug)]
pub struct Logged {
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub conversation: Option<i64>,
}

/// The newest 100 emails.
pub async fn log(db: &Db) -> sqlx::Result<Vec<Logged>> {
    sqlx::query(
        "SELECT kind, recipient, subject, status, attempts, last_error, created_at, sent_at, conversation_id
         FROM emails ORDER BY id DESC LIMIT 100",
    )
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Logged {
            kind: r.try_get("kind")?,
            to: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            last_error: r.try_get("last_error")?,
            created_at: r.try_get("created_at")?,
            sent_at: r.try_get("sent_at")?,
            conversation: r.try_get("conversation_id")?,
        })
    })
    .collect()
}

/// Whether the agent `id` gets alert emails, and setting it.
pub async fn alerts_of(db: &Db, id: i64) -> sqlx::Result<bool> {
    let on: i64 = sqlx::query_scalar("SELECT email_alerts FROM agents WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(on == 1)
}

pub async fn set_alerts(db: &Db, id: i64, on: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE agents SET email_alerts = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(id)
        .execute(db.pool())
        .await
        .map(drop)
}

/// Emails waiting to be sent.
pub async fn pending(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM emails WHERE status = 'pending'")
        .fetch_one(db.pool())
        .await
}
