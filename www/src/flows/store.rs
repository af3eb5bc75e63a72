//! Flows in the database: each flow's draft, and its published versions.
//!
//! The draft is the JSON document as a merchant would write it by hand; the console edits
//! it, `flow check` reads its export. Publishing copies the draft into a new numbered
//! version, and the newest version is what shoppers get. A rollback publishes a copy of an
//! older version, so the history only grows and always says who changed what shoppers saw.

use sqlx::Row;

use crate::clock::now_ms;
use crate::db::Db;

/// A flow as the console lists it.
#[derive(Clone, Debug)]
pub struct Summary {
    pub name: String,
    /// The newest published version's number (`None`: never published).
    pub live: Option<i64>,
    /// Whether the draft holds changes the live version does not have.
    pub changed: bool,
    pub updated_at: i64,
}

/// The draft being edited.
#[derive(Clone, Debug)]
pub struct Draft {
    pub name: String,
    pub source: String,
    /// Bumped by every save (see [`save_draft`]).
    pub revision: i64,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

/// One published version.
#[derive(Clone, Debug)]
pub struct Version {
    pub number: i64,
    pub published_at: i64,
    pub published_by: String,
    pub note: String,
    pub source: String,
}

/// The draft was saved by someone else (another tab) since this edit began.
#[derive(Debug)]
pub struct Stale {
    pub revision: i64,
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<Summary>> {
    let rows = sqlx::query(
        "SELECT f.name, f.draft, f.updated_at,
                (SELECT MAX(number) FROM flow_versions v WHERE v.flow = f.name) AS live
         FROM flows f ORDER BY f.name",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name: String = r.try_get("name")?;
        let live: Option<i64> = r.try_get("live")?;
        let draft: String = r.try_get("draft")?;
        let changed = match live {
            Some(n) => version(db, &name, n)
                .await?
                .is_none_or(|v| v.source != draft),
            None => true,
        };
        out.push(Summary {
            name,
            live,
            changed,
            updated_at: r.try_get("updated_at")?,
        });
    }
    Ok(out)
}

pub async fn draft(db: &Db, name: &str) -> sqlx::Result<Option<Draft>> {
    let row = sqlx::query(
        "SELECT name, draft, revision, updated_at, updated_by FROM flows WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Draft {
            name: r.try_get("name")?,
            source: r.try_get("draft")?,
            revision: r.try_get("revision")?,
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
        })
    })
    .transpose()
}

/// Creates flow `name` with this draft; `false` when there is one by that name already.
pub async fn create(db: &Db, name: &str, source: &str, by: &str) -> sqlx::Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO flows (name, draft, revision, updated_at, updated_by, created_at)
         VALUES ($1, $2, 0, $3, $4, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(source)
    .bind(now)
    .bind(by)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Saves the draft if nobody saved it since `revision`; returns the new revision.
pub async fn save_draft(
    db: &Db,
    name: &str,
    source: &str,
    revision: i64,
    by: &str,
) -> sqlx::Result<Result<i64, Stale>> {
    let done = sqlx::query(
        "UPDATE flows SET draft = $1, revision = revision + 1, updated_at = $2, updated_by = $3
         WHERE name = $4 AND revision = $5",
    )
    .bind(source)
    .bind(now_ms())
    .bind(by)
    .bind(name)
    .bind(revision)
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Ok(revision + 1));
    }
    let now: Option<i64> = sqlx::query_scalar("SELECT revision FROM flows WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    match now {
        Some(revision) => Ok(Err(Stale { revision })),
        None => Err(sqlx::Error::RowNotFound),
    }
}

/// The newest published version's number.
pub async fn live_number(db: &Db, name: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MAX(number) FROM flow_versions WHERE flow = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await
}

pub async fn version(db: &Db, name: &str, number: i64) -> sqlx::Result<Option<Version>> {
    let row = sqlx::query(
        "SELECT number, published_at, published_by, note, source FROM flow_versions
         WHERE flow = $1 AND number = $2",
    )
    .bind(name)
    .bind(number)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| version_from(&r)).transpose()
}

/// Every version, newest first (with their sources: flows are small).
pub async fn versions(db: &Db, name: &str) -> sqlx::Result<Vec<Version>> {
    sqlx::query(
        "SELECT number, published_at, published_by, note, source FROM flow_versions
         WHERE flow = $1 ORDER BY number DESC",
    )
    .bind(name)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(version_from)
    .collect()
}

fn version_from(r: &sqlx::any::AnyRow) -> sqlx::Result<Version> {
    Ok(Version {
        number: r.try_get("number")?,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
        note: r.try_get("note")?,
        source: r.try_get("source")?,
    })
}

/// Publishes `source` as the next version of flow `name`; returns its number. The caller
/// has compiled it without errors.
pub async fn publish(db: &Db, name: &str, source: &str, by: &str, note: &str) -> sqlx::Result<i64> {
    let mut tx = db.begin_write().await?;
    if db.backend() == crate::db::Backend::Postgres {
        // Two owners publishing at once: one waits, and gets the next number.
        sqlx::query("SELECT name FROM flows WHERE name = $1 FOR UPDATE")
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM flow_versions WHERE flow = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
    let number = last.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO flow_versions (flow, number, source, published_at, published_by, note)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(name)
    .bind(number)
    .bind(source)
    .bind(now_ms())
    .bind(by)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Replaces the draft whatever its revision (an import, or a rollback onto an unchanged
/// draft).
pub async fn replace_draft(db: &Db, name: &str, source: &str, by: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "UPDATE flows SET draft = $1, revision = revision + 1, updated_at = $2, updated_by = $3
         WHERE name = $4 RETURNING revision",
    )
    .bind(source)
    .bind(now_ms())
    .bind(by)
    .bind(name)
    .fetch_one(db.pool())
    .await
}

/// The storefront origins flow `name` is installed on (empty when none were set).
pub async fn origins(db: &Db, name: &str) -> sqlx::Result<Vec<String>> {
    let text: Option<String> = sqlx::query_scalar("SELECT origins FROM flows WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    Ok(text
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Every origin any flow is installed on.
pub async fn all_origins(db: &Db) -> sqlx::Result<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT origins FROM flows WHERE origins <> ''")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Sets where flow `name` is installed (origins already checked, see
/// `crate::flows::origins::parse`).
pub async fn set_origins(db: &Db, name: &str, origins: &[String]) -> sqlx::Result<bool> {
    Ok(sqlx::query("UPDATE flows SET origins = $1 WHERE name = $2")
        .bind(origins.join("\n"))
        .bind(name)
        .execute(db.pool())
        .await?
        .rows_affected()
        == 1)
}

/// The newest draft of flow `name` that compiled without errors, if any was kept.
pub async fn last_good(db: &Db, name: &str) -> sqlx::Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT last_good FROM flows WHERE name = $1")
            .bind(name)
            .fetch_optional(db.pool())
            .await?
            .flatten(),
    )
}

/// Keeps `source` as flow `name`'s newest draft without errors.
pub async fn keep_good(db: &Db, name: &str, source: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE flows SET last_good = $1 WHERE name = $2 AND (last_good IS NULL OR last_good <> $1)")
        .bind(source)
        .bind(name)
        .execute(db.pool())
        .await
        .map(drop)
}
