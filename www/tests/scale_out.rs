//! Several `www` instances on one PostgreSQL, as a deployment behind a load balancer runs
//! them: started at the same moment, sharing live events, who is here, rate limits and the
//! login throttle, and each background job done once. Real processes, real HTTP; needs
//! `BELLHOP_TEST_POSTGRES` (set by `cargo xtask test`, which never skips these).

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::Connection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;
use support::{POSTGRES_ENV, browser::enc, handoff};

const WWW: &str = env!("CARGO_BIN_EXE_www");

/// A fresh database on the test server: its URL, or `None` (with a note) without one.
async fn database() -> Option<String> {
    let server = match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!(
                "note: {POSTGRES_ENV} is not set, so this did not run (cargo xtask test runs it)"
            );
            return None;
        }
    };
    let name = format!("bellhop_scale_{}", www::secrets::random_hex(6));
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}

/// One running instance.
struct Instance {
    child: Child,
    port: u16,
}

impl Instance {
    fn start(database: &str, env: &[(&str, &str)]) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(WWW)
            .args(["--addr", &format!("127.0.0.1:{port}"), "--demo"])
            .env("DATABASE_URL", database)
            .env("BELLHOP_BUSINESS_HOURS", "always")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        Instance { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Waits until it answers `/readyz`; fails if it exits first.
    async fn ready(&mut self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("www on port {} exited while starting: {status}", self.port);
            }
            if let Ok(r) = client.get(self.url("/readyz")).send().await {
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

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// One event of a Server-Sent-Events stream.
#[derive(Clone, Debug, Default)]
struct Sse {
    id: String,
    kind: String,
    data: String,
    retry: Option<u64>,
}

/// Reads `response` until `want` says the events so far are enough, or `limit` passes, or
/// the stream ends; returns the events and whether it ended.
async fn read_events(
    response: &mut reqwest::Response,
    buffer: &mut String,
    limit: Duration,
    want: impl Fn(&[Sse]) -> bool,
) -> (Vec<Sse>, bool) {
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut e = Sse::default();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    e.id = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("event:") {
                    e.kind = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    e.data = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("retry:") {
                    e.retry = v.trim().parse().ok();
                }
            }
            if !e.kind.is_empty() || e.retry.is_some() {
                events.push(e);
            }
        }
        if want(&events) {
            return (events, false);
        }
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(bytes))) => buffer.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(Ok(None)) | Ok(Err(_)) => return (events, true),
            Err(_) => return (events, false),
        }
    }
}

/// An agent's session on one instance: logs in (the form, with its Origin), and replies.
struct Agent {
    cookie: String,
}

impl Agent {
    async fn log_in(
        client: &reqwest::Client,
        on: &Instance,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(on.url("/inbox/login"))
            .header("origin", on.url(""))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={}&password={}", enc(email), enc(password)))
            .send()
            .await
            .unwrap()
    }

    async fn demo(client: &reqwest::Client, on: &Instance) -> Agent {
        let r = Agent::log_in(
            client,
            on,
            www::orders::demo::AGENT_EMAIL,
            www::orders::demo::AGENT_PASSWORD,
        )
        .await;
        assert_eq!(r.status(), 303, "logging in");
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("; ");
        Agent { cookie }
    }

