//! The login throttle for the whole deployment: before judging an attempt, the instance
//! reads the counts it needs from `login_counts`; a failure is counted under a
//! transaction-scoped advisory lock (read, count, write back), so failures spread over
//! instances at the same moment are each counted. Keys are keyed digests of the address,
//! the account and the device. A database that does not answer leaves this instance's own
//! counts to judge.

use std::sync::Arc;

use sqlx::{Any, Row};

use super::{Attempt, Count, Key, LoginThrottle};
use crate::db::{Backend, Db};

/// The advisory lock that orders failures ("login" as a number).
const LOCK: i64 = 0x6c6f67696e;

#[derive(Clone)]
pub(super) struct Shared {
    db: Db,
    secret: Arc<tokio::sync::OnceCell<String>>,
}

impl LoginThrottle {
    /// Counts for every instance on `db`'s PostgreSQL; on SQLite, this instance's.
    pub fn for_deployment(self, db: &Db) -> LoginThrottle {
        let shared = (db.backend() == Backend::Postgres).then(|| Shared {
            db: db.clone(),
            secret: Arc::default(),
        });
        LoginThrottle { shared, ..self }
    }

    /// [`LoginThrottle::check`] with the deployment's counts.
    pub async fn check_everywhere(&self, a: Attempt<'_>, now: i64) -> Result<(), u64> {
        if let Some(shared) = &self.shared {
            let keys = Key::of_check(a);
            let pulled = async {
                let mut conn = shared.db.pool().acquire().await?;
                self.pull(shared, &mut conn, &keys).await
            };
            if let Err(e) = pulled.await {
                tracing::warn!("login throttle: {e}");
            }
        }
        self.check(a, now)
    }

    /// [`LoginThrottle::failed`], counted in the deployment's counts.
    pub async fn failed_everywhere(&self, a: Attempt<'_>, now: i64) {
        let Some(shared) = &self.shared else {
            return self.failed(a, now);
        };
        let counted = async {
            let keys = Key::of_check(a);
            let mut tx = shared.db.pool().begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(LOCK)
                .execute(&mut *tx)
                .await?;
            self.pull(shared, &mut tx, &keys).await?;
            self.failed(a, now);
            self.push(shared, &mut tx, &keys).await?;
            tx.commit().await
        };
        if let Err(e) = counted.await {
            tracing::warn!("login throttle: {e}");
            self.failed(a, now);
        }
    }

    /// [`LoginThrottle::succeeded`], in the deployment's counts too.
    pub async fn succeeded_everywhere(&self, a: Attempt<'_>) {
        self.succeeded(a);
        if let Some(shared) = &self.shared {
            let keys = Key::of_success(a);
            let cleared = async {
                let mut conn = shared.db.pool().acquire().await?;
                self.push(shared, &mut conn, &keys).await
            };
            if let Err(e) = cleared.await {
                tracing::warn!("login throttle: {e}");
            }
        }
    }

    async fn digest(&self, shared: &Shared, key: Key<'_>) -> sqlx::Result<String> {
        let secret = shared
            .secret
            .get_or_try_init(|| crate::secrets::server_secret(&shared.db, "login-throttle"))
            .await?;
        Ok(crate::secrets::keyed_digest(secret, &key.canonical()))
    }

    /// Puts the deployment's counts of `keys` in place of this instance's.
    async fn pull(
        &self,
        shared: &Shared,
        conn: &mut sqlx::AnyConnection,
        keys: &[Key<'_>],
    ) -> sqlx::Result<()> {
        for &key in keys {
            let row =
                sqlx::query("SELECT failures, last, locked_until FROM login_counts WHERE key = $1")
                    .bind(self.digest(shared, key).await?)
                    .fetch_optional(&mut *conn)
                    .await?;
            let count = row
                .map(|r| -> sqlx::Result<Count> {
                    Ok(Count {
                        failures: u32::try_from(r.try_get::<i64, _>("failures")?)
                            .unwrap_or(u32::MAX),
                        last: r.try_get("last")?,
                        locked_until: r.try_get("locked_until")?,
                    })
                })
                .transpose()?;
            self.counts().put(key, count);
        }
        Ok(())
    }

    /// Writes this instance's counts of `keys` as the deployment's (a cleared one deleted).
    async fn push(
        &self,
        shared: &Shared,
        conn: &mut sqlx::AnyConnection,
        keys: &[Key<'_>],
    ) -> sqlx::Result<()> {
        for &key in keys {
            let digest = self.digest(shared, key).await?;
            let count = self.counts().peek(key);
            let query = match count {
                Some(c) => sqlx::query::<Any>(
                    "INSERT INTO login_counts (key, failures, last, locked_until) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (key) DO UPDATE SET failures = $2, last = $3, locked_until = $4",
                )
                .bind(digest)
                .bind(i64::from(c.failures))
                .bind(c.last)
                .bind(c.locked_until),
                None => sqlx::query("DELETE FROM login_counts WHERE key = $1").bind(digest),
            };
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Deletes counts idle long enough to be forgotten anyway.
pub async fn prune(db: &Db, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM login_counts WHERE last < $1")
        .bind(now - super::FORGET_MS)
        .execute(db.pool())
        .await?
        .rows_affected())
}
