//! Insight reports over HTTP, on SQLite and PostgreSQL: stored as daily counts and
//! de-duplicated questions for flows with insights on, refused otherwise.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::{on_every_database, split};
use www::insights::{self, Period};

const FLOW: &str = r#"{
  "bot": { "name": "Shop", "languages": ["en"] },
  "insights": true,
  "steps": [
    { "id": "hi", "type": "message", "text": "Hello" },
    { "id": "offer-a", "type": "message", "text": "Free shipping today" },
    { "id": "offer-b", "type": "message", "text": "10 % off today" },
    { "id": "handoff", "type": "handoff" }
  ],
  "triggers": [ { "id": "rescue", "on": "exit_intent", "variants": [
    { "id": "a", "weight": 1, "step": "offer-a" }, { "id": "b", "weight": 1, "step": "offer-b" } ], "holdout": 0.1 } ],
  "faq": { "entries": [
    { "id": "returns", "question": "How do I return something?", "phrasings": ["return policy", "send it back"], "answer": "Within 30 days." }
  ] }
}"#;

fn id(n: u32) -> String {
    format!("{n:032x}")
}

fn report(n: u32, fingerprint: &str) -> Value {
    json!({
        "id": id(n),
        "flow": "shop.json",
        "fingerprint": fingerprint,
        "visitor_day": id(1000 + n % 2),
        "conversations": 1,
        "faq": [ { "entry": "returns", "answered": 1, "unsure": 0, "missed": 1 } ],
        "questions": [ { "kind": "missed", "text": if n % 2 == 0 { "Do you sell GIFT cards?" } else { "do you sell gift cards" }, "entries": ["returns"] } ],
        "triggers": [ { "trigger": "rescue", "variant": "a", "shown": 1, "dismissed": 0, "converted": n % 2, "held_out": 0 } ],
        "added_to_cart": 0,
        "order_lookups": 1,
        "handoffs": [ { "name": "missed", "count": 1 } ],
        "ratings": [ { "score": 4, "scale": 5 } ]
    })
}

/// A beacon: JSON text as `text/plain`, from `client`.
fn beacon(client: &str, body: String) -> Request<Body> {
    let mut r = Request::post("/api/v1/insights")
        .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
        .body(Body::from(body))
        .unwrap();
    let addr: SocketAddr = format!("{client}:40000").parse().unwrap();
    r.extensions_mut().insert(ConnectInfo(addr));
    r
}

