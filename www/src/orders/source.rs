//! What every place orders come from has in common: the [`OrderSource`] trait, what a source
//! answers ([`Candidate`]) and how it fails ([`SourceError`], in words a merchant can act on).
//!
//! A source only fetches; deciding what the shopper may see (the email check, the cache, the
//! circuit breaker, the 3 s limit) is [`super::lookups::Lookups`]'s job, once for all sources.

use std::time::Duration;

use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ShopperOrder;

/// The longest a shopper waits for a shop system: every source's HTTP client gives up
/// after it, and [`super::lookups::Lookups`] bounds each call by it.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(3);

/// Where a shop's orders live: the imported CSV, Shopify, WooCommerce or the merchant's
/// own service.
pub trait OrderSource: Send + Sync + 'static {
    /// What the console calls it (`Shopify`).
    fn name(&self) -> &'static str;

    /// Where it is, for the console (`https://fernhill.myshopify.com, Admin API 2026-10`):
    /// never a secret.
    fn place(&self) -> String;

    /// Whether the source checks the email itself (then it is told the email, and what it
    /// answers depends on it); otherwise it answers the order with the email it was placed
    /// with, and the email is compared here, never sent anywhere.
    fn checks_email(&self) -> bool;

    /// The order numbered `number` (normalised: `1001`, `FH-1001`), or `None` when the
    /// source has none (or, if it [checks the email](Self::checks_email), none for `email`).
    fn fetch<'a>(
        &'a self,
        number: &'a str,
        email: &'a str,
    ) -> BoxFuture<'a, Result<Option<Candidate>, SourceError>>;
}

/// An order as a source found it, before the email check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The email it was placed with; `None` when the source checked it already.
    pub email: Option<String>,
    pub order: ShopperOrder,
}

impl Candidate {
    /// Whether `email` may see this order: the same address, whatever the case and the
    /// spaces around it, compared in constant time.
    pub fn belongs_to(&self, email: &str) -> bool {
        match &self.email {
            None => true,
            Some(placed_with) => same_email(placed_with, email),
        }
    }
}

/// Whether two emails are one address: trimmed, lower case, digests compared in constant
/// time (equal lengths whatever the inputs).
pub fn same_email(a: &str, b: &str) -> bool {
    let digest =
        |e: &str| -> [u8; 32] { Sha256::digest(e.trim().to_lowercase().as_bytes()).into() };
    // An empty address is never anyone's (a missing order is compared with nothing).
    let both = !a.trim().is_empty() & !b.trim().is_empty();
    bool::from(digest(a).ct_eq(&digest(b))) & both
}

/// Why a source could not answer: the kind decides what happens next (throttling pauses the
/// source), the words are for the merchant and never hold a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub kind: Failure,
    pub words: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The source refused our credentials (401, 403, access denied).
    Refused,
    /// The source asked us to slow down: no calls before this long.
    Throttled(Duration),
    /// An error on the source's side (5xx), or it could not be reached.
    Down,
    /// No answer within [`UPSTREAM_TIMEOUT`].
    Slow,
    /// An answer that is not what the source's API documents.
    Malformed,
}

impl SourceError {
    pub fn new(kind: Failure, words: impl Into<String>) -> SourceError {
        SourceError {
            kind,
            words: words.into(),
        }
    }

    /// A transport error in a merchant's words (`what` names the source). reqwest's own
    /// text may hold the URL, which holds no secret here (credentials go in headers), but
    /// the words stay short and plain anyway.
    pub fn transport(what: &str, e: &reqwest::Error) -> SourceError {
        if e.is_timeout() {
            SourceError::new(
                Failure::Slow,
                format!(
                    "{what} did not answer within {} seconds",
                    UPSTREAM_TIMEOUT.as_secs()
                ),
            )
        } else if e.is_connect() {
            SourceError::new(
                Failure::Down,
                format!("Could not connect to {what}: check the address, and that it is up"),
            )
        } else if e.is_decode() || e.is_body() {
            SourceError::new(
                Failure::Malformed,
                format!("{what}'s answer could not be read (it was cut off or not JSON)"),
            )
        } else {
            SourceError::new(
                Failure::Down,
                format!("The connection to {what} failed before it answered"),
            )
        }
    }

    /// The answer to an HTTP status other than success, for sources without a better word.
    pub fn status(
        what: &str,
        status: reqwest::StatusCode,
        retry_after: Option<Duration>,
    ) -> SourceError {
        match status.as_u16() {
            401 => SourceError::new(
                Failure::Refused,
                format!("{what} refused the credentials (HTTP 401): check the key or token"),
            ),
            403 => SourceError::new(
                Failure::Refused,
                format!("{what} refused access (HTTP 403): check the credentials' permissions"),
            ),
            429 => {
                let wait = retry_after.unwrap_or(Duration::from_secs(2));
                SourceError::new(
                    Failure::Throttled(wait),
                    format!(
                        "{what} asked us to slow down (HTTP 429); lookups resume in {} s",
                        wait.as_secs().max(1)
                    ),
                )
            }
            code @ 500..=599 => SourceError::new(
                Failure::Down,
                format!(
                    "{what} answered with an error (HTTP {code}): usually a passing problem on its side"
                ),
            ),
            code => SourceError::new(
                Failure::Malformed,
                format!(
                    "{what} answered HTTP {code}, which its API does not document for this call"
                ),
            ),
        }
    }
}

/// The `Retry-After` of a response, in seconds (the only form these APIs send), at most a
/// minute: a source that asks for longer is treated as down for a minute and asked again.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = text.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(60.0)))
}

/// The HTTP client every source uses: a 3 s limit on the whole call, no redirects (an
/// API that redirects is misconfigured, and a redirect could carry credentials elsewhere).
pub fn client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(UPSTREAM_TIMEOUT)
        .connect_timeout(UPSTREAM_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .expect("a TLS client")
}

/// Reads at most `limit` bytes of a response body: a source cannot fill our memory.
pub async fn body(
    what: &str,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SourceError> {
    let mut out = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| SourceError::transport(what, &e))?
    {
        if out.len() + chunk.len() > limit {
            return Err(SourceError::new(
                Failure::Malformed,
                format!("{what}'s answer was larger than {} KiB", limit / 1024),
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The day of an ISO 8601 time (`2026-11-28T14:03:00Z` → `2026-11-28`), if it is one.
pub fn day_of(time: &str) -> Option<String> {
    let day = time.get(..10)?;
    let ok = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    ok.then(|| day.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_match_whatever_the_case_and_never_when_empty() {
        assert!(same_email(" Ana@Example.com", "ana@example.com "));
        assert!(!same_email("ana@example.com", "ana@example.org"));
        assert!(!same_email("", ""));
        assert!(!same_email("  ", "ana@example.com"));
    }

    #[test]
    fn days_are_read_from_iso_times_only() {
        assert_eq!(
            day_of("2026-11-28T14:03:00Z").as_deref(),
            Some("2026-11-28")
        );
        assert_eq!(day_of("2026-11-28").as_deref(), Some("2026-11-28"));
        assert_eq!(day_of("28/11/2026"), None);
        assert_eq!(day_of("2026"), None);
    }

    #[test]
    fn retry_after_is_seconds_capped_at_a_minute() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("retry-after", "2.0".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after", "3600".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(60)));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
