//! The demo storefront: "Fernhill Outfitters", a small outdoor-gear shop whose every page
//! embeds Bellhop with the one tag a merchant would paste.
//!
//! It stands in for a merchant's real store, so it is ordinary server-rendered HTML with its
//! own CSS and a localStorage cart, and knows nothing about Bellhop beyond the tag.

use axum::{
    Router,
    extract::{Path, Query},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use tower_http::compression::CompressionLayer;

use crate::AppState;

/// A product of the demo catalogue.
pub struct Product {
    pub slug: &'static str,
    pub sku: &'static str,
    pub name: &'static str,
    pub price_cents: u32,
    pub blurb: &'static str,
}

pub const CATALOGUE: &[Product] = &[
    Product {
        slug: "trail-runner",
        sku: "FH-TR-01",
        name: "Ridgeline Trail Runner",
        price_cents: 12900,
        blurb: "A grippy, cushioned trail shoe for long days on rough ground. True to size.",
    },
    Product {
        slug: "rain-shell",
        sku: "FH-RS-02",
        name: "Drizzle 2.5L Rain Shell",
        price_cents: 17900,
        blurb: "Waterproof, breathable and light enough to live in your pack.",
    },
    Product {
        slug: "merino-hoodie",
        sku: "FH-MH-03",
        name: "Merino Midlayer Hoodie",
        price_cents: 11900,
        blurb: "Soft 200 g/m² merino that stays warm when damp and fresh for days.",
    },
    Product {
        slug: "day-pack",
        sku: "FH-DP-04",
        name: "Switchback 24L Day Pack",
        price_cents: 8900,
        blurb: "A ventilated back panel, hip-belt pockets and a rain cover tucked in the base.",
    },
];

/// The tag a merchant pastes: nothing else on these pages is Bellhop's.
const BELLHOP_TAG: &str = r#"<script async src="/bellhop/bellhop.js" data-flow="/flows/demo.json" data-fallback="mailto:help@fernhill.example"></script>"#;

/// For comparisons (`cargo xtask bench`): `?bellhop=off` serves the page without the tag,
/// `?flow=NAME` embeds `/flows/NAME.json` instead of the demo flow, `?warm=idle` adds
/// `data-warm="idle"`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TagOptions {
    bellhop: Option<String>,
    flow: Option<String>,
    warm: Option<String>,
}

impl TagOptions {
    fn tag(&self) -> String {
        if self.bellhop.as_deref() == Some("off") {
            return String::new();
        }
        let tag = match self.flow.as_deref().filter(|f| {
            !f.is_empty()
                && f.len() <= 40
                && f.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }) {
            Some(flow) => BELLHOP_TAG.replace("/flows/demo.json", &format!("/flows/{flow}.json")),
            None => BELLHOP_TAG.to_owned(),
        };
        if self.warm.as_deref() == Some("idle") {
            tag.replace("<script ", "<script data-warm=\"idle\" ")
        } else {
            tag
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/products/{slug}", get(product))
        .route("/checkout", get(checkout))
        .route("/store/{file}", get(store_file))
        .route("/store/img/{file}", get(store_image))
        .layer(CompressionLayer::new())
}

async fn home(Query(tag): Query<TagOptions>) -> Html<String> {
    let cards: String = CATALOGUE
        .iter()
        .map(|p| {
            format!(
                r#"<article class="card"><a href="/products/{slug}"><img src="/store/img/{slug}.svg" alt="" width="360" height="270"><h2>{name}</h2></a><p class="price">{price}</p></article>"#,
                slug = p.slug,
                name = p.name,
                price = money(p.price_cents),
            )
        })
        .collect();
    page(
        &tag,
        "Fernhill Outfitters",
        &format!(
            r#"<section class="hero"><h1>Gear for every trail</h1><p>Free shipping on orders over $75. Free returns within 30 days.</p></section>
<div class="grid">{cards}</div>"#
        ),
    )
}

async fn product(Path(slug): Path<String>, Query(tag): Query<TagOptions>) -> Response {
    let Some(p) = CATALOGUE.iter().find(|p| p.slug == slug) else {
        return (
            StatusCode::NOT_FOUND,
            page(
                &tag,
                "Not found",
                "<h1>We could not find that product.</h1>",
            ),
        )
            .into_response();
    };
    page(
        &tag,
        p.name,
        &format!(
            r#"<div class="product"><img src="/store/img/{slug}.svg" alt="{name}" width="360" height="270">
<div><h1>{name}</h1><p class="price">{price}</p><p>{blurb}</p>
<button class="buy" type="button" data-add-to-cart data-sku="{sku}" data-name="{name}" data-price="{dollars}">Add to cart</button>
<p><a href="/checkout">Go to checkout</a></p></div></div>"#,
            slug = p.slug,
            name = p.name,
            price = money(p.price_cents),
            blurb = p.blurb,
            sku = p.sku,
            dollars = f64::from(p.price_cents) / 100.0,
        ),
    )
    .into_response()
}

async fn checkout(Query(tag): Query<TagOptions>) -> Html<String> {
    page(
        &tag,
        "Checkout",
        r#"<div class="checkout"><h1>Checkout</h1>
<p id="cart-empty">Your cart is empty.</p>
<ul class="cart-lines" id="cart-lines"></ul>
<p>Total: <strong id="cart-total">$0.00</strong></p>
<form onsubmit="return false"><label>Email <input type="email" name="email" autocomplete="email"></label>
<label>Card number <input name="card" inputmode="numeric" autocomplete="cc-number"></label>
<button type="submit">Pay now</button></form></div>"#,
    )
}

fn page(tag: &TagOptions, title: &str, main: &str) -> Html<String> {
    let catalogue = catalogue_json();
    let bellhop = tag.tag();
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Fernhill Outfitters</title>
<link rel="icon" href="/store/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/store/store.css">
<script type="application/json" id="fernhill-catalogue">{catalogue}</script>
<script defer src="/store/store.js"></script>
{bellhop}
</head>
<body>
<header class="site-header"><a class="brand" href="/">Fernhill Outfitters</a>
<nav><a href="/">Shop</a><a href="/products/trail-runner">Trail runners</a><a href="/checkout">Cart (<span id="cart-count">0</span>)</a></nav></header>
<main>
{main}
</main>
<footer>Fernhill Outfitters is a demo store for Bellhop. Nothing here is for sale.</footer>
</body>
</html>
"#
    ))
}

/// SKU → name and price, for the page's script (a JSON data block: never executed).
fn catalogue_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = CATALOGUE
        .iter()
        .map(|p| {
            let product =
                serde_json::json!({ "name": p.name, "price": f64::from(p.price_cents) / 100.0 });
            (p.sku.to_owned(), product)
        })
        .collect();
    // `<` escaped so that no name could close the script element.
    serde_json::Value::Object(map)
        .to_string()
        .replace('<', "\\u003c")
}

fn money(cents: u32) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

async fn store_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "store.css" => (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            include_str!("../storefront/store.css"),
        )
            .into_response(),
        "store.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            include_str!("../storefront/store.js"),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn store_image(Path(file): Path<String>) -> Response {
    let svg = match file.as_str() {
        "trail-runner.svg" => include_str!("../storefront/img/trail-runner.svg"),
        "rain-shell.svg" => include_str!("../storefront/img/rain-shell.svg"),
        "merino-hoodie.svg" => include_str!("../storefront/img/merino-hoodie.svg"),
        "day-pack.svg" => include_str!("../storefront/img/day-pack.svg"),
        "favicon.svg" => include_str!("../storefront/img/favicon.svg"),
        "fern.svg" => include_str!("../storefront/img/fern.svg"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response()
}
