//! Random tokens and digests: conversation tokens, session ids, CSRF tokens, delivery ids.

use sha2::{Digest, Sha256};

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS generator failing means the machine cannot do anything safely: stop.
    getrandom::fill(&mut buf).expect("the operating system's random generator failed");
    hex::encode(buf)
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The deployment's secret called `name`: 32 random bytes made by the first instance that
/// asks, then read by every instance (they share the database).
pub async fn server_secret(db: &crate::db::Db, name: &str) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(random_hex(32))
    .execute(db.pool())
    .await?;
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await
}

/// A digest of `text` under `key` that cannot be reversed by trying every value (an IPv4
/// address has only 2^32) without the key.
pub fn keyed_digest(key: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    hex::encode(&h.finalize()[..16])
}

/// A credential from the configuration (an API token, a shared secret): printed as `***`
/// by `Debug` and `Display`, so no log line, page or error can show it by accident. Only
/// [`Secret::expose`] gives the text, where it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;
    fn from_str(text: &str) -> Result<Secret, String> {
        if text.trim().is_empty() {
            return Err("is empty".into());
        }
        Ok(Secret(text.trim().to_owned()))
    }
}

#[cfg(test)]
mod secret_tests {
    use super::Secret;

    #[test]
    fn a_secret_never_prints() {
        let s: Secret = "shpat_abc".parse().unwrap();
        assert_eq!(format!("{s} {s:?} {:?}", Some(&s)), "*** *** Some(***)");
        assert_eq!(s.expose(), "shpat_abc");
    }
}

/// Whether a secret given by a client is ours: digests compared in constant time (equal
/// lengths whatever the inputs), and never for an empty one.
pub fn same_secret(given: &str, ours: &str) -> bool {
    use subtle::ConstantTimeEq;
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(ours.as_bytes());
    bool::from(a.ct_eq(&b)) & !ours.is_empty()
}