    async fn reply(&self, client: &reqwest::Client, on: &Instance, conversation: i64, text: &str) {
        let path = format!("/inbox/conversations/{conversation}");
        let page = client
            .get(on.url(&path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = support::browser::hidden(&page, "csrf");
        let r = client
            .post(on.url(&format!("{path}/reply")))
            .header("cookie", &self.cookie)
            .header("origin", on.url(""))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&text={}", enc(text)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "replying on port {}", on.port);
    }
}

async fn hand_off(client: &reqwest::Client, on: &Instance, label: &str) -> Value {
    let r = client
        .post(on.url("/api/v1/handoffs"))
        .json(&handoff(label))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn conversation_id(database: &str, token: &str) -> i64 {
    let mut db = sqlx::PgConnection::connect(database).await.unwrap();
    sqlx::query_scalar("SELECT id FROM conversations WHERE token = $1")
        .bind(token)
        .fetch_one(&mut db)
        .await
        .unwrap()
}

async fn events_on(
    client: &reqwest::Client,
    on: &Instance,
    token: &str,
    after: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(on.url(&format!("/api/v1/conversations/{token}/events")));
    if let Some(after) = after {
        request = request.header("last-event-id", after);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 200);
    r
}

/// Two instances started at the same moment on one empty database both come up (migrations
/// and the demo's seeding take turns), three times over; one copy of the demo.
#[tokio::test]
async fn instances_starting_together_all_come_up_with_one_copy_of_the_demo() {
    let client = client();
    for _ in 0..3 {
        let Some(database) = database().await else {
            return;
        };
        let mut a = Instance::start(&database, &[]);
        let mut b = Instance::start(&database, &[]);
        a.ready(&client).await;
        b.ready(&client).await;
        let mut db = sqlx::PgConnection::connect(&database).await.unwrap();
        let agents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agents")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(agents, 2, "the demo's agent and owner, once");
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(
            orders as usize,
            www::orders::demo::orders(0).len(),
            "the demo's orders, once"
        );
    }
}

/// The demo's seeding (count, then insert) run by four instances at once on a migrated
/// database: they take turns, so none fails on a duplicate and there is one copy.
#[tokio::test]
async fn seeding_the_demo_at_once_from_four_instances_makes_one_copy() {
    for _ in 0..3 {
        let Some(database) = database().await else {
            return;
        };
        www::Db::connect(&database).await.unwrap();
        let mut seeding = Vec::new();
        for _ in 0..4 {
            let database = database.clone();
            seeding.push(tokio::spawn(async move {
                let db = www::Db::connect(&database).await.unwrap();
                www::seed_demo(&db).await
            }));
        }
        for s in seeding {
            s.await.unwrap().expect("seeding while others seed");
        }
        let mut db = sqlx::PgConnection::connect(&database).await.unwrap();
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(orders as usize, www::orders::demo::orders(0).len());
    }
}

/// The scenario of issue 31: a reply written on B reaches a shopper's stream on A within a
/// second (no polling); A is killed mid-stream and the shopper resumes on B from
/// `Last-Event-ID`, missing nothing; B stopped gracefully ends the stream with a retry hint.
#[tokio::test]
async fn a_reply_on_one_instance_reaches_a_stream_on_the_other_and_survives_a_sigkill() {
    let Some(database) = database().await else {
        return;
    };
    let client = client();
    let mut a = Instance::start(&database, &[]);
    let mut b = Instance::start(&database, &[]);
    a.ready(&client).await;
    b.ready(&client).await;

    // The agent has the inbox open on B: a handoff on A is live (who is here is shared).
    let agent = Agent::demo(&client, &b).await;
    let mut inbox = client
        .get(b.url("/inbox/events"))
        .header("cookie", &agent.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), 200);
    let started = Instant::now();
    let mut live = String::new();
    while started.elapsed() < Duration::from_secs(3) {
        let answer = hand_off(&client, &a, &format!("live-{}", live.len())).await;
        live = answer["status"].as_str().unwrap().to_owned();
        if live == "available" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        live, "available",
        "the agent on B counts for a handoff on A"
    );

    let answer = hand_off(&client, &a, "across").await;
    let token = answer["token"].as_str().unwrap().to_owned();
    let id = conversation_id(&database, &token).await;

    // The shopper follows on A; the agent replies on B.
    let mut stream = events_on(&client, &a, &token, None).await;
    let mut buffer = String::new();
    let sent = Instant::now();
    agent.reply(&client, &b, id, "Hello from B").await;
    let (events, _) = read_events(&mut stream, &mut buffer, Duration::from_secs(5), |e| {
        e.iter().any(|e| e.data.contains("Hello from B"))
    })
    .await;
    let took = sent.elapsed();
    assert!(
        events.iter().any(|e| e.data.contains("Hello from B")),
        "{events:?}"
    );
    eprintln!(
        "a reply on B reached the stream on A in {} ms",
        took.as_millis()
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
    let last_seen = events.last().unwrap().id.clone();

    // A dies mid-stream. Replies go on on B while the shopper is away.
    a.kill();
    let (_, ended) = read_events(&mut stream, &mut buffer, Duration::from_secs(5), |_| false).await;
    assert!(ended, "the stream on A ended with A");
    for n in 1..=3 {
        agent
            .reply(&client, &b, id, &format!("While you were away {n}"))
            .await;
    }
    // The browser reconnects (behind a load balancer, to B) from the last event it saw.
    let mut stream = events_on(&client, &b, &token, Some(&last_seen)).await;
    let mut buffer = String::new();
    let (events, _) = read_events(&mut stream, &mut buffer, Duration::from_secs(5), |e| {
        e.iter().filter(|e| e.kind == "message").count() >= 3
    })
    .await;
    let texts: Vec<&str> = events
        .iter()
        .filter(|e| e.kind == "message")
        .map(|e| e.data.as_str())
        .collect();
    assert_eq!(texts.len(), 3, "{events:?}");
    for (n, text) in texts.iter().enumerate() {
        assert!(
            text.contains(&format!("While you were away {}", n + 1)),
            "{texts:?}"
        );
    }
    assert!(
        !events.iter().any(|e| e.data.contains("Hello from B")),
        "nothing twice"
    );

    // B stops gracefully: the stream ends at once with a retry hint, not cut off.
    let stopping = Instant::now();
    b.terminate();
    let (events, ended) = read_events(&mut stream, &mut buffer, Duration::from_secs(5), |e| {
        e.iter().any(|e| e.retry.is_some())
    })
    .await;
    let hint = events.iter().find_map(|e| e.retry);
    assert_eq!(hint, Some(1000), "{events:?} (ended: {ended})");
    assert!(stopping.elapsed() < Duration::from_secs(2));
    // The agent's inbox stream stayed open to here: it is what made the agent "here".
    drop(inbox);
}

/// Limits hold for the deployment: order lookups from one address and failed logins for
/// one account count together, whichever instance each request reaches.
#[tokio::test]
async fn rate_limits_and_the_login_throttle_hold_across_instances() {
    let Some(database) = database().await else {
        return;
    };
    let client = client();
    let env = [("BELLHOP_LOOKUPS_PER_MINUTE", "4")];
    let mut a = Instance::start(&database, &env);
    let mut b = Instance::start(&database, &env);
    a.ready(&client).await;
    b.ready(&client).await;

    let mut statuses = Vec::new();
    for n in 0..6 {
        let on = if n % 2 == 0 { &a } else { &b };
        let r = client
            .post(on.url("/api/v1/orders/lookup"))
            .json(&serde_json::json!({ "number": "99999", "email": "nobody@example.com" }))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses,
        [404, 404, 404, 404, 429, 429],
        "4 a minute, both instances together"
    );

    let mut statuses = Vec::new();
    for n in 0..(www::inbox::throttle::PAIR_FAILURES + 1) {
        let on = if n % 2 == 0 { &a } else { &b };
        let r = Agent::log_in(
            &client,
            on,
            www::orders::demo::AGENT_EMAIL,
            "not the password",
        )
        .await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses.last(),
        Some(&429),
        "5 failures over both instances lock the pair: {statuses:?}"
    );
    assert!(statuses[..5].iter().all(|s| *s == 303), "{statuses:?}");
}

/// Webhook deliveries are claimed (`FOR UPDATE SKIP LOCKED`): with two instances sending,
/// each is delivered exactly once.
#[tokio::test]
async fn each_webhook_is_delivered_once_by_two_instances() {
    let Some(database) = database().await else {
        return;
    };
    let client = client();
    let (url, seen) = receiver().await;
    let env = [
        ("BELLHOP_WEBHOOK_URL", url.as_str()),
        ("BELLHOP_WEBHOOK_SECRET", "a-shared-secret-for-tests"),
        ("BELLHOP_HANDOFFS_PER_MINUTE", "0"),
    ];
    let mut a = Instance::start(&database, &env);
    let mut b = Instance::start(&database, &env);
    a.ready(&client).await;
    b.ready(&client).await;
    const N: usize = 30;
    for n in 0..N {
        let on = if n % 2 == 0 { &a } else { &b };
        hand_off(&client, on, &format!("hook-{n}")).await;
    }
    let started = Instant::now();
    while seen.lock().unwrap().len() < N && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A moment more, for a second copy to show if there were one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = seen.lock().unwrap().clone();
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), N, "every handoff's webhook arrived");
    assert_eq!(seen.len(), N, "none twice: {seen:?}");
}

/// A webhook receiver on loopback answering 200; records each `Bellhop-Delivery`.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let record = record.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 8192];
                // Headers, then the body as long as Content-Length says.
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            let delivery = text[..end].lines().find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("bellhop-delivery")
                                    .then(|| v.trim().to_owned())
                            });
                            if let Some(d) = delivery {
                                record.lock().unwrap().push(d);
                            }
                            let _ = socket
                                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                                .await;
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, seen)
}

