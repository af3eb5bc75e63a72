//! `cargo xtask test`: every test, as CI runs it (`.ci/run` calls exactly this).
//!
//! 1. Install what is missing: the wasm target, Debian's Chromium and ChromeDriver, Debian's
//!    PostgreSQL and aiosmtpd (the SMTP server of the email tests), the npm packages of
//!    `tests/`.
//! 2. `cargo test --workspace`: unit, data-driven and API tests, natively; the server's
//!    tests run on SQLite and on a throwaway PostgreSQL started here and stopped after.
//! 3. `cargo xtask dist`: the release widget, built once and reused by every browser test.
//! 4. The widget's `wasm-bindgen-test` tests in headless Chromium (and those of its
//!    `wasm-streams` stand-in, `widget/patches/`).
//! 5. The end-to-end tests in `tests/` (Playwright) against `www` serving that build.

use std::time::Instant;

use crate::dist;
use crate::install::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::postgres::Postgres;
use crate::util::{cargo, exec, project_root, target_dir};

pub fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    install::wasm_target()?;
    install::chromium()?;
    install::npm_packages()?;
    install::smtp_server()?;

    let postgres = Postgres::start()?;
    step("native tests (SQLite and PostgreSQL)", || {
        exec(
            cargo()
                .args(["test", "--workspace"])
                .env("BELLHOP_TEST_POSTGRES", &postgres.url)
                // The email tests start Debian's aiosmtpd with it (never skipped here).
                .env("BELLHOP_TEST_SMTP", install::SMTP_PYTHON),
        )
    })?;
    drop(postgres);
    step("widget release build and its budgets", || {
        let assets = dist::run()?;
        dist::check_budgets(&assets)
    })?;
    step("the www binary alone serves the widget", || {
        // A debug build (the release one takes minutes more and embeds the same way).
        let bin = crate::release::build("dev")?;
        crate::release::check(&bin)
    })?;
    step("widget tests in headless Chromium", wasm_tests)?;
    step("end-to-end tests", end_to_end)?;
    eprintln!(
        "\nxtask test: everything passed in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    eprintln!("\n== {name}");
    let started = Instant::now();
    f()?;
    eprintln!("== {name}: ok in {:.0?}", started.elapsed());
    Ok(())
}

/// `cargo test -p widget --target wasm32-unknown-unknown`, with this xtask binary as the
/// runner (it embeds wasm-bindgen's test runner at the pinned version).
fn wasm_tests() -> anyhow::Result<()> {
    let xtask = std::env::current_exe()?;
    let runner = format!("{} wasm-bindgen-test-runner", xtask.display());
    exec(
        cargo()
            .args([
                "test",
                "--package",
                "widget",
                "--package",
                "wasm-streams",
                "--target",
                WASM_TARGET,
            ])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                project_root().join("widget/webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// Playwright against `www`, which the test run starts itself (see tests/playwright.config.ts).
fn end_to_end() -> anyhow::Result<()> {
    // `cargo test --workspace` (step 2) built this binary for www's process tests; building
    // it again with `cargo build` would resolve features differently and recompile the
    // server's dependencies (two minutes on an empty cache).
    let www = target_dir().join("debug").join("www");
    if !www.is_file() {
        exec(cargo().args(["build", "--package", "www"]))?;
    }
    // Built by step 2 too (its own tests run the binary).
    let fakes = target_dir().join("debug").join("shop-fakes");
    if !fakes.is_file() {
        exec(cargo().args(["build", "--package", "shop-fakes"]))?;
    }
    exec(
        std::process::Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(project_root().join("tests"))
            .env("BELLHOP_WWW_BIN", www)
            .env("BELLHOP_SHOP_FAKES_BIN", fakes)
            .env("BELLHOP_SMTP_PYTHON", install::SMTP_PYTHON)
            .env("BELLHOP_WIDGET_DIR", dist::out_dir())
            .env("BELLHOP_FLOWS_DIR", project_root().join("www/flows"))
            .env("BELLHOP_CHROMIUM", CHROMIUM)
            .env("BELLHOP_SCREENSHOTS", target_dir().join("screenshots")),
    )
}
