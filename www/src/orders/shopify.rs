//! Orders from Shopify, live: the Admin GraphQL API of a custom app with `read_orders`.
//!
//! `POST {store}/admin/api/2026-10/graphql.json` with `X-Shopify-Access-Token`, one query
//! per lookup: the orders whose name matches the number, each with its email, statuses,
//! line items and fulfillments. The email is compared here, never sent.
//!
//! What the shopper reads ([`status_of`]): a cancelled order is `cancelled`; one paid back
//! wholly or in part (`REFUNDED`, `PARTIALLY_REFUNDED`) is `refunded`; `FULFILLED` is
//! `delivered` when every fulfillment is delivered and `shipped` otherwise;
//! `PARTIALLY_FULFILLED` is `shipped`; `RESTOCKED` is `cancelled`; everything else
//! (`UNFULFILLED`, `IN_PROGRESS`, `ON_HOLD`, `SCHEDULED`, …) is `processing`. Carrier,
//! tracking URL and estimate come from the newest fulfillment that has tracking.
//!
//! Throttling ([Shopify's rate limits](https://shopify.dev/docs/api/usage/limits)): a
//! `THROTTLED` error or an HTTP 429 rests the source for as long as the cost bucket needs to
//! refill (or `Retry-After` says); and when an answer's `extensions.cost` shows the bucket
//! too low for another query, the next lookup waits for it to refill instead of being
//! refused.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use super::source::{self, Candidate, Failure, OrderSource, SourceError};
use super::{OrderStatus, ShopperItem, ShopperOrder, normalize_number};
use crate::secrets::Secret;

/// The Admin API version Bellhop is written against: Shopify supports each for a year.
pub const API_VERSION: &str = "2026-10";

/// What a lookup asks for: two candidates at most (a name search can match `#1001` and
/// `#10010`), so the query's cost stays near 100 of the bucket's 1,000+.
pub const QUERY: &str = "query BellhopOrder($query: String!) {
  orders(first: 2, query: $query) {
    nodes {
      name
      email
      createdAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      lineItems(first: 30) { nodes { name quantity } }
      fulfillments(first: 5) {
        status
        displayStatus
        createdAt
        deliveredAt
        estimatedDeliveryAt
        trackingInfo(first: 3) { company number url }
      }
    }
  }
}";

const WHAT: &str = "Shopify";
/// An order's answer is a few KiB; a megabyte is something else.
const MOST_BYTES: usize = 1 << 20;

pub struct Shopify {
    store: String,
    token: Secret,
    client: reqwest::Client,
    /// When the cost bucket will have room for another query.
    refilled_at: Mutex<Option<Instant>>,
}

impl Shopify {
    /// The store at `store` (`https://fernhill.myshopify.com`; any http(s) URL).
    pub fn new(store: &str, token: Secret) -> Shopify {
        Shopify {
            store: store.trim_end_matches('/').to_owned(),
            token,
            client: source::client("Bellhop-Orders/1"),
            refilled_at: Mutex::new(None),
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/admin/api/{API_VERSION}/graphql.json", self.store)
    }

    async fn query(&self, number: &str) -> Result<Value, SourceError> {
        let wait = self
            .refilled_at
            .lock()
            .unwrap()
            .and_then(|at| at.checked_duration_since(Instant::now()));
        if let Some(wait) = wait {
            if wait > Duration::from_secs(1) {
                return Err(throttled(wait));
            }
            tokio::time::sleep(wait).await;
        }
        let response = self
            .client
            .post(self.endpoint())
            .header("X-Shopify-Access-Token", self.token.expose())
            .json(&json!({ "query": QUERY, "variables": { "query": search(number) } }))
            .send()
            .await
            .map_err(|e| SourceError::transport(WHAT, &e))?;
        let status = response.status();
        let retry = source::retry_after(response.headers());
        match status.as_u16() {
            200 => {}
            401 => return Err(refused_token()),
            403 => return Err(no_read_orders()),
            404 => {
                return Err(SourceError::new(
                    Failure::Refused,
                    format!(
                        "Shopify has no Admin API {API_VERSION} at this address (HTTP 404): check BELLHOP_SHOPIFY_STORE, such as https://your-store.myshopify.com"
                    ),
                ));
            }
            402 | 423 => {
                return Err(SourceError::new(
                    Failure::Refused,
                    format!(
                        "Shopify says the store is frozen or locked (HTTP {}): check the store's plan in Shopify",
                        status.as_u16()
                    ),
                ));
            }
            _ => return Err(SourceError::status(WHAT, status, retry)),
        }
        let bytes = source::body(WHAT, response, MOST_BYTES).await?;
        let body: Value = serde_json::from_slice(&bytes).map_err(|_| {
            SourceError::new(
                Failure::Malformed,
                "Shopify's answer was not JSON (is BELLHOP_SHOPIFY_STORE the store's own address?)",
            )
        })?;
        let cost = Cost::read(&body);
        if let Some(errors) = body.get("errors") {
            return Err(error_of(errors, cost));
        }
        if let Some(cost) = cost {
            *self.refilled_at.lock().unwrap() = cost.refill_time().map(|d| Instant::now() + d);
        }
        Ok(body)
    }
}

impl OrderSource for Shopify {
    fn name(&self) -> &'static str {
        WHAT
    }

