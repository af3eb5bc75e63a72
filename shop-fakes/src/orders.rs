//! The fakes' orders, written once and rendered in each API's own shape.

use serde_json::{Value, json};

/// Where an order stands, in the shop's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Unfulfilled,
    /// Some shipments left, not all.
    PartlyShipped,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

pub struct Shipment {
    pub carrier: &'static str,
    pub tracking_number: &'static str,
    pub tracking_url: &'static str,
    /// ISO 8601, UTC.
    pub shipped_at: &'static str,
    pub delivered_at: Option<&'static str>,
}

pub struct Seed {
    /// Without the `#`.
    pub number: &'static str,
    pub email: &'static str,
    pub placed_at: &'static str,
    pub stage: Stage,
    pub items: &'static [(&'static str, u32)],
    pub shipments: &'static [Shipment],
}

pub const DHL: Shipment = Shipment {
    carrier: "DHL",
    tracking_number: "JJD000390007",
    tracking_url: "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JJD000390007",
    shipped_at: "2026-11-19T10:00:00Z",
    delivered_at: None,
};

/// Every fake's orders: one per stage, one with two shipments, and `410010`, whose name a
/// search for `41001` also finds.
pub const SEEDS: &[Seed] = &[
    Seed {
        number: "41001",
        email: "ana@example.com",
        placed_at: "2026-11-30T09:12:00Z",
        stage: Stage::Unfulfilled,
        items: &[("Ridgeline Trail Runner - 42", 1)],
        shipments: &[],
    },
    Seed {
        number: "41002",
        email: "ben@example.com",
        placed_at: "2026-11-18T09:12:00Z",
        stage: Stage::Shipped,
        items: &[("Summit Shell Jacket - M", 1), ("Merino Hiking Socks", 2)],
        shipments: &[DHL],
    },
    Seed {
        number: "41003",
        email: "cleo@example.com",
        placed_at: "2026-11-10T15:40:00Z",
        stage: Stage::Delivered,
        items: &[("Alpine Daypack 22L", 1)],
        shipments: &[Shipment {
            carrier: "UPS",
            tracking_number: "1Z999AA10123456784",
            tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            shipped_at: "2026-11-11T08:00:00Z",
            delivered_at: Some("2026-11-13T14:03:00Z"),
        }],
    },
    Seed {
        number: "41004",
        email: "dan@example.com",
        placed_at: "2026-11-20T11:00:00Z",
        stage: Stage::Cancelled,
        items: &[("Trail Poles", 1)],
        shipments: &[],
    },
    Seed {
        number: "41005",
        email: "eva@example.com",
        placed_at: "2026-11-05T11:00:00Z",
        stage: Stage::Refunded,
        items: &[("Ridgeline Trail Runner - 39", 1)],
        shipments: &[],
    },
    Seed {
        number: "41006",
        email: "finn@example.com",
        placed_at: "2026-11-21T11:00:00Z",
        stage: Stage::PartlyShipped,
        items: &[("Camp Stove", 1), ("Fuel Canister", 3)],
        shipments: &[
            DHL,
            Shipment {
                carrier: "UPS",
                tracking_number: "1Z999AA10123456785",
                tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456785",
                shipped_at: "2026-11-23T08:00:00Z",
                delivered_at: None,
            },
        ],
    },
    Seed {
        number: "410010",
        email: "ana@example.com",
        placed_at: "2026-12-01T09:12:00Z",
        stage: Stage::Unfulfilled,
        items: &[("Gift Card", 1)],
        shipments: &[],
    },
];

/// The order numbered `number`, if there is one.
pub fn find(number: &str) -> Option<&'static Seed> {
    SEEDS.iter().find(|s| s.number == number)
}

