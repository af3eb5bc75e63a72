//! Numbers as a person reads them in the inbox: "1 item", "2 items", "$258.00".

use crate::conversations::Context;

/// "1 item", "3 items".
pub fn items(n: u32) -> String {
    format!("{n} {}", if n == 1 { "item" } else { "items" })
}

/// An amount the widget sent as text (`258`, `59.9`) in an ISO 4217 currency: with the
/// currency's symbol and decimals for the common ones ("$258.00", "€59.90", "¥1,200"), else
/// the amount with two decimals and the code ("258.00 SEK"). The text as it came when it is
/// not a number.
pub fn money(amount: &str, currency: &str) -> String {
    let Ok(value) = amount.trim().parse::<f64>() else {
        return format!("{amount} {currency}").trim().to_owned();
    };
    let code = currency.trim().to_ascii_uppercase();
    let (symbol, decimals) = match code.as_str() {
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "CAD" => ("CA$", 2),
        "AUD" => ("A$", 2),
        "NZD" => ("NZ$", 2),
        "MXN" => ("MX$", 2),
        "BRL" => ("R$", 2),
        "INR" => ("₹", 2),
        "JPY" => ("¥", 0),
        "KRW" => ("₩", 0),
        "" => ("", 2),
        _ => return format!("{} {code}", grouped(value, 2)),
    };
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{symbol}{}", grouped(value.abs(), decimals))
}

/// A whole number as people write it: `4000` → "4,000".
pub fn count(n: i64) -> String {
    grouped(n as f64, 0)
}

/// `1234.5` → `1,234.50` with `decimals` decimals.
fn grouped(value: f64, decimals: usize) -> String {
    let fixed = format!("{value:.decimals$}");
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let digits: Vec<char> = whole.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0
            && (digits.len() - i) % 3 == 0
            && c.is_ascii_digit()
            && digits[i - 1].is_ascii_digit()
        {
            out.push(',');
        }
        out.push(*c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The cart in one line: "2 items: Ridgeline Trail Runner × 1, Day Pack × 1 · $218.00",
/// or "Empty".
pub fn cart(c: &Context) -> String {
    if c.cart_items == 0 && c.cart_lines.is_empty() {
        return "Empty".to_owned();
    }
    let mut out = items(c.cart_items);
    if !c.cart_lines.is_empty() {
        let lines: Vec<String> = c
            .cart_lines
            .iter()
            .map(|l| format!("{} × {}", l.name, l.quantity))
            .collect();
        out.push_str(": ");
        out.push_str(&lines.join(", "));
    }
    if !c.cart_value.is_empty() {
        out.push_str(" · ");
        out.push_str(&money(&c.cart_value, &c.currency));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversations::CartLine;

    #[test]
    fn people_read_numbers() {
        assert_eq!(items(1), "1 item");
        assert_eq!(items(0), "0 items");
        assert_eq!(money("258", "USD"), "$258.00");
        assert_eq!(money("1234.5", "eur"), "€1,234.50");
        assert_eq!(money("1200", "JPY"), "¥1,200");
        assert_eq!(money("99.9", "SEK"), "99.90 SEK");
        assert_eq!(money("-5", "GBP"), "-£5.00");
        assert_eq!(money("abc", "USD"), "abc USD");
        let c = Context {
            cart_items: 2,
            cart_value: "218".into(),
            currency: "USD".into(),
            cart_lines: vec![
                CartLine {
                    name: "Ridgeline Trail Runner".into(),
                    quantity: 1,
                },
                CartLine {
                    name: "Switchback 24L Day Pack".into(),
                    quantity: 1,
                },
            ],
            ..Context::default()
        };
        assert_eq!(
            cart(&c),
            "2 items: Ridgeline Trail Runner × 1, Switchback 24L Day Pack × 1 · $218.00"
        );
        assert_eq!(cart(&Context::default()), "Empty");
    }
}
