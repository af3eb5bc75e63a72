//! `cargo xtask bench`: what Bellhop costs a store page, measured, printed as a table and
//! written as JSON to `target/bench/bench.json`.
//!
//! 1. `dist`: the size table of everything the widget downloads (raw, gzip, brotli).
//! 2. Lighthouse (npm `lighthouse` 12.8.2, Debian's Chromium, closed-network flags) on the
//!    demo product page with and without the tag, `--runs N` times each (default 5):
//!    medians and differences of Total Blocking Time, Largest Contentful Paint, Cumulative
//!    Layout Shift, main-thread work, bootup time of Bellhop's scripts, Bellhop's bytes.
//! 3. Playwright in the same Chromium: loader → launcher ready (Performance marks), the
//!    first FAQ answer, FAQ answer latency on the demo flow and on a generated 500-entry
//!    FAQ (asked through the composer, answer in the DOM), and the wasm's linear memory.
//!
//! The Node packages live in `xtask/bench/` (installed with `npm ci`, never a browser).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::demo::http_status;
use crate::dist;
use crate::install::{self, CHROMIUM};
use crate::util::{cargo, exec, on_path, project_root, target_dir};

/// Main-thread time chat widgets add per page (HTTP Archive, March 2026, npm
/// `third-party-web` 0.30), in milliseconds; and open-source widgets' brotli KiB.
const OTHERS_MAIN_THREAD_MS: [(&str, f64); 7] = [
    ("Drift", 4394.0),
    ("Zendesk", 2157.0),
    ("Intercom", 1433.0),
    ("LiveChat", 1116.0),
    ("Tawk.to", 440.0),
    ("Chatwoot", 102.0),
    ("Crisp", 33.0),
];
const OTHERS_KIB: [(&str, f64); 3] = [
    ("Typebot", 160.0),
    ("Rasa Webchat", 170.0),
    ("Botpress", 201.0),
];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let runs: u32 = match args.iter().position(|a| a == "--runs") {
        Some(i) => args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .context("--runs takes a number")?,
        None => 5,
    };
    let started = Instant::now();
    install::chromium()?;
    if !on_path("npm") {
        bail!("the benchmark needs Node.js 20 and npm");
    }
    let bench_dir = project_root().join("xtask/bench");
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&bench_dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    let assets = dist::run()?;
    exec(cargo().args(["build", "--release", "--package", "www"]))?;

    let work = std::env::temp_dir().join(format!("bellhop-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let flows = work.join("flows");
    std::fs::create_dir_all(&flows)?;
    std::fs::copy(
        project_root().join("www/flows/demo.json"),
        flows.join("demo.json"),
    )?;
    let (faq500, faq500_questions) = generated_faq(500);
    std::fs::write(
        flows.join("faq-500.json"),
        serde_json::to_string_pretty(&faq500)?,
    )?;
    let questions = json!({ "demo": demo_questions()?, "faq500": faq500_questions });
    let questions_file = work.join("questions.json");
    std::fs::write(&questions_file, questions.to_string())?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(target_dir().join("release/www"))
        .args(["--addr", &addr, "--demo"])
        .arg("--data-dir")
        .arg(work.join("data"))
        .arg("--widget-dir")
        .arg(dist::out_dir())
        .arg("--flows-dir")
        .arg(&flows)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let result = (|| {
        let waited = Instant::now();
        while http_status(&addr, "/healthz") != Some(204) {
            if waited.elapsed() > Duration::from_secs(30) {
                bail!("www did not start on {addr}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let base = format!("http://{addr}");
        let page_cost = node(&bench_dir, "page-cost.mjs", &[&base, &runs.to_string()])?;
        let in_browser = node(
            &bench_dir,
            "in-browser.mjs",
            &[&base, &questions_file.to_string_lossy()],
        )?;
        Ok((page_cost, in_browser))
    })();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);
    let (page_cost, in_browser) = result?;

    let sizes: Vec<Value> = assets
        .iter()
        .map(|a| {
            let stage = if a.stage == dist::Stage::Eager { "eager" } else { "panel" };
            json!({ "file": a.name, "stage": stage, "raw": a.raw, "gzip": a.gzip, "brotli": a.brotli })
        })
        .collect();
    let total_brotli: usize = assets.iter().map(|a| a.brotli).sum();
    let report = json!({
        "machine": machine(),
        "sizes": sizes,
        "eager_brotli_bytes": dist::stage_total(&assets, dist::Stage::Eager),
        "panel_brotli_bytes": dist::stage_total(&assets, dist::Stage::Panel),
        "total_brotli_bytes": total_brotli,
        "page_cost": page_cost,
        "in_browser": in_browser,
        "seconds": started.elapsed().as_secs(),
    });
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    std::fs::write(
        out.join("bench.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    print_table(&report);
    println!("\nJSON: {}", out.join("bench.json").display());
    Ok(())
}

fn node(dir: &Path, script: &str, args: &[&str]) -> anyhow::Result<Value> {
    eprintln!("$ node {script} {}", args.join(" "));
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .env("BELLHOP_CHROMIUM", CHROMIUM)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run node {script}"))?;
    if !out.status.success() {
        bail!("node {script} failed ({})", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("no JSON from the script")?;
    Ok(serde_json::from_str(line)?)
}

/// The demo FAQ's own questions and phrasings, as shoppers would type them.
fn demo_questions() -> anyhow::Result<Vec<String>> {
    let flow: Value = serde_json::from_str(&std::fs::read_to_string(
        project_root().join("www/flows/demo.json"),
    )?)?;
    let mut questions = Vec::new();
    for entry in flow["faq"]["entries"].as_array().into_iter().flatten() {
        let text = |v: &Value| {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| v["en"].as_str().map(str::to_owned))
        };
        questions.extend(text(&entry["question"]));
        for p in entry["phrasings"].as_array().into_iter().flatten() {
            questions.extend(text(p));
        }
    }
    Ok(questions)
}

/// A synthetic 500-entry FAQ in a shop's vocabulary (every entry a different question), and
/// 100 questions asked of it, each an entry's question reworded.
fn generated_faq(n: usize) -> (Value, Vec<String>) {
    const ASKS: [&str; 10] = [
        "How do I",
        "Can I",
        "When can I",
        "Where do I",
        "Is it possible to",
        "Why can't I",
        "Do you let me",
        "What does it cost to",
        "How long does it take to",
        "Who can help me",
    ];
    const VERBS: [&str; 10] = [
        "return",
        "exchange",
        "track",
        "repair",
        "resize",
        "gift wrap",
        "insure",
        "cancel",
        "reorder",
        "engrave",
    ];
    const THINGS: [&str; 5] = ["boots", "jacket", "tent", "backpack", "gloves"];
    let mut entries = Vec::new();
    let mut questions = Vec::new();
    for i in 0..n {
        let (ask, verb, thing) = (ASKS[i % 10], VERBS[(i / 10) % 10], THINGS[(i / 100) % 5]);
        let question = format!("{ask} {verb} my {thing}?");
        if i % 5 == 0 {
            questions.push(format!("{verb} {thing} {}", ask.to_lowercase()));
        }
        entries.push(json!({
            "id": format!("q{i}"),
            "question": question,
            "phrasings": [format!("{verb} the {thing}"), format!("{thing} {verb} question {i}")],
            "answer": format!("Answer {i}: here is how to {verb} your {thing}."),
        }));
    }
    let flow = json!({
        "bot": { "name": "Fern from Fernhill" },
        "steps": [ { "id": "hello", "type": "message", "text": "Ask me anything." } ],
        "faq": { "entries": entries },
    });
    (flow, questions)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let chromium = Command::new(CHROMIUM)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores, {cpu}; {chromium}")
}

fn print_table(r: &Value) {
    let kib = |b: f64| b / 1024.0;
    println!(
        "\nBellhop bench on {}\n",
        r["machine"].as_str().unwrap_or("")
    );
    println!(
        "Bytes (cargo xtask dist): total {:.1} KiB brotli",
        kib(r["total_brotli_bytes"].as_f64().unwrap_or(0.0))
    );
    for s in r["sizes"].as_array().into_iter().flatten() {
        println!(
            "  {:<36} {:>9.1} KiB raw {:>7.1} gzip {:>7.1} brotli",
            s["file"].as_str().unwrap_or(""),
            kib(s["raw"].as_f64().unwrap_or(0.0)),
            kib(s["gzip"].as_f64().unwrap_or(0.0)),
            kib(s["brotli"].as_f64().unwrap_or(0.0))
        );
    }
    let pc = &r["page_cost"];
    println!(
        "\nPage cost (Lighthouse, median of {} runs each, {}):",
        pc["runs"],
        pc["page"].as_str().unwrap_or("")
    );
    println!(
        "  {:<28} {:>12} {:>12} {:>12}",
        "", "without", "with", "difference"
    );
    for (key, label) in [
        ("tbt_ms", "Total Blocking Time (ms)"),
        ("lcp_ms", "Largest Contentful Paint (ms)"),
        ("cls", "Cumulative Layout Shift"),
        ("main_thread_ms", "Main-thread work (ms)"),
        ("bellhop_bootup_ms", "Bellhop script bootup (ms)"),
        ("bellhop_bytes", "Bellhop bytes transferred"),
    ] {
        println!(
            "  {:<28} {:>12.1} {:>12.1} {:>12.1}",
            label,
            pc["without"][key].as_f64().unwrap_or(0.0),
            pc["with"][key].as_f64().unwrap_or(0.0),
            pc["difference"][key].as_f64().unwrap_or(0.0)
        );
    }
    let ib = &r["in_browser"];
    println!("\nIn Chromium:");
    println!(
        "  loader → launcher ready            {:>8.1} ms (median of 7)",
        ib["time_to_ready_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  click → panel's greeting (fresh)   {:>8.1} ms (median of 7)",
        ib["click_to_greeting_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  trigger fires → teaser on screen   {:>8.1} ms (cart rescue, panel fetched ahead; median of 5)",
        ib["trigger_to_teaser_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  eager stage's wasm memory          {:>8.0} KiB",
        kib(ib["eager_memory_bytes"].as_f64().unwrap_or(0.0))
    );
    println!(
        "  first FAQ answer (question → DOM)  {:>8.1} ms",
        ib["first_faq_answer_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  FAQ model build, 500-entry FAQ     {:>8.1} ms (when the panel opens; median of 5)",
        ib["faq_model_build_500_ms"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  first answer, 500-entry FAQ        {:>8.1} ms (after it; median of 5)",
        ib["first_faq_answer_500_ms"].as_f64().unwrap_or(0.0)
    );
    for (key, label) in [("faq_demo", "demo flow"), ("faq_500", "500-entry FAQ")] {
        println!(
            "  FAQ answer, {:<22} p50 {:>6.2} ms, p95 {:>6.2} ms ({} questions)",
            label,
            ib[key]["p50_ms"].as_f64().unwrap_or(0.0),
            ib[key]["p95_ms"].as_f64().unwrap_or(0.0),
            ib[key]["queries"]
        );
    }
    println!(
        "  wasm memory: {:.0} KiB after the demo conversation, {:.0} KiB with the 500-entry FAQ loaded and asked once",
        kib(ib["memory_after_demo_conversation_bytes"]
            .as_f64()
            .unwrap_or(0.0)),
        kib(ib["memory_after_500_faq_first_answer_bytes"]
            .as_f64()
            .unwrap_or(0.0))
    );
    let added = pc["difference"]["main_thread_ms"].as_f64().unwrap_or(0.0);
    println!("\nMain-thread time added per page, compared (third-party-web 0.30, March 2026):");
    println!("  {:<14} {:>8.0} ms", "Bellhop", added);
    for (name, ms) in OTHERS_MAIN_THREAD_MS {
        println!("  {name:<14} {ms:>8.0} ms");
    }
    println!(
        "Widget bytes, brotli: Bellhop {:.1} KiB; {}",
        kib(r["total_brotli_bytes"].as_f64().unwrap_or(0.0)),
        OTHERS_KIB
            .iter()
            .map(|(n, k)| format!("{n} {k:.0} KiB"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
