//! Orders from a CSV file, as a merchant exports them from their shop system.
//!
//! One row per item; the order's own columns repeat on each of its rows:
//!
//! ```text
//! number,email,status,placed_at,estimated_delivery,currency,total,sku,item_name,quantity,unit_price,carrier,tracking_number,tracking_url,shipped_at,delivered_at
//! 10234,ana@example.com,shipped,2026-11-18,2026-11-24,EUR,129.00,FH-TR-01,Ridgeline Trail Runner,1,129.00,DHL,JJD0001,https://…,2026-11-19,
//! ```
//!
//! Columns are found by their header, in any order; the last six may be absent or empty.
//! Nothing is written unless the whole file is valid, and every problem names its line and
//! column.

use std::collections::BTreeMap;

use super::{NewItem, NewOrder, NewShipment, OrderStatus, normalize_number};
use crate::clock::parse_iso;

const REQUIRED: [&str; 10] = [
    "number",
    "email",
    "status",
    "placed_at",
    "currency",
    "total",
    "sku",
    "item_name",
    "quantity",
    "unit_price",
];

/// Reads every order in a CSV text, or every problem found (at most 20).
pub fn parse(text: &str) -> Result<Vec<NewOrder>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![format!("line 1: cannot read the header row: {e}")]),
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "line 1: missing column{} {} (the header row needs: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            REQUIRED.join(", ")
        )]);
    }
    let mut orders: BTreeMap<String, NewOrder> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let get = |name: &str| -> &str {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
        };
        let mut row = Row {
            line,
            problems: &mut problems,
        };
        let number = normalize_number(get("number"));
        let email = get("email").to_lowercase();
        let status = get("status").to_lowercase();
        if number.is_empty() || number.len() > 64 {
            row.problem("number", "must be 1 to 64 characters");
        }
        if !email.contains('@') || email.len() > 254 {
            row.problem("email", &format!("`{email}` is not an email address"));
        }
        if OrderStatus::parse(&status).is_none() {
            let all: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
            row.problem(
                "status",
                &format!("`{status}` is not one of {}", all.join(", ")),
            );
        }
        let placed_at = row.date("placed_at", get("placed_at"), true);
        let estimated = row.date("estimated_delivery", get("estimated_delivery"), false);
        let currency = get("currency").to_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            row.problem(
                "currency",
                &format!("`{currency}` is not a currency code like EUR"),
            );
        }
        let total = row.money("total", get("total"));
        let quantity = match get("quantity").parse::<i64>() {
            Ok(q) if q > 0 => q,
            _ => {
                row.problem("quantity", "must be a whole number above 0");
                1
            }
        };
        let item = NewItem {
            sku: get("sku").to_owned(),
            name: get("item_name").to_owned(),
            quantity,
            unit_price_cents: row.money("unit_price", get("unit_price")),
        };
        if item.name.is_empty() {
            row.problem("item_name", "is empty");
        }
        let carrier = get("carrier");
        let shipment = if carrier.is_empty() {
            None
        } else {
            let url = get("tracking_url");
            if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
                row.problem("tracking_url", "must start with https://");
            }
            Some(NewShipment {
                carrier: carrier.to_owned(),
                tracking_number: get("tracking_number").to_owned(),
                tracking_url: (!url.is_empty()).then(|| url.to_owned()),
                shipped_at: row.date("shipped_at", get("shipped_at"), true),
                delivered_at: Some(row.date("delivered_at", get("delivered_at"), false))
                    .filter(|&d| d != 0),
            })
        };
        let order = orders.entry(number.clone()).or_insert_with(|| NewOrder {
            number,
            email,
            status,
            placed_at,
            estimated_delivery: (estimated != 0).then_some(estimated),
            currency,
            total_cents: total,
            items: Vec::new(),
            shipments: Vec::new(),
        });
        order.items.push(item);
        if let Some(s) = shipment {
            if !order.shipments.contains(&s) {
                order.shipments.push(s);
            }
        }
        if problems.len() >= 20 {
            problems.push("… stopping after 20 problems".into());
            break;
        }
    }
    if problems.is_empty() {
        Ok(orders.into_values().collect())
    } else {
        Err(problems)
    }
}

