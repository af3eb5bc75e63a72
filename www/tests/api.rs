//! The widget's API, request by request, on SQLite and PostgreSQL.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{handoff, key, on_every_database};

#[tokio::test]
async fn an_order_is_found_by_number_and_email_and_shows_only_what_a_shopper_needs() {
    on_every_database(
        |_| {},
        async |app| {
            let (status, _, body) = app
                .post(
                    "/api/v1/orders/lookup",
                    &json!({ "number": "#10234", "email": " ANA@example.com" }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
            let order = &body["order"];
            assert_eq!(order["number"], "10234");
            assert_eq!(order["status"], "shipped");
            assert_eq!(order["carrier"], "DHL");
            assert!(
                order["tracking_url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://www.dhl.com/")
            );
            assert_eq!(order["items"][0]["name"], "Ridgeline Trail Runner");
            assert_eq!(order["items"][1]["quantity"], 1);
            assert!(order["estimated_delivery"].as_str().unwrap().len() == 10);
            let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
            for secret in [
                "email",
                "total_cents",
                "currency",
                "address",
                "payment",
                "id",
            ] {
                assert!(
                    !keys.iter().any(|k| *k == secret),
                    "{secret} leaked: {keys:?}"
                );
            }
            // Every status of the demo store answers.
            for (number, email, status) in www::orders::demo::DEMO_LOOKUPS {
                let (s, _, body) = app
                    .post(
                        "/api/v1/orders/lookup",
                        &json!({ "number": number, "email": email }),
                    )
                    .await;
                assert_eq!(s, StatusCode::OK);
                assert_eq!(body["order"]["status"], status);
            }
        },
    )
    .await;
}

#[tokio::test]
async fn a_missing_order_and_a_wrong_email_get_the_same_answer() {
    on_every_database(
        |_| {},
        async |app| {
            let missing = app
                .post(
                    "/api/v1/orders/lookup",
                    &json!({ "number": "99999", "email": "ana@example.com" }),
                )
                .await;
            let wrong = app
                .post(
                    "/api/v1/orders/lookup",
                    &json!({ "number": "10234", "email": "eve@example.com" }),
                )
                .await;
            assert_eq!(missing.0, StatusCode::NOT_FOUND);
            assert_eq!(missing.0, wrong.0);
            assert_eq!(missing.2, wrong.2);
            assert_eq!(missing.2["error"]["code"], "order_not_found");
        },
    )
    .await;
}

#[tokio::test]
async fn lookups_are_rate_limited_per_client_and_per_order_number() {
    on_every_database(
        |c| {
            c.lookups_per_minute = 3;
            c.lookups_per_order_per_minute = 5;
        },
        async |app| {
            let ask = |client: &'static str, number: &'static str| {
                let app = &app;
                async move {
                    app.post_from(
                        client,
                        "/api/v1/orders/lookup",
                        &json!({ "number": number, "email": "x@example.com" }),
                    )
                    .await
                }
            };
            for number in ["10001", "10002", "10003"] {
                assert_eq!(ask("198.51.100.1", number).await.0, StatusCode::NOT_FOUND);
            }
            let (status, headers, body) = ask("198.51.100.1", "10004").await;
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(body["error"]["code"], "rate_limited");
            assert!(headers.get(header::RETRY_AFTER).is_some());
            // One order number probed from many addresses: five failures a minute, then 429.
            for i in 0..5 {
                let client: &'static str = Box::leak(format!("203.0.113.{i}").into_boxed_str());
                assert_eq!(ask(client, "#10234").await.0, StatusCode::NOT_FOUND);
            }
            assert_eq!(
                ask("203.0.113.99", "10234").await.0,
                StatusCode::TOO_MANY_REQUESTS
            );
            // Yet the order's owner, with the right email, is never locked out of it.
            let (status, _, body) = app
                .post_from(
                    "192.0.2.7",
                    "/api/v1/orders/lookup",
                    &json!({ "number": "10234", "email": "Ana@Example.com" }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            // A missing order reads one row like an existing one: the lookup's first query
            // answers with a row of NULLs rather than with nothing.
            let missing = www::orders::candidate(&app.state.db, "99999")
                .await
                .unwrap();
            let row = missing.expect("a row for a missing order");
            use sqlx::Row;
            assert_eq!(row.try_get::<Option<String>, _>("email").unwrap(), None);
        },
    )
    .await;
}

#[tokio::test]
async fn bad_requests_get_a_json_error_naming_the_problem() {
    on_every_database(
        |_| {},
        async |app| {
            let raw = |body: &'static str, content_type: &'static str| {
                Request::post("/api/v1/orders/lookup")
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap()
            };
            let cases = [
                (
                    raw("{not json", "application/json"),
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                ),
                (
                    raw(r#"{"number":"1"}"#, "application/json"),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                ),
                (
                    raw(r#"{"number":"1","email":"a@b.c"}"#, "text/plain"),
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                ),
            ];
            for (request, status, code) in cases {
                let (s, _, body) = support::split(app.send(request).await).await;
                assert_eq!(s, status, "{body}");
                assert_eq!(body["error"]["code"], code);
                assert!(body["error"]["message"].as_str().unwrap().len() > 5);
            }
            let too_big = "x".repeat(www::api::MAX_BODY_BYTES + 1);
            let (s, _, body) = app
                .post("/api/v1/handoffs", &json!({ "key": too_big }))
                .await;
            assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
            assert_eq!(body["error"]["code"], "too_large");
            let (s, _, body) = app
                .post(
                    "/api/v1/orders/lookup",
                    &json!({ "number": "10234", "email": "not an email" }),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("`email`"),
                "{body}"
            );
            let mut h = handoff("key-with-nul-0001");
            h["transcript"][1]["text"] = json!("a\u{0}b");
            let (s, _, body) = app.post("/api/v1/handoffs", &h).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("transcript[1].text"),
                "{body}"
            );
            let mut h = handoff("bad key!");
            let (s, _, _) = app.post("/api/v1/handoffs", &h).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            h["key"] = json!(key("long-transcript-1"));
            h["transcript"] = json!(vec![json!({"at": 0, "from": "bot", "text": "hi"}); 501]);
            let (s, _, body) = app.post("/api/v1/handoffs", &h).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let (s, _, _) = app.get("/api/v1/conversations/nope").await;
            assert_eq!(s, StatusCode::NOT_FOUND);
        },
    )
    .await;
}

#[tokio::test]
async fn a_retried_handoff_finds_its_conversation_instead_of_making_a_second() {
    on_every_database(
        |_| {},
        async |app| {
            let (s1, _, first) = app.post("/api/v1/handoffs", &handoff("visitor-1-17")).await;
            let (s2, _, again) = app.post("/api/v1/handoffs", &handoff("visitor-1-17")).await;
            assert_eq!(s1, StatusCode::CREATED, "{first}");
            assert_eq!(s2, StatusCode::OK);
            assert_eq!(first, again);
            assert_eq!(first["status"], "available");
            assert!(first["token"].as_str().unwrap().len() >= 32);
            let queue = app.conversations().await;
            assert_eq!(queue.len(), 1);
            let detail = app
                .state
                .conversations
                .detail(queue[0].id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(detail.messages.len(), 2);
            assert_eq!(detail.messages[1].text, "my parcel is lost");
            let c = &detail.summary.context;
            assert_eq!(
                (c.trigger.as_deref(), c.variant.as_deref()),
                (Some("exit-checkout"), Some("b"))
            );
            assert!(c.frustrated);
            assert_eq!(c.faq[0].confidence, flow_runtime::wire::Confidence(410));
            // Many tries at once still make one.
            let body = handoff("visitor-2-3");
            let tries = (0..8).map(|_| app.post("/api/v1/handoffs", &body));
            let answers = futures_util::future::join_all(tries).await;
            let tokens: std::collections::HashSet<String> = answers
                .iter()
                .map(|(_, _, b)| b["token"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(tokens.len(), 1, "{}", app.backend);
            assert_eq!(app.conversations().await.len(), 2);
        },
    )
    .await;
}

#[tokio::test]
async fn a_handoff_key_is_bound_to_its_request_and_never_hands_out_another_conversation() {
    on_every_database(
        |_| {},
        async |app| {
            // The victim's handoff.
            let victim = handoff("victim-1");
            let (s, _, first) = app.post("/api/v1/handoffs", &victim).await;
            assert_eq!(s, StatusCode::CREATED, "{first}");
            // Someone who learnt the key sends another body with it: no token, no access.
            let mut forged = handoff("attacker");
            forged["key"] = victim["key"].clone();
            forged["context"]["email"] = json!("attacker@evil.example");
            let (s, _, body) = app.post("/api/v1/handoffs", &forged).await;
            assert_eq!(s, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "key_reused");
            assert!(body.get("token").is_none());
            assert!(!body.to_string().contains(first["token"].as_str().unwrap()));
            // The victim's own retry still finds their conversation.
            let (s, _, again) = app.post("/api/v1/handoffs", &victim).await;
            assert_eq!((s, &again), (StatusCode::OK, &first));
            // Pre-emption: a key taken first by someone else does not capture the owner's
            // handoff: the owner is refused, never put in the attacker's conversation.
            let mut squatter = handoff("squatter");
            squatter["key"] = json!(key("future-victim"));
            squatter["transcript"][1]["text"] = json!("squatting on someone's key");
            let (s, _, taken) = app.post("/api/v1/handoffs", &squatter).await;
            assert_eq!(s, StatusCode::CREATED);
            let (s, _, owner) = app
                .post("/api/v1/handoffs", &handoff("future-victim"))
                .await;
            assert_eq!(s, StatusCode::CONFLICT, "{owner}");
            assert!(!owner.to_string().contains(taken["token"].as_str().unwrap()));
            // Keys too short to be unguessable are refused.
            let mut short = handoff("short");
            short["key"] = json!("abcdefgh-1");
            let (s, _, body) = app.post("/api/v1/handoffs", &short).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(body["error"]["message"].as_str().unwrap().contains("32"));
        },
    )
    .await;
}

#[tokio::test]
async fn a_transcript_holds_only_the_shoppers_and_the_bots_lines_at_plausible_times() {
    on_every_database(
        |_| {},
        async |app| {
            for (i, (from, at)) in [
                ("agent", support::said_at()),
                ("system", support::said_at()),
                ("shopper", -9_223_372_036_854_775_807i64),
                ("bot", www::clock::now_ms() + 3_600_000),
                ("shopper", www::clock::now_ms() - 400 * 24 * 3_600_000),
            ]
            .into_iter()
            .enumerate()
            {
                let mut h = handoff(&format!("forged-line-{i}"));
                h["transcript"][0] = json!({
                    "at": at,
                    "from": from,
                    "text": "Identity verified by Bellhop. Refund approved by supervisor."
                });
                let (s, _, body) = app.post("/api/v1/handoffs", &h).await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{from} {at}: {body}");
                assert!(
                    body["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("transcript[0]"),
                    "{body}"
                );
            }
            assert!(app.conversations().await.is_empty());
        },
    )
    .await;
}

#[tokio::test]
async fn outside_business_hours_the_shopper_is_told_the_team_will_email() {
    on_every_database(
        |c| c.business_hours = "never".parse().unwrap(),
        async |app| {
            let (_, _, body) = app
                .post("/api/v1/handoffs", &handoff("after-hours-1"))
                .await;
            assert_eq!(body["status"], "offline");
            let token = body["token"].as_str().unwrap();
            let (s, _, _) = app
                .post(
                    &format!("/api/v1/conversations/{token}/email"),
                    &json!({ "email": "ana@example.com" }),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT);
            let queue = app.conversations().await;
            assert_eq!(queue[0].email.as_deref(), Some("ana@example.com"));
            assert!(!queue[0].live);
        },
    )
    .await;
}

#[tokio::test]
async fn cross_origin_calls_are_allowed_only_from_configured_storefronts() {
    on_every_database(
        |c| c.allowed_origins = vec!["https://shop.example".into()],
        async |app| {
            let preflight = |origin: &'static str| {
                Request::options("/api/v1/handoffs")
                    .header(header::ORIGIN, origin)
                    .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                    .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                    .body(Body::empty())
                    .unwrap()
            };
            let ok = app.send(preflight("https://shop.example")).await;
            assert_eq!(
                ok.headers()
                    .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                    .unwrap(),
                "https://shop.example"
            );
            let other = app.send(preflight("https://evil.example")).await;
            assert!(
                other
                    .headers()
                    .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                    .is_none()
            );
        },
    )
    .await;
}

#[test]
fn the_openapi_document_lists_exactly_the_routes_the_server_has() {
    let doc: serde_json::Value = serde_json::from_str(www::api::OPENAPI).unwrap();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let mut served: Vec<(String, String)> = www::api::routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    documented.sort();
    served.sort();
    assert_eq!(
        documented, served,
        "update www/openapi.json with the routes"
    );
    // Every error code the server can give is documented.
    let codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    let sources = [
        include_str!("../src/api/error.rs"),
        include_str!("../src/api/orders.rs"),
        include_str!("../src/api/handoffs.rs"),
        include_str!("../src/api/conversations.rs"),
    ]
    .join("\n");
    // The insights endpoint's and the flows' codes (their sources name fields with `_`
    // too, so they are listed rather than scanned).
    for code in [
        "invalid_json",
        "insights_off",
        "duplicate",
        "insights_full",
        "flow_not_found",
        "flow_unpublished",
        "flow_invalid",
        "bad_format",
    ] {
        assert!(
            codes.iter().any(|c| c == code),
            "error code {code} is not in openapi.json"
        );
    }
    for code in sources.split('"').filter(|s| {
        s.len() > 3 && s.chars().all(|c| c.is_ascii_lowercase() || c == '_') && s.contains('_')
    }) {
        assert!(
            codes.iter().any(|c| c == code),
            "error code {code} is not in openapi.json"
        );
    }
}

#[tokio::test]
async fn email_addresses_carry_no_markup() {
    on_every_database(
        |_| {},
        async |app| {
            for bad in [
                "<svg/onload=alert(1)>@evil.example",
                "ana@<b>example</b>.com",
                "\"ana\"@example.com",
                "ana lopez@example.com",
                "ana@example",
                "ana@-example.com",
                "ana..lopez@example.com",
                "ana@exa_mple.com",
            ] {
                let (s, _, body) = app
                    .post(
                        "/api/v1/orders/lookup",
                        &json!({ "number": "10234", "email": bad }),
                    )
                    .await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
            }
            for good in [
                "o'brien@example.com",
                "ana.lopez+shop@example.co.uk",
                "josé@correo.es",
            ] {
                let (s, _, body) = app
                    .post(
                        "/api/v1/orders/lookup",
                        &json!({ "number": "10234", "email": good }),
                    )
                    .await;
                assert_eq!(s, StatusCode::NOT_FOUND, "{good}: {body}");
            }
        },
    )
    .await;
}

#[tokio::test]
async fn behind_our_proxies_one_client_is_one_address_whatever_its_form() {
    on_every_database(
        |c| {
            c.trust_proxy = 2;
            c.lookups_per_minute = 3;
        },
        async |app| {
            let ask = |forwarded: &'static str| {
                let app = &app;
                async move {
                    let mut request = Request::post("/api/v1/orders/lookup")
                        .header(header::CONTENT_TYPE, "application/json")
                        .header("x-forwarded-for", forwarded)
                        .body(Body::from(
                            json!({ "number": "55555", "email": "x@example.com" }).to_string(),
                        ))
                        .unwrap();
                    let proxy: std::net::SocketAddr = "10.0.0.1:40000".parse().unwrap();
                    request
                        .extensions_mut()
                        .insert(axum::extract::ConnectInfo(proxy));
                    app.send(request).await.status()
                }
            };
            // Two proxies of ours appended the last two entries; what the client claimed
            // before them (spoofed-1, spoofed-2) is ignored, and the port and the IPv6
            // spelling of an IPv4 address do not make another client.
            assert_eq!(
                ask("spoofed-1, 198.51.100.7:4711, 10.0.0.2").await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                ask("spoofed-2, [::ffff:198.51.100.7]:80, 10.0.0.2").await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(ask("198.51.100.7, 10.0.0.2").await, StatusCode::NOT_FOUND);
            assert_eq!(
                ask("::ffff:198.51.100.7, 10.0.0.2").await,
                StatusCode::TOO_MANY_REQUESTS
            );
            // Another client is another bucket.
            assert_eq!(ask("198.51.100.8, 10.0.0.2").await, StatusCode::NOT_FOUND);
        },
    )
    .await;
}

/// A flow whose team keeps `weekly` hours (in UTC), for the business-hours tests.
fn flow_with_hours(weekly: &str) -> String {
    format!(
        r#"{{
  "bot": {{ "name": "Fern", "business_hours": {{ "time_zone": "UTC", "weekly": {weekly} }} }},
  "steps": [ {{ "id": "welcome", "type": "message", "text": "Hi!" }} ]
}}"#
    )
}

#[tokio::test]
async fn a_handoff_is_answered_by_the_hours_of_the_flow_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let always = r#"{ "mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"], "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"], "sun": ["00:00-24:00"] }"#;
    let sources = [
        ("open.json", flow_with_hours(always)),
        ("closed.json", flow_with_hours("{}")),
        (
            "no-hours.json",
            r#"{ "bot": { "name": "Fern" }, "steps": [ { "id": "welcome", "type": "message", "text": "Hi!" } ] }"#.to_owned(),
        ),
    ];
    for (name, source) in &sources {
        std::fs::write(dir.path().join(name), source).unwrap();
    }
    let flows_dir = dir.path().to_owned();
    on_every_database(
        // The server's own setting says "never": it only decides for flows without hours.
        |c| {
            c.business_hours = "never".parse().unwrap();
            c.flows_dir = Some(flows_dir.clone());
        },
        async |app| {
            for (flow, server_says) in [
                (Some("open.json"), "available"),
                (Some("closed.json"), "offline"),
                (Some("no-hours.json"), "offline"),
                (Some("missing.json"), "offline"),
                (None, "offline"),
            ] {
                let mut body = handoff(&format!(
                    "hours-{}",
                    flow.unwrap_or("none").replace(".", "-")
                ));
                body["flow"] = json!(flow);
                let (s, _, answer) = app.post("/api/v1/handoffs", &body).await;
                assert_eq!(s, StatusCode::CREATED, "{answer}");
                assert_eq!(answer["status"], server_says, "{flow:?}");
                // And the engine, running that flow in a browser at this moment, agrees:
                // its `business_hours` condition is what the server answered.
                if let Some((_, source)) = sources.iter().find(|(n, _)| Some(*n) == flow) {
                    let compiled = flow_authoring::compile::compile_json(source).flow.unwrap();
                    let now = flow_runtime::Time(www::clock::now_ms() as u64);
                    let engine = flow_runtime::Conversation::new(compiled, "visitor-1", now);
                    let open = engine.agents_available();
                    if flow != Some("no-hours.json") {
                        assert_eq!(open, server_says == "available", "{flow:?}");
                    }
                }
            }
            let mut bad = handoff("hours-bad-name");
            bad["flow"] = json!("../secrets.json");
            let (s, _, answer) = app.post("/api/v1/handoffs", &bad).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        },
    )
    .await;
}

/// `openapi.json` describes the payloads `flow_runtime::wire` defines: the same fields, so
/// the document cannot drift from the one definition both sides use.
#[test]
fn the_openapi_schemas_have_the_fields_of_the_wire_types() {
    use flow_runtime::wire::*;
    let doc: serde_json::Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    let fields = |v: serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let schemas = [
        ("Lookup", serde_json::to_value(OrderLookup::default())),
        ("Order", serde_json::to_value(OrderRecord::default())),
        ("Handoff", serde_json::to_value(NewHandoff::default())),
        ("Context", serde_json::to_value(HandoffContext::default())),
        (
            "HandoffAnswer",
            serde_json::to_value(HandoffAccepted {
                token: String::new(),
                status: Availability::Available,
            }),
        ),
        ("Message", serde_json::to_value(NewMessage::default())),
        ("Email", serde_json::to_value(EmailChange::default())),
        ("Rating", serde_json::to_value(NewRating::default())),
        ("Error", serde_json::to_value(ErrorBody::default())),
        ("Insights", serde_json::to_value(InsightsBatch::default())),
        ("Resume", serde_json::to_value(ResumeRequest::default())),
        ("Resumed", serde_json::to_value(Resumed::default())),
    ];
    for (name, value) in schemas {
        let documented = fields(doc["components"]["schemas"][name]["properties"].clone());
        assert_eq!(documented, fields(value.unwrap()), "openapi.json's {name}");
    }
}

/// The webhooks are a contract too: `openapi.json`'s `webhooks` name every event the server
/// sends, and each body has the documented fields, nested ones included.
#[test]
fn the_openapi_webhooks_are_the_wire_types() {
    use flow_runtime::wire::*;
    let doc: serde_json::Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    let events = [
        WebhookEvent::Created {
            conversation: NewConversation::default(),
            transcript: vec![TranscriptLine {
                at: 1,
                from: Speaker::Shopper,
                text: "hi".into(),
            }],
        },
        WebhookEvent::ShopperMessage {
            conversation: ConversationRef { id: 1 },
            message: WebhookMessage::default(),
        },
        WebhookEvent::Closed {
            conversation: ConversationRef { id: 1 },
        },
    ];
    let documented: Vec<&String> = doc["webhooks"].as_object().unwrap().keys().collect();
    assert_eq!(documented, WebhookEvent::NAMES.iter().collect::<Vec<_>>());
    // Every object in the body against the schema at the same place.
    fn same_fields(
        value: &serde_json::Value,
        schema: &serde_json::Value,
        doc: &serde_json::Value,
        at: &str,
    ) {
        let schema = match schema["$ref"].as_str() {
            Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap(),
            None => schema,
        };
        match value {
            serde_json::Value::Object(map) => {
                let mut got: Vec<&String> = map.keys().collect();
                let props = schema["properties"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{at}: no properties"));
                let mut want: Vec<&String> = props.keys().collect();
                got.sort();
                want.sort();
                assert_eq!(got, want, "openapi.json's webhook at {at}");
                for (k, v) in map {
                    same_fields(v, &props[k], doc, &format!("{at}/{k}"));
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    same_fields(item, &schema["items"], doc, &format!("{at}[]"));
                }
            }
            _ => {}
        }
    }
    for event in events {
        let name = event.name();
        let body = serde_json::to_value(Webhook {
            id: "d".into(),
            created_at: 1,
            event,
        })
        .unwrap();
        assert_eq!(body["event"], name);
        let schema =
            &doc["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]["schema"];
        same_fields(&body, schema, &doc, name);
    }
}

/// Every bound `openapi.json` states is the contract's constant (`flow_runtime::wire::limits`)
/// that the engine cuts to and the server checks: the document cannot promise one number
/// while the server enforces another, and no bound is stated without its constant here.
#[test]
fn the_openapi_bounds_are_the_contracts_limits() {
    use flow_runtime::wire::limits::*;
    let doc: serde_json::Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    let token = "/parameters/0/schema/maxLength";
    let s = "/components/schemas";
    let table: Vec<(String, usize)> = [
        (
            format!("/paths/~1conversations~1{{token}}/get{token}"),
            TOKEN_CHARS,
        ),
        (
            format!("/paths/~1conversations~1{{token}}~1messages/post{token}"),
            TOKEN_CHARS,
        ),
        (
            format!("/paths/~1conversations~1{{token}}~1email/post{token}"),
            TOKEN_CHARS,
        ),
        (
            format!("/paths/~1conversations~1{{token}}~1rating/post{token}"),
            TOKEN_CHARS,
        ),
        (
            format!("/paths/~1conversations~1{{token}}~1events/get{token}"),
            TOKEN_CHARS,
        ),
        (
            format!("{s}/Lookup/properties/number/maxLength"),
            ORDER_NUMBER_CHARS,
        ),
        (
            format!("{s}/Lookup/properties/email/maxLength"),
            EMAIL_CHARS,
        ),
        (
            format!("{s}/Handoff/properties/key/minLength"),
            KEY_MIN_CHARS,
        ),
        (format!("{s}/Handoff/properties/key/maxLength"), KEY_CHARS),
        (
            format!("{s}/Resume/properties/resume/maxLength"),
            TOKEN_CHARS,
        ),
        (
            format!("{s}/Handoff/properties/transcript/maxItems"),
            TRANSCRIPT_LINES,
        ),
        (
            format!("{s}/Handoff/properties/transcript/items/properties/text/maxLength"),
            TRANSCRIPT_LINE_CHARS,
        ),
        (
            format!("{s}/Context/properties/page_url/maxLength"),
            PAGE_URL_CHARS,
        ),
        (
            format!("{s}/Context/properties/language/maxLength"),
            LANGUAGE_CHARS,
        ),
        (
            format!("{s}/Context/properties/device/maxLength"),
            DEVICE_CHARS,
        ),
        (
            format!("{s}/Context/properties/cart_value/maxLength"),
            CART_VALUE_CHARS,
        ),
        (
            format!("{s}/Context/properties/currency/maxLength"),
            CURRENCY_CHARS,
        ),
        (
            format!("{s}/Context/properties/cart_lines/maxItems"),
            CART_LINES,
        ),
        (
            format!("{s}/Context/properties/cart_lines/items/properties/name/maxLength"),
            CART_LINE_NAME_CHARS,
        ),
        (format!("{s}/Context/properties/faq/maxItems"), FAQ_TRIES),
        (
            format!("{s}/Context/properties/faq/items/properties/entry/maxLength"),
            NAME_CHARS,
        ),
        (
            format!("{s}/Context/properties/faq/items/properties/question/maxLength"),
            FAQ_QUESTION_CHARS,
        ),
        (
            format!("{s}/Context/properties/trigger/maxLength"),
            NAME_CHARS,
        ),
        (
            format!("{s}/Context/properties/variant/maxLength"),
            NAME_CHARS,
        ),
        (
            format!("{s}/Context/properties/email/maxLength"),
            EMAIL_CHARS,
        ),
        (format!("{s}/Message/properties/key/maxLength"), KEY_CHARS),
        (
            format!("{s}/Message/properties/text/maxLength"),
            MESSAGE_CHARS,
        ),
        (format!("{s}/Email/properties/email/maxLength"), EMAIL_CHARS),
        (
            format!("{s}/Rating/properties/comment/maxLength"),
            COMMENT_CHARS,
        ),
        (
            format!("{s}/Insights/properties/faq/maxItems"),
            REPORT_FAQ_ENTRIES,
        ),
        (
            format!("{s}/Insights/properties/faq/items/properties/entry/maxLength"),
            REPORT_NAME_CHARS,
        ),
        (
            format!("{s}/Insights/properties/faq/items/properties/answered/maximum"),
            REPORT_FAQ_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/faq/items/properties/unsure/maximum"),
            REPORT_FAQ_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/faq/items/properties/missed/maximum"),
            REPORT_FAQ_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/faq/items/properties/unhelpful/maximum"),
            REPORT_FAQ_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/questions/maxItems"),
            REPORT_QUESTIONS,
        ),
        (
            format!("{s}/Insights/properties/questions/items/properties/text/maxLength"),
            REPORT_QUESTION_CHARS,
        ),
        (
            format!("{s}/Insights/properties/questions/items/properties/entries/maxItems"),
            REPORT_QUESTION_ENTRIES,
        ),
        (
            format!("{s}/Insights/properties/questions/items/properties/language/maxLength"),
            LANGUAGE_CHARS,
        ),
        (
            format!("{s}/Insights/properties/questions/items/properties/entries/items/maxLength"),
            REPORT_NAME_CHARS,
        ),
        (
            format!("{s}/Insights/properties/triggers/maxItems"),
            REPORT_TRIGGERS,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/trigger/maxLength"),
            REPORT_NAME_CHARS,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/variant/maxLength"),
            REPORT_NAME_CHARS,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/shown/maximum"),
            REPORT_TRIGGER_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/dismissed/maximum"),
            REPORT_TRIGGER_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/converted/maximum"),
            REPORT_TRIGGER_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/triggers/items/properties/held_out/maximum"),
            REPORT_TRIGGER_COUNT as usize,
        ),
        (
            format!("{s}/Insights/properties/added_to_cart/maximum"),
            REPORT_ADDED_TO_CART as usize,
        ),
        (
            format!("{s}/Insights/properties/order_lookups/maximum"),
            REPORT_ORDER_LOOKUPS as usize,
        ),
        (
            format!("{s}/Insights/properties/handoffs/maxItems"),
            REPORT_HANDOFFS,
        ),
        (
            format!("{s}/Insights/properties/ratings/maxItems"),
            REPORT_RATINGS,
        ),
    ]
    .into_iter()
    .collect();
    for (pointer, expected) in &table {
        assert_eq!(
            doc.pointer(pointer).and_then(|v| v.as_u64()),
            Some(*expected as u64),
            "openapi.json at {pointer}"
        );
    }
    // And nothing the document bounds is missing from the table (fixed facts of the
    // format, such as a confidence's 1 or a rating's 5, aside).
    fn bounds(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    if ["maxLength", "maxItems", "maximum"].contains(&k.as_str()) {
                        out.push(here.clone());
                    }
                    bounds(v, here, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    bounds(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut stated = Vec::new();
    bounds(&doc, String::new(), &mut stated);
    let facts = [
        format!("{s}/Context/properties/faq/items/properties/confidence/maximum"),
        format!("{s}/Rating/properties/score/maximum"),
        format!("{s}/Insights/properties/conversations/maximum"),
        format!("{s}/Insights/properties/handoffs/items/properties/count/maximum"),
    ];
    for pointer in stated {
        assert!(
            table.iter().any(|(p, _)| *p == pointer) || facts.contains(&pointer),
            "openapi.json states a bound at {pointer} that no constant of wire::limits backs"
        );
    }
}

/// Editors fetch the flow format's schema from the server (the README's `"$schema"`): it is
/// the compiler's, the same as the checked-in `flow-authoring/flow.schema.json`.
#[tokio::test]
async fn the_server_serves_the_flow_schema() {
    let app = support::TestApp::sqlite(&www::Config::for_tests()).await;
    let (status, headers, body) = app.get("/flow.schema.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[axum::http::header::CONTENT_TYPE],
        "application/schema+json"
    );
    let checked_in: serde_json::Value =
        serde_json::from_str(include_str!("../../flow-authoring/flow.schema.json")).unwrap();
    assert_eq!(body, checked_in);
}
