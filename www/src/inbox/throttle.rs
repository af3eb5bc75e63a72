//! Slowing down password guessing at the login form, without letting a stranger lock the
//! rightful user out (OWASP's "Slow Down Online Guessing Attacks with Device Cookies").
//!
//! Failures are counted under four keys:
//! - **the address**: one address trying many accounts; 10 failures lock it;
//! - **the account and the address**: one address trying one account; 5 failures lock
//!   that pair;
//! - **the account, for unknown devices**: many addresses trying one account (a botnet);
//!   past 10 failures, a browser that never logged in to that account waits a little
//!   before each try (1 s, doubling, at most a minute): guessing gets slow, a new laptop
//!   still gets in within a minute;
//! - **a device**: a browser that has logged in to the account before carries a device
//!   cookie ([`super::DEVICE_COOKIE`]); with the right password it gets in however many
//!   failures others caused, and only its own failures (5) lock it.
//!
//! A lock lasts 2 seconds, then twice as long as the last, up to 15 minutes; a locked
//! login is answered 429 with `Retry-After` without hashing anything. Success clears the
//! address's, the pair's and the device's counts (not the account's: an attacker's
//! failures stay counted whoever logs in).
//!
//! Memory is bounded whatever is sent: emails longer than [`MAX_EMAIL_CHARS`] are refused
//! before they get here, keys are 64-bit hashes (keyed per process, so they cannot be
//! chosen to collide), and the map holds at most [`MAX_KEYS`]: past that, forgotten counts
//! go first, then the oldest. In memory: a restart forgives, which is fine for a limit that
//! only has to make guessing slow.
//!
//! On PostgreSQL the counts are the whole deployment's ([`shared`]): the login form runs
//! the same rules on the rows of `login_counts` it needs, so an attacker spreading tries
//! over several instances is counted once.

mod shared;
pub use shared::prune;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::{Arc, Mutex};

use crate::clock::MINUTE_MS;

/// Failures from one address for one account before it is locked.
pub const PAIR_FAILURES: u32 = 5;
/// Failures from one address, whatever the accounts, before it is locked.
pub const ADDRESS_FAILURES: u32 = 10;
/// Failures for one account from browsers it does not know before they are slowed.
pub const ACCOUNT_FAILURES: u32 = 10;
/// Failures of a known device before it is locked.
pub const DEVICE_FAILURES: u32 = 5;
/// The longest lock.
pub const MAX_LOCK_MS: i64 = 15 * MINUTE_MS;
/// The longest wait for a browser the account does not know.
pub const MAX_UNKNOWN_DEVICE_WAIT_MS: i64 = MINUTE_MS;
/// A count idle this long starts again from zero.
const FORGET_MS: i64 = 60 * MINUTE_MS;
/// Most counts kept (about 40 bytes each, so a few MiB at most).
pub const MAX_KEYS: usize = 50_000;
/// Longer emails are no account's: refused before they are counted or hashed.
pub const MAX_EMAIL_CHARS: usize = flow_runtime::wire::limits::EMAIL_CHARS;

#[derive(Clone)]
pub struct LoginThrottle {
    inner: Arc<Mutex<Counts>>,
    /// The deployment's counts, on PostgreSQL.
    shared: Option<shared::Shared>,
}

struct Counts {
    map: HashMap<u64, Count>,
    keys: RandomState,
}

#[derive(Clone, Copy, Default)]
struct Count {
    failures: u32,
    last: i64,
    locked_until: i64,
}

/// Who is trying: the client's address, the account (its email as typed), and whether
/// the browser has logged in to that account before (its device cookie, when valid).
#[derive(Clone, Copy, Debug)]
pub struct Attempt<'a> {
    pub address: &'a str,
    pub account: &'a str,
    /// The device cookie's value, when it is one of this account's devices.
    pub device: Option<&'a str>,
}

