//! The scale-out load scenario of `cargo xtask load`: two `www` instances on one PostgreSQL,
//! thousands of shoppers' event streams held open across both, handoffs and order lookups
//! at the same time, and agents' replies written on one instance timed until they reach a
//! stream on the other. Prints throughput, latency percentiles, memory per open stream and
//! the database connections used.
//!
//! `cargo run --release -p www --example scale_out_load -- WWW_BINARY DATABASE_URL [STREAMS]`
//! (`cargo xtask load` starts PostgreSQL and passes these.)

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Connection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Concurrent clients for handoffs and lookups.
const CLIENTS: usize = 32;
/// Replies timed from one instance to a stream on the other.
const PROBES: usize = 200;

struct Instance {
    child: Child,
    addr: SocketAddr,
}

impl Instance {
    fn start(www: &str, database: &str) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let child = Command::new(www)
            .args(["--addr", &addr.to_string(), "--demo"])
            .args([
                "--lookups-per-minute",
                "0",
                "--lookups-per-order-per-minute",
                "0",
            ])
            .args(["--handoffs-per-minute", "0", "--max-connections", "8000"])
            .args(["--business-hours", "always", "--unanswered-seconds", "0"])
            .env("DATABASE_URL", database)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        Instance { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn handoff_body(n: usize) -> serde_json::Value {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        - 1_000;
    serde_json::json!({
        "key": format!("load-{n:08}-0123456789abcdef0123456789abcdef"),
        "transcript": [
            { "at": at, "from": "bot", "text": "Hi, I'm Fern!" },
            { "at": at, "from": "shopper", "text": "Where is my order?" }
        ],
        "context": { "page_url": "https://shop.example/checkout", "language": "en" }
    })
}

/// Runs `total` requests made by `make` over [`CLIENTS`] concurrent clients; returns the
/// latencies (sorted), the wall time and the failures.
async fn burst<F, Fut>(total: usize, make: F) -> (Vec<Duration>, Duration, usize)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (next, make) = (next.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failed = 0;
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= total {
                    return (times, failed);
                }
                let t = Instant::now();
                if !make(n).await {
                    failed += 1;
                }
                times.push(t.elapsed());
            }
        }));
    }
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (times, f) = t.await.unwrap();
        all.extend(times);
        failed += f;
    }
    all.sort();
    (all, started.elapsed(), failed)
}