/// Eight instances' worth of requests at once take tokens from one bucket in the database:
/// no more are granted than the limit (plus what a second refills), and the cost of a
/// shared check is printed next to the in-memory one.
#[tokio::test]
async fn a_shared_limit_grants_no_more_than_its_tokens_and_what_it_costs() {
    let Some(database) = database().await else {
        return;
    };
    let db = www::Db::connect(&database).await.unwrap();
    let per_minute = 60;
    let shared = www::api::limits::RateLimit::per_minute(per_minute).for_deployment(&db, "test");
    let now = www::clock::now_ms();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let limit = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut granted = 0;
            for _ in 0..25 {
                granted += usize::from(limit.check("1.2.3.4", now).await.is_ok());
            }
            granted
        }));
    }
    let mut granted = 0;
    for t in tasks {
        granted += t.await.unwrap();
    }
    assert_eq!(
        granted, per_minute as usize,
        "200 tries at one instant, 60 tokens"
    );

    // What a check costs: one statement on loopback, against a map in memory.
    let local = www::api::limits::RateLimit::per_minute(1_000_000);
    let shared = www::api::limits::RateLimit::per_minute(1_000_000).for_deployment(&db, "cost");
    let n = 500;
    let started = Instant::now();
    for i in 0..n {
        shared
            .check(&format!("k{}", i % 50), www::clock::now_ms())
            .await
            .unwrap();
    }
    let shared_us = started.elapsed().as_micros() / n;
    let started = Instant::now();
    for i in 0..n {
        local
            .check(&format!("k{}", i % 50), www::clock::now_ms())
            .await
            .unwrap();
    }
    let local_us = started.elapsed().as_nanos() / n;
    eprintln!(
        "a rate-limit check: {shared_us} µs shared (PostgreSQL on loopback), {local_us} ns in memory"
    );
}
