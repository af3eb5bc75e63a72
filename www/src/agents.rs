//! The support team's accounts and their inbox sessions.
//!
//! Passwords are hashed with Argon2id (PHC strings, salt included). A session is a random
//! cookie value of which only the SHA-256 is stored, with its own CSRF token; it lasts
//! 12 hours, a working day.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sqlx::Row;

use crate::clock::{MINUTE_MS, now_ms};
use crate::db::Db;
use crate::secrets::{random_hex, sha256_hex};

pub const SESSION_MS: i64 = 12 * 60 * MINUTE_MS;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// A logged-in agent, and the token their forms must carry.
#[derive(Clone, Debug)]
pub struct Session {
    pub agent: Agent,
    pub csrf: String,
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Creates the account, or gives an existing one (same email) this name and password.
pub async fn add(db: &Db, email: &str, name: &str, password: &str) -> anyhow::Result<Agent> {
    let email = email.trim().to_lowercase();
    let name = name.trim();
    anyhow::ensure!(email.contains('@'), "`{email}` is not an email address");
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 60,
        "the name must be 1 to 60 characters"
    );
    anyhow::ensure!(
        password.chars().count() >= 10,
        "the password must be at least 10 characters"
    );
    let hash = hash_password(password)?;
    let row = sqlx::query(
        "INSERT INTO agents (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash
         RETURNING id",
    )
    .bind(&email)
    .bind(name)
    .bind(&hash)
    .bind(now_ms())
    .fetch_one(db.pool())
    .await?;
    Ok(Agent {
        id: row.try_get("id")?,
        email,
        name: name.to_owned(),
    })
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<Agent>> {
    sqlx::query("SELECT id, email, name FROM agents ORDER BY email")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Agent {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// The agent with these credentials. An unknown email costs the same hashing time as a
/// wrong password, so accounts cannot be discovered by timing.
pub async fn authenticate(db: &Db, email: &str, password: &str) -> anyhow::Result<Option<Agent>> {
    let row = sqlx::query("SELECT id, email, name, password_hash FROM agents WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    let hash = match &row {
        Some(r) => r.try_get::<String, _>("password_hash")?,
        None => dummy_hash().to_owned(),
    };
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify(&password, &hash)).await?;
    match row.filter(|_| ok) {
        Some(r) => Ok(Some(Agent {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            name: r.try_get("name")?,
        })),
        None => Ok(None),
    }
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password, only for timing").unwrap_or_default())
}

/// Starts a session; returns the cookie value.
pub async fn start_session(db: &Db, agent: &Agent) -> sqlx::Result<String> {
    let cookie = random_hex(32);
    let now = now_ms();
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, agent_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&cookie))
    .bind(agent.id)
    .bind(random_hex(16))
    .bind(now)
    .bind(now + SESSION_MS)
    .execute(db.pool())
    .await?;
    Ok(cookie)
}

pub async fn session(db: &Db, cookie: &str) -> sqlx::Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT a.id, a.email, a.name, s.csrf FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(sha256_hex(cookie))
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Session {
            agent: Agent {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                name: r.try_get("name")?,
            },
            csrf: r.try_get("csrf")?,
        })
    })
    .transpose()
}

pub async fn end_session(db: &Db, cookie: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(sha256_hex(cookie))
        .execute(db.pool())
        .await
        .map(drop)
}
