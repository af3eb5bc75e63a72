//! A shopper's order lookup, whichever [`OrderSource`] answers it: the email check, a short
//! cache shared by concurrent lookups, a circuit breaker and a 3 s limit, so that a storm of
//! lookups never becomes a storm of API calls and a slow shop system never leaves a shopper
//! waiting.
//!
//! - **The same path for a missing order and a wrong email:** the source is asked either
//!   way and the email is compared either way (with nothing, for a missing order).
//! - **Cache:** answers (found or not) are kept for `--orders-cache-seconds` per order
//!   number (per number and email for sources that check the email themselves); lookups
//!   that arrive while one is in flight wait for it instead of calling again. Failures are
//!   not kept, but everyone waiting for the failed call shares it.
//! - **Circuit breaker:** after [`BREAKER_FAILURES`] failures in a row the source rests for
//!   [`BREAKER_REST`] (lookups answer "unavailable" at once), then one call tries it again.
//!   A source that asks us to slow down (HTTP 429, Shopify's query cost) rests as long as
//!   it asks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use super::ShopperOrder;
use super::source::{Candidate, Failure, OrderSource, SourceError, UPSTREAM_TIMEOUT, same_email};
use crate::clock::now_ms;

/// Failures in a row that make a source rest.
pub const BREAKER_FAILURES: u32 = 5;
/// How long a failing source rests before it is tried again.
pub const BREAKER_REST: Duration = Duration::from_secs(30);
/// Most answers cached at once (a flood of made-up numbers cannot fill memory).
const CACHE_ENTRIES: usize = 10_000;

/// What the shopper is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Found(ShopperOrder),
    /// No such order, or not for this email: one answer for both.
    NotFound,
    /// The shop system could not answer (down, slow, throttling, refusing our credentials).
    Unavailable,
}

/// What the console shows about the connected source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// `Imported orders`, `Shopify`, `WooCommerce`, `Your order service`.
    pub source: &'static str,
    pub place: String,
    /// Unix ms of the last call that the source answered.
    pub last_success: Option<i64>,
    /// Unix ms and words of the last failure.
    pub last_error: Option<(i64, String)>,
    /// Calls made to the source since the server started, and how many failed.
    pub calls: u64,
    pub failures: u64,
    /// How much longer the source rests, if it does.
    pub resting: Option<Duration>,
}

type Shared = Arc<OnceCell<Result<Option<Candidate>, SourceError>>>;

struct Slot {
    since: Instant,
    answer: Shared,
}

#[derive(Default)]
struct Breaker {
    failures_in_row: u32,
    rest_until: Option<Instant>,
}

struct Inner {
    source: Box<dyn OrderSource>,
    cache_for: Duration,
    cache: Mutex<HashMap<String, Slot>>,
    breaker: Mutex<Breaker>,
    health: Mutex<Health>,
}

/// The lookups of this server (cheap to clone: one shared state).
#[derive(Clone)]
pub struct Lookups {
    inner: Arc<Inner>,
}

impl Lookups {
    /// Lookups from `source`, answers cached for `cache_for` (zero: not cached).
    pub fn new(source: Box<dyn OrderSource>, cache_for: Duration) -> Lookups {
        let health = Health {
            source: source.name(),
            place: source.place(),
            ..Health::default()
        };
        Lookups {
            inner: Arc::new(Inner {
                source,
                cache_for,
                cache: Mutex::new(HashMap::new()),
                breaker: Mutex::new(Breaker::default()),
                health: Mutex::new(health),
            }),
        }
    }

    /// The order numbered `number` if `email` placed it.
    pub async fn look_up(&self, number: &str, email: &str) -> Answer {
        let number = super::normalize_number(number);
        match self.cached(&number, email).await {
            Ok(Some(candidate)) => {
                if candidate.belongs_to(email) {
                    Answer::Found(candidate.order)
                } else {
                    Answer::NotFound
                }
            }
            Ok(None) => {
                // The comparison a found order would have had, with nothing.
                let _ = same_email("", email);
                Answer::NotFound
            }
            Err(_) => Answer::Unavailable,
        }
    }

    /// An owner's trial lookup in the console: straight to the source (no cache), and the
    /// source's own words when it fails.
    pub async fn try_once(
        &self,
        number: &str,
        email: &str,
    ) -> Result<Option<ShopperOrder>, String> {
        let number = super::normalize_number(number);
        match self.call(&number, email).await {
            Ok(Some(c)) if c.belongs_to(email) => Ok(Some(c.order)),
            Ok(_) => Ok(None),
            Err(e) => Err(e.words),
        }
    }

