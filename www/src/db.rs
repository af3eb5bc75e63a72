//! The database: embedded SQLite by default, PostgreSQL when `DATABASE_URL` says so.
//!
//! Queries go through sqlx's `Any` driver and are written once for both: `$1` placeholders,
//! integers for times (Unix milliseconds) and money (minor units). Only the migrations
//! differ per backend (`migrations/sqlite`, `migrations/postgres`).

use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::Config;

/// Which database engine is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to the store's database, migrated to the current schema.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Where it is (with its password: never shown), for PostgreSQL's `LISTEN`, which needs
    /// a connection of its own.
    url: Arc<str>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("url", &redact(&self.url))
            .finish()
    }
}

impl Db {
    /// Connects (creating the SQLite file on first start) and runs pending migrations.
    pub async fn open(config: &Config) -> anyhow::Result<Db> {
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => {
                std::fs::create_dir_all(&config.data_dir).with_context(|| {
                    format!(
                        "cannot create the data folder {}",
                        config.data_dir.display()
                    )
                })?;
                let path = config.data_dir.join("bellhop.db");
                format!("sqlite://{}?mode=rwc", path.display())
            }
        };
        Db::connect(&url).await
    }

    /// Connects to `url` (`sqlite://…` or `postgres://…`) and migrates.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("unsupported DATABASE_URL (use sqlite://… or postgres://…)");
        };
        let options = AnyConnectOptions::from_str(url).context("invalid database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers and the writer work at once; foreign keys are off
                        // by default in SQLite, per connection.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database ({})", redact(url)))?;
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await,
        }
        .context("database migration failed")?;
        Ok(Db {
            pool,
            backend,
            url: url.into(),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL, password and all: only for connecting.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// `` on PostgreSQL, to end a `SELECT` that claims work: another
    /// instance claiming at the same moment passes over the rows this one locked instead of
    /// waiting for them or taking them too. SQLite has one writer at a time (`BEGIN
    /// IMMEDIATE`), so a claim there is exclusive already.
    pub fn skip_locked(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and then writes fails
    /// with `SQLITE_BUSY` without waiting when another connection wrote in between (WAL
    /// cannot upgrade a stale read snapshot), whereas `BEGIN IMMEDIATE` waits its turn
    /// under `busy_timeout`. Seen in CI as an agent's reply answered 503 while the
    /// shopper's widget was writing to the same database.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A consistent copy of the SQLite database into `file` (SQLite's `VACUUM INTO`: online,
    /// the server may keep serving). PostgreSQL has `pg_dump` for this.
    pub async fn backup(&self, file: &std::path::Path) -> anyhow::Result<()> {
        if self.backend() == Backend::Postgres {
            anyhow::bail!(
                "this database is PostgreSQL: back it up with `pg_dump` (README, \"Deploying\")"
            );
        }
        if file.exists() {
            anyhow::bail!("{} exists already: give a new file", file.display());
        }
        let path = file.to_str().context("the backup's path is not UTF-8")?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(self.pool())
            .await
            .with_context(|| format!("backing up to {}", file.display()))?;
        Ok(())
    }

    /// Runs `work` while holding the deployment-wide lock `key`: on PostgreSQL a session
    /// advisory lock, so that several instances starting at once on one database take turns
    /// (the demo's seeding: count, then insert). SQLite serves one instance, whose start
    /// runs this once.
    pub async fn exclusively<T>(
        &self,
        key: i64,
        work: impl std::future::Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        if self.backend == Backend::Sqlite {
            return work.await;
        }
        let mut conn = self.pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await
            .context("taking the database lock")?;
        let result = work.await;
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await;
        if unlocked.is_err() {
            // Closing the session is what releases its locks for sure.
            conn.detach();
        }
        result
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
