//! Rate limits: a token bucket per key (client address, order number).
//!
//! On SQLite (one instance) the buckets are in memory; buckets idle for long are forgotten
//! so the map stays small. On PostgreSQL every instance uses the same buckets, rows of
//! `rate_buckets` updated in one statement per request (an upsert that refills, takes a
//! token if there is one and says whether it did), so a limit holds for the whole
//! deployment however requests are spread. Keys are keyed digests: no client address is
//! written. A database that does not answer falls back to this instance's own buckets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::Row;

use crate::clock::MINUTE_MS;
use crate::db::{Backend, Db};

#[derive(Clone)]
pub struct RateLimit {
    per_minute: u32,
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
    shared: Option<Shared>,
}

/// The deployment's buckets: the database, and what this limit's keys are called there.
#[derive(Clone)]
struct Shared {
    db: Db,
    name: &'static str,
    key: Arc<tokio::sync::OnceCell<String>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: i64,
}

impl RateLimit {
    pub fn per_minute(n: u32) -> RateLimit {
        RateLimit {
            per_minute: n,
            buckets: Arc::default(),
            shared: None,
        }
    }

    /// The same limit for every instance on `db`'s PostgreSQL (`name` tells it from the
    /// others); on SQLite, this instance's.
    pub fn for_deployment(self, db: &Db, name: &'static str) -> RateLimit {
        let shared = (db.backend() == Backend::Postgres).then(|| Shared {
            db: db.clone(),
            name,
            key: Arc::default(),
        });
        RateLimit { shared, ..self }
    }

    /// Takes one token for `key` at `now`; `Err(seconds)` to wait when there is none.
    pub async fn check(&self, key: &str, now: i64) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(()); // 0 means no limit
        }
        if let Some(shared) = &self.shared {
            match self.check_shared(shared, key, now).await {
                Ok(answer) => return answer,
                Err(e) => tracing::warn!("rate limit {}: {e}", shared.name),
            }
        }
        self.check_here(key, now)
    }

    fn rate(&self) -> f64 {
        f64::from(self.per_minute) / MINUTE_MS as f64 // tokens per millisecond
    }

    fn wait(&self, tokens: f64) -> u64 {
        (((1.0 - tokens) / self.rate()) / 1000.0).ceil().max(1.0) as u64
    }

    /// The bucket in memory.
    fn check_here(&self, key: &str, now: i64) -> Result<(), u64> {
        let capacity = f64::from(self.per_minute);
        let rate = self.rate();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            buckets.retain(|_, b| now - b.at < MINUTE_MS);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens = (bucket.tokens + (now - bucket.at).max(0) as f64 * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.wait(bucket.tokens))
        }
    }

    /// The bucket in the database: refilled for the time since it was last touched, a
    /// token taken when there is one, in one statement (PostgreSQL evaluates every `SET`
    /// against the row as it was, and locks the row for the statement).
    async fn check_shared(
        &self,
        shared: &Shared,
        key: &str,
        now: i64,
    ) -> sqlx::Result<Result<(), u64>> {
        let secret = shared
            .key
            .get_or_try_init(|| crate::secrets::server_secret(&shared.db, "rate-limits"))
            .await?;
        let digest = crate::secrets::keyed_digest(secret, &format!("{}\0{key}", shared.name));
        let row = sqlx::query(
            "INSERT INTO rate_buckets (key, tokens, at, granted) VALUES ($1, $2 - 1, $3, 1)
             ON CONFLICT (key) DO UPDATE SET
               granted = CASE WHEN LEAST($2, rate_buckets.tokens + GREATEST($3 - rate_buckets.at, 0) * $4) >= 1
                         THEN 1 ELSE 0 END,
               tokens = LEAST($2, rate_buckets.tokens + GREATEST($3 - rate_buckets.at, 0) * $4)
                        - CASE WHEN LEAST($2, rate_buckets.tokens + GREATEST($3 - rate_buckets.at, 0) * $4) >= 1
                          THEN 1 ELSE 0 END,
               at = GREATEST($3, rate_buckets.at)
             RETURNING tokens, granted",
        )
        .bind(digest)
        .bind(f64::from(self.per_minute))
        .bind(now)
        .bind(self.rate())
        .fetch_one(shared.db.pool())
        .await?;
        let granted: i64 = row.try_get("granted")?;
        let tokens: f64 = row.try_get("tokens")?;
        Ok(if granted == 1 {
            Ok(())
        } else {
            Err(self.wait(tokens))
        })
    }
}