    pub fn health(&self) -> Health {
        let mut health = self.inner.health.lock().unwrap().clone();
        let now = Instant::now();
        health.resting = self
            .inner
            .breaker
            .lock()
            .unwrap()
            .rest_until
            .and_then(|until| until.checked_duration_since(now));
        health
    }

    /// The source's answer for `number`, from the cache when it is fresh; concurrent
    /// lookups of one key share one call.
    async fn cached(&self, number: &str, email: &str) -> Result<Option<Candidate>, SourceError> {
        let inner = &self.inner;
        if inner.cache_for.is_zero() {
            return self.call(number, email).await;
        }
        let key = if inner.source.checks_email() {
            format!("{number}\n{}", email.trim().to_lowercase())
        } else {
            number.to_owned()
        };
        let answer: Shared = {
            let mut cache = inner.cache.lock().unwrap();
            let now = Instant::now();
            match cache.get(&key) {
                Some(slot) if now.duration_since(slot.since) < inner.cache_for => {
                    Arc::clone(&slot.answer)
                }
                _ => {
                    if cache.len() >= CACHE_ENTRIES {
                        cache.retain(|_, s| now.duration_since(s.since) < inner.cache_for);
                        if cache.len() >= CACHE_ENTRIES {
                            cache.clear();
                        }
                    }
                    let answer: Shared = Arc::default();
                    cache.insert(
                        key.clone(),
                        Slot {
                            since: now,
                            answer: Arc::clone(&answer),
                        },
                    );
                    answer
                }
            }
        };
        let result = answer
            .get_or_init(|| self.call(number, email))
            .await
            .clone();
        if result.is_err() {
            // Not kept: the next lookup asks again (or meets the breaker).
            let mut cache = inner.cache.lock().unwrap();
            if cache
                .get(&key)
                .is_some_and(|slot| Arc::ptr_eq(&slot.answer, &answer))
            {
                cache.remove(&key);
            }
        }
        result
    }

