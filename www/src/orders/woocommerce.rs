//! Orders from WooCommerce, live: the REST API v3 with a read-only consumer key.
//!
//! `GET {url}/wp-json/wc/v3/orders?search={number}` with HTTP basic auth (key and secret; so
//! the store must be served over HTTPS, as WooCommerce refuses basic auth over plain HTTP),
//! then the order whose `number` is the one asked for. `billing.email` is compared here,
//! never sent.
//!
//! What the shopper reads ([`status_of`]): `pending`, `on-hold` and `processing` are
//! `processing`; `completed` is `shipped` (WooCommerce marks an order complete when it is
//! sent); `cancelled` and `failed` are `cancelled`; `refunded`, or any order with a refund,
//! is `refunded`; statuses that plugins add called `shipped` or `delivered` are those;
//! drafts and the bin are not orders; a `processing` order with a tracked shipment is
//! `shipped`. WooCommerce has no delivery date, so no order reads `delivered` unless a
//! plugin's status says so. Tracking comes from the Shipment Tracking extension's
//! `_wc_shipment_tracking_items` (its custom link, or the carrier's public tracking page for
//! the common carriers).

use futures_util::future::BoxFuture;
use serde_json::Value;

use super::source::{self, Candidate, Failure, OrderSource, SourceError};
use super::{OrderStatus, ShopperItem, ShopperOrder, normalize_number};
use crate::secrets::Secret;

const WHAT: &str = "WooCommerce";
const MOST_BYTES: usize = 2 << 20;

pub struct WooCommerce {
    url: String,
    key: Secret,
    secret: Secret,
    client: reqwest::Client,
}

impl WooCommerce {
    pub fn new(url: &str, key: Secret, secret: Secret) -> WooCommerce {
        WooCommerce {
            url: url.trim_end_matches('/').to_owned(),
            key,
            secret,
            client: source::client("Bellhop-Orders/1"),
        }
    }
}

impl OrderSource for WooCommerce {
    fn name(&self) -> &'static str {
        WHAT
    }

    fn place(&self) -> String {
        format!("{}, REST API v3", self.url)
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
            let mut url = reqwest::Url::parse(&format!("{}/wp-json/wc/v3/orders", self.url))
                .map_err(|_| malformed("BELLHOP_WOOCOMMERCE_URL is not a URL"))?;
            url.query_pairs_mut()
                .append_pair("search", number)
                .append_pair("per_page", "10");
            let response = self
                .client
                .get(url)
                .basic_auth(self.key.expose(), Some(self.secret.expose()))
                .send()
                .await
                .map_err(|e| SourceError::transport(WHAT, &e))?;
            let status = response.status();
            match status.as_u16() {
                200 => {}
                401 | 403 => {
                    return Err(SourceError::new(
                        Failure::Refused,
                        format!(
                            "WooCommerce refused the key (HTTP {}): check BELLHOP_WOOCOMMERCE_KEY and BELLHOP_WOOCOMMERCE_SECRET, and that the key has Read access",
                            status.as_u16()
                        ),
                    ));
                }
                404 => {
                    return Err(SourceError::new(
                        Failure::Refused,
                        "WooCommerce's REST API is not at this address (HTTP 404): check BELLHOP_WOOCOMMERCE_URL, and that WordPress' permalinks are not set to Plain",
                    ));
                }
                _ => {
                    let retry = source::retry_after(response.headers());
                    return Err(SourceError::status(WHAT, status, retry));
                }
            }
            let bytes = source::body(WHAT, response, MOST_BYTES).await?;
            let list: Value =
                serde_json::from_slice(&bytes).map_err(|_| malformed("it was not JSON"))?;
            let list = list
                .as_array()
                .ok_or_else(|| malformed("it was not a list of orders"))?;
            for order in list {
                let Some(found) = order.get("number").and_then(text_or_number) else {
                    return Err(malformed("an order has no number"));
                };
                if normalize_number(&found) == number {
                    return order_of(order);
                }
            }
            Ok(None)
        })
    }
}

