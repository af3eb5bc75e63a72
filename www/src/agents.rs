//! The support team's accounts and their inbox sessions.
//!
//! Passwords are hashed with Argon2id (PHC strings, salt included). A session is a random
//! cookie value of which only the SHA-256 is stored, with its own CSRF token; it lasts
//! 12 hours, a working day.

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::PasswordHash;
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
    pub role: Role,
}

/// What an account may do. Checked by the server on every request, never by the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Answers shoppers in the inbox.
    Agent,
    /// The inbox, and the console: edits and publishes flows, manages accounts.
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Owner => "owner",
        }
    }

    /// The database's text (an unknown one is the least privileged).
    pub fn parse(text: &str) -> Role {
        match text {
            "owner" => Role::Owner,
            _ => Role::Agent,
        }
    }
}

fn agent_from(r: &sqlx::any::AnyRow) -> sqlx::Result<Agent> {
    Ok(Agent {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: Role::parse(&r.try_get::<String, _>("role")?),
    })
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

/// Whether `password` is the one `hash` (a PHC string) was made from. The 19 MiB Argon2id
/// works in is this thread's, kept between checks: allocating it afresh for every check left
/// glibc's arenas holding on to a copy per thread (a server grew by 180 MiB over its first
/// sixteen logins, two threads checking).
fn verify(password: &str, hash: &str) -> bool {
    use argon2::{Algorithm, Argon2, Block, Params, Version};
    thread_local! {
        static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&h.salt, &h.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&h),
        Algorithm::try_from(h.algorithm.as_str()),
    ) else {
        return false;
    };
    let version = h
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() != blocks {
            *memory = vec![Block::default(); blocks];
        }
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
    });
    hashed.is_ok() && bool::from(subtle::ConstantTimeEq::ct_eq(&out[..], expected.as_bytes()))
}

/// Creates an agent's account, or gives an existing one (same email) this name and
/// password (its role stays).
pub async fn add(db: &Db, email: &str, name: &str, password: &str) -> anyhow::Result<Agent> {
    add_with_role(db, email, name, password, None).await
}

/// Creates the account with `role`, or gives an existing one this name and password, and
/// this role when one is given. Giving an existing account a password is a reset: its
/// sessions end and its devices are forgotten (whoever knew the old password is out).
/// The last owner cannot be made an agent.
pub async fn add_with_role(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    role: Option<Role>,
) -> anyhow::Result<Agent> {
    let email = email.trim().to_lowercase();
    let name = name.trim();
    anyhow::ensure!(
        flow_runtime::fields::is_email(&email),
        "`{email}` is not an email address"
    );
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 60,
        "the name must be 1 to 60 characters"
    );
    anyhow::ensure!(
        (10..=MAX_PASSWORD_CHARS).contains(&password.chars().count()),
        "the password must be 10 to {MAX_PASSWORD_CHARS} characters"
    );
    let hash = hash_password(password)?;
    let mut tx = begin_accounts(db).await?;
    let existing: Option<String> = sqlx::query_scalar("SELECT role FROM agents WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if existing.as_deref().map(Role::parse) == Some(Role::Owner) && role == Some(Role::Agent) {
        ensure_another_owner(&mut tx).await?;
    }
    let row = sqlx::query(
        "INSERT INTO agents (email, name, password_hash, created_at, role) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
           role = CASE WHEN $6 = 1 THEN excluded.role ELSE agents.role END
         RETURNING id, email, name, role",
    )
    .bind(&email)
    .bind(name)
    .bind(&hash)
    .bind(now_ms())
    .bind(role.unwrap_or(Role::Agent).as_str())
    .bind(i64::from(role.is_some()))
    .fetch_one(&mut *tx)
    .await?;
    let agent = agent_from(&row)?;
    if existing.is_some() {
        for table in ["sessions", "login_devices"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE agent_id = $1"
            )))
            .bind(agent.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(agent)
}

/// The longest password accepted: hashing is paid per character, and no one types more.
pub const MAX_PASSWORD_CHARS: usize = 1_024;

/// A transaction for changing accounts, serialised with every other: the "at least one
/// owner" rule is checked and applied inside it, so two owners removing each other at
/// once cannot both succeed (SQLite's `BEGIN IMMEDIATE` serialises writers; PostgreSQL
/// takes a transaction-level advisory lock).
async fn begin_accounts(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    let mut tx = db.begin_write().await?;
    if db.backend() == crate::db::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7412)")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// Fails unless there is an owner besides the one about to go.
async fn ensure_another_owner(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
) -> anyhow::Result<()> {
    let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agents WHERE role = 'owner'")
        .fetch_one(&mut **tx)
        .await?;
    anyhow::ensure!(
        owners > 1,
        "the last owner must stay an owner: make another account an owner first"
    );
    Ok(())
}

