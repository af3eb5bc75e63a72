//! Orders from the merchant's own service, in any language: Bellhop asks
//! `GET {BELLHOP_ORDERS_URL}?number=1001&email=ana%40example.com` and the service answers
//! the `Order` of `openapi.json` (200) or 404 for "no such order for this email".
//!
//! Each request is signed like our webhooks: `Bellhop-Timestamp` (Unix seconds) and
//! `Bellhop-Signature`, `v1=` and the hex HMAC-SHA256 keyed with `BELLHOP_ORDERS_SECRET` of
//! `{timestamp}.{query}`, where `query` is the request's whole query string as sent (after
//! the `?`). A service should refuse a signature that does not match, or a timestamp more
//! than five minutes away from its clock. The service checks the email: it is the one
//! source that is told it.

use futures_util::future::BoxFuture;

use super::source::{self, Candidate, Failure, OrderSource, SourceError};
use super::{ShopperOrder, normalize_number};
use crate::secrets::Secret;

const WHAT: &str = "Your order service";
const MOST_BYTES: usize = 256 << 10;
/// What a shopper's card can hold: more is the service's mistake, not the shopper's order.
const MOST_ITEMS: usize = 100;
const MOST_CHARS: usize = 300;

pub struct Service {
    url: reqwest::Url,
    secret: Secret,
    client: reqwest::Client,
}

impl Service {
    /// Fails when `url` is not an absolute http(s) URL.
    pub fn new(url: &str, secret: Secret) -> Result<Service, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("{url}: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("{url}: not an http(s) URL"));
        }
        Ok(Service {
            url,
            secret,
            client: source::client("Bellhop-Orders/1"),
        })
    }
}

impl OrderSource for Service {
    fn name(&self) -> &'static str {
        WHAT
    }

    fn place(&self) -> String {
        let mut shown = self.url.clone();
        // A URL may carry credentials of its own: never shown.
        let _ = shown.set_password(None);
        let _ = shown.set_username("");
        shown.to_string()
    }

    fn checks_email(&self) -> bool {
        true
    }

    fn fetch<'a>(
        &'a self,
        number: &'a str,
        email: &'a str,
    ) -> BoxFuture<'a, Result<Option<Candidate>, SourceError>> {
        Box::pin(async move {
            let mut url = self.url.clone();
            url.query_pairs_mut()
                .append_pair("number", number)
                .append_pair("email", email.trim());
            let timestamp = crate::clock::now_ms() / 1000;
            let signature = crate::webhooks::signature(
                self.secret.expose(),
                timestamp,
                url.query().unwrap_or(""),
            );
            let response = self
                .client
                .get(url)
                .header("Bellhop-Timestamp", timestamp.to_string())
                .header("Bellhop-Signature", signature)
                .header("Accept", "application/json")
                .send()
                .await
                .map_err(|e| SourceError::transport(WHAT, &e))?;
            let status = response.status();
            match status.as_u16() {
                200 => {}
                404 => return Ok(None),
                401 | 403 => {
                    return Err(SourceError::new(
                        Failure::Refused,
                        format!(
                            "Your order service refused Bellhop's signature (HTTP {}): check that it uses the same BELLHOP_ORDERS_SECRET",
                            status.as_u16()
                        ),
                    ));
                }
                _ => {
                    let retry = source::retry_after(response.headers());
                    return Err(SourceError::status(WHAT, status, retry));
                }
            }
            let bytes = source::body(WHAT, response, MOST_BYTES).await?;
            let order: ShopperOrder = serde_json::from_slice(&bytes).map_err(|e| {
                SourceError::new(
                    Failure::Malformed,
                    format!("Your order service's answer is not an Order of openapi.json ({e})"),
                )
            })?;
            checked(order, number).map(|order| Some(Candidate { email: None, order }))
        })
    }
}

/// The service's order, if it is the one asked for and fits a shopper's card.
fn checked(mut order: ShopperOrder, number: &str) -> Result<ShopperOrder, SourceError> {
    let bad = |what: &str| {
        SourceError::new(
            Failure::Malformed,
            format!("Your order service's answer is not an Order of openapi.json ({what})"),
        )
    };
    if normalize_number(&order.number) != number {
        return Err(bad("it is another order's number"));
    }
    if order.items.len() > MOST_ITEMS {
        return Err(bad("more than 100 items"));
    }
    let long = |s: &str| s.chars().count() > MOST_CHARS;
    if order.items.iter().any(|i| long(&i.name))
        || [&order.carrier, &order.tracking_url]
            .into_iter()
            .flatten()
            .any(|s| long(s))
    {
        return Err(bad("a text longer than 300 characters"));
    }
    for date in [
        Some(&order.placed_on),
        order.estimated_delivery.as_ref(),
        order.delivered_on.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if source::day_of(date).as_deref() != Some(date.as_str()) {
            return Err(bad("a date that is not YYYY-MM-DD"));
        }
    }
    order.tracking_url = order
        .tracking_url
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    order.number = normalize_number(&order.number);
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> ShopperOrder {
        serde_json::from_value(serde_json::json!({
            "number": "#1001", "status": "shipped", "placed_on": "2026-11-18",
            "items": [{ "name": "Trail Runner", "quantity": 1 }],
            "carrier": "DHL", "tracking_url": "https://dhl.example/1",
            "estimated_delivery": "2026-11-24", "delivered_on": null
        }))
        .unwrap()
    }

    #[test]
    fn an_order_is_checked_before_a_shopper_sees_it() {
        assert_eq!(checked(order(), "1001").unwrap().number, "1001");
        assert!(checked(order(), "1002").is_err());
        let mut o = order();
        o.placed_on = "18/11/2026".into();
        assert!(checked(o, "1001").is_err());
        let mut o = order();
        o.tracking_url = Some("javascript:alert(1)".into());
        assert_eq!(checked(o, "1001").unwrap().tracking_url, None);
    }

    #[test]
    fn the_place_shown_has_no_credentials() {
        let s = Service::new("https://bob:hunter2@shop.example/orders", Secret::new("k")).unwrap();
        assert_eq!(s.place(), "https://shop.example/orders");
        assert!(Service::new("ftp://shop.example", Secret::new("k")).is_err());
    }
}