    fn place(&self) -> String {
        format!("{}, Admin API {API_VERSION}", self.store)
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
            let body = self.query(number).await?;
            let nodes = body
                .pointer("/data/orders/nodes")
                .and_then(Value::as_array)
                .ok_or_else(|| malformed("data.orders.nodes is missing"))?;
            for node in nodes {
                let name = node
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| malformed("an order has no name"))?;
                if normalize_number(name) == number {
                    return order_of(node).map(Some);
                }
            }
            Ok(None)
        })
    }
}

/// The search for an order named `number`: `name:"1001"` (quotes and backslashes escaped;
/// normalised numbers have neither, but the search syntax is Shopify's, not ours).
pub fn search(number: &str) -> String {
    let escaped = number.replace('\\', "\\\\").replace('"', "\\\"");
    format!("name:\"{escaped}\"")
}

/// An order node as the shopper sees it, with the email it was placed with.
pub fn order_of(node: &Value) -> Result<Candidate, SourceError> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let name = text(node, "name").ok_or_else(|| malformed("an order has no name"))?;
    let placed = text(node, "createdAt")
        .as_deref()
        .and_then(source::day_of)
        .ok_or_else(|| malformed("an order has no createdAt"))?;
    let items = node
        .pointer("/lineItems/nodes")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("an order has no lineItems"))?
        .iter()
        .map(|i| {
            Some(ShopperItem {
                name: text(i, "name")?,
                quantity: u32::try_from(i.get("quantity")?.as_u64()?).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| malformed("a line item has no name or quantity"))?;
    let fulfillments: Vec<&Value> = node
        .get("fulfillments")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("an order has no fulfillments list"))?
        .iter()
        // A cancelled or failed fulfillment never left, or came back.
        .filter(|f| {
            !matches!(
                f.get("status").and_then(Value::as_str),
                Some("CANCELLED" | "ERROR" | "FAILURE")
            )
        })
        .collect();
    let status = status_of(node, &fulfillments);
    // The newest fulfillment that has tracking (`createdAt` sorts as text: ISO 8601, UTC).
    let mut tracked: Vec<&&Value> = fulfillments
        .iter()
        .filter(|f| {
            f.get("trackingInfo")
                .and_then(Value::as_array)
                .is_some_and(|t| !t.is_empty())
        })
        .collect();
    tracked.sort_by_key(|f| text(f, "createdAt").unwrap_or_default());
    let newest = tracked.last();
    let tracking = newest.and_then(|f| f.get("trackingInfo")?.as_array()?.first());
    let delivered_on = if status == OrderStatus::Delivered {
        fulfillments
            .iter()
            .filter_map(|f| text(f, "deliveredAt"))
            .max()
            .and_then(|t| source::day_of(&t))
    } else {
        None
    };
    let estimated_delivery = match status {
        OrderStatus::Shipped => newest
            .and_then(|f| text(f, "estimatedDeliveryAt"))
            .and_then(|t| source::day_of(&t)),
        _ => None,
    };
    Ok(Candidate {
        email: Some(text(node, "email").unwrap_or_default()),
        order: ShopperOrder {
            number: normalize_number(&name),
            status,
            placed_on: placed,
            items,
            carrier: tracking
                .and_then(|t| text(t, "company"))
                .filter(|c| !c.is_empty()),
            tracking_url: tracking
                .and_then(|t| text(t, "url"))
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            estimated_delivery,
            delivered_on,
        },
    })
}

/// Bellhop's status of an order node (its fulfillments already without cancelled ones).
pub fn status_of(node: &Value, fulfillments: &[&Value]) -> OrderStatus {
    let field = |key: &str| node.get(key).and_then(Value::as_str).unwrap_or("");
    if matches!(
        field("displayFinancialStatus"),
        "REFUNDED" | "PARTIALLY_REFUNDED"
    ) {
        return OrderStatus::Refunded;
    }
    if !node.get("cancelledAt").is_none_or(Value::is_null) {
        return OrderStatus::Cancelled;
    }
    let delivered = |f: &&Value| {
        !f.get("deliveredAt").is_none_or(Value::is_null)
            || f.get("displayStatus").and_then(Value::as_str) == Some("DELIVERED")
    };
    match field("displayFulfillmentStatus") {
        "FULFILLED" if !fulfillments.is_empty() && fulfillments.iter().all(delivered) => {
            OrderStatus::Delivered
        }
        "FULFILLED" | "PARTIALLY_FULFILLED" => OrderStatus::Shipped,
        "RESTOCKED" => OrderStatus::Cancelled,
        _ => OrderStatus::Processing,
    }
}

/// `extensions.cost` of an answer: what the query cost and what is left in the bucket.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cost {
    requested: f64,
    available: f64,
    restore_rate: f64,
}

