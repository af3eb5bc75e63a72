//! The demo store's orders: one in every status, dated around today, so the demo's order
//! lookup has something true to say. Written through the same [`super::upsert`] as imports.

use super::{NewItem, NewOrder, NewShipment};
use crate::clock::DAY_MS;

/// The orders a demo shopper can look up, printed by `cargo xtask demo`.
pub const DEMO_LOOKUPS: [(&str, &str, &str); 5] = [
    ("10231", "ana@example.com", "delivered"),
    ("10234", "ana@example.com", "shipped"),
    ("10240", "sam@example.com", "processing"),
    ("10228", "lee@example.com", "cancelled"),
    ("10219", "kim@example.com", "refunded"),
];

pub fn orders(now: i64) -> Vec<NewOrder> {
    let day = |n: i64| now + n * DAY_MS;
    let item = |sku: &str, name: &str, quantity: i64, cents: i64| NewItem {
        sku: sku.into(),
        name: name.into(),
        quantity,
        unit_price_cents: cents,
    };
    let dhl = |code: &str, shipped: i64, delivered: Option<i64>| NewShipment {
        carrier: "DHL".into(),
        tracking_number: code.into(),
        tracking_url: Some(format!(
            "https://www.dhl.com/global-en/home/tracking.html?tracking-id={code}"
        )),
        shipped_at: shipped,
        delivered_at: delivered,
    };
    let order = |number: &str, email: &str, status: &str, placed: i64| NewOrder {
        number: number.into(),
        email: email.into(),
        status: status.into(),
        placed_at: placed,
        estimated_delivery: None,
        currency: "USD".into(),
        total_cents: 0,
        items: Vec::new(),
        shipments: Vec::new(),
    };
    let mut all = vec![
        NewOrder {
            items: vec![item("FH-MH-03", "Merino Midlayer Hoodie", 1, 11900)],
            shipments: vec![dhl("JJD0099182311", day(-9), Some(day(-7)))],
            ..order("10231", "ana@example.com", "delivered", day(-10))
        },
        NewOrder {
            items: vec![
                item("FH-TR-01", "Ridgeline Trail Runner", 1, 12900),
                item("FH-DP-04", "Switchback 24L Day Pack", 1, 8900),
            ],
            shipments: vec![dhl("JJD0099187754", day(-1), None)],
            estimated_delivery: Some(day(2)),
            ..order("10234", "ana@example.com", "shipped", day(-2))
        },
        NewOrder {
            items: vec![item("FH-RS-02", "Drizzle 2.5L Rain Shell", 1, 17900)],
            estimated_delivery: Some(day(4)),
            ..order("10240", "sam@example.com", "processing", day(0))
        },
        NewOrder {
            items: vec![item("FH-TR-01", "Ridgeline Trail Runner", 2, 12900)],
            ..order("10228", "lee@example.com", "cancelled", day(-14))
        },
        NewOrder {
            items: vec![item("FH-DP-04", "Switchback 24L Day Pack", 1, 8900)],
            shipments: vec![dhl("JJD0099170032", day(-30), Some(day(-28)))],
            ..order("10219", "kim@example.com", "refunded", day(-31))
        },
    ];
    for o in &mut all {
        o.total_cents = o
            .items
            .iter()
            .map(|i| i.quantity * i.unit_price_cents)
            .sum();
    }
    all
}

/// The demo agent, printed by `cargo xtask demo`.
pub const AGENT_EMAIL: &str = "agent@fernhill.example";
pub const AGENT_NAME: &str = "Alex";
pub const AGENT_PASSWORD: &str = "fernhill-demo";

/// The demo store's owner: the console (`/console`), where the assistant is edited.
pub const OWNER_EMAIL: &str = "owner@fernhill.example";
pub const OWNER_NAME: &str = "Robin";
pub const OWNER_PASSWORD: &str = "fernhill-owner";
