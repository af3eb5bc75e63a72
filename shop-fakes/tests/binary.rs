//! The `shop-fakes` binary, as the end-to-end suite runs it: it serves the three APIs and
//! switches modes over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_serves_the_fakes_and_switches_modes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shop-fakes"))
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().to_owned();
    let client = reqwest::Client::new();
    let graphql = format!("{base}/admin/api/2026-10/graphql.json");
    let ask = || {
        client
            .post(&graphql)
            .header("X-Shopify-Access-Token", shop_fakes::SHOPIFY_TOKEN)
            .body(r#"{"query":"query { orders(first: 2, query: $query) { nodes { name } } }","variables":{"query":"name:\"41002\""}}"#)
            .send()
    };
    let r = ask().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["data"]["orders"]["nodes"][0]["name"], "#41002");
    assert!(body["extensions"]["cost"]["throttleStatus"]["restoreRate"].is_number());

    let r = client
        .post(format!("{base}/_fake/mode"))
        .body("429 3")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = ask().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    let calls = client
        .get(format!("{base}/_fake/calls"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(calls, "2");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn modes_are_read_as_the_end_to_end_suite_writes_them() {
    use shop_fakes::Mode;
    assert_eq!(Mode::parse("slow 5000"), Some(Mode::Slow(5000)));
    assert_eq!(Mode::parse("502"), Some(Mode::ServerError(502)));
    assert_eq!(Mode::parse("429"), Some(Mode::RateLimited(2)));
    assert_eq!(Mode::parse("404"), None);
    assert_eq!(Mode::parse("slow"), None);
}