struct Row<'a> {
    line: usize,
    problems: &'a mut Vec<String>,
}

impl Row<'_> {
    fn problem(&mut self, column: &str, what: &str) {
        self.problems
            .push(format!("line {}, column {column}: {what}", self.line));
    }

    /// A date (`2026-11-24`) or time (`2026-11-24T10:30:00Z`); 0 when empty and optional.
    fn date(&mut self, column: &str, text: &str, required: bool) -> i64 {
        if text.is_empty() && !required {
            return 0;
        }
        parse_iso(text).unwrap_or_else(|| {
            self.problem(column, &format!("`{text}` is not a date like 2026-11-24"));
            0
        })
    }

    /// `129`, `129.5` or `129.00` as cents.
    fn money(&mut self, column: &str, text: &str) -> i64 {
        let (whole, cents) = text.split_once('.').unwrap_or((text, "0"));
        let cents = match cents.len() {
            1 => cents.parse::<i64>().map(|c| c * 10),
            2 => cents.parse::<i64>(),
            _ => "x".parse::<i64>(),
        };
        match (whole.parse::<i64>(), cents) {
            (Ok(w), Ok(c)) if w >= 0 => w * 100 + c,
            _ => {
                self.problem(column, &format!("`{text}` is not an amount like 129.00"));
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "number,email,status,placed_at,estimated_delivery,currency,total,sku,item_name,quantity,unit_price,carrier,tracking_number,tracking_url,shipped_at,delivered_at";

    #[test]
    fn rows_of_one_order_are_grouped() {
        let text = format!(
            "{HEADER}\n#10234,Ana@Example.com,shipped,2026-11-18,2026-11-24,eur,218.00,FH-TR-01,Trail Runner,1,129.00,DHL,JJD1,https://dhl.example/JJD1,2026-11-19,\n10234,ana@example.com,shipped,2026-11-18,2026-11-24,EUR,218.00,FH-DP-04,Day Pack,1,89,DHL,JJD1,https://dhl.example/JJD1,2026-11-19,\n10235,bo@example.com,processing,2026-11-21,,USD,11.9,FH-MH-03,Hoodie,2,5.95,,,,,\n"
        );
        let orders = parse(&text).unwrap();
        assert_eq!(orders.len(), 2);
        let a = &orders[0];
        assert_eq!(a.number, "10234");
        assert_eq!(a.email, "ana@example.com");
        assert_eq!(a.currency, "EUR");
        assert_eq!(a.total_cents, 21800);
        assert_eq!(a.items.len(), 2);
        assert_eq!(a.items[1].unit_price_cents, 8900);
        assert_eq!(
            a.shipments.len(),
            1,
            "the repeated shipment is one shipment"
        );
        assert_eq!(orders[1].total_cents, 1190);
        assert_eq!(orders[1].estimated_delivery, None);
        assert!(orders[1].shipments.is_empty());
    }

    #[test]
    fn problems_name_the_line_and_column() {
        let text = format!("{HEADER}\n10234,ana,sent,2026-02-30,,EURO,12.345,S,Shoe,0,1,,,,,\n");
        let problems = parse(&text).unwrap_err();
        let all = problems.join("\n");
        for expected in [
            "line 2, column email: `ana` is not an email address",
            "line 2, column status: `sent` is not one of processing, shipped",
            "line 2, column placed_at: `2026-02-30` is not a date",
            "line 2, column currency: `EURO`",
            "line 2, column total: `12.345` is not an amount",
            "line 2, column quantity: must be a whole number above 0",
        ] {
            assert!(all.contains(expected), "{expected} in:\n{all}");
        }
        let problems = parse("number,email\n1,a@b.c\n").unwrap_err();
        assert!(
            problems[0].starts_with("line 1: missing columns status, placed_at"),
            "{problems:?}"
        );
    }
}
