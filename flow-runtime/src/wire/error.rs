//! Every error the API answers.

use serde::{Deserialize, Serialize};

/// Every error: a stable `code` a program can branch on and a `message` a person can read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// The code of a 503 to an order lookup when the shop's order system did not answer: final
/// (the widget tells the shopper and offers a person) where other 503s are worth a retry.
pub const ORDERS_UNAVAILABLE: &str = "orders_unavailable";