impl Cost {
    fn read(body: &Value) -> Option<Cost> {
        let cost = body.pointer("/extensions/cost")?;
        let num = |p: &str| cost.pointer(p).and_then(Value::as_f64);
        Some(Cost {
            requested: num("/requestedQueryCost")?,
            available: num("/throttleStatus/currentlyAvailable")?,
            restore_rate: num("/throttleStatus/restoreRate")?.max(1.0),
        })
    }

    /// How long until the bucket holds another query of this cost (`None`: it does now).
    fn refill_time(self) -> Option<Duration> {
        let missing = self.requested - self.available;
        (missing > 0.0).then(|| Duration::from_secs_f64((missing / self.restore_rate).min(60.0)))
    }
}

fn throttled(wait: Duration) -> SourceError {
    SourceError::new(
        Failure::Throttled(wait),
        format!(
            "Shopify is throttling the app's queries (its cost limit); lookups resume in {} s",
            wait.as_secs().max(1)
        ),
    )
}

fn refused_token() -> SourceError {
    SourceError::new(
        Failure::Refused,
        "Shopify refused the token (HTTP 401): check that BELLHOP_SHOPIFY_TOKEN is the custom app's Admin API access token",
    )
}

fn no_read_orders() -> SourceError {
    SourceError::new(
        Failure::Refused,
        "Shopify refused the token: check the app's read_orders access",
    )
}

fn malformed(what: &str) -> SourceError {
    SourceError::new(
        Failure::Malformed,
        format!("Shopify's answer was not what the Admin API documents ({what})"),
    )
}

