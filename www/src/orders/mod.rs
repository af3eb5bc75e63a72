//! Orders as a shopper may look them up: number, status, items and shipments.
//!
//! Where they come from is one [`source::OrderSource`], chosen by the configuration
//! ([`lookups_for`]): Shopify, WooCommerce, the merchant's own service, or the orders in
//! Bellhop's database ([`stored`], imported from CSV, and the demo's) when no shop system is
//! connected. [`lookups::Lookups`] puts the cache, the circuit breaker and the email check
//! in front of whichever it is.
//!
//! Numbers are stored normalised ([`normalize_number`]), so `#10234`, ` 10234` and `10234`
//! are the same order; emails are compared case-insensitively and in constant time.

pub mod demo;
pub mod import;
pub mod lookups;
pub mod service;
pub mod shopify;
pub mod source;
pub mod stored;
pub mod woocommerce;

use std::time::Duration;

use sqlx::Row;

use crate::clock::iso_date;
use crate::db::Db;

pub use flow_runtime::wire::OrderStatus;

/// An order as the merchant's system knows it (what the import and the demo write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub number: String,
    pub email: String,
    pub status: String,
    pub placed_at: i64,
    pub estimated_delivery: Option<i64>,
    pub currency: String,
    pub total_cents: i64,
    pub items: Vec<NewItem>,
    pub shipments: Vec<NewShipment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewShipment {
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    pub shipped_at: i64,
    pub delivered_at: Option<i64>,
}

/// What a shopper is shown: never payment or address details, nor the email.
/// An order as the shopper sees it: the API's payload (one definition, in the runtime).
pub use flow_runtime::wire::{OrderLine as ShopperItem, OrderRecord as ShopperOrder};

/// `#10234 ` → `10234`; letters upper-cased (`fh-1001` → `FH-1001`): the runtime's rule,
/// so that what the widget asks for is what is stored.
pub use flow_runtime::fields::order_number as normalize_number;

/// The lookups this configuration asks for: at most one shop system, whose settings must be
/// complete; the database's orders when none is configured.
pub fn lookups_for(db: &Db, config: &crate::Config) -> anyhow::Result<lookups::Lookups> {
    use anyhow::bail;
    let cache = Duration::from_secs(config.orders_cache_seconds);
    let chosen = [
        config.shopify_store.is_some() || config.shopify_token.is_some(),
        config.woocommerce_url.is_some()
            || config.woocommerce_key.is_some()
            || config.woocommerce_secret.is_some(),
        config.orders_url.is_some() || config.orders_secret.is_some(),
    ];
    if chosen.iter().filter(|c| **c).count() > 1 {
        bail!(
            "orders can come from one shop system: configure BELLHOP_SHOPIFY_*, BELLHOP_WOOCOMMERCE_* or BELLHOP_ORDERS_*, not several"
        );
    }
    let source: Box<dyn source::OrderSource> = if chosen[0] {
        match (&config.shopify_store, &config.shopify_token) {
            (Some(store), Some(token)) => Box::new(shopify::Shopify::new(store, token.clone())),
            _ => bail!("Shopify needs both BELLHOP_SHOPIFY_STORE and BELLHOP_SHOPIFY_TOKEN"),
        }
    } else if chosen[1] {
        match (
            &config.woocommerce_url,
            &config.woocommerce_key,
            &config.woocommerce_secret,
        ) {
            (Some(url), Some(key), Some(secret)) => Box::new(woocommerce::WooCommerce::new(
                url,
                key.clone(),
                secret.clone(),
            )),
            _ => bail!(
                "WooCommerce needs BELLHOP_WOOCOMMERCE_URL, BELLHOP_WOOCOMMERCE_KEY and BELLHOP_WOOCOMMERCE_SECRET"
            ),
        }
    } else if chosen[2] {
        match (&config.orders_url, &config.orders_secret) {
            (Some(url), Some(secret)) => Box::new(
                service::Service::new(url, secret.clone())
                    .map_err(|e| anyhow::anyhow!("BELLHOP_ORDERS_URL: {e}"))?,
            ),
            _ => {
                bail!("your order service needs both BELLHOP_ORDERS_URL and BELLHOP_ORDERS_SECRET")
            }
        }
    } else {
        // The database is the truth, and an import changes it at once: nothing to cache.
        return Ok(lookups::Lookups::new(
            Box::new(stored::Stored { db: db.clone() }),
            Duration::ZERO,
        ));
    };
    Ok(lookups::Lookups::new(source, cache))
}

