//! `cargo xtask fuzz [--seconds N]`: hunts for panics in the flow loader, the compiler, the
//! decoder of compiled flows, the engine and the pattern matcher.
//!
//! Campaigns, one after the other:
//! 1. cargo-fuzz (libFuzzer, nightly toolchain) on the targets in `flow-runtime/fuzz/`,
//!    `N` seconds each (installs cargo-fuzz from crates.io if it is missing);
//! 2. the property tests with many more cases than CI gives them: random flows driven by
//!    random inputs (`flow-runtime/tests/properties.rs`), the compiler on damaged real
//!    flows (`flow-authoring/tests/compile_fuzz.rs`, structure-aware: what CI runs on every
//!    commit too), and the pattern matcher against the `regex` crate
//!    (`flow-runtime/tests/pattern_oracle.rs`).
//!
//! It prints executions, time and crashes per target. A crash leaves its input in
//! `flow-runtime/fuzz/artifacts/TARGET/`: turn it into a regression test, then fix it.

use std::process::Command;
use std::time::Instant;

use anyhow::bail;

use crate::util::{cargo, exec, on_path, project_root};

const TARGETS: &[&str] = &["compile", "decode", "engine"];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let seconds: u64 = match args.iter().position(|a| a == "--seconds") {
        Some(i) => args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("--seconds takes a number"))?,
        None => 120,
    };
    let nightly = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut rows = Vec::new();
    if nightly {
        if !on_path("cargo-fuzz") {
            exec(cargo().args(["install", "cargo-fuzz", "--locked"]))?;
        }
        for target in TARGETS {
            let started = Instant::now();
            let out = Command::new("cargo")
                .args(["+nightly", "fuzz", "run", target, "--"])
                .arg(format!("-max_total_time={seconds}"))
                .arg("-rss_limit_mb=2048")
                .current_dir(project_root().join("flow-runtime"))
                .output()?;
            let log = String::from_utf8_lossy(&out.stderr);
            let runs = log
                .lines()
                .rev()
                .find_map(|l| {
                    l.strip_prefix("Done ")
                        .and_then(|r| r.split_whitespace().next())
                        .map(str::to_owned)
                })
                .or_else(|| {
                    log.lines()
                        .rev()
                        .find(|l| l.contains("DONE"))
                        .and_then(|l| l.split_whitespace().next())
                        .map(|s| s.trim_start_matches('#').to_owned())
                })
                .unwrap_or_else(|| "?".into());
            let crashed = !out.status.success();
            if crashed {
                eprintln!("{log}");
            }
            rows.push((
                format!("libFuzzer {target}"),
                runs,
                started.elapsed().as_secs(),
                if crashed { "CRASH" } else { "0" },
            ));
        }
    } else {
        eprintln!(
            "xtask fuzz: no nightly toolchain here, so no libFuzzer; running the property tests only"
        );
    }
    for (package, test, properties, per_second) in [
        ("flow-runtime", "properties", 4, 500),
        ("flow-authoring", "compile_fuzz", 1, 1_000),
        ("flow-runtime", "pattern_oracle", 2, 1_000),
    ] {
        let cases: u64 = seconds * per_second;
        let started = Instant::now();
        let status = cargo()
            .args(["test", "--release", "--package", package, "--test", test])
            .env("PROPTEST_CASES", cases.to_string())
            .status()?;
        rows.push((
            format!("proptest {test} ({properties})"),
            format!("{}", cases * properties),
            started.elapsed().as_secs(),
            if status.success() { "0" } else { "FAIL" },
        ));
    }

    println!(
        "\n{:<28} {:>14} {:>8} {:>8}",
        "campaign", "executions", "seconds", "crashes"
    );
    for (name, runs, secs, crashes) in &rows {
        println!("{name:<28} {runs:>14} {secs:>8} {crashes:>8}");
    }
    if rows.iter().any(|r| r.3 != "0") {
        bail!("fuzzing found a problem (inputs in flow-runtime/fuzz/artifacts/)");
    }
    Ok(())
}