/// The failure a GraphQL `errors` list means: throttling, a missing scope, or else.
fn error_of(errors: &Value, cost: Option<Cost>) -> SourceError {
    let codes: Vec<&str> = errors
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|e| e.pointer("/extensions/code")?.as_str())
                .collect()
        })
        .unwrap_or_default();
    if codes.contains(&"THROTTLED") {
        let wait = cost
            .and_then(Cost::refill_time)
            .unwrap_or(Duration::from_secs(1))
            .max(Duration::from_secs(1));
        return throttled(wait);
    }
    if codes.contains(&"ACCESS_DENIED") {
        return no_read_orders();
    }
    // `{"errors": "[API] Invalid API key or access token"}`: the 401 body, sent as 200 by
    // some proxies.
    if errors.as_str().is_some_and(|e| e.contains("access token")) {
        return refused_token();
    }
    malformed("it answered with errors")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(fulfillment: &str, financial: &str, fulfillments: Value) -> Value {
        json!({
            "name": "#1001", "email": "ana@example.com", "createdAt": "2026-11-18T09:12:00Z",
            "cancelledAt": null, "displayFinancialStatus": financial,
            "displayFulfillmentStatus": fulfillment,
            "lineItems": { "nodes": [{ "name": "Ridgeline Trail Runner - 42", "quantity": 1 }] },
            "fulfillments": fulfillments,
        })
    }

    fn shipment(created: &str, delivered: Option<&str>, company: &str) -> Value {
        json!({
            "status": "SUCCESS", "displayStatus": if delivered.is_some() { "DELIVERED" } else { "IN_TRANSIT" },
            "createdAt": created, "deliveredAt": delivered, "estimatedDeliveryAt": "2026-11-24T00:00:00Z",
            "trackingInfo": [{ "company": company, "number": "JJD0001", "url": format!("https://track.example/{company}") }],
        })
    }

    #[test]
    fn statuses_map_onto_bellhops() {
        let cases = [
            ("UNFULFILLED", "PAID", json!([]), OrderStatus::Processing),
            ("ON_HOLD", "PAID", json!([]), OrderStatus::Processing),
            (
                "PARTIALLY_FULFILLED",
                "PAID",
                json!([shipment("2026-11-19T10:00:00Z", None, "DHL")]),
                OrderStatus::Shipped,
            ),
            (
                "FULFILLED",
                "PAID",
                json!([shipment("2026-11-19T10:00:00Z", None, "DHL")]),
                OrderStatus::Shipped,
            ),
            (
                "FULFILLED",
                "PAID",
                json!([shipment(
                    "2026-11-19T10:00:00Z",
                    Some("2026-11-21T15:00:00Z"),
                    "DHL"
                )]),
                OrderStatus::Delivered,
            ),
            (
                "FULFILLED",
                "PARTIALLY_REFUNDED",
                json!([]),
                OrderStatus::Refunded,
            ),
            ("RESTOCKED", "PAID", json!([]), OrderStatus::Cancelled),
        ];
        for (fulfillment, financial, list, want) in cases {
            let c = order_of(&node(fulfillment, financial, list)).unwrap();
            assert_eq!(c.order.status, want, "{fulfillment} {financial}");
        }
        let mut cancelled = node("UNFULFILLED", "VOIDED", json!([]));
        cancelled["cancelledAt"] = json!("2026-11-19T08:00:00Z");
        assert_eq!(
            order_of(&cancelled).unwrap().order.status,
            OrderStatus::Cancelled
        );
    }

    #[test]
    fn tracking_comes_from_the_newest_fulfillment_and_dates_from_their_times() {
        let two = json!([
            shipment("2026-11-19T10:00:00Z", None, "DHL"),
            shipment("2026-11-20T10:00:00Z", None, "UPS")
        ]);
        let c = order_of(&node("FULFILLED", "PAID", two)).unwrap();
        assert_eq!(c.order.number, "1001");
        assert_eq!(c.order.placed_on, "2026-11-18");
        assert_eq!(c.order.carrier.as_deref(), Some("UPS"));
        assert_eq!(
            c.order.tracking_url.as_deref(),
            Some("https://track.example/UPS")
        );
        assert_eq!(c.order.estimated_delivery.as_deref(), Some("2026-11-24"));
        assert_eq!(c.email.as_deref(), Some("ana@example.com"));
        let done = json!([shipment(
            "2026-11-19T10:00:00Z",
            Some("2026-11-21T15:00:00Z"),
            "DHL"
        )]);
        let c = order_of(&node("FULFILLED", "PAID", done)).unwrap();
        assert_eq!(c.order.delivered_on.as_deref(), Some("2026-11-21"));
        assert_eq!(c.order.estimated_delivery, None);
    }

    #[test]
    fn a_tracking_url_that_is_not_http_is_dropped() {
        let mut s = shipment("2026-11-19T10:00:00Z", None, "DHL");
        s["trackingInfo"][0]["url"] = json!("javascript:alert(1)");
        let c = order_of(&node("FULFILLED", "PAID", json!([s]))).unwrap();
        assert_eq!(c.order.tracking_url, None);
        assert_eq!(c.order.carrier.as_deref(), Some("DHL"));
    }

    #[test]
    fn throttling_waits_for_the_bucket_to_refill() {
        let body = json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": {"cost": {"requestedQueryCost": 101, "actualQueryCost": null,
              "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1, "restoreRate": 100.0}}}});
        let e = error_of(&body["errors"], Cost::read(&body));
        assert_eq!(e.kind, Failure::Throttled(Duration::from_secs(1)));
        let denied = json!([{"message": "Access denied for orders field.", "extensions": {"code": "ACCESS_DENIED"}}]);
        assert_eq!(
            error_of(&denied, None).words,
            "Shopify refused the token: check the app's read_orders access"
        );
    }

    #[test]
    fn the_search_escapes_quotes() {
        assert_eq!(search("1001"), "name:\"1001\"");
        assert_eq!(search("A\"B"), "name:\"A\\\"B\"");
    }
}