/// `"1001"` or `1001`: WooCommerce sends the number as a string, some plugins as a number.
fn text_or_number(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn malformed(what: &str) -> SourceError {
    SourceError::new(
        Failure::Malformed,
        format!("WooCommerce's answer was not what its REST API documents ({what})"),
    )
}

/// An order as the shopper sees it, with its billing email; `None` for drafts and the bin.
pub fn order_of(o: &Value) -> Result<Option<Candidate>, SourceError> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let Some(status) = status_of(o) else {
        return Ok(None);
    };
    let number = o
        .get("number")
        .and_then(text_or_number)
        .ok_or_else(|| malformed("an order has no number"))?;
    let placed = text(o, "date_created_gmt")
        .or_else(|| text(o, "date_created"))
        .as_deref()
        .and_then(source::day_of)
        .ok_or_else(|| malformed("an order has no date_created"))?;
    let items = o
        .get("line_items")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("an order has no line_items"))?
        .iter()
        .map(|i| {
            Some(ShopperItem {
                name: text(i, "name")?,
                quantity: u32::try_from(i.get("quantity")?.as_u64()?).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| malformed("a line item has no name or quantity"))?;
    let tracking = tracking_of(o);
    // A shipment with tracking has left, whatever the order's status still says.
    let status = match (status, &tracking) {
        (OrderStatus::Processing, Some(_)) => OrderStatus::Shipped,
        (status, _) => status,
    };
    Ok(Some(Candidate {
        email: Some(
            o.pointer("/billing/email")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        ),
        order: ShopperOrder {
            number: normalize_number(&number),
            status,
            placed_on: placed,
            items,
            carrier: tracking.as_ref().map(|t| t.0.clone()),
            tracking_url: tracking.and_then(|t| t.1),
            estimated_delivery: None,
            delivered_on: match status {
                OrderStatus::Delivered => text(o, "date_completed_gmt")
                    .as_deref()
                    .and_then(source::day_of),
                _ => None,
            },
        },
    }))
}

/// Bellhop's status of a WooCommerce order; `None` for what is not an order to a shopper.
pub fn status_of(o: &Value) -> Option<OrderStatus> {
    let refunded = o
        .get("refunds")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    let status = match o.get("status").and_then(Value::as_str)? {
        "trash" | "checkout-draft" | "auto-draft" | "draft" => return None,
        "refunded" => OrderStatus::Refunded,
        _ if refunded => OrderStatus::Refunded,
        "cancelled" | "failed" => OrderStatus::Cancelled,
        "completed" | "shipped" => OrderStatus::Shipped,
        "delivered" => OrderStatus::Delivered,
        _ => OrderStatus::Processing,
    };
    Some(status)
}

/// Carrier and tracking link of the newest shipment in `_wc_shipment_tracking_items`.
fn tracking_of(o: &Value) -> Option<(String, Option<String>)> {
    let items = o
        .get("meta_data")?
        .as_array()?
        .iter()
        .find(|m| m.get("key").and_then(Value::as_str) == Some("_wc_shipment_tracking_items"))?
        .get("value")?
        .as_array()?;
    let newest = items.iter().max_by_key(|t| {
        t.get("date_shipped")
            .and_then(text_or_number)
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(0)
    })?;
    let field = |k: &str| {
        newest
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let carrier = field("custom_tracking_provider").or(field("tracking_provider"))?;
    let number = field("tracking_number");
    let link = field("custom_tracking_link")
        .map(str::to_owned)
        .or_else(|| number.and_then(|n| carrier_page(carrier, n)))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    Some((carrier_name(carrier), link))
}

/// The extension stores providers as slugs (`royal-mail`) or names.
fn carrier_name(provider: &str) -> String {
    match provider
        .to_ascii_lowercase()
        .replace(['-', '_'], " ")
        .as_str()
    {
        "ups" => "UPS".into(),
        "usps" => "USPS".into(),
        "fedex" => "FedEx".into(),
        "dhl" | "dhl express" => "DHL".into(),
        "royal mail" => "Royal Mail".into(),
        _ => provider.to_owned(),
    }
}

/// The public tracking page of a common carrier for `number`.
fn carrier_page(provider: &str, number: &str) -> Option<String> {
    let n: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let url = match carrier_name(provider).as_str() {
        "UPS" => format!("https://www.ups.com/track?tracknum={n}"),
        "USPS" => format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"),
        "FedEx" => format!("https://www.fedex.com/fedextrack/?trknbr={n}"),
        "DHL" => format!("https://www.dhl.com/global-en/home/tracking.html?tracking-id={n}"),
        "Royal Mail" => format!("https://www.royalmail.com/track-your-item#/tracking-results/{n}"),
        _ => return None,
    };
    (!n.is_empty()).then_some(url)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn order(status: &str) -> Value {
        json!({
            "id": 727, "number": "1001", "status": status,
            "date_created": "2026-11-18T10:12:00", "date_created_gmt": "2026-11-18T09:12:00",
            "date_completed_gmt": "2026-11-21T15:00:00",
            "billing": { "email": "ana@example.com" },
            "line_items": [{ "id": 315, "name": "Ridgeline Trail Runner", "quantity": 2 }],
            "refunds": [], "meta_data": [],
        })
    }

    #[test]
    fn statuses_map_onto_bellhops() {
        for (theirs, ours) in [
            ("pending", Some(OrderStatus::Processing)),
            ("on-hold", Some(OrderStatus::Processing)),
            ("processing", Some(OrderStatus::Processing)),
            ("completed", Some(OrderStatus::Shipped)),
            ("cancelled", Some(OrderStatus::Cancelled)),
            ("failed", Some(OrderStatus::Cancelled)),
            ("refunded", Some(OrderStatus::Refunded)),
            ("trash", None),
            ("checkout-draft", None),
        ] {
            assert_eq!(status_of(&order(theirs)), ours, "{theirs}");
        }
        let mut partly = order("completed");
        partly["refunds"] = json!([{ "id": 9, "reason": "", "total": "-10.00" }]);
        assert_eq!(status_of(&partly), Some(OrderStatus::Refunded));
    }

    #[test]
    fn tracking_comes_from_the_shipment_tracking_meta() {
        let mut o = order("completed");
        o["meta_data"] = json!([{ "id": 1, "key": "_wc_shipment_tracking_items", "value": [
            { "tracking_provider": "dhl", "custom_tracking_provider": "", "custom_tracking_link": "",
              "tracking_number": "JJD 0001", "date_shipped": "1763542800", "tracking_id": "a" },
            { "tracking_provider": "", "custom_tracking_provider": "Fernhill Post",
              "custom_tracking_link": "https://post.example/t/77", "tracking_number": "77",
              "date_shipped": "1763629200", "tracking_id": "b" }
        ]}]);
        let c = order_of(&o).unwrap().unwrap();
        assert_eq!(c.order.carrier.as_deref(), Some("Fernhill Post"));
        assert_eq!(
            c.order.tracking_url.as_deref(),
            Some("https://post.example/t/77")
        );
        assert_eq!(c.order.placed_on, "2026-11-18");
        assert_eq!(c.order.items[0].quantity, 2);
        assert_eq!(c.email.as_deref(), Some("ana@example.com"));
        o["meta_data"][0]["value"].as_array_mut().unwrap().pop();
        let c = order_of(&o).unwrap().unwrap();
        assert_eq!(c.order.carrier.as_deref(), Some("DHL"));
        assert_eq!(
            c.order.tracking_url.as_deref(),
            Some("https://www.dhl.com/global-en/home/tracking.html?tracking-id=JJD0001")
        );
    }

    #[test]
    fn an_order_without_tracking_has_no_carrier() {
        let c = order_of(&order("processing")).unwrap().unwrap();
        assert_eq!((c.order.carrier, c.order.tracking_url), (None, None));
    }
}
