//! How long an order lookup takes with each live source, against the local fakes
//! (`shop-fakes`) on loopback: p50 and p99 with the cache cold (every lookup asks the shop
//! system) and warm (the answer is reused), and how many calls a burst of 100 lookups of
//! one order makes. Through the whole router (JSON, rate limits, the email check), without
//! a socket on our side.
//!
//! `cargo run --release -p www --example lookup_latency`

use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use shop_fakes::Fakes;
use tower::ServiceExt;
use www::secrets::Secret;
use www::{AppState, Config, Db, app};

const LOOKUPS: usize = 500;

#[tokio::main]
async fn main() {
    let fakes = Fakes::start().await;
    println!("source        cache   p50        p99        (n = {LOOKUPS})");
    for source in ["Shopify", "WooCommerce", "Service"] {
        for cache in [0, 30] {
            let state = state(&fakes, source, cache).await;
            let mut times = Vec::with_capacity(LOOKUPS);
            for i in 0..LOOKUPS {
                let started = Instant::now();
                let status = look_up(&state, i).await;
                times.push(started.elapsed());
                assert_eq!(status, 200);
            }
            times.sort();
            let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
            println!(
                "{source:<13} {:<7} {:<10} {:<10}",
                if cache == 0 { "cold" } else { "warm" },
                format!("{:.2?}", p(0.50)),
                format!("{:.2?}", p(0.99)),
            );
        }
    }
    println!();
    for source in ["Shopify", "WooCommerce", "Service"] {
        let state = state(&fakes, source, 30).await;
        fakes.shared.set_mode(shop_fakes::Mode::Slow(20));
        let before = fakes.shared.calls();
        let burst = (0..100).map(|i| look_up(&state, i));
        futures_util::future::join_all(burst).await;
        fakes.shared.set_mode(shop_fakes::Mode::Normal);
        println!(
            "{source:<13} a burst of 100 lookups of one order: {} call(s) to the shop system",
            fakes.shared.calls() - before
        );
    }
}

async fn state(fakes: &Fakes, source: &str, cache: u64) -> AppState {
    let mut config = Config::for_tests();
    config.lookups_per_minute = 0;
    config.lookups_per_order_per_minute = 0;
    config.orders_cache_seconds = cache;
    match source {
        "Shopify" => {
            config.shopify_store = Some(fakes.base());
            config.shopify_token = Some(Secret::new(shop_fakes::SHOPIFY_TOKEN));
        }
        "WooCommerce" => {
            config.woocommerce_url = Some(fakes.base());
            config.woocommerce_key = Some(Secret::new(shop_fakes::WOO_KEY));
            config.woocommerce_secret = Some(Secret::new(shop_fakes::WOO_SECRET));
        }
        _ => {
            config.orders_url = Some(fakes.service_url());
            config.orders_secret = Some(Secret::new(shop_fakes::SERVICE_SECRET));
        }
    }
    let dir = std::env::temp_dir().join(format!("bellhop-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{source}-{cache}.db"));
    let _ = std::fs::remove_file(&path);
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    AppState::new(db, &config).unwrap()
}

async fn look_up(state: &AppState, i: usize) -> u16 {
    let mut request = Request::post("/api/v1/orders/lookup")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r##"{"number": "#41002", "email": "ben@example.com"}"##,
        ))
        .unwrap();
    let addr = format!("192.0.2.{}:40000", 1 + i % 200).parse().unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo::<std::net::SocketAddr>(addr));
    let response = app(state.clone()).oneshot(request).await.unwrap();
    response.status().as_u16()
}
