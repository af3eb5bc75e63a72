//! Slowing down password guessing at the inbox's login form.
//!
//! Failures are counted per client address and per account. The first few are free (people
//! mistype); the fifth locks that address and account out for 2 seconds, and every further
//! failure for twice as long as the last, up to 15 minutes, and a locked login is
//! answered 429 with `Retry-After` without hashing anything. A successful login clears the
//! account's and the address's count. In memory: a restart forgives, which is fine for a
//! limit that only has to make guessing slow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::clock::MINUTE_MS;

/// Failures before the first lock.
pub const FREE_FAILURES: u32 = 5;
/// The longest lock.
pub const MAX_LOCK_MS: i64 = 15 * MINUTE_MS;
/// A count idle this long starts again from zero.
const FORGET_MS: i64 = 60 * MINUTE_MS;

#[derive(Clone, Default)]
pub struct LoginThrottle {
    counts: Arc<Mutex<HashMap<String, Count>>>,
}

#[derive(Clone, Copy, Default)]
struct Count {
    failures: u32,
    last: i64,
    locked_until: i64,
}

impl LoginThrottle {
    /// `Err(seconds)` while the address or the account is locked out.
    pub fn check(&self, address: &str, account: &str, now: i64) -> Result<(), u64> {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let wait = [key("address", address), key("account", account)]
            .iter()
            .filter_map(|k| counts.get(k))
            .filter(|c| now - c.last < FORGET_MS)
            .map(|c| c.locked_until - now)
            .max()
            .unwrap_or(0);
        if wait > 0 {
            Err((wait as u64).div_ceil(1000))
        } else {
            Ok(())
        }
    }

    /// A wrong email or password from `address` for `account`.
    pub fn failed(&self, address: &str, account: &str, now: i64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() > 100_000 {
            counts.retain(|_, c| now - c.last < FORGET_MS);
        }
        for k in [key("address", address), key("account", account)] {
            let c = counts.entry(k).or_default();
            if now - c.last >= FORGET_MS {
                *c = Count::default();
            }
            c.failures = c.failures.saturating_add(1);
            c.last = now;
            if c.failures >= FREE_FAILURES {
                let doublings = (c.failures - FREE_FAILURES).min(20);
                let lock = (2_000i64 << doublings).min(MAX_LOCK_MS);
                c.locked_until = now + lock;
            }
        }
    }

    /// A successful login: the account and the address start afresh.
    pub fn succeeded(&self, address: &str, account: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.remove(&key("address", address));
        counts.remove(&key("account", account));
    }
}

fn key(kind: &str, value: &str) -> String {
    format!("{kind}:{}", value.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_lock_out_for_longer_and_longer() {
        let t = LoginThrottle::default();
        for i in 0..FREE_FAILURES {
            assert!(t.check("1.2.3.4", "a@x", i64::from(i)).is_ok(), "{i}");
            t.failed("1.2.3.4", "a@x", i64::from(i));
        }
        assert_eq!(t.check("1.2.3.4", "a@x", 10), Err(2));
        // Another address for the same account is locked too, and the address for another.
        assert_eq!(t.check("5.6.7.8", "A@X", 10), Err(2));
        assert_eq!(t.check("1.2.3.4", "b@x", 10), Err(2));
        assert!(t.check("5.6.7.8", "b@x", 10).is_ok());
        t.failed("1.2.3.4", "a@x", 3_000);
        assert_eq!(t.check("1.2.3.4", "a@x", 3_000), Err(4));
        for n in 0..30 {
            t.failed("1.2.3.4", "a@x", 4_000 + n);
        }
        assert_eq!(
            t.check("1.2.3.4", "a@x", 4_030),
            Err((MAX_LOCK_MS as u64).div_ceil(1000))
        );
        t.succeeded("1.2.3.4", "a@x");
        assert!(t.check("1.2.3.4", "a@x", 4_030).is_ok());
    }

    #[test]
    fn an_hour_of_quiet_forgets() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            t.failed("1.2.3.4", "a@x", i);
        }
        assert!(t.check("1.2.3.4", "a@x", 10).is_err());
        assert!(t.check("1.2.3.4", "a@x", FORGET_MS + 10).is_ok());
    }
}
