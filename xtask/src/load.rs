//! `cargo xtask load`: a bounded load test of the two endpoints shoppers hit, on loopback.
//!
//! Builds `www` in release mode, starts it on a fresh SQLite database with the demo orders and
//! rate limits off (the point is the server's capacity, not the limiter's), then runs wrk
//! (Debian's `wrk`, installed when missing) against order lookup and handoff creation, 10 s
//! each, and prints requests per second and latency percentiles.
//!
//! Then the scale-out scenario (`www/examples/scale_out_load.rs`): a throwaway PostgreSQL,
//! two instances on it, `--streams N` (2,000) shoppers' event streams held across both,
//! handoffs and lookups meanwhile, agents' replies timed from one instance to the other.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::demo::http_status;
use crate::util::{cargo, exec, is_root, on_path, target_dir};

const LOOKUP: &str = r#"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"number":"10234","email":"ana@example.com"}'
"#;

const HANDOFF: &str = r#"
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  local now = os.time() * 1000
  local body = '{"key":"load-' .. tid .. '-' .. n .. '-' .. math.random(1000000000) ..
    '-0123456789abcdef0123456789abcdef","transcript":[{"at":' .. now .. ',"from":"bot","text":"Hi, I am Fern!"},' ..
    '{"at":' .. now .. ',"from":"shopper","text":"Where is my order?"}],' ..
    '"context":{"page_url":"https://shop.example/checkout","language":"en","cart_items":2,"cart_value":"218.00","currency":"USD"}}'
  return wrk.format("POST", "/api/v1/handoffs", {["Content-Type"] = "application/json"}, body)
end
"#;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let streams = match args {
        [] => 2000,
        [flag, n] if flag == "--streams" => n.parse().context("--streams takes a number")?,
        _ => bail!("usage: cargo xtask load [--streams N]"),
    };
    if !on_path("wrk") {
        if !is_root() || !on_path("apt-get") {
            bail!("the load test needs wrk: run `apt-get install -y wrk` as root");
        }
        exec(
            Command::new("apt-get")
                .args(["install", "-y", "-q", "--no-install-recommends", "wrk"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    exec(cargo().args(["build", "--release", "--package", "www"]))?;
    let dir = std::env::temp_dir().join(format!("bellhop-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(target_dir().join("release/www"))
        .args(["--addr", &addr, "--demo"])
        .arg("--data-dir")
        .arg(&dir)
        .args([
            "--lookups-per-minute",
            "0",
            "--lookups-per-order-per-minute",
            "0",
        ])
        .args(["--handoffs-per-minute", "0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let started = Instant::now();
    while http_status(&addr, "/healthz") != Some(204) {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = server.kill();
            bail!("www did not start on {addr}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut rows = Vec::new();
    for (name, path, script) in [
        ("order lookup", "/api/v1/orders/lookup", LOOKUP),
        ("handoff creation", "/api/v1/handoffs", HANDOFF),
    ] {
        let file = dir.join(format!("{}.lua", name.replace(' ', "-")));
        std::fs::File::create(&file)?.write_all(script.as_bytes())?;
        eprintln!(
            "$ wrk -t2 -c32 -d10s --latency -s {} http://{addr}{path}",
            file.display()
        );
        let out = Command::new("wrk")
            .args(["-t2", "-c32", "-d10s", "--latency", "-s"])
            .arg(&file)
            .arg(format!("http://{addr}{path}"))
            .output()
            .context("cannot run wrk")?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let field = |prefix: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
                .unwrap_or_else(|| "—".into())
        };
        rows.push([
            name.to_owned(),
            field("Requests/sec:"),
            field("50%"),
            field("99%"),
            field("Non-2xx or 3xx responses:").replace('—', "0"),
        ]);
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    println!("\nwww (release, SQLite, loopback), wrk -t2 -c32 -d10s:");
    println!(
        "{:<18} {:>12} {:>10} {:>10} {:>8}",
        "endpoint", "requests/s", "p50", "p99", "errors"
    );
    for [name, rps, p50, p99, errors] in rows {
        println!("{name:<18} {rps:>12} {p50:>10} {p99:>10} {errors:>8}");
    }
    scale_out(streams)
}

/// Two instances on one PostgreSQL, thousands of streams (the example prints the figures).
fn scale_out(streams: usize) -> anyhow::Result<()> {
    exec(cargo().args([
        "build",
        "--release",
        "--package",
        "www",
        "--example",
        "scale_out_load",
    ]))?;
    let postgres = crate::postgres::Postgres::start()?;
    exec(
        Command::new(target_dir().join("release/examples/scale_out_load"))
            .arg(target_dir().join("release/www"))
            .arg(&postgres.url)
            .arg(streams.to_string()),
    )?;
    drop(postgres);
    Ok(())
}