#[derive(Clone, Copy, Debug)]
enum Key<'a> {
    Address(&'a str),
    Pair(&'a str, &'a str),
    Account(&'a str),
    Device(&'a str),
}

impl Default for LoginThrottle {
    fn default() -> LoginThrottle {
        LoginThrottle {
            inner: Arc::new(Mutex::new(Counts {
                map: HashMap::new(),
                keys: RandomState::new(),
            })),
            shared: None,
        }
    }
}

impl Key<'_> {
    /// The keys a login attempt is judged by.
    fn of_check(a: Attempt<'_>) -> Vec<Key<'_>> {
        match a.device {
            // A browser the account knows: only its own failures count.
            Some(d) => vec![Key::Device(d)],
            None => vec![
                Key::Address(a.address),
                Key::Pair(a.account, a.address),
                Key::Account(a.account),
            ],
        }
    }

    /// The keys a success clears (not the account's: an attacker's failures stay).
    fn of_success(a: Attempt<'_>) -> Vec<Key<'_>> {
        let mut keys = vec![Key::Address(a.address), Key::Pair(a.account, a.address)];
        keys.extend(a.device.map(Key::Device));
        keys
    }

    /// The key as text, the same on every instance (the account as typed, trimmed and in
    /// lower case, like the hash above).
    fn canonical(self) -> String {
        let account = |a: &str| a.trim().to_lowercase();
        match self {
            Key::Address(a) => format!("a\0{a}"),
            Key::Pair(acct, a) => format!("p\0{}\0{a}", account(acct)),
            Key::Account(acct) => format!("u\0{}", account(acct)),
            Key::Device(d) => format!("d\0{d}"),
        }
    }
}

impl Counts {
    fn hash(&self, key: Key) -> u64 {
        let mut h = self.keys.build_hasher();
        let account = |h: &mut dyn Hasher, a: &str| {
            for c in a.trim().chars().flat_map(char::to_lowercase) {
                h.write_u32(c as u32);
            }
        };
        match key {
            Key::Address(a) => {
                h.write_u8(0);
                h.write(a.as_bytes());
            }
            Key::Pair(acct, a) => {
                h.write_u8(1);
                account(&mut h, acct);
                h.write_u8(0xff);
                h.write(a.as_bytes());
            }
            Key::Account(acct) => {
                h.write_u8(2);
                account(&mut h, acct);
            }
            Key::Device(d) => {
                h.write_u8(3);
                h.write(d.as_bytes());
            }
        }
        h.finish()
    }

    fn get(&self, key: Key, now: i64) -> Count {
        self.map
            .get(&self.hash(key))
            .filter(|c| now - c.last < FORGET_MS)
            .copied()
            .unwrap_or_default()
    }

    fn fail(&mut self, key: Key, now: i64, free: u32, first_lock: i64, max_lock: i64) {
        let k = self.hash(key);
        if !self.map.contains_key(&k) && self.map.len() >= MAX_KEYS {
            self.make_room(now);
        }
        let c = self.map.entry(k).or_default();
        if now - c.last >= FORGET_MS {
            *c = Count::default();
        }
        c.failures = c.failures.saturating_add(1);
        c.last = now;
        if c.failures >= free {
            let doublings = (c.failures - free).min(20);
            c.locked_until = now + (first_lock << doublings).min(max_lock);
        }
    }

    /// Forgotten counts go; if that is not enough, the older half.
    fn make_room(&mut self, now: i64) {
        self.map.retain(|_, c| now - c.last < FORGET_MS);
        if self.map.len() >= MAX_KEYS {
            let mut lasts: Vec<i64> = self.map.values().map(|c| c.last).collect();
            let (_, median, _) = lasts.select_nth_unstable(MAX_KEYS / 2);
            let median = *median;
            self.map.retain(|_, c| c.last > median);
        }
    }

    /// The count of `key` as stored (for the deployment's copy).
    fn peek(&self, key: Key) -> Option<Count> {
        self.map.get(&self.hash(key)).copied()
    }

    /// Puts the deployment's count of `key` in place of this instance's.
    fn put(&mut self, key: Key, count: Option<Count>) {
        let k = self.hash(key);
        match count {
            Some(c) => {
                if !self.map.contains_key(&k) && self.map.len() >= MAX_KEYS {
                    self.make_room(c.last);
                }
                self.map.insert(k, c);
            }
            None => {
                self.map.remove(&k);
            }
        }
    }

    fn clear(&mut self, key: Key) {
        let k = self.hash(key);
        self.map.remove(&k);
    }
}

impl LoginThrottle {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Err(seconds)` while this attempt must wait.
    pub fn check(&self, a: Attempt, now: i64) -> Result<(), u64> {
        let counts = self.counts();
        let wait = Key::of_check(a)
            .into_iter()
            .map(|k| counts.get(k, now).locked_until - now)
            .max()
            .unwrap_or(0);
        if wait > 0 {
            Err((wait as u64).div_ceil(1000))
        } else {
            Ok(())
        }
    }

    /// A wrong email or password.
    pub fn failed(&self, a: Attempt, now: i64) {
        let mut counts = self.counts();
        match a.device {
            Some(d) => counts.fail(Key::Device(d), now, DEVICE_FAILURES, 2_000, MAX_LOCK_MS),
            None => {
                counts.fail(
                    Key::Address(a.address),
                    now,
                    ADDRESS_FAILURES,
                    2_000,
                    MAX_LOCK_MS,
                );
                counts.fail(
                    Key::Pair(a.account, a.address),
                    now,
                    PAIR_FAILURES,
                    2_000,
                    MAX_LOCK_MS,
                );
                counts.fail(
                    Key::Account(a.account),
                    now,
                    ACCOUNT_FAILURES,
                    1_000,
                    MAX_UNKNOWN_DEVICE_WAIT_MS,
                );
            }
        }
    }

    /// A successful login: the address, the pair and the device start afresh.
    pub fn succeeded(&self, a: Attempt) {
        let mut counts = self.counts();
        for k in Key::of_success(a) {
            counts.clear(k);
        }
    }

    /// How many counts are kept (for tests and measurements).
    pub fn len(&self) -> usize {
        self.counts().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from<'a>(address: &'a str, account: &'a str) -> Attempt<'a> {
        Attempt {
            address,
            account,
            device: None,
        }
    }

    #[test]
    fn one_address_guessing_one_account_is_locked_for_longer_and_longer() {
        let t = LoginThrottle::default();
        for i in 0..PAIR_FAILURES {
            assert!(t.check(from("1.2.3.4", "a@x"), i64::from(i)).is_ok(), "{i}");
            t.failed(from("1.2.3.4", "a@x"), i64::from(i));
        }
        assert_eq!(t.check(from("1.2.3.4", "a@x"), 10), Err(2));
        // The same account from elsewhere is not locked by one address.
        assert!(t.check(from("5.6.7.8", "A@X"), 10).is_ok());
        t.failed(from("1.2.3.4", "a@x"), 3_000);
        assert_eq!(t.check(from("1.2.3.4", "a@x"), 3_000), Err(4));
        for n in 0..30 {
            t.failed(from("1.2.3.4", "a@x"), 4_000 + n);
        }
        assert_eq!(
            t.check(from("1.2.3.4", "a@x"), 4_030),
            Err((MAX_LOCK_MS as u64).div_ceil(1000))
        );
        t.succeeded(from("1.2.3.4", "a@x"));
        assert!(t.check(from("1.2.3.4", "b@x"), 4_030).is_ok());
    }

    #[test]
    fn one_address_trying_many_accounts_is_locked() {
        let t = LoginThrottle::default();
        for i in 0..ADDRESS_FAILURES {
            t.failed(from("1.2.3.4", &format!("user{i}@x")), 0);
        }
        assert_eq!(t.check(from("1.2.3.4", "new@x"), 1), Err(2));
        assert!(t.check(from("5.6.7.8", "new@x"), 1).is_ok());
    }

    /// The attack that locked owners out: failures for one account from many addresses.
    /// Unknown browsers are slowed (a minute at most), and the owner's own browser, which
    /// logged in before, is let through at once.
    #[test]
    fn a_botnet_cannot_lock_the_owner_out() {
        let t = LoginThrottle::default();
        let mut now = 0;
        for i in 0..1_000 {
            let address = format!("10.0.{}.{}", i / 250, i % 250);
            t.failed(from(&address, "owner@x"), now);
            now += 10;
        }
        let owner = Attempt {
            address: "192.0.2.1",
            account: "owner@x",
            device: Some("d-owner"),
        };
        assert!(
            t.check(owner, now).is_ok(),
            "a known device is never locked by others"
        );
        let wait = t.check(from("192.0.2.1", "owner@x"), now).unwrap_err();
        assert!(
            wait <= (MAX_UNKNOWN_DEVICE_WAIT_MS / 1000) as u64,
            "a new device waits at most a minute: {wait}"
        );
        // A device's own failures lock it.
        for _ in 0..DEVICE_FAILURES {
            t.failed(owner, now);
        }
        assert!(t.check(owner, now).is_err());
    }

    #[test]
    fn an_hour_of_quiet_forgets() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            t.failed(from("1.2.3.4", "a@x"), i);
        }
        assert!(t.check(from("1.2.3.4", "a@x"), 10).is_err());
        assert!(t.check(from("1.2.3.4", "a@x"), FORGET_MS + 10).is_ok());
    }

    /// Whatever is sent, the map stays under its bound: 3 keys per failure, a hundred
    /// thousand failures from as many addresses for as many accounts.
    #[test]
    fn memory_is_bounded() {
        let t = LoginThrottle::default();
        for i in 0..100_000i64 {
            t.failed(from(&format!("a{i}"), &format!("u{i}@x")), i);
        }
        assert!(t.len() <= MAX_KEYS, "{}", t.len());
        // The newest are the ones kept.
        assert!(t.check(from("a99999", "u99999@x"), 100_000).is_ok());
        for _ in 0..PAIR_FAILURES {
            t.failed(from("a99999", "u99999@x"), 100_000);
        }
        assert!(t.check(from("a99999", "u99999@x"), 100_001).is_err());
    }
}