#[tokio::test]
async fn reports_are_counted_once_per_day_and_version_and_bad_ones_refused() {
    on_every_database(
        |c| c.insights_per_minute = 1000,
        async |app| {
            let db = &app.state.db;
            // The demo flow has insights off: nothing is stored for it.
            let mut off = report(1, "0000000000000000");
            off["flow"] = json!("demo.json");
            let (s, _, body) = app.post("/api/v1/insights", &off).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{body}");

            let outcome = www::flows::admin::import(db, "shop", FLOW, "test")
                .await
                .unwrap();
            assert_eq!(outcome, www::flows::admin::Imported::Published(1));
            let compiled = flow_authoring::compile::compile_json(FLOW).flow.unwrap();
            let print = format!("{:016x}", compiled.fingerprint);

            for n in 0..4 {
                // Two visitors, from two addresses.
                let from = if n % 2 == 0 { "192.0.2.9" } else { "198.51.100.9" };
                let r = app.send(beacon(from, report(n, &print).to_string())).await;
                assert_eq!(r.status(), StatusCode::NO_CONTENT, "{:?}", split(r).await);
            }
            // A replay is refused and counts nothing.
            let (s, _, body) = app.post("/api/v1/insights", &report(2, &print)).await;
            assert_eq!(s, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "duplicate");
            // A report must come from a version that was published: any other fingerprint
            // is refused (it used to count as "version 0", which every figure included).
            let r = app
                .send(beacon(
                    "192.0.2.9",
                    report(9, "00000000000000ff").to_string(),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

            let today = www::clock::iso_date(www::clock::now_ms());
            let v1 = Period {
                from: today.clone(),
                to: today.clone(),
                version: Some(1),
            };
            let counts = insights::counts(db, "shop", &v1).await.unwrap();
            let get = |metric: &str, k1: &str, k2: &str| {
                counts
                    .iter()
                    .find(|c| c.metric == metric && c.k1 == k1 && c.k2 == k2)
                    .map_or(0, |c| c.count)
            };
            assert_eq!(get("page_views", "", ""), 4);
            assert_eq!(get("conversations", "", ""), 4);
            assert_eq!(get("faq_answered", "returns", ""), 4);
            assert_eq!(get("faq_missed", "returns", ""), 4);
            assert_eq!(get("trigger_shown", "rescue", "a"), 4);
            assert_eq!(get("trigger_converted", "rescue", "a"), 2);
            assert_eq!(get("handoffs", "missed", ""), 4);
            assert_eq!(get("ratings", "5", "4"), 4);
            assert_eq!(get("order_lookups", "", ""), 4);
            let all = Period {
                from: today.clone(),
                to: today.clone(),
                version: None,
            };
            let every = insights::counts(db, "shop", &all).await.unwrap();
            assert_eq!(
                every
                    .iter()
                    .find(|c| c.metric == "page_views")
                    .unwrap()
                    .count,
                4
            );
            assert_eq!(insights::visitors(db, "shop", &all).await.unwrap(), 2);
            // Two wordings, one question.
            let questions = insights::questions(db, "shop", &v1, 50).await.unwrap();
            assert_eq!(questions.len(), 1, "{questions:?}");
            assert_eq!(questions[0].normalized, "do you sell gift cards");
            assert_eq!(questions[0].count, 4);
            assert_eq!(questions[0].entries, ["returns"]);

            // Malformed or oversized reports are refused.
            let bad = |edit: &dyn Fn(&mut Value)| {
                let mut r = report(77, &print);
                edit(&mut r);
                r
            };
            for (label, body, status) in [
                ("not JSON", "{not json".to_owned(), StatusCode::BAD_REQUEST),
                (
                    "short id",
                    bad(&|r| r["id"] = json!("abc")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "odd kind",
                    bad(&|r| r["questions"][0]["kind"] = json!("answered")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "huge count",
                    bad(&|r| r["triggers"][0]["shown"] = json!(100000)).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "bad rating",
                    bad(&|r| r["ratings"][0]["score"] = json!(9)).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "odd reason",
                    bad(&|r| r["handoffs"][0]["name"] = json!("frustration")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "unknown flow",
                    bad(&|r| r["flow"] = json!("nope.json")).to_string(),
                    StatusCode::FORBIDDEN,
                ),
                (
                    "bad flow name",
                    bad(&|r| r["flow"] = json!("../x.json")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                // Names the version does not have: refused, so a stranger cannot invent
                // entries, triggers or variants on the owner's page.
                (
                    "unknown entry",
                    bad(&|r| r["faq"][0]["entry"] = json!("phishing")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "unknown entry of a question",
                    bad(&|r| r["questions"][0]["entries"] = json!(["phishing"])).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "unknown trigger",
                    bad(&|r| r["triggers"][0]["trigger"] = json!("invented")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "unknown variant",
                    bad(&|r| r["triggers"][0]["variant"] = json!("z")).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                // More than one page view can do: one handoff and one rating at most.
                (
                    "80 handoffs",
                    bad(&|r| r["handoffs"][0]["count"] = json!(80)).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "two handoffs",
                    bad(&|r| {
                        r["handoffs"] = json!([{ "name": "asked", "count": 1 }, { "name": "missed", "count": 1 }])
                    })
                    .to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "two ratings",
                    bad(&|r| r["ratings"] = json!([{ "score": 1, "scale": 5 }, { "score": 1, "scale": 5 }])).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "a trigger shown 11 times",
                    bad(&|r| r["triggers"][0]["shown"] = json!(11)).to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    "too large",
                    format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000)),
                    StatusCode::PAYLOAD_TOO_LARGE,
                ),
            ] {
                let r = app.send(beacon("192.0.2.10", body)).await;
                assert_eq!(r.status(), status, "{label}: {:?}", split(r).await);
            }
            let after = insights::counts(db, "shop", &all).await.unwrap();
            assert_eq!(after, every, "refused reports count nothing");

            // Old insights go.
            insights::prune(db, 0, www::clock::now_ms() + 2 * www::clock::DAY_MS)
                .await
                .unwrap();
            assert!(insights::counts(db, "shop", &all).await.unwrap().is_empty());
        },
    )
    .await;
}

#[tokio::test]
async fn reports_are_rate_limited_per_address() {
    on_every_database(
        |c| c.insights_per_minute = 2,
        async |app| {
            www::flows::admin::import(&app.state.db, "shop", FLOW, "test")
                .await
                .unwrap();
            let print = format!(
                "{:016x}",
                flow_authoring::compile::compile_json(FLOW)
                    .flow
                    .unwrap()
                    .fingerprint
            );
            let mut statuses = Vec::new();
            for n in 0..4 {
                statuses.push(
                    app.send(beacon("192.0.2.20", report(n, &print).to_string()))
                        .await
                        .status(),
                );
            }
            assert_eq!(
                statuses[..2],
                [StatusCode::NO_CONTENT, StatusCode::NO_CONTENT]
            );
            assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
            // Another address is not held up.
            let r = app
                .send(beacon("192.0.2.21", report(10, &print).to_string()))
                .await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
        },
    )
    .await;
}

fn form(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "console.test")
        .header(header::ORIGIN, "http://console.test")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "console.test")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

async fn text(r: axum::response::Response) -> String {
    String::from_utf8_lossy(&axum::body::to_bytes(r.into_body(), 8 << 20).await.unwrap())
        .into_owned()
}

fn hidden(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name}"));
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_insights_page_teaches_the_draft_and_picks_winners_and_exports_csv() {
    on_every_database(
        |c| c.insights_per_minute = 1000,
        async |app| {
            let db = &app.state.db;
            www::flows::admin::import(db, "shop", FLOW, "test").await.unwrap();
            let print = format!("{:016x}", flow_authoring::compile::compile_json(FLOW).flow.unwrap().fingerprint);
            for n in 0..3 {
                let mut r = report(n, &print);
                r["questions"][0]["text"] = json!("do you sell socks for dogs [number]");
                if n == 2 {
                    r["triggers"][0]["variant"] = json!("b");
                }
                let from = format!("192.0.2.{}", 30 + n);
                assert_eq!(app.send(beacon(&from, r.to_string())).await.status(), StatusCode::NO_CONTENT);
            }
            // A question one visitor asked, however often, is not listed: a stranger cannot
            // put words on the owner's page (nor with bidi tricks in them).
            for n in 0..3 {
                let mut r = report(60 + n, &print);
                r["visitor_day"] = json!(id(7));
                r["questions"][0]["text"] = json!("click \u{202e}moc.live//:sptth to get a refund");
                assert_eq!(app.send(beacon("203.0.113.7", r.to_string())).await.status(), StatusCode::NO_CONTENT);
            }
            // A shopper's words are text on the page, and no formula in the CSV (asked by
            // two visitors, so that they are listed).
            for (n, from) in [(50, "192.0.2.41"), (51, "192.0.2.42")] {
                let mut r = report(n, &print);
                r["questions"][0]["text"] = json!("<script>alert(1)</script>");
                r["triggers"] = json!([]);
                r["questions"].as_array_mut().unwrap().push(json!({ "kind": "missed", "text": "=HYPERLINK(\"http://evil.example\")", "entries": [] }));
                assert_eq!(app.send(beacon(from, r.to_string())).await.status(), StatusCode::NO_CONTENT);
            }
            // A handoff from this flow: the page lists the shopper's last lines.
            let mut h = support::handoff("insights-handoff");
            h["flow"] = json!("shop.json");
            h["transcript"] = json!([
                { "from": "shopper", "text": "where is my parcel", "at": support::said_at() },
                { "from": "bot", "text": "Let me find someone", "at": support::said_at() }
            ]);
            let (s, _, body) = app.post("/api/v1/handoffs", &h).await;
            assert_eq!(s, StatusCode::CREATED, "{body}");

            let r = app.send(form("/inbox/login", "", "email=owner%40fernhill.example&password=fernhill-owner")).await;
            let cookie = r.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
            let html = text(app.send(page("/console/flows/shop/insights", &cookie)).await).await;
            assert!(html.contains("do you sell socks for dogs [number]"), "{html}");
            assert!(html.contains("does not answer"));
            assert!(html.contains("where is my parcel"), "the handoff's last words");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"));
            let questions = text(app.send(page("/console/flows/shop/insights?csv=questions", &cookie)).await).await;
            assert!(questions.contains("\"'=HYPERLINK("), "{questions}");
            assert!(!html.contains("to get a refund"), "one visitor's question is not listed");
            // 2 shown against 1 is no evidence: no winner is offered, and a forged click
            // is refused.
            assert!(!html.contains("the winner of rescue"));
            let csrf = hidden(&html, "csrf");
            let revision = hidden(&html, "revision");

            let csv = text(app.send(page("/console/flows/shop/insights?csv=triggers", &cookie)).await).await;
            let mut lines = csv.lines();
            assert_eq!(lines.next(), Some("trigger,variant,shown,dismissed,converted,conversion,95 % interval,held out,holdout engaged anyway,holdout 95 % interval"));
            assert!(lines.next().unwrap().starts_with("rescue,a,5,0,2,40 %,"), "{csv}");
            assert!(lines.next().unwrap().starts_with("rescue,b,1,0,0,0 %,"), "{csv}");
            for table in ["summary", "days", "questions", "handoffs"] {
                let r = app.send(page(&format!("/console/flows/shop/insights?csv={table}"), &cookie)).await;
                assert_eq!(r.status(), StatusCode::OK, "{table}");
                assert!(r.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
            }

            // One click: the question becomes a phrasing of `returns` (without the placeholder).
            let body = format!("csrf={csrf}&revision={revision}&question=do+you+sell+socks+for+dogs+%5Bnumber%5D&entry=returns&back=from%3D2000-01-01");
            let r = app.send(form("/console/flows/shop/insights/phrasing", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let draft = www::flows::store::draft(db, "shop").await.unwrap().unwrap();
            let doc: Value = serde_json::from_str(&draft.source).unwrap();
            assert_eq!(doc["faq"]["entries"][0]["phrasings"], json!(["return policy", "send it back", "do you sell socks for dogs"]));
            let html = text(app.send(page("/console/flows/shop/insights", &cookie)).await).await;
            assert!(html.contains("answers with <strong>returns</strong>"), "{html}");

            // A forged "make the winner" on a handful of reports is refused.
            let revision = hidden(&html, "revision");
            let body = format!("csrf={csrf}&revision={revision}&trigger=rescue&variant=b");
            let r = app.send(form("/console/flows/shop/insights/winner", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::CONFLICT);
            // Real evidence: 300 shoppers saw each variant, b converted three times as often.
            let mut batch: flow_runtime::wire::InsightsBatch = serde_json::from_value(report(90, &print)).unwrap();
            batch.triggers = vec![
                flow_runtime::wire::TriggerTally { trigger: "rescue".into(), variant: "a".into(), shown: 300, converted: 30, ..Default::default() },
                flow_runtime::wire::TriggerTally { trigger: "rescue".into(), variant: "b".into(), shown: 300, converted: 90, ..Default::default() },
            ];
            insights::record(db, "shop", 1, &batch, "test", www::clock::now_ms()).await.unwrap();
            let html = text(app.send(page("/console/flows/shop/insights", &cookie)).await).await;
            assert!(html.contains("Make b the winner of rescue"), "{html}");
            assert!(!html.contains("Make a the winner of rescue"));
            // One click: variant b wins; the draft's trigger shows its step, without holdout.
            let revision = hidden(&html, "revision");
            let body = format!("csrf={csrf}&revision={revision}&trigger=rescue&variant=b");
            let r = app.send(form("/console/flows/shop/insights/winner", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let draft = www::flows::store::draft(db, "shop").await.unwrap().unwrap();
            let doc: Value = serde_json::from_str(&draft.source).unwrap();
            assert_eq!(doc["triggers"][0], json!({ "id": "rescue", "on": "exit_intent", "step": "offer-b" }));
            assert!(flow_authoring::compile::compile_json(&draft.source).flow.is_some());
            // A stale page's click is refused.
            let r = app.send(form("/console/flows/shop/insights/winner", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::CONFLICT);
        },
    )
    .await;
}

/// Issue 33: a missed question remembers the language it was asked in, and "add as a
/// phrasing" adds it to that language of the entry (a list in the first language becomes
/// one per language); a language the flow lacks, or none, goes to the default one.
#[tokio::test]
async fn a_missed_question_is_taught_in_the_language_it_was_asked_in() {
    const TWO: &str = r#"{
      "bot": { "name": "Tienda", "languages": ["en", "es"] },
      "insights": true,
      "steps": [ { "id": "hi", "type": "message", "text": { "en": "Hello", "es": "Hola" } } ],
      "faq": { "entries": [
        { "id": "shipping", "question": { "en": "Do you ship abroad?", "es": "¿Enviáis al extranjero?" },
          "phrasings": ["ship abroad", "international shipping"],
          "answer": { "text": { "en": "Yes, to the EU.", "es": "Sí, a la UE." } } }
      ] }
    }"#;
    on_every_database(
        |c| c.insights_per_minute = 1000,
        async |app| {
            let db = &app.state.db;
            www::flows::admin::import(db, "tienda", TWO, "test").await.unwrap();
            let print = format!("{:016x}", flow_authoring::compile::compile_json(TWO).flow.unwrap().fingerprint);
            for n in 0..2u32 {
                let mut r = report(200 + n, &print);
                r["flow"] = json!("tienda.json");
                r["faq"] = json!([]);
                r["triggers"] = json!([]);
                r["questions"] = json!([{ "kind": "missed", "text": "enviais a canarias", "entries": ["shipping"], "language": "es" }]);
                let from = format!("192.0.2.{}", 80 + n);
                assert_eq!(app.send(beacon(&from, r.to_string())).await.status(), StatusCode::NO_CONTENT);
            }
            // A language that is no language code is refused, located.
            let mut bad = report(299, &print);
            bad["flow"] = json!("tienda.json");
            bad["questions"][0]["language"] = json!("es\"><script>");
            let r = app.send(beacon("192.0.2.99", bad.to_string())).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(text(r).await.contains("questions.language"));

            let r = app.send(form("/inbox/login", "", "email=owner%40fernhill.example&password=fernhill-owner")).await;
            let cookie = r.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
            let html = text(app.send(page("/console/flows/tienda/insights", &cookie)).await).await;
            assert!(html.contains("enviais a canarias"), "{html}");
            assert!(html.contains("(asked in Spanish)"), "{html}");
            assert_eq!(hidden(&html, "language"), "es");
            let (csrf, revision) = (hidden(&html, "csrf"), hidden(&html, "revision"));
            let body = format!("csrf={csrf}&revision={revision}&question=enviais+a+canarias&language=es&entry=shipping");
            let r = app.send(form("/console/flows/tienda/insights/phrasing", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let draft = www::flows::store::draft(db, "tienda").await.unwrap().unwrap();
            let doc: Value = serde_json::from_str(&draft.source).unwrap();
            assert_eq!(
                doc["faq"]["entries"][0]["phrasings"],
                json!({ "en": ["ship abroad", "international shipping"], "es": ["enviais a canarias"] })
            );
            let compiled = flow_authoring::compile::compile_json(&draft.source);
            let flow = compiled.flow.unwrap_or_else(|| panic!("{:?}", compiled.diagnostics));
            // Taught, it counts as much as a written phrasing: the next Spanish shopper who
            // asks it in other words is answered (before, they were not).
            let before = flow_authoring::compile::compile_json(TWO).flow.unwrap();
            assert!(!matches!(
                before.faq.decide("y envian a canarias?", "es"),
                flow_runtime::faq::Decision::Answer(_)
            ));
            match flow.faq.decide("y envian a canarias?", "es") {
                flow_runtime::faq::Decision::Answer(r) => assert_eq!(r.entry, 0),
                other => panic!("{other:?}"),
            }

            // A language the flow lacks goes to the default one.
            let html = text(app.send(page("/console/flows/tienda/insights", &cookie)).await).await;
            let revision = hidden(&html, "revision");
            let body = format!("csrf={csrf}&revision={revision}&question=livrez+vous&language=fr&entry=shipping");
            let r = app.send(form("/console/flows/tienda/insights/phrasing", &cookie, &body)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let draft = www::flows::store::draft(db, "tienda").await.unwrap().unwrap();
            let doc: Value = serde_json::from_str(&draft.source).unwrap();
            assert_eq!(doc["faq"]["entries"][0]["phrasings"]["en"][2], json!("livrez vous"));
        },
    )
    .await;
}
