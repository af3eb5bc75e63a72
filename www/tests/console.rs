//! The merchant console over HTTP, on SQLite and PostgreSQL: roles, forms that save the
//! draft and show the compiler's problems, publishing, rollback, export, and what the
//! storefront gets.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use support::on_every_database;

const HOST: &str = "console.test";
const ORIGIN: &str = "http://console.test";

fn form(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

async fn text(r: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(r.into_body(), 8 << 20).await.unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Logs in; returns the cookie and where the login sent us.
async fn log_in(app: &support::TestApp, email: &str, password: &str) -> (String, String) {
    let r = app
        .send(form(
            "/inbox/login",
            "",
            &format!("email={}&password={}", enc(email), enc(password)),
        ))
        .await;
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (cookie, to)
}

/// The value of the first `name="csrf"` (or other) hidden field on a page.
fn hidden(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn owners_edit_publish_and_roll_back_and_agents_are_refused() {
    on_every_database(
        |_| {},
        async |app| {
            let (agent, to) = log_in(&app, "agent@fernhill.example", "fernhill-demo").await;
            assert_eq!(to, "/inbox");
            let (owner, to) = log_in(&app, "owner@fernhill.example", "fernhill-owner").await;
            assert_eq!(to, "/console");

            // The demo flow file was imported as version 1 on first use.
            let r = app.send(get("/console", &owner)).await;
            assert_eq!(r.status(), StatusCode::OK);
            let page = text(r).await;
            assert!(page.contains("/console/flows/demo"), "{page}");
            let csrf = hidden(&page, "csrf");

            // An agent gets 403 on every page and action, with a valid token of their own.
            let agent_page = text(app.send(get("/inbox", &agent)).await).await;
            let agent_csrf = hidden(&agent_page, "csrf");
            for path in ["/console", "/console/flows/demo", "/console/flows/demo/edit/faq", "/console/accounts", "/console/flows/demo/health", "/console/preview/demo.json?format=bhf", "/console/flows/demo/versions/1/export"] {
                assert_eq!(app.send(get(path, &agent)).await.status(), StatusCode::FORBIDDEN, "{path}");
            }
            for (path, body) in [
                ("/console/flows/demo/publish", format!("csrf={agent_csrf}&revision=0")),
                ("/console/flows/demo/draft", format!("csrf={agent_csrf}&revision=0&back=bot&s%3A%2Fbot%2Fname=Hacked")),
                ("/console/flows/demo/versions/1/rollback", format!("csrf={agent_csrf}")),
                ("/console/flows", format!("csrf={agent_csrf}&name=evil&from=blank")),
                ("/console/accounts", format!("csrf={agent_csrf}&name=Eve&email=eve%40x.example&password=0123456789ab&role=owner")),
            ] {
                assert_eq!(app.send(form(path, &agent, &body)).await.status(), StatusCode::FORBIDDEN, "{path}");
            }
            // Nobody logged in: pages go to the login form, actions get 401.
            assert_eq!(app.send(get("/console", "")).await.status(), StatusCode::SEE_OTHER);
            assert_eq!(app.send(form("/console/flows/demo/publish", "", "csrf=x&revision=0")).await.status(), StatusCode::UNAUTHORIZED);
            // An owner's form without the right token, or from another site, is refused.
            assert_eq!(app.send(form("/console/flows/demo/publish", &owner, "csrf=wrong&revision=0")).await.status(), StatusCode::FORBIDDEN);
            let mut forged = form("/console/flows/demo/publish", &owner, &format!("csrf={csrf}&revision=0"));
            forged.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());
            assert_eq!(app.send(forged).await.status(), StatusCode::FORBIDDEN);

            // A new flow, copied from the demo.
            let r = app.send(form("/console/flows", &owner, &format!("csrf={csrf}&name=shop&from=demo"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let r = app.send(get("/flows/shop.json?format=bhf", "")).await; let s = r.status(); assert_eq!(s, StatusCode::NOT_FOUND, "not published yet: {}", text(r).await);
            let r = app.send(form("/console/flows/shop/publish", &owner, &format!("csrf={csrf}&revision=0&note=first"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let v1 = text(app.send(get("/flows/shop.json", "")).await).await;

            // A form saves its fields into the draft; an empty answer is an error shown
            // next to the answer, with the fix.
            let page = text(app.send(get("/console/flows/shop/edit/faq", &owner)).await).await;
            let revision = hidden(&page, "revision");
            let r = app.send(form("/console/flows/shop/draft", &owner, &format!("csrf={csrf}&revision={revision}&back=faq&action=add%3A%2Ffaq%2Fentries%3Afaq"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
            assert!(to.starts_with("/console/flows/shop/edit/faq/12?saved="), "{to}");
            let page = text(app.send(get(&to, &owner)).await).await;
            assert!(page.contains("This entry has no answer yet."), "{page}");
            assert!(page.contains("Fix: Write what the shopper should read in “Answer”"));
            let revision = hidden(&page, "revision");
            // Not publishable with errors.
            let r = app.send(form("/console/flows/shop/publish", &owner, &format!("csrf={csrf}&revision={revision}"))).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

            let p = "/faq/entries/12";
            let body = [
                ("csrf", csrf.clone()),
                ("revision", revision.clone()),
                ("back", "faq/12".into()),
                ("action", "save".into()),
                (&format!("s:{p}/id"), "dogs".into()),
                (&format!("s:{p}/question/en"), "Can I bring my dog?".into()),
                (&format!("s:{p}/question/es"), "¿Puedo llevar a mi perro?".into()),
                (&format!("l:{p}/phrasings/en"), "are dogs allowed\npets in the shop".into()),
                (&format!("l:{p}/phrasings/es"), "se admiten perros".into()),
                (&format!("ans:{p}"), "text".into()),
                (&format!("s:{p}/answer/text/en"), "Dogs are **welcome**.".into()),
                (&format!("s:{p}/answer/text/es"), "Los perros son **bienvenidos**.".into()),
            ]
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
            let r = app.send(form("/console/flows/shop/draft", &owner, &body)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            // The same form again, from the page as it was: refused, not applied twice.
            let r = app.send(form("/console/flows/shop/draft", &owner, &body)).await;
            assert_eq!(r.status(), StatusCode::CONFLICT);

            // The question box explains the decision.
            let page = text(app.send(get("/console/flows/shop/edit/faq/12?ask=are+dogs+allowed+here&lang=en", &owner)).await).await;
            assert!(page.contains("Answers with <strong>dogs</strong>"), "{page}");
            assert!(page.contains("<strong>welcome</strong>"), "the Markdown preview");
            let revision = hidden(&page, "revision");
            let draft = text(app.send(get("/console/flows/shop/draft/export", &owner)).await).await;
            let doc: serde_json::Value = serde_json::from_str(&draft).unwrap();
            assert_eq!(doc["faq"]["entries"][12]["phrasings"]["en"], serde_json::json!(["are dogs allowed", "pets in the shop"]));
            // The export is a flow document as a merchant writes it, keys in their order.
            assert!(draft.find("\"version\"").unwrap() < draft.find("\"bot\"").unwrap());
            assert!(flow_authoring::compile::compile_json(&draft).flow.is_some());

            // The preview gets the draft compiled; the storefront still the live version.
            let r = app.send(get("/console/preview/shop.json?format=bhf", &owner)).await;
            assert_eq!(r.status(), StatusCode::OK);
            let bytes = axum::body::to_bytes(r.into_body(), 8 << 20).await.unwrap();
            let preview = flow_runtime::Flow::from_bytes(&bytes).unwrap();
            assert!(preview.faq.entries.iter().any(|e| e.id == "dogs"));
            assert_eq!(text(app.send(get("/flows/shop.json", "")).await).await, v1);

            // Published: served at once, with the caching headers the widget expects.
            let r = app.send(form("/console/flows/shop/publish", &owner, &format!("csrf={csrf}&revision={revision}&note=dogs"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let r = app.send(get("/flows/shop.json?format=bhf", "")).await;
            assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
            assert!(r.headers().contains_key(header::ETAG));
            let bytes = axum::body::to_bytes(r.into_body(), 8 << 20).await.unwrap();
            let live = flow_runtime::Flow::from_bytes(&bytes).unwrap();
            assert!(matches!(live.faq.decide("are dogs allowed", "en"), flow_runtime::faq::Decision::Answer(r) if live.faq.entries[r.entry as usize].id == "dogs"));
            let versions = www::flows::store::versions(&app.state.db, "shop").await.unwrap();
            assert_eq!(versions.iter().map(|v| v.number).collect::<Vec<_>>(), [2, 1]);
            assert_eq!(versions[0].published_by, "Robin <owner@fernhill.example>");
            assert_eq!(versions[0].note, "dogs");

            // Rolled back to version 1: a new version 3 with version 1's document.
            let r = app.send(form("/console/flows/shop/versions/1/rollback", &owner, &format!("csrf={csrf}"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(text(app.send(get("/flows/shop.json", "")).await).await, v1);
            let versions = www::flows::store::versions(&app.state.db, "shop").await.unwrap();
            assert_eq!(versions[0].number, 3);
            assert_eq!(versions[0].note, "rollback to version 1");
            // The draft held nothing unpublished, so it follows the rollback.
            let draft = www::flows::store::draft(&app.state.db, "shop").await.unwrap().unwrap();
            assert_eq!(draft.source, v1);
            // Every version exports as JSON.
            let r = app.send(get("/console/flows/shop/versions/2/export", &owner)).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert!(r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("shop-v2.json"));
            assert!(text(r).await.contains("\"dogs\""));

            // The export of a version is a flow `flow test` passes: the demo's own
            // conversation tests, on version 1 of the copy as exported.
            let v1_export = text(app.send(get("/console/flows/shop/versions/1/export", &owner)).await).await;
            let flow = flow_authoring::compile::compile_json(&v1_export).flow.expect("the export compiles");
            // Read as `flow test` reads it: YAML to a JSON tree, then the test file.
            let tree: serde_json::Value = serde_yaml::from_str(include_str!("../flows/demo.tests.yaml")).unwrap();
            let tests: flow_authoring::testing::TestFile = serde_json::from_value(tree).unwrap();
            assert!(tests.tests.len() > 10);
            for case in &tests.tests {
                flow_authoring::testing::run_case(&flow, &tests.orders, case)
                    .unwrap_or_else(|report| panic!("{}: {report}", case.name));
            }

            // Every page of the editor renders for the demo flow.
            for part in ["bot", "faq", "faq/0", "steps", "steps/0", "steps/2", "steps/3", "triggers", "triggers/0", "triggers/1", "hours", "handoff"] {
                let r = app.send(get(&format!("/console/flows/shop/edit/{part}"), &owner)).await;
                assert_eq!(r.status(), StatusCode::OK, "{part}");
            }
            let page = text(app.send(get("/console/flows/shop/health", &owner)).await).await;
            assert!(page.contains("found their own entry"), "{page}");
        },
    )
    .await;
}

#[tokio::test]
async fn owners_manage_accounts_and_the_last_owner_stays() {
    on_every_database(
        |_| {},
        async |app| {
            let (owner, _) = log_in(&app, "owner@fernhill.example", "fernhill-owner").await;
            let page = text(app.send(get("/console/accounts", &owner)).await).await;
            let csrf = hidden(&page, "csrf");
            let r = app.send(form("/console/accounts", &owner, &format!("csrf={csrf}&name=Kim&email=kim%40shop.example&password=kims-password-1&role=agent"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let (kim, to) = log_in(&app, "kim@shop.example", "kims-password-1").await;
            assert_eq!(to, "/inbox");
            assert_eq!(app.send(get("/console", &kim)).await.status(), StatusCode::FORBIDDEN);
            let accounts = www::agents::list(&app.state.db).await.unwrap();
            let kim_id = accounts.iter().find(|a| a.email == "kim@shop.example").unwrap().id;
            let owner_id = accounts.iter().find(|a| a.email == "owner@fernhill.example").unwrap().id;
            // Nobody removes themselves, and the last owner cannot go.
            let r = app.send(form(&format!("/console/accounts/{owner_id}/remove"), &owner, &format!("csrf={csrf}"))).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(www::agents::remove(&app.state.db, owner_id).await.is_err());
            let r = app.send(form(&format!("/console/accounts/{kim_id}/remove"), &owner, &format!("csrf={csrf}"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            // Kim's session ended with the account.
            assert_eq!(app.send(get("/inbox", &kim)).await.status(), StatusCode::SEE_OTHER);
        },
    )
    .await;
}

/// The console's contrast check is the compiler's verdict: a yellow accent with no text
/// colour set reads well (the compiler picks black text), and white text on it is the
/// compiler's `low-contrast` warning, shown once, next to the colours.
#[tokio::test]
async fn the_contrast_check_is_the_compilers() {
    on_every_database(
        |_| {},
        async |app| {
            let (owner, _) = log_in(&app, "owner@fernhill.example", "fernhill-owner").await;
            let page = text(app.send(get("/console", &owner)).await).await;
            let csrf = hidden(&page, "csrf");
            let r = app
                .send(form("/console/flows", &owner, &format!("csrf={csrf}&name=yellow&from=demo")))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let save = async |accent: &str, on_accent: &str| -> String {
                let page = text(app.send(get("/console/flows/yellow/edit/bot", &owner)).await).await;
                let revision = hidden(&page, "revision");
                let body = format!(
                    "csrf={csrf}&revision={revision}&back=bot&o%3A%2Fbot%2Ftheme%2Faccent={}&o%3A%2Fbot%2Ftheme%2Fon_accent={}",
                    enc(accent),
                    enc(on_accent)
                );
                let r = app.send(form("/console/flows/yellow/draft", &owner, &body)).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
                text(app.send(get("/console/flows/yellow/edit/bot", &owner)).await).await
            };
            let page = save("#ffd700", "").await;
            assert!(page.contains("Contrast: readable"), "{page}");
            assert!(page.contains(r##"fill="#000000""##), "black text, as the compiler picks");
            assert!(!page.contains("below the 4.5:1"), "{page}");

            let page = save("#ffd700", "#ffffff").await;
            assert!(page.contains("Contrast: too low"), "{page}");
            assert_eq!(page.matches("below the 4.5:1 that WCAG AA asks").count(), 1, "{page}");
            let compiled = flow_authoring::compile::compile_json(
                &text(app.send(get("/console/flows/yellow/draft/export", &owner)).await).await,
            );
            assert!(compiled.diagnostics.iter().any(|d| d.code == "low-contrast"));
        },
    )
    .await;
}

#[tokio::test]
async fn a_questions_choices_are_edited_per_language() {
    on_every_database(
        |_| {},
        async |app| {
            let (owner, _) = log_in(&app, "owner@fernhill.example", "fernhill-owner").await;
            let page = text(app.send(get("/console", &owner)).await).await;
            let csrf = hidden(&page, "csrf");
            let r = app
                .send(form(
                    "/console/flows",
                    &owner,
                    &format!("csrf={csrf}&name=sizes&from=demo"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let demo: serde_json::Value =
                serde_json::from_str(include_str!("../flows/demo.json")).unwrap();
            let at = demo["steps"]
                .as_array()
                .unwrap()
                .iter()
                .position(|s| s["id"] == "size-kind")
                .unwrap();
            // One box per language, each with that language's options in order.
            let edit = format!("/console/flows/sizes/edit/steps/{at}");
            let page = text(app.send(get(&edit, &owner)).await).await;
            for (lang, lines) in [
                ("en", "Shoes\nJackets\nHoodies"),
                ("es", "Zapatillas\nChaquetas\nSudaderas"),
            ] {
                let name = format!("name=\"ll:/steps/{at}/choices/{lang}\"");
                let field = &page[page.find(&name).unwrap_or_else(|| panic!("no {name}"))..];
                let value =
                    &field[field.find('>').unwrap() + 1..field.find("</textarea>").unwrap()];
                assert_eq!(value, lines, "{lang}");
            }
            // The merchant adds a fourth option, the same in both languages, and renames
            // one in Spanish.
            let revision = hidden(&page, "revision");
            let body = [
                ("csrf", csrf.clone()),
                ("revision", revision),
                ("back", format!("steps/{at}")),
                ("action", "save".into()),
                (
                    &format!("ll:/steps/{at}/choices/en"),
                    "Shoes\nJackets\nHoodies\nSocks".into(),
                ),
                (
                    &format!("ll:/steps/{at}/choices/es"),
                    "Zapatillas\nChaquetas\nSudaderas con capucha\nSocks".into(),
                ),
            ]
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
            let r = app
                .send(form("/console/flows/sizes/draft", &owner, &body))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let draft = text(
                app.send(get("/console/flows/sizes/draft/export", &owner))
                    .await,
            )
            .await;
            let doc: serde_json::Value = serde_json::from_str(&draft).unwrap();
            assert_eq!(
                doc["steps"][at]["choices"],
                serde_json::json!([
                    { "en": "Shoes", "es": "Zapatillas" },
                    { "en": "Jackets", "es": "Chaquetas" },
                    { "en": "Hoodies", "es": "Sudaderas con capucha" },
                    "Socks"
                ])
            );
            let compiled = flow_authoring::compile::compile_json(&draft);
            assert_eq!(compiled.errors(), 0, "{:?}", compiled.diagnostics);
        },
    )
    .await;
}