/// An order as Shopify's Admin GraphQL API answers the fields of Bellhop's query.
pub fn shopify_node(s: &Seed) -> Value {
    let (fulfillment, financial) = match s.stage {
        Stage::Unfulfilled => ("UNFULFILLED", "PAID"),
        Stage::PartlyShipped => ("PARTIALLY_FULFILLED", "PAID"),
        Stage::Shipped | Stage::Delivered => ("FULFILLED", "PAID"),
        Stage::Cancelled => ("UNFULFILLED", "VOIDED"),
        Stage::Refunded => ("UNFULFILLED", "REFUNDED"),
    };
    json!({
        "name": format!("#{}", s.number),
        "email": s.email,
        "createdAt": s.placed_at,
        "cancelledAt": matches!(s.stage, Stage::Cancelled | Stage::Refunded).then_some("2026-11-21T08:00:00Z"),
        "displayFinancialStatus": financial,
        "displayFulfillmentStatus": fulfillment,
        "lineItems": { "nodes": s.items.iter().map(|(name, q)| json!({ "name": name, "quantity": q })).collect::<Vec<_>>() },
        "fulfillments": s.shipments.iter().map(|f| json!({
            "status": "SUCCESS",
            "displayStatus": if f.delivered_at.is_some() { "DELIVERED" } else { "IN_TRANSIT" },
            "createdAt": f.shipped_at,
            "deliveredAt": f.delivered_at,
            "estimatedDeliveryAt": if f.delivered_at.is_none() { Some("2026-12-24T00:00:00Z") } else { None },
            "trackingInfo": [{ "company": f.carrier, "number": f.tracking_number, "url": f.tracking_url }],
        })).collect::<Vec<_>>(),
    })
}

/// An order as WooCommerce's REST API v3 lists it (the fields Bellhop reads, and a few of
/// the others, as a real answer has them).
pub fn woocommerce_order(s: &Seed, id: usize) -> Value {
    let status = match s.stage {
        Stage::Unfulfilled | Stage::PartlyShipped => "processing",
        Stage::Shipped | Stage::Delivered => "completed",
        Stage::Cancelled => "cancelled",
        Stage::Refunded => "refunded",
    };
    let local = s.placed_at.trim_end_matches('Z');
    let tracking: Vec<Value> = s
        .shipments
        .iter()
        .enumerate()
        .map(|(i, f)| {
            json!({
                "tracking_provider": f.carrier.to_lowercase(),
                "custom_tracking_provider": "",
                "custom_tracking_link": "",
                "tracking_number": f.tracking_number,
                "date_shipped": (1_763_542_800 + i * 86_400).to_string(),
                "tracking_id": format!("{:032x}", id * 10 + i),
            })
        })
        .collect();
    json!({
        "id": 700 + id,
        "parent_id": 0,
        "number": s.number,
        "order_key": format!("wc_order_fake{id}"),
        "created_via": "checkout",
        "status": status,
        "currency": "EUR",
        "date_created": local,
        "date_created_gmt": local,
        "date_completed_gmt": s.shipments.iter().find_map(|f| f.delivered_at).map(|d| d.trim_end_matches('Z')),
        "total": "129.00",
        "customer_id": 0,
        "billing": { "first_name": "Ana", "last_name": "Shopper", "email": s.email, "phone": "" },
        "shipping": { "first_name": "Ana", "last_name": "Shopper", "address_1": "1 Fake St", "city": "Berlin", "country": "DE" },
        "payment_method": "stripe",
        "line_items": s.items.iter().enumerate().map(|(i, (name, q))| json!({ "id": 300 + i, "name": name, "product_id": 40 + i, "quantity": q, "total": "10.00" })).collect::<Vec<_>>(),
        "refunds": if s.stage == Stage::Refunded { vec![json!({ "id": 900 + id, "reason": "", "total": "-129.00" })] } else { vec![] },
        "meta_data": if tracking.is_empty() { vec![] } else { vec![json!({ "id": 5000 + id, "key": "_wc_shipment_tracking_items", "value": tracking })] },
    })
}

/// An order as Bellhop's `openapi.json` `Order` schema has it (what a merchant's own service
/// answers).
pub fn service_order(s: &Seed) -> Value {
    let last = s.shipments.last();
    let status = match s.stage {
        Stage::Unfulfilled => "processing",
        Stage::PartlyShipped | Stage::Shipped => "shipped",
        Stage::Delivered => "delivered",
        Stage::Cancelled => "cancelled",
        Stage::Refunded => "refunded",
    };
    json!({
        "number": s.number,
        "status": status,
        "placed_on": &s.placed_at[..10],
        "items": s.items.iter().map(|(name, q)| json!({ "name": name, "quantity": q })).collect::<Vec<_>>(),
        "carrier": last.map(|f| f.carrier),
        "tracking_url": last.map(|f| f.tracking_url),
        "estimated_delivery": null,
        "delivered_on": last.and_then(|f| f.delivered_at).map(|d| &d[..10]),
    })
}
