//! `POST /orders/lookup`: an order, as the shopper may see it.

use serde::{Deserialize, Serialize};

use super::named;

/// `POST /orders/lookup`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLookup {
    pub number: String,
    pub email: String,
}

/// The answer to a lookup that found the order (200). A missing order and a wrong email
/// get the same 404 [`ErrorBody`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFound {
    pub order: OrderRecord,
}

/// An order as the shopper may see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub number: String,
    pub status: OrderStatus,
    /// The day it was placed, `YYYY-MM-DD`.
    pub placed_on: String,
    pub items: Vec<OrderLine>,
    pub carrier: Option<String>,
    pub tracking_url: Option<String>,
    /// `YYYY-MM-DD`.
    pub estimated_delivery: Option<String>,
    /// `YYYY-MM-DD`.
    pub delivered_on: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub name: String,
    pub quantity: u32,
}

named! {
    /// Where an order is, as a shopper reads it.
    OrderStatus {
        /// Placed, not shipped yet.
        Processing = "processing",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        /// Paid back (wholly or partly: a refund is what the shopper needs to know).
        Refunded = "refunded",
    }
}

impl Default for OrderStatus {
    fn default() -> OrderStatus {
        OrderStatus::Processing
    }
}
