//! Bellhop's build and dev automation, in Rust so it runs wherever cargo does.
//!
//! `cargo xtask <command>` (an alias in `.cargo/config.toml`):
//! - `dist`  — release build of the widget into `target/dist`, with a size report;
//! - `release` — `www` in release mode with the widget inside: one binary to deploy;
//! - `demo`  — `dist`, then the demo storefront on http://127.0.0.1:8080 until Ctrl-C;
//! - `test`  — installs what the tests need, then runs every test (what CI runs);
//! - `bench` — Lighthouse with and without the widget, sizes, in-browser timings and memory;
//! - `load`  — wrk against order lookup and handoff creation, then two instances on one
//!   PostgreSQL holding thousands of event streams, with the figures;
//! - `fuzz`  — libFuzzer and long property runs against the flow loader and engine;
//! - `modules` — each crate's module graph (who names whom), and any cycle.

mod bench;
mod demo;
mod dist;
mod fuzz;
mod install;
mod load;
mod modules;
mod postgres;
mod release;
mod test;
mod tidy;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
Usage: cargo xtask <command>

Commands:
  dist    Build the widget for browsers into target/dist and print its sizes
  release Build www in release mode with the widget inside it: one binary to deploy
  demo    Build the widget, start the demo store and server on http://127.0.0.1:8080
  test    Install what the tests need, then run every test (CI runs this)
  bench   Measure page cost (Lighthouse), bytes, time to ready, FAQ latency and memory [--runs N]
  load    Load-test order lookup and handoff creation with wrk, then two instances on one
          PostgreSQL with thousands of open streams (release build, loopback) [--streams N, default 2000]
  postgres  Start a throwaway PostgreSQL for `cargo test -p www` until Enter is pressed
  fuzz    Fuzz the flow loader, decoder and engine [--seconds N per target, default 120]
  modules Print each crate's module graph (which module names which) and any cycle
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") => dist::run().map(drop),
        Some("release") => release::run(),
        Some("demo") => demo::run(),
        Some("test") => test::run(),
        Some("load") => load::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("postgres") => postgres::serve(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("modules") => modules::run(),
        // Used by cargo as the runner of wasm32 test binaries (see `test.rs`): the test runner
        // of the pinned wasm-bindgen version, with no global install.
        Some("wasm-bindgen-test-runner") => {
            wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(
                std::env::args_os().skip(1),
            )
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(anyhow::anyhow!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
