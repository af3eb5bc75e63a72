//! The `www` binary as a merchant runs it: the admin commands, and a SIGKILL in the middle
//! of a burst of handoffs (SQLite; nothing acknowledged may be lost).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;

const WWW: &str = env!("CARGO_BIN_EXE_www");

/// Runs an admin command of `www` on the data folder `data` (`file` after the arguments,
/// `password` as `BELLHOP_AGENT_PASSWORD`).
fn www(
    data: &Path,
    args: &[&str],
    file: Option<&Path>,
    password: Option<&str>,
) -> std::process::Output {
    let mut command = Command::new(WWW);
    command.arg("--data-dir").arg(data).args(args);
    if let Some(file) = file {
        command.arg(file);
    }
    if let Some(password) = password {
        command.env("BELLHOP_AGENT_PASSWORD", password);
    }
    command.output().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &Path, port: u16) -> Child {
    Command::new(WWW)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data)
        .env("BELLHOP_HANDOFFS_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    let started = Instant::now();
    loop {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            if r.status() == 204 {
                return;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "www did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn merchants_import_orders_and_add_agents_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("orders.csv");
    std::fs::write(
        &csv,
        "number,email,status,placed_at,estimated_delivery,currency,total,sku,item_name,quantity,unit_price,carrier,tracking_number,tracking_url,shipped_at,delivered_at\n\
         A-77,Jo@Example.com,shipped,2026-11-18,2026-11-24,EUR,12.00,S1,Wool Socks,2,6.00,UPS,1Z999,https://ups.example/1Z999,2026-11-19,\n",
    )
    .unwrap();
    let out = www(dir.path(), &["orders", "import"], Some(&csv), None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 1 orders"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "number,email,status,placed_at,currency,total,sku,item_name,quantity,unit_price\n1,a@b.c,sent,2026-11-18,EUR,1,S,N,1,1\n").unwrap();
    let out = www(dir.path(), &["orders", "import"], Some(&bad), None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2, column status: `sent` is not one of"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");

    let out = www(
        dir.path(),
        &["agent", "add", "--email", "jo@shop.example", "--name", "Jo"],
        None,
        Some("a long enough password"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = www(dir.path(), &["agent", "list"], None, None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "jo@shop.example\tJo\tagent\n"
    );
    let out = www(
        dir.path(),
        &[
            "owner",
            "add",
            "--email",
            "sam@shop.example",
            "--name",
            "Sam",
        ],
        None,
        Some("another long password"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("/console"));
    let out = www(dir.path(), &["agent", "list"], None, None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "jo@shop.example\tJo\tagent\nsam@shop.example\tSam\towner\n"
    );

    // Flows: a file imported from the command line is published, a broken one kept as the
    // draft only; a version exports as the document.
    let flow = dir.path().join("shop.json");
    std::fs::write(
        &flow,
        r#"{"bot": {"name": "Shop"}, "steps": [{"id": "hi", "type": "message", "text": "Hello"}]}"#,
    )
    .unwrap();
    let out = www(dir.path(), &["flows", "import"], Some(&flow), None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "flow shop: published as version 1\n"
    );
    std::fs::write(
        &flow,
        r#"{"bot": {"name": "Shop"}, "steps": [{"id": "hi", "type": "message", "next": "gone"}]}"#,
    )
    .unwrap();
    let out = www(dir.path(), &["flows", "import"], Some(&flow), None);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("not published") && said.contains("gone"),
        "{said}"
    );
    let out = www(dir.path(), &["flows", "list"], None, None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "shop\tversion 1\tdraft has changes\n"
    );
    let out = www(dir.path(), &["flows", "export", "shop"], None, None);
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(exported["steps"][0]["text"], "Hello");

    let port = free_port();
    let mut server = start(dir.path(), port);
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    let r = client
        .post(format!("http://127.0.0.1:{port}/api/v1/orders/lookup"))
        .json(&json!({ "number": "a-77", "email": "jo@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["order"]["items"][0]["name"], "Wool Socks");
    assert_eq!(body["order"]["tracking_url"], "https://ups.example/1Z999");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn every_acknowledged_handoff_survives_a_sigkill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    wait_ready(&client, port).await;

    // Eight shoppers hand off as fast as they can; the server is killed while they do.
    let url = format!("http://127.0.0.1:{port}/api/v1/handoffs");
    let mut tasks = Vec::new();
    for shopper in 0..8 {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for n in 0.. {
                let body = json!({
                    "key": format!("shopper{shopper:02}-{n:08}-0123456789abcdef0123456789"),
                    "transcript": [{ "at": www::clock::now_ms(), "from": "shopper", "text": format!("help {shopper}/{n}") }],
                    "context": { "page_url": "https://shop.example/" }
                });
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status() == 201 => {
                        let b: Value = r.json().await.unwrap_or(Value::Null);
                        if let Some(t) = b["token"].as_str() {
                            acked.push(t.to_owned());
                        }
                    }
                    _ => break, // the server is gone
                }
            }
            acked
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    assert!(
        acked.len() > 20,
        "the burst was under way when the server died ({} acked)",
        acked.len()
    );

    let mut server = start(dir.path(), port);
    wait_ready(&client, port).await;
    let mut missing = 0;
    for token in &acked {
        let r = client
            .get(format!(
                "http://127.0.0.1:{port}/api/v1/conversations/{token}"
            ))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            missing += 1;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        missing,
        0,
        "{missing} of {} acknowledged handoffs were lost",
        acked.len()
    );
    eprintln!(
        "{} acknowledged handoffs, all there after SIGKILL and restart",
        acked.len()
    );
}

/// The server's resident memory, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn a_burst_of_wrong_logins_waits_its_turn_for_hashing_and_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // Behind our own proxy, so that each guess can come from its own address: none of them
    // is slowed by the login throttle, and all of them reach the password hashing.
    let mut server = Command::new(WWW)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--trust-proxy"])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    wait_ready(&client, port).await;
    let pid = server.id();
    let before = rss_kib(pid);
    let origin = format!("http://127.0.0.1:{port}");
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let (client, origin) = (client.clone(), origin.clone());
            tokio::spawn(async move {
                client
                    .post(format!("{origin}/inbox/login"))
                    .header("origin", &origin)
                    .header(
                        "x-forwarded-for",
                        format!("10.0.{}.{}", i / 200, i % 200 + 1),
                    )
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!(
                        "email=guess{i}%40shop.example&password=wrong-password"
                    ))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let mut peak = before;
    let mut answers = Vec::new();
    let mut pending = tasks;
    while !pending.is_empty() {
        peak = peak.max(rss_kib(pid));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (done, rest): (Vec<_>, Vec<_>) = pending.into_iter().partition(|t| t.is_finished());
        for t in done {
            answers.push(t.await.unwrap());
        }
        pending = rest;
    }
    peak = peak.max(rss_kib(pid));
    server.kill().unwrap();
    server.wait().unwrap();
    // Every guess was answered (a redirect back to the form), none dropped.
    assert!(answers.iter().all(|&s| s == 303), "{answers:?}");
    // At most a few hashes (19 MiB each) at a time, whatever the burst: without the limit,
    // a hundred at once need about 2 GiB.
    let grown_mib = peak.saturating_sub(before) / 1024;
    eprintln!(
        "login burst: 100 wrong logins, resident memory {} MiB before, {} MiB at the peak (+{grown_mib})",
        before / 1024,
        peak / 1024
    );
    assert!(grown_mib < 120, "memory grew by {grown_mib} MiB");
}

/// Reads until the server closes the connection (or `limit` passes); returns what came and
/// whether it was closed.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> (String, bool) {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&seen).into_owned(), true),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), false),
        }
    }
}

#[tokio::test]
async fn slow_and_silent_connections_are_closed_and_the_server_keeps_answering() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = Command::new(WWW)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--header-timeout", "1", "--body-timeout", "1"])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    wait_ready(&client, port).await;
    let addr = format!("127.0.0.1:{port}");
    let connect = || tokio::net::TcpStream::connect(addr.clone());

    // Headers that never end, a body that never comes, nothing at all.
    let mut unfinished = connect().await.unwrap();
    unfinished
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\nX-Slow: ")
        .await
        .unwrap();
    let mut bodiless = connect().await.unwrap();
    bodiless
        .write_all(b"POST /api/v1/orders/lookup HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"number\":")
        .await
        .unwrap();
    let mut silent = connect().await.unwrap();
    // A keep-alive connection that asked once and then idles.
    let mut idle = connect().await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\n\r\n")
        .await
        .unwrap();
    // And 300 more silent ones, as a slowloris would open.
    let mut crowd = Vec::new();
    for _ in 0..300 {
        crowd.push(connect().await.unwrap());
    }
    // The server still answers everyone else at once.
    let started = Instant::now();
    let r = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let healthz_ms = started.elapsed().as_millis();

    for (name, stream) in [
        ("unfinished headers", &mut unfinished),
        ("a missing body", &mut bodiless),
        ("nothing sent", &mut silent),
    ] {
        let (seen, closed) = read_until_closed(stream, Duration::from_secs(5)).await;
        assert!(closed, "{name}: still open after 5 s ({seen:?})");
        assert!(!seen.contains("200 OK"), "{name}: {seen}");
    }
    let (seen, closed) = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(seen.starts_with("HTTP/1.1 204"), "{seen}");
    assert!(closed, "an idle keep-alive connection stays open");
    // All at once: each waits at most 3 s.
    let waits = crowd
        .iter_mut()
        .map(|s| read_until_closed(s, Duration::from_secs(3)));
    let closed = futures_util::future::join_all(waits)
        .await
        .iter()
        .filter(|(_, closed)| *closed)
        .count();
    eprintln!(
        "slow connections: /healthz answered in {healthz_ms} ms beside 303 silent or unfinished connections; {closed} of 300 closed by the server within the header timeout (1 s here, 10 s by default)"
    );
    assert_eq!(closed, 300);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// A shop system's credentials never reach the log, whatever fails: the server logs at
/// debug level while Shopify refuses, throttles, errs and answers garbage, and neither the
/// token nor the other settings' secrets appear on standard error or output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_systems_credentials_never_reach_the_log() {
    let fakes = shop_fakes::Fakes::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Command::new(WWW)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path())
        .env("BELLHOP_SHOPIFY_STORE", fakes.base())
        .env("BELLHOP_SHOPIFY_TOKEN", shop_fakes::SHOPIFY_TOKEN)
        .env("BELLHOP_ORDERS_CACHE_SECONDS", "0")
        .env("BELLHOP_WEBHOOK_URL", "http://127.0.0.1:9/hook")
        .env("BELLHOP_WEBHOOK_SECRET", "webhook-secret-never-logged")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    for mode in [
        shop_fakes::Mode::Unauthorized,
        shop_fakes::Mode::AccessDenied,
        shop_fakes::Mode::RateLimited(0),
        shop_fakes::Mode::ServerError(500),
        shop_fakes::Mode::Malformed,
        shop_fakes::Mode::Normal,
    ] {
        fakes.shared.set_mode(mode);
        let r = client
            .post(format!("http://127.0.0.1:{port}/api/v1/orders/lookup"))
            .json(&json!({ "number": "41002", "email": "ben@example.com" }))
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        assert!(!body.contains(shop_fakes::SHOPIFY_TOKEN));
    }
    assert!(fakes.shared.calls() >= 5);
    // Each log line is written as it happens: what it wrote is all there after a kill.
    let mut server = server;
    server.kill().unwrap();
    let out = server.wait_with_output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        log.contains("order lookup: Shopify"),
        "the failures are logged: {log}"
    );
    for secret in [shop_fakes::SHOPIFY_TOKEN, "webhook-secret-never-logged"] {
        assert!(!log.contains(secret), "a secret in the log");
    }
}

/// Emails survive a SIGKILL in the middle of sending: every email queued before the kill
/// arrives after the restart, and none twice (by Message-ID).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_email_is_lost_or_sent_twice_across_a_sigkill() {
    let Some(smtp) = support::smtp::Smtp::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let run = || {
        Command::new(WWW)
            .args(["--addr", &format!("127.0.0.1:{port}"), "--demo"])
            .arg("--data-dir")
            .arg(dir.path())
            .env("BELLHOP_HANDOFFS_PER_MINUTE", "0")
            .env("BELLHOP_BUSINESS_HOURS", "never")
            .env("BELLHOP_SMTP_URL", smtp.url())
            .env("BELLHOP_MAIL_FROM", "Fernhill <help@fernhill.example>")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut server = run();
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    // 40 offline handoffs with an email: each is a confirmation and two team alerts.
    let shoppers = 40;
    for n in 0..shoppers {
        let body = json!({
            "key": format!("mail{n:04}-0123456789abcdef0123456789abcdef"),
            "transcript": [{ "at": www::clock::now_ms(), "from": "shopper", "text": format!("question {n}") }],
            "context": { "page_url": "https://shop.example/", "language": "en", "email": format!("shopper{n}@example.com") }
        });
        let r = client
            .post(format!("http://127.0.0.1:{port}/api/v1/handoffs"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let expected = shoppers * 3;
    // Killed while the worker sends.
    let started = Instant::now();
    while smtp.received().len() < 5 && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let at_kill = smtp.received().len();
    assert!(
        at_kill < expected,
        "the kill came mid-way ({at_kill} of {expected} sent)"
    );

    let mut server = run();
    wait_ready(&client, port).await;
    // The email being sent at the kill waits out its lease (30 s).
    let got = smtp.wait_for(expected, Duration::from_secs(90)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let mut ids: Vec<String> = got
        .iter()
        .filter_map(|r| r.header("message-id").map(str::to_owned))
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        expected,
        "every email arrived ({} before the kill)",
        at_kill
    );
    assert_eq!(all, expected, "and none twice");
    eprintln!(
        "{expected} emails, {at_kill} sent before the SIGKILL, all there once after the restart"
    );
}

/// `BELLHOP_METRICS_ADDR`: `/metrics` on a listener of its own, without a token, and not on
/// the main address.
#[tokio::test]
async fn metrics_have_an_address_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let (port, private) = (free_port(), free_port());
    let mut server = Command::new(WWW)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path())
        .env("BELLHOP_METRICS_ADDR", format!("127.0.0.1:{private}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    let main = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), 404);
    let scraped = client
        .get(format!("http://127.0.0.1:{private}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    let text = scraped.text().await.unwrap();
    assert!(
        text.contains(
            "bellhop_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"204\"}"
        ),
        "{text}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// `www backup FILE`: a copy of the SQLite database that a server can run from.
#[test]
fn the_sqlite_database_is_backed_up_online() {
    let dir = tempfile::tempdir().unwrap();
    let out = www(
        dir.path(),
        &[
            "agent",
            "add",
            "--email",
            "alex@shop.example",
            "--name",
            "Alex",
        ],
        None,
        Some("a-long-password"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = dir.path().join("copy.db");
    let out = www(dir.path(), &["backup"], Some(&copy), None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = Command::new(WWW)
        .args([
            "--database-url",
            &format!("sqlite://{}", copy.display()),
            "agent",
            "list",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("alex@shop.example"),
        "{listed:?}"
    );
    // Never over an existing file.
    let again = www(dir.path(), &["backup"], Some(&copy), None);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

/// `--log-format json`: every line of the log is one JSON object a collector can read,
/// with the time, the level and the message.
#[tokio::test]
async fn the_log_can_be_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Command::new(WWW)
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    wait_ready(&client, port).await;
    let mut server = server;
    server.kill().unwrap();
    let out = server.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let serving = lines
        .iter()
        .find(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Bellhop is serving"))
        })
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(serving["level"], "INFO");
    assert!(serving["timestamp"].as_str().is_some());
}
