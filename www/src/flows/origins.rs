//! Where the assistants are installed: the storefront origins whose pages may call the
//! API (CORS). The server's `--allowed-origins` holds for every flow; owners add each
//! flow's own in the console, effective at once: no restart, no publish.
//!
//! The API asks on every cross-origin request, so the union of every flow's origins is
//! kept in memory, re-read when an owner changes it here and at least every few seconds
//! (another instance of the server may have changed it).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::Db;

/// How long a read of every flow's origins is trusted (changes made through this server
/// apply at once; another instance's within this).
const FRESH: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Origins {
    db: Db,
    /// `--allowed-origins`: every flow's.
    server: Arc<HashSet<String>>,
    cache: Arc<Mutex<Option<(Instant, Arc<HashSet<String>>)>>>,
}

impl Origins {
    pub fn new(db: Db, server: &[String]) -> Origins {
        Origins {
            db,
            server: Arc::new(server.iter().filter_map(|o| normalize(o).ok()).collect()),
            cache: Arc::default(),
        }
    }

    /// Whether pages of `origin` may call the API.
    pub async fn allows(&self, origin: &str) -> bool {
        if self.server.contains(origin) {
            return true;
        }
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|(at, _)| at.elapsed() < FRESH);
        let flows = match cached {
            Some((_, set)) => set,
            None => match crate::flows::store::all_origins(&self.db).await {
                Ok(list) => {
                    let set: Arc<HashSet<String>> = Arc::new(list.into_iter().collect());
                    *self.cache.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((Instant::now(), set.clone()));
                    set
                }
                Err(e) => {
                    tracing::error!("reading the flows' origins: {e}");
                    return false;
                }
            },
        };
        flows.contains(origin)
    }

    /// An owner changed a flow's origins: read them again on the next request.
    pub fn changed(&self) {
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The server's own, for the console to show beside a flow's.
    pub fn server_wide(&self) -> Vec<String> {
        let mut list: Vec<String> = self.server.iter().cloned().collect();
        list.sort();
        list
    }
}

/// An origin as browsers send it in `Origin`: `https://shop.example` or
/// `http://127.0.0.1:8081`, lower case, no path, no trailing slash. A pasted URL
/// (`https://Shop.example/products/x`) is cut to its origin.
pub fn normalize(text: &str) -> Result<String, String> {
    let text = text.trim();
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| format!("`{text}` has no https:// in front"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(format!("`{text}` is not a web address (https://…)"));
    }
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(']') || host.starts_with('[') => (n, Some(p)),
        _ => (host.as_str(), None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    if !name_ok || !port_ok || host.contains('@') {
        return Err(format!("`{text}` is not a shop's address"));
    }
    Ok(format!("{scheme}://{host}"))
}

/// One origin per line (or comma): each normalized, duplicates dropped; every line that is
/// not one, with its line number, so the owner can fix it.
pub fn parse(text: &str) -> Result<Vec<String>, Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for part in line.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match normalize(part) {
                Ok(o) if !out.contains(&o) => out.push(o),
                Ok(_) => {}
                Err(e) => problems.push(format!("line {}: {e}", i + 1)),
            }
        }
    }
    if out.len() > 50 {
        problems.push("at most 50 addresses".into());
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_written_as_browsers_send_them() {
        assert_eq!(
            normalize("https://Shop.Example/"),
            Ok("https://shop.example".into())
        );
        assert_eq!(
            normalize(" http://127.0.0.1:8081/products/x?y=1 "),
            Ok("http://127.0.0.1:8081".into())
        );
        assert!(normalize("shop.example").is_err());
        assert!(normalize("javascript://x").is_err());
        assert!(normalize("https://user@shop.example").is_err());
        assert!(normalize("https://shop.example:99999").is_err());
        assert!(normalize("https://").is_err());
        assert_eq!(
            parse("https://a.example\n\nhttps://b.example, https://a.example/"),
            Ok(vec!["https://a.example".into(), "https://b.example".into()])
        );
        assert_eq!(
            parse("https://a.example\nnope"),
            Err(vec!["line 2: `nope` has no https:// in front".into()])
        );
    }
}