/// Removes an account (its sessions end with it; the conversations it answered keep its
/// messages). The last owner cannot be removed: someone must be able to log in to the
/// console.
pub async fn remove(db: &Db, id: i64) -> anyhow::Result<()> {
    let mut tx = begin_accounts(db).await?;
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM agents WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(role) = role else {
        anyhow::bail!("there is no such account");
    };
    if Role::parse(&role) == Role::Owner {
        ensure_another_owner(&mut tx)
            .await
            .map_err(|_| anyhow::anyhow!("the last owner cannot be removed"))?;
    }
    sqlx::query("UPDATE conversations SET agent_id = NULL WHERE agent_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM agents WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<Agent>> {
    sqlx::query("SELECT id, email, name, role FROM agents ORDER BY email")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(agent_from)
        .collect()
}

/// Password checks run on a few threads of their own, one per core and at most four. Each
/// Argon2id verification takes 19 MiB and a core for tens of milliseconds: a burst of
/// logins waits its turn in the queue rather than taking the machine's memory. Threads of
/// their own rather than tokio's blocking pool, whose many threads each keep a malloc arena
/// holding on to the last 19 MiB it hashed with (measured: 100 parallel wrong logins left
/// 344 MiB resident with two checks at a time on the pool; 24 parallel logins in six
/// rounds once took a server from 1.0 to 2.6 GB with no limit at all). Each thread keeps
/// its Argon2 memory between checks (see [`verify`]), so the password threads hold at most
/// four times 19 MiB, however many logins come.
struct Checker {
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Check>>,
}

type Check = (String, String, tokio::sync::oneshot::Sender<bool>);

static CHECKER: std::sync::LazyLock<Checker> = std::sync::LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Check>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    for i in 0..hashing_threads() {
        let rx = rx.clone();
        let _ = std::thread::Builder::new()
            .name(format!("password-{i}"))
            .spawn(move || {
                loop {
                    let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((password, hash, answer)) = job else {
                        return;
                    };
                    let _ = answer.send(verify(&password, &hash));
                }
            });
    }
    Checker {
        jobs: std::sync::Mutex::new(tx),
    }
});

/// How many password checks run at once on this machine: one per core, at most four.
pub fn hashing_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

/// Checks `password` against `hash` on the password threads.
async fn check(password: String, hash: String) -> anyhow::Result<bool> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    CHECKER
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((password, hash, tx))
        .map_err(|_| anyhow::anyhow!("the password threads are gone"))?;
    Ok(rx.await?)
}

/// The agent with these credentials. An unknown email costs the same hashing time as a
/// wrong password, so accounts cannot be discovered by timing.
pub async fn authenticate(db: &Db, email: &str, password: &str) -> anyhow::Result<Option<Agent>> {
    let row =
        sqlx::query("SELECT id, email, name, role, password_hash FROM agents WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(db.pool())
            .await?;
    let hash = match &row {
        Some(r) => r.try_get::<String, _>("password_hash")?,
        None => dummy_hash().to_owned(),
    };
    let ok = check(password.to_owned(), hash).await?;
    match row.filter(|_| ok) {
        Some(r) => Ok(Some(agent_from(&r)?)),
        None => Ok(None),
    }
}

/// A hash to check unknown emails against. Argon2id with the default parameters and a fixed
/// salt: computed once, when first needed, like any other check.
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$YmVsbGhvcC1kdW1teS1zYWx0$Eq3b6wIYqCq2tIVmMq0kXgGq/1m8o4Qv5cI4gM8kM3k"
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
        "SELECT a.id, a.email, a.name, a.role, s.csrf FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(sha256_hex(cookie))
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Session {
            agent: agent_from(&r)?,
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

/// How many devices an account remembers (the least recently used are forgotten first).
const DEVICES_PER_ACCOUNT: i64 = 20;
/// How long a device is remembered without logging in.
pub const DEVICE_MS: i64 = 180 * 24 * 60 * MINUTE_MS;

/// Remembers the browser that just logged in to `agent`; returns its device cookie.
pub async fn remember_device(db: &Db, agent: &Agent) -> sqlx::Result<String> {
    let cookie = random_hex(32);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO login_devices (id_hash, agent_id, created_at, last_used) VALUES ($1, $2, $3, $3)",
    )
    .bind(sha256_hex(&cookie))
    .bind(agent.id)
    .bind(now)
    .execute(db.pool())
    .await?;
    sqlx::query(
        "DELETE FROM login_devices WHERE agent_id = $1 AND (last_used < $2 OR id_hash NOT IN
           (SELECT id_hash FROM login_devices WHERE agent_id = $1 ORDER BY last_used DESC LIMIT $3))",
    )
    .bind(agent.id)
    .bind(now - DEVICE_MS)
    .bind(DEVICES_PER_ACCOUNT)
    .execute(db.pool())
    .await?;
    Ok(cookie)
}

/// Whether `cookie` is a device that logged in to the account with this email before.
pub async fn knows_device(db: &Db, cookie: &str, email: &str) -> sqlx::Result<bool> {
    if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT d.agent_id FROM login_devices d JOIN agents a ON a.id = d.agent_id
         WHERE d.id_hash = $1 AND a.email = $2 AND d.last_used > $3",
    )
    .bind(sha256_hex(cookie))
    .bind(email.trim().to_lowercase())
    .bind(now_ms() - DEVICE_MS)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// The device logged in again: remembered for longer.
pub async fn device_used(db: &Db, cookie: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_devices SET last_used = $1 WHERE id_hash = $2")
        .bind(now_ms())
        .bind(sha256_hex(cookie))
        .execute(db.pool())
        .await
        .map(drop)
}

/// Whether any of `here` (people with the inbox open) has not said "away".
pub async fn any_available(db: &Db, here: &[i64]) -> sqlx::Result<bool> {
    if here.is_empty() {
        return Ok(false);
    }
    // The ids are numbers we hold, written into the query as such.
    let list = here
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM agents WHERE away = 0 AND id IN ({list})"
    )))
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Whether agent `id` has said "away", and saying it.
pub async fn is_away(db: &Db, id: i64) -> sqlx::Result<bool> {
    let away: i64 = sqlx::query_scalar("SELECT away FROM agents WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(away == 1)
}

pub async fn set_away(db: &Db, id: i64, away: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE agents SET away = $1 WHERE id = $2")
        .bind(i64::from(away))
        .bind(id)
        .execute(db.pool())
        .await
        .map(drop)
}
