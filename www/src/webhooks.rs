//! Outbound webhooks: conversation events POSTed to the merchant's help desk.
//!
//! A delivery is queued in the same transaction as the event it reports
//! ([`enqueue`]), then sent by [`Worker`] until the receiver answers 2xx. Each request carries
//!
//! - `Bellhop-Delivery`: the delivery's id, the same on every retry (ignore repeats by it);
//! - `Bellhop-Timestamp`: Unix seconds when it was sent (refuse old ones to stop replays);
//! - `Bellhop-Signature`: `v1=` and the hex HMAC-SHA256, keyed with the shared secret, of
//!   `{timestamp}.{body}`.
//!
//! Failures are retried with exponential backoff (30 s, 1 min, 2 min … capped at 1 h), eight
//! tries in all, and every attempt's outcome is kept for the inbox's delivery log. Events of
//! one conversation arrive in order: a delivery waits while an earlier one of the same
//! conversation is still pending (a help desk never sees `closed` before `created`).

use std::time::Duration;

use flow_runtime::wire::{Webhook, WebhookEvent};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::{Any, Row, Transaction};

use crate::clock::now_ms;
use crate::db::Db;
use crate::secrets::random_hex;

pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed delivery is this instance's to send: past the HTTP time-out (10 s).
const LEASE_MS: i64 = 30_000;

/// A delivery claimed for sending; `attempts` counts this one.
struct Due {
    id: i64,
    delivery: String,
    body: String,
    attempts: i64,
}

/// Queues a delivery of `event` (inside the caller's transaction).
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    event: WebhookEvent,
    now: i64,
) -> sqlx::Result<()> {
    let body = Webhook {
        id: random_hex(16),
        created_at: now,
        event,
    };
    let text = serde_json::to_string(&body).expect("a webhook always serializes");
    sqlx::query(
        "INSERT INTO webhook_deliveries (delivery_id, event, conversation_id, body, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
    )
    .bind(&body.id)
    .bind(body.event.name())
    .bind(body.event.conversation())
    .bind(text)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// `v1=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends due deliveries, forever (spawned by `serve`).
#[derive(Clone)]
pub struct Worker {
    pub db: Db,
    pub url: String,
    pub secret: String,
    /// The first retry's delay; each next one doubles (tests shorten it).
    pub base_delay: Duration,
    pub client: reqwest::Client,
}

impl Worker {
    pub fn new(db: Db, url: String, secret: String) -> Worker {
        Worker {
            db,
            url,
            secret,
            base_delay: Duration::from_secs(30),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("Bellhop-Webhooks/1")
                .build()
                .expect("a TLS client"),
        }
    }

    /// Polls for due deliveries every `poll`, or sooner when `wake` changes.
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

    /// Sends every delivery due now, one at a time; returns how many were attempted.
    pub async fn send_due(&self) -> sqlx::Result<usize> {
        let mut tried = 0;
        let mut after = 0;
        while let Some(due) = self.claim(after).await? {
            after = due.id;
            tried += 1;
            self.deliver(&due).await?;
        }
        Ok(tried)
    }

    /// The next due delivery after `after` (the first pending one of its conversation, so
    /// each conversation's events arrive in order), leased to this instance: its
    /// `next_attempt_at` moves past the HTTP time-out, in a transaction that skips rows
    /// another instance is claiming. Two instances never send the same delivery at once.
    async fn claim(&self, after: i64) -> sqlx::Result<Option<Due>> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, delivery_id, body, attempts FROM webhook_deliveries d
             WHERE status = 'pending' AND next_attempt_at <= $1 AND id > $2
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.conversation_id = d.conversation_id
                             AND e.status = 'pending' AND e.id < d.id)
             ORDER BY id LIMIT 1{}",
            self.db.skip_locked()
        )))
        .bind(now)
        .bind(after)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let due = Due {
            id: row.try_get("id")?,
            delivery: row.try_get("delivery_id")?,
            body: row.try_get("body")?,
            attempts: row.try_get::<i64, _>("attempts")? + 1,
        };
        sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = $2")
            .bind(now + LEASE_MS)
            .bind(due.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(due))
    }

    /// Sends one claimed delivery and records the outcome.
    async fn deliver(&self, due: &Due) -> sqlx::Result<()> {
        let Due {
            id,
            delivery,
            body,
            attempts,
        } = due;
        let (id, attempts) = (*id, *attempts);
        let outcome = self.send(delivery, body).await;
        let now = now_ms();
        let (status, code, error) = match outcome {
            Ok(code) if (200..300).contains(&code) => ("delivered", Some(code), None),
            Ok(code) => ("pending", Some(code), Some(format!("HTTP {code}"))),
            Err(e) => ("pending", None, Some(e)),
        };
        let status = if status == "pending" && attempts >= MAX_ATTEMPTS {
            "failed"
        } else {
            status
        };
        let delay = self.base_delay.as_millis() as i64 * (1i64 << (attempts - 1).min(20));
        let next = now + delay.min(3_600_000);
        if let Some(e) = &error {
            tracing::warn!("webhook {delivery}: attempt {attempts} failed: {e}");
        }
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3,
             last_status = $4, last_error = $5, delivered_at = $6 WHERE id = $7",
        )
        .bind(status)
        .bind(attempts)
        .bind(next)
        .bind(code.map(i64::from))
        .bind(error)
        .bind((status == "delivered").then_some(now))
        .bind(id)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    async fn send(&self, delivery: &str, body: &str) -> Result<u16, String> {
        let timestamp = now_ms() / 1000;
        let response = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .header("bellhop-delivery", delivery)
            .header("bellhop-timestamp", timestamp.to_string())
            .header(
                "bellhop-signature",
                signature(&self.secret, timestamp, body),
            )
            .body(body.to_owned())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        Ok(response.status().as_u16())
    }
}

/// A delivery as the inbox's log shows it.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub delivery_id: String,
    pub event: String,
    pub conversation: Option<i64>,
    pub status: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: i64,
}

pub async fn log(db: &Db, limit: i64) -> sqlx::Result<Vec<Delivery>> {
    sqlx::query(
        "SELECT delivery_id, event, conversation_id, status, attempts, last_status, last_error, created_at, next_attempt_at
         FROM webhook_deliveries ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Delivery {
            delivery_id: r.try_get("delivery_id")?,
            event: r.try_get("event")?,
            conversation: r.try_get("conversation_id")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            last_status: r.try_get("last_status")?,
            last_error: r.try_get("last_error")?,
            created_at: r.try_get("created_at")?,
            next_attempt_at: r.try_get("next_attempt_at")?,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_is_hmac_sha256_of_timestamp_and_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        assert_eq!(
            super::signature("s3cret", 1_700_000_000, r#"{"a":1}"#),
            format!("v1={}", openssl_reference())
        );
    }

    fn openssl_reference() -> &'static str {
        "1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
    }
}

/// Deliveries waiting to be sent.
pub async fn pending(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
        .fetch_one(db.pool())
        .await
}