/// Opens a shopper's event stream on `to` from the loopback address `from` (the server
/// caps streams per address), and reads it until the end, noting when each `probe-N` text
/// arrives.
async fn follow(
    from: Ipv4Addr,
    to: SocketAddr,
    token: String,
    arrived: Arc<Mutex<HashMap<usize, Instant>>>,
    open: Arc<tokio::sync::Semaphore>,
) -> std::io::Result<()> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
    let mut stream = socket.connect(to).await?;
    let request = format!(
        "GET /api/v1/conversations/{token}/events HTTP/1.1\r\nHost: {to}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buf = vec![0u8; 4096];
    let mut seen_headers = false;
    let mut carry = String::new();
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let now = Instant::now();
        carry.push_str(&String::from_utf8_lossy(&buf[..n]));
        if !seen_headers && carry.contains("\r\n\r\n") {
            seen_headers = true;
            if !carry.starts_with("HTTP/1.1 200") {
                return Err(std::io::Error::other(
                    carry.lines().next().unwrap_or("").to_owned(),
                ));
            }
            open.add_permits(1);
        }
        while let Some(at) = carry.find("probe-") {
            let digits: String = carry[at + 6..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(i) = digits.parse::<usize>() {
                arrived.lock().unwrap().entry(i).or_insert(now);
            }
            carry.drain(..at + 6);
        }
        if carry.len() > 64 {
            let keep = carry.len() - 16;
            let cut = (keep..=carry.len())
                .find(|i| carry.is_char_boundary(*i))
                .unwrap();
            carry.drain(..cut);
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (www, database) = (&args[1], &args[2]);
    let streams: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let a = Instance::start(www, database);
    let b = Instance::start(www, database);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    for i in [&a, &b] {
        let started = Instant::now();
        while !matches!(client.get(i.url("/readyz")).send().await, Ok(r) if r.status() == 204) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "www did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let urls = Arc::new([a.url(""), b.url("")]);

    // The database connections in use, sampled all along.
    let db_name = database.rsplit('/').next().unwrap().to_owned();
    let peak = Arc::new(std::sync::atomic::AtomicI64::new(0));
    {
        let (database, peak) = (database.clone(), peak.clone());
        tokio::spawn(async move {
            let mut db = sqlx::PgConnection::connect(&database).await.unwrap();
            loop {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                )
                .bind(&db_name)
                .fetch_one(&mut db)
                .await
                .unwrap_or(0);
                peak.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
    }

    // Handoffs: one conversation per stream, over both instances.
    let tokens = Arc::new(Mutex::new(vec![String::new(); streams]));
    let (handoffs, handoff_time, handoff_failed) = {
        let (client, urls, tokens) = (client.clone(), urls.clone(), tokens.clone());
        burst(streams, move |n| {
            let (client, urls, tokens) = (client.clone(), urls.clone(), tokens.clone());
            async move {
                let r = client
                    .post(format!("{}/api/v1/handoffs", urls[n % 2]))
                    .json(&handoff_body(n))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 201 => {
                        let v: serde_json::Value = r.json().await.unwrap_or_default();
                        tokens.lock().unwrap()[n] = v["token"].as_str().unwrap_or("").to_owned();
                        true
                    }
                    _ => false,
                }
            }
        })
        .await
    };
    let tokens = tokens.lock().unwrap().clone();

    // Streams: conversation n followed on instance n % 2, 30 per loopback address.
    let rss_before = (a.rss_kib(), b.rss_kib());
    let arrived: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    let open = Arc::new(tokio::sync::Semaphore::new(0));
    let started = Instant::now();
    let mut failed_streams = 0;
    let mut followers = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        if token.is_empty() {
            failed_streams += 1;
            continue;
        }
        let from = Ipv4Addr::new(127, 1, (n / 30 / 250) as u8, (n / 30 % 250) as u8 + 1);
        let to = [a.addr, b.addr][n % 2];
        followers.push(tokio::spawn(follow(
            from,
            to,
            token.clone(),
            arrived.clone(),
            open.clone(),
        )));
    }
    let opened = streams - failed_streams;
    let all_open =
        tokio::time::timeout(Duration::from_secs(60), open.acquire_many(opened as u32)).await;
    let open_time = started.elapsed();
    if all_open.is_err() {
        eprintln!(
            "only {} of {opened} streams opened in 60 s",
            open.available_permits()
        );
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = (a.rss_kib(), b.rss_kib());

    // Order lookups while the streams are held.
    let (lookups, lookup_time, lookup_failed) = {
        let (client, urls) = (client.clone(), urls.clone());
        burst(5_000, move |n| {
            let (client, urls) = (client.clone(), urls.clone());
            async move {
                let r = client
                    .post(format!("{}/api/v1/orders/lookup", urls[n % 2]))
                    .json(&serde_json::json!({ "number": "10234", "email": "ana@example.com" }))
                    .send()
                    .await;
                matches!(r, Ok(r) if r.status() == 200)
            }
        })
        .await
    };

    // An agent on B replies to conversations followed on A: from the POST to the stream.
    let login = client
        .post(format!("{}/inbox/login", urls[1]))
        .header("origin", &urls[1])
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=agent%40fernhill.example&password=fernhill-demo")
        .send()
        .await
        .unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let mut ids: HashMap<String, i64> = HashMap::new();
    {
        let mut db = sqlx::PgConnection::connect(database).await.unwrap();
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, token FROM conversations")
            .fetch_all(&mut db)
            .await
            .unwrap();
        ids.extend(rows.into_iter().map(|(id, token)| (token, id)));
    }
    let mut probe_sent = HashMap::new();
    let mut csrf = String::new();
    for p in 0..PROBES.min(opened / 2) {
        let n = (p * 2 * 7919) % streams / 2 * 2; // spread over the conversations on A
        let Some(&id) = ids.get(&tokens[n]) else {
            continue;
        };
        if csrf.is_empty() {
            let page = client
                .get(format!("{}/inbox/conversations/{id}", urls[1]))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
            csrf = page[at..at + page[at..].find('"').unwrap()].to_owned();
        }
        let sent = Instant::now();
        let r = client
            .post(format!("{}/inbox/conversations/{id}/reply", urls[1]))
            .header("cookie", &cookie)
            .header("origin", &urls[1])
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&text=probe-{p}+on+its+way"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "the agent's reply");
        probe_sent.insert(p, sent);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let arrived = arrived.lock().unwrap().clone();
    let mut across: Vec<Duration> = probe_sent
        .iter()
        .filter_map(|(p, sent)| Some(arrived.get(p)?.duration_since(*sent)))
        .collect();
    across.sort();
    let lost = probe_sent.len() - across.len();

    let per_stream = |before: u64, after: u64, n: usize| {
        after.saturating_sub(before) as f64 * 1024.0 / n.max(1) as f64
    };
    println!(
        "\nTwo instances (release) on one PostgreSQL, loopback, {} cores:",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "handoffs      {streams} in {:.1} s: {:.0}/s, p50 {}, p99 {}, {handoff_failed} failed",
        handoff_time.as_secs_f64(),
        handoffs.len() as f64 / handoff_time.as_secs_f64(),
        ms(percentile(&handoffs, 0.5)),
        ms(percentile(&handoffs, 0.99))
    );
    println!(
        "streams       {opened} held ({} per instance) in {:.1} s; memory per open stream {:.1} KiB on A, {:.1} KiB on B (RSS {} → {} MiB, {} → {} MiB)",
        opened / 2,
        open_time.as_secs_f64(),
        per_stream(rss_before.0, rss_after.0, opened / 2) / 1024.0,
        per_stream(rss_before.1, rss_after.1, opened - opened / 2) / 1024.0,
        rss_before.0 / 1024,
        rss_after.0 / 1024,
        rss_before.1 / 1024,
        rss_after.1 / 1024
    );
    println!(
        "lookups       5000 with the streams held, in {:.1} s: {:.0}/s, p50 {}, p99 {}, {lookup_failed} failed",
        lookup_time.as_secs_f64(),
        lookups.len() as f64 / lookup_time.as_secs_f64(),
        ms(percentile(&lookups, 0.5)),
        ms(percentile(&lookups, 0.99))
    );
    println!(
        "agent → shopper across instances ({} replies on B to streams on A): p50 {}, p99 {}, max {}, {lost} not arrived",
        probe_sent.len(),
        ms(percentile(&across, 0.5)),
        ms(percentile(&across, 0.99)),
        ms(across.last().copied().unwrap_or_default())
    );
    println!(
        "database      at most {} connections in use (two pools of 16 and a listener each)",
        peak.load(std::sync::atomic::Ordering::Relaxed)
    );
    for f in followers {
        f.abort();
    }
}
