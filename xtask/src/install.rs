//! Installs what the build and the tests need on a fresh machine, when it is missing.
//!
//! Everything comes from the registries this machine can reach: rustup's targets, Debian's
//! packages and npm. Nothing downloads a browser of its own.

use std::path::Path;
use std::process::Command;

use anyhow::bail;

use crate::util::{cargo, exec, is_root, on_path, project_root};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The `wasm32-unknown-unknown` standard library, from rustup.
pub fn wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(project_root())
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
        });
    match installed {
        Ok(true) => Ok(()),
        Ok(false) => exec(
            Command::new("rustup")
                .args(["target", "add", WASM_TARGET])
                .current_dir(project_root()),
        ),
        Err(_) => {
            // No rustup: fine if the toolchain already has the target.
            let probe = cargo()
                .args([
                    "rustc",
                    "--quiet",
                    "-p",
                    "flow-runtime",
                    "--target",
                    WASM_TARGET,
                    "--",
                    "--print",
                    "sysroot",
                ])
                .output();
            match probe {
                Ok(o) if o.status.success() => Ok(()),
                _ => bail!(
                    "the {WASM_TARGET} target is missing and rustup is not available to add it"
                ),
            }
        }
    }
}

/// The standard library's source, from rustup, so that `dist` can rebuild `std` for the
/// browser with panics that abort at once (no panic messages, no formatting machinery).
/// Returns `false` where there is no rustup to add it; `dist` then builds with the
/// prebuilt `std` and says so.
/// The standard library's source (the `rust-src` component), which the widget's build
/// rebuilds `std` from. Added with rustup when it is missing and rustup can; otherwise an
/// error that says how to get it.
pub fn rust_src() -> anyhow::Result<()> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .current_dir(project_root())
        .output()?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
    let library = Path::new(&sysroot).join("lib/rustlib/src/rust/library/std");
    if library.is_dir() {
        return Ok(());
    }
    if on_path("rustup") {
        let added = Command::new("rustup")
            .args(["component", "add", "rust-src"])
            .current_dir(project_root())
            .status()
            .is_ok_and(|s| s.success());
        if added && library.is_dir() {
            return Ok(());
        }
    }
    anyhow::bail!(
        "the widget's release build needs the standard library's source, and {} has none.\n\
         Install it with `rustup component add rust-src` (or your distribution's `rust-src` \
         package), then run this again. Building without it would give a different, larger \
         widget (about 10 KiB brotli more) from the same source.",
        sysroot
    )
}

/// `rustc -V` of the toolchain that builds the widget, printed with its sizes.
pub fn rustc_version() -> anyhow::Result<String> {
    let out = Command::new("rustc")
        .arg("-V")
        .current_dir(project_root())
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Debian's Chromium and ChromeDriver, for the browser tests.
pub fn chromium() -> anyhow::Result<()> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        return Ok(());
    }
    if !is_root() || !on_path("apt-get") {
        bail!(
            "the browser tests need Debian's Chromium: run `apt-get install -y chromium chromium-driver` as root"
        );
    }
    exec(
        Command::new("apt-get")
            .args(["update", "-q"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    exec(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-q",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Debian's Python with `aiosmtpd`: the real SMTP server the email tests send to.
pub const SMTP_PYTHON: &str = "/usr/bin/python3";

/// Debian's `python3-aiosmtpd`, for the email tests (a maintained SMTP server on loopback).
pub fn smtp_server() -> anyhow::Result<()> {
    let installed = Command::new(SMTP_PYTHON)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    if !is_root() || !on_path("apt-get") {
        bail!(
            "the email tests need Debian's aiosmtpd: run `apt-get install -y python3-aiosmtpd` as root"
        );
    }
    exec(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-q",
                "--no-install-recommends",
                "python3-aiosmtpd",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Binaryen's `wasm-opt`, exactly as `xtask/binaryen/package-lock.json` pins it (npm's
/// build runs on Node, so it is the same program on every machine; Debian's binaryen 108
/// emits modules that crash wasm-bindgen's output at start). Returns the program's path.
pub fn wasm_opt() -> anyhow::Result<std::path::PathBuf> {
    build_tools()?;
    Ok(project_root().join("xtask/binaryen/node_modules/.bin/wasm-opt"))
}

/// terser, which minifies the loader and the glue (installed with wasm-opt).
pub fn terser() -> anyhow::Result<std::path::PathBuf> {
    build_tools()?;
    Ok(project_root().join("xtask/binaryen/node_modules/.bin/terser"))
}

/// The npm build tools of `xtask/binaryen/package.json`, at their pinned versions.
fn build_tools() -> anyhow::Result<std::path::PathBuf> {
    let dir = project_root().join("xtask/binaryen");
    let bin = dir.join("node_modules/.bin/wasm-opt");
    let pinned = |package: &str, version: &str| {
        std::fs::read_to_string(dir.join(format!("node_modules/{package}/package.json")))
            .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")))
    };
    if pinned("binaryen", "132.0.0") && pinned("terser", "5.51.4") && bin.exists() {
        return Ok(bin);
    }
    if !on_path("npm") {
        bail!(
            "`cargo xtask dist` optimises the widget with binaryen's wasm-opt from npm: \
             install Node.js 20 and npm (Debian: `apt-get install nodejs npm`)"
        );
    }
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir),
    )?;
    Ok(bin)
}

/// The npm packages of the end-to-end tests, exactly as `tests/package-lock.json` pins them.
pub fn npm_packages() -> anyhow::Result<()> {
    if !on_path("npm") {
        bail!("the end-to-end tests need Node.js 20 and npm");
    }
    let tests = project_root().join("tests");
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&tests)
            // The tests drive Debian's Chromium; never let a package fetch a browser of its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}