/// The order row for `number`, or a row of NULLs when there is none: the query returns one
/// row either way (`None` only if the database returns nothing at all).
pub async fn candidate(db: &Db, number: &str) -> sqlx::Result<Option<sqlx::any::AnyRow>> {
    sqlx::query(
        "SELECT o.id, o.number, o.email, o.status, o.placed_at, o.estimated_delivery
         FROM (SELECT 1 AS one) AS probe LEFT JOIN orders o ON o.number = $1",
    )
    .bind(normalize_number(number))
    .fetch_optional(db.pool())
    .await
}

/// The order with this number if `email` is the one it was placed with. A missing order and
/// a wrong email take the same path: one row read (all NULL for a missing order), one
/// digest comparison, so numbers cannot be probed by timing.
pub async fn look_up(db: &Db, number: &str, email: &str) -> sqlx::Result<Option<ShopperOrder>> {
    let Some(row) = candidate(db, number).await? else {
        return Ok(None);
    };
    let stored: Option<String> = row.try_get("email")?;
    // Compare digests, not the texts: equal length, constant time; a missing order is
    // compared with nothing, which is no one's email.
    if !source::same_email(stored.as_deref().unwrap_or(""), email) {
        return Ok(None);
    }
    let id: i64 = row.try_get("id")?;
    let items =
        sqlx::query("SELECT name, quantity FROM order_items WHERE order_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(ShopperItem {
                    name: r.try_get("name")?,
                    quantity: u32::try_from(r.try_get::<i64, _>("quantity")?).unwrap_or(0),
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
    let shipment = sqlx::query(
        "SELECT carrier, tracking_url, delivered_at FROM shipments WHERE order_id = $1 ORDER BY shipped_at DESC, id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let (carrier, tracking_url, delivered_at) = match shipment {
        Some(s) => (
            Some(s.try_get::<String, _>("carrier")?),
            s.try_get::<Option<String>, _>("tracking_url")?,
            s.try_get::<Option<i64>, _>("delivered_at")?,
        ),
        None => (None, None, None),
    };
    // Imports write only the statuses the contract knows; anything else reads as processing.
    let status = OrderStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default();
    let estimated: Option<i64> = row.try_get("estimated_delivery")?;
    Ok(Some(ShopperOrder {
        number: row.try_get("number")?,
        // An estimate only means something while the parcel is on its way.
        estimated_delivery: estimated
            .filter(|_| matches!(status, OrderStatus::Processing | OrderStatus::Shipped))
            .map(iso_date),
        status,
        placed_on: iso_date(row.try_get("placed_at")?),
        items,
        carrier,
        tracking_url,
        delivered_on: delivered_at.map(iso_date),
    }))
}

/// Writes an order, replacing one with the same number (items and shipments included).
pub async fn upsert(db: &Db, order: &NewOrder) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    let number = normalize_number(&order.number);
    sqlx::query("DELETE FROM orders WHERE number = $1")
        .bind(&number)
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query(
        "INSERT INTO orders (number, email, status, placed_at, estimated_delivery, currency, total_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&number)
    .bind(order.email.trim().to_lowercase())
    .bind(&order.status)
    .bind(order.placed_at)
    .bind(order.estimated_delivery)
    .bind(&order.currency)
    .bind(order.total_cents)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for item in &order.items {
        sqlx::query(
            "INSERT INTO order_items (order_id, sku, name, quantity, unit_price_cents) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&item.sku)
        .bind(&item.name)
        .bind(item.quantity)
        .bind(item.unit_price_cents)
        .execute(&mut *tx)
        .await?;
    }
    for s in &order.shipments {
        sqlx::query(
            "INSERT INTO shipments (order_id, carrier, tracking_number, tracking_url, shipped_at, delivered_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&s.carrier)
        .bind(&s.tracking_number)
        .bind(&s.tracking_url)
        .bind(s.shipped_at)
        .bind(s.delivered_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// How many orders there are (the demo seeds an empty store only).
pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM orders")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}
