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
}