/// Deletes the deployment's buckets idle for a minute (full again, so the same as none).
pub async fn prune(db: &Db, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM rate_buckets WHERE at < $1")
        .bind(now - MINUTE_MS)
        .execute(db.pool())
        .await?
        .rows_affected())
}

/// Open event streams, counted per conversation and per client address: a stream is cheap
/// but not free (a connection, a task), and a shopper needs one per open tab.
#[derive(Clone)]
pub struct StreamCap {
    per_conversation: usize,
    per_client: usize,
    open: Arc<Mutex<HashMap<String, usize>>>,
    /// Told when a shopper starts or stops following a conversation here, so that other
    /// instances hear of it at once ([`crate::cluster`]).
    pub(crate) changed: Arc<tokio::sync::Notify>,
}

/// A place among the open streams, given back when dropped (when the stream ends).
pub struct StreamSlot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    keys: [String; 2],
    changed: Arc<tokio::sync::Notify>,
}

impl StreamCap {
    pub fn new(per_conversation: usize, per_client: usize) -> StreamCap {
        StreamCap {
            per_conversation,
            per_client,
            open: Arc::default(),
            changed: Arc::default(),
        }
    }

    /// A slot for a new stream of `conversation` from `client`, or `None` when either has
    /// as many open as allowed.
    pub fn open(&self, conversation: i64, client: &str) -> Option<StreamSlot> {
        let keys = [format!("c:{conversation}"), format!("a:{client}")];
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let full = open.get(&keys[0]).copied().unwrap_or(0) >= self.per_conversation
            || open.get(&keys[1]).copied().unwrap_or(0) >= self.per_client;
        if full {
            return None;
        }
        for k in &keys {
            *open.entry(k.clone()).or_insert(0) += 1;
        }
        self.changed.notify_one();
        Some(StreamSlot {
            open: self.open.clone(),
            keys,
            changed: self.changed.clone(),
        })
    }

    /// The conversations followed here now.
    pub fn followed(&self) -> Vec<i64> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.keys()
            .filter_map(|k| k.strip_prefix("c:")?.parse().ok())
            .collect()
    }

    /// Shoppers' streams open now.
    pub fn open_streams(&self) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.iter()
            .filter(|(k, _)| k.starts_with("c:"))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Whether the shopper of `conversation` is following it on this instance (a stream is
    /// open here); the whole deployment's answer is [`crate::cluster::Cluster::following`].
    pub fn following(&self, conversation: i64) -> bool {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(&format!("c:{conversation}")).copied().unwrap_or(0) > 0
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for k in &self.keys {
            if let Some(n) = open.get_mut(k) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(k);
                }
            }
        }
        self.changed.notify_one();
    }
}

/// Two limits that both must allow: one per conversation, one per client address.
#[derive(Clone)]
pub struct PerConversation {
    pub conversation: RateLimit,
    pub client: RateLimit,
}

impl PerConversation {
    pub fn per_minute(per_conversation: u32, per_client: u32) -> PerConversation {
        PerConversation {
            conversation: RateLimit::per_minute(per_conversation),
            client: RateLimit::per_minute(per_client),
        }
    }

    pub fn for_deployment(self, db: &Db, name: &'static str) -> PerConversation {
        PerConversation {
            conversation: self.conversation.for_deployment(db, name),
            client: self.client.for_deployment(db, name),
        }
    }

    pub async fn check(&self, conversation: i64, client: &str, now: i64) -> Result<(), u64> {
        self.conversation
            .check(&format!("c{conversation}"), now)
            .await?;
        self.client.check(&format!("a{client}"), now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_is_cut_off_and_tokens_come_back_with_time() {
        let limit = RateLimit::per_minute(3);
        for _ in 0..3 {
            assert!(limit.check("a", 0).await.is_ok());
        }
        assert_eq!(limit.check("a", 0).await, Err(20), "one token every 20 s");
        assert!(limit.check("b", 0).await.is_ok(), "keys are separate");
        assert!(limit.check("a", 20_000).await.is_ok());
        assert!(limit.check("a", 20_000).await.is_err());
        assert!(RateLimit::per_minute(0).check("a", 0).await.is_ok());
    }

    #[test]
    fn streams_are_capped_per_conversation_and_per_client() {
        let cap = StreamCap::new(2, 3);
        let a = cap.open(1, "x").unwrap();
        let _b = cap.open(1, "y").unwrap();
        assert!(cap.open(1, "z").is_none(), "two per conversation");
        let _c = cap.open(2, "x").unwrap();
        let _d = cap.open(3, "x").unwrap();
        assert!(cap.open(4, "x").is_none(), "three per client");
        drop(a);
        assert!(
            cap.open(1, "z").is_some(),
            "a closed stream gives its place back"
        );
    }
}