    /// One call to the source, through the breaker, within [`UPSTREAM_TIMEOUT`].
    async fn call(&self, number: &str, email: &str) -> Result<Option<Candidate>, SourceError> {
        let inner = &self.inner;
        {
            let mut breaker = inner.breaker.lock().unwrap();
            let now = Instant::now();
            if let Some(until) = breaker.rest_until {
                if now < until {
                    let words = inner
                        .health
                        .lock()
                        .unwrap()
                        .last_error
                        .as_ref()
                        .map_or_else(String::new, |(_, w)| w.clone());
                    return Err(SourceError::new(Failure::Down, words));
                }
                // Half open: this call tries the source; others rest while it does.
                breaker.rest_until = Some(now + UPSTREAM_TIMEOUT);
            }
        }
        inner.health.lock().unwrap().calls += 1;
        // The clients have the same limit; this one also bounds a source's own waiting.
        let result = match tokio::time::timeout(
            UPSTREAM_TIMEOUT + Duration::from_millis(200),
            inner.source.fetch(number, email),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(SourceError::new(
                Failure::Slow,
                format!(
                    "{} did not answer within {} seconds",
                    inner.source.name(),
                    UPSTREAM_TIMEOUT.as_secs()
                ),
            )),
        };
        let mut breaker = inner.breaker.lock().unwrap();
        let mut health = inner.health.lock().unwrap();
        let now = now_ms();
        match &result {
            Ok(_) => {
                breaker.failures_in_row = 0;
                breaker.rest_until = None;
                health.last_success = Some(now);
            }
            Err(e) => {
                breaker.failures_in_row += 1;
                health.failures += 1;
                health.last_error = Some((now, e.words.clone()));
                tracing::warn!("order lookup: {}", e.words);
                breaker.rest_until = match e.kind {
                    Failure::Throttled(wait) => Some(Instant::now() + wait),
                    _ if breaker.failures_in_row >= BREAKER_FAILURES => {
                        Some(Instant::now() + BREAKER_REST)
                    }
                    _ => None,
                };
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use futures_util::future::BoxFuture;

    use super::*;

    /// A source that answers order `1001` for `ana@example.com` after `delay`, or fails.
    struct Fake {
        calls: AtomicU32,
        delay: Duration,
        fail: Option<Failure>,
    }

    impl OrderSource for Fake {
        fn name(&self) -> &'static str {
            "Fake"
        }
        fn place(&self) -> String {
            "here".into()
        }
        fn checks_email(&self) -> bool {
            false
        }
        fn fetch<'a>(
            &'a self,
            number: &'a str,
            _email: &'a str,
        ) -> BoxFuture<'a, Result<Option<Candidate>, SourceError>> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.delay).await;
                if let Some(kind) = self.fail {
                    return Err(SourceError::new(kind, "the fake failed"));
                }
                Ok((number == "1001").then(|| Candidate {
                    email: Some("ana@example.com".into()),
                    order: ShopperOrder {
                        number: "1001".into(),
                        ..ShopperOrder::default()
                    },
                }))
            })
        }
    }

    fn lookups(delay_ms: u64, fail: Option<Failure>, cache_s: u64) -> (Lookups, Arc<Inner>) {
        let l = Lookups::new(
            Box::new(Fake {
                calls: AtomicU32::new(0),
                delay: Duration::from_millis(delay_ms),
                fail,
            }),
            Duration::from_secs(cache_s),
        );
        let inner = Arc::clone(&l.inner);
        (l, inner)
    }

    #[tokio::test]
    async fn a_missing_order_and_a_wrong_email_are_one_answer() {
        let (l, _) = lookups(0, None, 0);
        assert!(matches!(
            l.look_up("#1001", " ANA@example.com").await,
            Answer::Found(_)
        ));
        assert_eq!(l.look_up("1001", "eve@example.com").await, Answer::NotFound);
        assert_eq!(l.look_up("9999", "ana@example.com").await, Answer::NotFound);
        assert_eq!(l.health().calls, 3);
    }

    #[tokio::test]
    async fn a_burst_of_one_order_makes_one_call() {
        let (l, _) = lookups(50, None, 30);
        let burst = (0..100).map(|i| {
            let l = l.clone();
            async move {
                let email = if i % 2 == 0 {
                    "ana@example.com"
                } else {
                    "eve@example.com"
                };
                l.look_up("1001", email).await
            }
        });
        let answers = futures_util::future::join_all(burst).await;
        assert_eq!(
            answers
                .iter()
                .filter(|a| matches!(a, Answer::Found(_)))
                .count(),
            50
        );
        assert_eq!(
            answers.iter().filter(|a| **a == Answer::NotFound).count(),
            50
        );
        assert_eq!(l.health().calls, 1);
    }

    #[tokio::test]
    async fn a_failing_source_rests_after_five_failures_in_a_row() {
        let (l, _) = lookups(0, Some(Failure::Down), 30);
        for _ in 0..BREAKER_FAILURES {
            assert_eq!(
                l.look_up("1001", "ana@example.com").await,
                Answer::Unavailable
            );
        }
        assert!(l.health().resting.is_some());
        for _ in 0..20 {
            assert_eq!(
                l.look_up("1001", "ana@example.com").await,
                Answer::Unavailable
            );
        }
        let h = l.health();
        assert_eq!(
            h.calls,
            u64::from(BREAKER_FAILURES),
            "resting means no calls"
        );
        assert_eq!(h.last_error.unwrap().1, "the fake failed");
    }

    #[tokio::test]
    async fn throttling_rests_the_source_as_long_as_it_asks() {
        let (l, _) = lookups(0, Some(Failure::Throttled(Duration::from_secs(2))), 30);
        assert_eq!(
            l.look_up("1001", "ana@example.com").await,
            Answer::Unavailable
        );
        assert_eq!(
            l.look_up("1002", "ana@example.com").await,
            Answer::Unavailable
        );
        let h = l.health();
        assert_eq!(h.calls, 1);
        assert!(h.resting.unwrap() <= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_source_is_given_up_on_after_three_seconds() {
        let (l, _) = lookups(10_000, None, 30);
        assert_eq!(
            l.look_up("1001", "ana@example.com").await,
            Answer::Unavailable
        );
        assert!(l.health().last_error.unwrap().1.contains("3 seconds"));
    }

    #[tokio::test]
    async fn the_cache_is_bounded() {
        let (l, inner) = lookups(0, None, 30);
        for n in 0..(CACHE_ENTRIES + 10) {
            l.look_up(&n.to_string(), "ana@example.com").await;
        }
        assert!(inner.cache.lock().unwrap().len() <= CACHE_ENTRIES);
    }
}
