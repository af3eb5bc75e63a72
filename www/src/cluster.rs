//! What several instances on one PostgreSQL share, beyond the data itself.
//!
//! - **Live events**: every event is announced with `NOTIFY` ([`EVENTS_CHANNEL`], the
//!   conversation's id as payload) inside the transaction that writes it, so it reaches the
//!   listeners only once committed; each instance's [`Cluster::listen`] wakes the streams of
//!   that conversation, which then read it from `events` like their own. After a lost
//!   connection the listener wakes every stream (a notification may have been missed).
//! - **Who is here**: each instance writes the people with the inbox open and the shoppers
//!   following a conversation on it into `presence`, at once when that changes and every
//!   5 s, each row good for 15 s; so an instance killed outright stops counting within 15 s.
//!   Whether a handoff is live and whether a reply goes out by email read every instance's.
//! - **Periodic work** runs once per period in the whole deployment ([`Cluster::once_per`]).
//!
//! On SQLite (one instance) all of this is that instance's own memory.

use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;

use crate::clock::now_ms;
use crate::conversations::{Conversations, EVENTS_CHANNEL};
use crate::db::{Backend, Db};
use crate::staff::presence::Presence;

/// How often an instance says again who is here.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// How long what it said holds.
const GOOD_FOR_MS: i64 = 15_000;

/// This instance among the others on one database.
#[derive(Clone)]
pub struct Cluster {
    db: Db,
    /// A name for this run of this instance (random: a restart is a new instance).
    instance: Arc<str>,
}

impl Cluster {
    pub fn new(db: Db) -> Cluster {
        Cluster {
            db,
            instance: crate::secrets::random_hex(8).into(),
        }
    }

    fn shared(&self) -> bool {
        self.db.backend() == Backend::Postgres
    }

    /// The people of the team with the inbox open on any instance.
    pub async fn agents_here(&self, presence: &Presence) -> sqlx::Result<Vec<i64>> {
        let mut here = presence.here();
        if self.shared() {
            let others: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT key FROM presence WHERE kind = 'agent' AND until > $1 AND instance <> $2",
            )
            .bind(now_ms())
            .bind(&*self.instance)
            .fetch_all(self.db.pool())
            .await?;
            here.extend(others);
            here.sort_unstable();
            here.dedup();
        }
        Ok(here)
    }

    /// Whether the shopper of `conversation` follows it on any instance (`here`: on this
    /// one, as the stream cap knows).
    pub async fn following(&self, here: bool, conversation: i64) -> sqlx::Result<bool> {
        if here || !self.shared() {
            return Ok(here);
        }
        let row = sqlx::query(
            "SELECT 1 AS one FROM presence WHERE kind = 'shopper' AND key = $1 AND until > $2 LIMIT 1",
        )
        .bind(conversation)
        .bind(now_ms())
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Writes who is here on this instance (replacing what it wrote before): the people
    /// with the inbox open and the conversations followed.
    pub async fn publish(&self, agents: &[i64], shoppers: &[i64]) -> sqlx::Result<()> {
        let until = now_ms() + GOOD_FOR_MS;
        let mut tx = self.db.pool().begin().await?;
        sqlx::query("DELETE FROM presence WHERE instance = $1")
            .bind(&*self.instance)
            .execute(&mut *tx)
            .await?;
        let rows = agents
            .iter()
            .map(|id| ("agent", *id))
            .chain(shoppers.iter().map(|id| ("shopper", *id)));
        for (kind, key) in rows {
            sqlx::query(
                "INSERT INTO presence (instance, kind, key, until) VALUES ($1, $2, $3, $4)",
            )
            .bind(&*self.instance)
            .bind(kind)
            .bind(key)
            .bind(until)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Says who is here (`here()`: agents, conversations followed) whenever `changed` is
    /// told, and every few seconds (spawned by `serve` on PostgreSQL); rows of instances
    /// gone for a minute are deleted on the way.
    pub async fn heartbeat(
        self,
        here: impl Fn() -> (Vec<i64>, Vec<i64>) + Send,
        changed: [Arc<tokio::sync::Notify>; 2],
    ) {
        loop {
            let (agents, shoppers) = here();
            if let Err(e) = self.publish(&agents, &shoppers).await {
                tracing::warn!("presence: {e}");
            }
            let _ = sqlx::query("DELETE FROM presence WHERE until < $1")
                .bind(now_ms() - 60_000)
                .execute(self.db.pool())
                .await;
            tokio::select! {
                () = tokio::time::sleep(HEARTBEAT) => {}
                () = changed[0].notified() => {}
                () = changed[1].notified() => {}
            }
        }
    }

    /// This instance stops counting anyone (a graceful shutdown).
    pub async fn leave(&self) {
        if self.shared() {
            let _ = sqlx::query("DELETE FROM presence WHERE instance = $1")
                .bind(&*self.instance)
                .execute(self.db.pool())
                .await;
        }
    }

    /// Wakes this instance's streams for events written by any instance (spawned by
    /// `serve` on PostgreSQL).
    pub async fn listen(self, conversations: Conversations) {
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect(self.db.url()).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!("cannot listen for events: {e}");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
                tracing::warn!("cannot listen for events: {e}");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
            // Whatever happened while nobody listened, streams look again now.
            conversations.wake_all();
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => match n.payload().parse::<i64>() {
                        Ok(id) => conversations.changed_elsewhere(id),
                        Err(_) => conversations.wake_all(),
                    },
                    // The connection was lost; the next call reconnects and listens again.
                    Ok(None) => conversations.wake_all(),
                    Err(e) => {
                        tracing::warn!("listening for events: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        break;
                    }
                }
            }
        }
    }

    /// Whether this instance runs the periodic work `name` now: true for one instance per
    /// `period_ms` in the whole deployment (whoever moves its due time on first).
    pub async fn once_per(&self, name: &str, period_ms: i64) -> sqlx::Result<bool> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let due: Option<i64> = sqlx::query("SELECT due_at FROM periodic WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("due_at"))
            .transpose()?;
        let won = match due {
            None => sqlx::query(
                "INSERT INTO periodic (name, due_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(now + period_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1,
            Some(due) if due <= now => {
                sqlx::query("UPDATE periodic SET due_at = $1 WHERE name = $2 AND due_at = $3")
                    .bind(now + period_ms)
                    .bind(name)
                    .bind(due)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1
            }
            Some(_) => false,
        };
        tx.commit().await?;
        Ok(won)
    }
}
