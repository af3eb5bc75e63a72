//! Rate limits: a token bucket per key (client address, order number), in memory.
//!
//! In memory is right for one server; behind several, each enforces its own share, which
//! still bounds enumeration. Buckets idle for long are forgotten so the map stays small.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::clock::MINUTE_MS;

#[derive(Clone)]
pub struct RateLimit {
    per_minute: u32,
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
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
        }
    }

    /// Takes one token for `key` at `now`; `Err(seconds)` to wait when there is none.
    pub fn check(&self, key: &str, now: i64) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(()); // 0 means no limit
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / MINUTE_MS as f64; // tokens per millisecond
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
            Err((((1.0 - bucket.tokens) / rate) / 1000.0).ceil() as u64)
        }
    }
}

/// Open event streams, counted per conversation and per client address: a stream is cheap
/// but not free (a connection, a task), and a shopper needs one per open tab.
#[derive(Clone)]
pub struct StreamCap {
    per_conversation: usize,
    per_client: usize,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// A place among the open streams, given back when dropped (when the stream ends).
pub struct StreamSlot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    keys: [String; 2],
}

impl StreamCap {
    pub fn new(per_conversation: usize, per_client: usize) -> StreamCap {
        StreamCap {
            per_conversation,
            per_client,
            open: Arc::default(),
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
        Some(StreamSlot {
            open: self.open.clone(),
            keys,
        })
    }

    /// Shoppers' streams open now.
    pub fn open_streams(&self) -> usize {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.iter()
            .filter(|(k, _)| k.starts_with("c:"))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Whether the shopper of `conversation` is following it now (a stream is open here):
    /// if not, an agent's reply goes out by email.
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

    pub fn check(&self, conversation: i64, client: &str, now: i64) -> Result<(), u64> {
        self.conversation.check(&conversation.to_string(), now)?;
        self.client.check(client, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_cut_off_and_tokens_come_back_with_time() {
        let limit = RateLimit::per_minute(3);
        for _ in 0..3 {
            assert!(limit.check("a", 0).is_ok());
        }
        assert_eq!(limit.check("a", 0), Err(20), "one token every 20 s");
        assert!(limit.check("b", 0).is_ok(), "keys are separate");
        assert!(limit.check("a", 20_000).is_ok());
        assert!(limit.check("a", 20_000).is_err());
        assert!(RateLimit::per_minute(0).check("a", 0).is_ok());
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
