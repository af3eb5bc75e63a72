//! `cargo xtask dist`: the widget as browsers download it, and what it weighs.
//!
//! Steps: release-build the widget for `wasm32-unknown-unknown` (profile `widget`), run
//! wasm-bindgen (as a library, pinned to the widget's version) for ES-module output,
//! optimise with binaryen's `wasm-opt -O1` (npm's, pinned in `xtask/binaryen`), name
//! the glue and the wasm after their content hash, fill those names into the loader,
//! precompress everything with brotli and gzip, and print a size table.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::install;
use crate::util::{cargo, exec, project_root, target_dir};

/// Where `dist` writes the files `www` serves under `/bellhop/`.
pub fn out_dir() -> PathBuf {
    target_dir().join("dist")
}

/// Sizes of one file as the browser downloads it.
pub struct Asset {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Builds the widget into [`out_dir`] and prints the size table; returns the table's rows.
pub fn run() -> anyhow::Result<Vec<Asset>> {
    install::wasm_target()?;
    run_cargo_build()?;
    let wasm = target_dir()
        .join(install::WASM_TARGET)
        .join("widget")
        .join("widget.wasm");
    let out = out_dir();
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    fs::create_dir_all(&out)?;

    let staging = target_dir().join("dist-bindgen");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    Bindgen::new()
        .input_path(&wasm)
        .out_name("bellhop")
        .web(true)?
        // The library's default is `true` (the CLI's is false); with it, init() has no
        // default wasm URL. We pass the URL explicitly anyway, but keep the default sane.
        .omit_default_module_path(false)
        .typescript(false)
        // Function names are for debuggers; in the shipped file they would double its size.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&staging)
        .context("wasm-bindgen failed")?;
    // For size work: the same output with function names, for `twiggy`.
    if std::env::var_os("BELLHOP_DIST_NAMES").is_some() {
        Bindgen::new()
            .input_path(&wasm)
            .out_name("named")
            .web(true)?
            .omit_default_module_path(false)
            .typescript(false)
            .generate(target_dir().join("dist-named"))
            .context("wasm-bindgen failed")?;
        eprintln!(
            "function names kept in {}",
            target_dir().join("dist-named/named_bg.wasm").display()
        );
    }
    if staging.join("snippets").exists() {
        anyhow::bail!("wasm-bindgen produced JS snippets; dist does not ship them yet");
    }

    optimize(&staging.join("bellhop_bg.wasm"))?;
    let glue = fs::read(staging.join("bellhop.js"))?;
    let wasm_bytes = fs::read(staging.join("bellhop_bg.wasm"))?;
    let glue_name = format!("bellhop-{}.js", short_hash(&glue));
    let wasm_name = format!("bellhop-{}_bg.wasm", short_hash(&wasm_bytes));
    fs::write(out.join(&glue_name), &glue)?;
    fs::write(out.join(&wasm_name), &wasm_bytes)?;

    let loader = fs::read_to_string(project_root().join("widget/loader/bellhop.js"))?;
    for placeholder in ["__BELLHOP_GLUE__", "__BELLHOP_WASM__"] {
        anyhow::ensure!(
            loader.contains(placeholder),
            "the loader lost its {placeholder} placeholder"
        );
    }
    let loader = loader
        .replace("__BELLHOP_GLUE__", &glue_name)
        .replace("__BELLHOP_WASM__", &wasm_name);
    fs::write(out.join("bellhop.js"), loader)?;

    let mut assets = Vec::new();
    for name in ["bellhop.js", &glue_name, &wasm_name] {
        assets.push(compress(&out.join(name))?);
    }
    // The flow is downloaded too, compiled, as `www` serves it (`?format=bhf`).
    let source = fs::read_to_string(project_root().join("www/flows/demo.json"))?;
    let compiled = flow_runtime::compile::compile_json(&source);
    let flow = compiled
        .flow
        .ok_or_else(|| anyhow::anyhow!("www/flows/demo.json has errors: run `flow check` on it"))?;
    assets.push(measure("demo flow (compiled)", &flow.to_bytes())?);
    print_table(&assets);
    Ok(assets)
}

/// With the standard library's source at hand, `std` is rebuilt for the widget with
/// `panic = immediate-abort`: a panic becomes a bare `unreachable` trap, and the panic
/// messages, their locations and most of `core::fmt` leave the wasm (about 10 KiB brotli);
/// `fmt-debug=none` empties `Debug` impls (nothing in the browser prints with `{:?}`) and
/// `location-detail=none` drops `#[track_caller]` file names (1.5 KiB more), and std's
/// `optimize_for_size` feature picks its small sorts and string routines (2.0 KiB more).
/// All are unstable, hence `RUSTC_BOOTSTRAP=1` on this one build; they change nothing
/// in behaviour because the widget's profile aborts on panic anyway.
///
/// Without the standard library's source the build stops (see [`install::rust_src`])
/// rather than quietly building with the prebuilt `std`: that widget would be about 10 KiB
/// brotli larger, different bytes from the same source, and fail the size ratchet.
fn run_cargo_build() -> anyhow::Result<()> {
    install::rust_src()?;
    eprintln!("toolchain: {}", install::rustc_version()?);
    let mut build = cargo();
    build.args([
        "build",
        "--package",
        "widget",
        "--lib",
        "--profile",
        "widget",
        "--target",
        install::WASM_TARGET,
    ]);
    build
        .args([
            "-Z",
            "build-std=std,panic_abort",
            "-Z",
            "build-std-features=optimize_for_size",
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            // Paths of this checkout are not part of the output: the same source and
            // toolchain give the same bytes in any folder.
            format!(
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none --remap-path-prefix={}=/bellhop",
                project_root().display()
            ),
        );
    exec(&mut build)
}

/// Runs binaryen's `wasm-opt -O1` over wasm-bindgen's output, in place. Measured on the
/// widget: -O1 saves about 2.4 KiB brotli; `-Os` and `-Oz` make the raw file 13 % smaller
/// but the brotli file 5 % *larger* (their inlining and flattening repeat less), and
/// `-O2` likewise. The features come from the module's `target_features` section, which
/// goes afterwards (browsers ignore it).
fn optimize(wasm: &Path) -> anyhow::Result<()> {
    let wasm_opt = install::wasm_opt()?;
    exec(
        std::process::Command::new(wasm_opt)
            .arg("-O1")
            .arg("--strip-target-features")
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Writes `file.br` and `file.gz` beside `file` and returns its sizes.
fn compress(file: &Path) -> anyhow::Result<Asset> {
    let bytes = fs::read(file)?;
    let (gz, br) = (gzip(&bytes)?, brotli(&bytes)?);
    let with_ext = |ext: &str, data: &[u8]| {
        let mut path = file.as_os_str().to_owned();
        path.push(ext);
        fs::write(PathBuf::from(path), data)
    };
    with_ext(".gz", &gz)?;
    with_ext(".br", &br)?;
    let name = file
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    Ok(Asset {
        name,
        raw: bytes.len(),
        gzip: gz.len(),
        brotli: br.len(),
    })
}

fn measure(name: &str, bytes: &[u8]) -> anyhow::Result<Asset> {
    Ok(Asset {
        name: name.to_owned(),
        raw: bytes.len(),
        gzip: gzip(bytes)?.len(),
        brotli: brotli(bytes)?.len(),
    })
}

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn print_table(assets: &[Asset]) {
    let kib = |n: usize| format!("{:.1} KiB", n as f64 / 1024.0);
    println!("\nWhat the browser downloads (target/dist):");
    println!(
        "{:<34} {:>11} {:>11} {:>11}",
        "file", "raw", "gzip", "brotli"
    );
    for a in assets {
        println!(
            "{:<34} {:>11} {:>11} {:>11}",
            a.name,
            kib(a.raw),
            kib(a.gzip),
            kib(a.brotli)
        );
    }
    let total = |f: fn(&Asset) -> usize| assets.iter().map(f).sum::<usize>();
    println!(
        "{:<34} {:>11} {:>11} {:>11}",
        "total",
        kib(total(|a| a.raw)),
        kib(total(|a| a.gzip)),
        kib(total(|a| a.brotli))
    );
    println!("total brotli bytes: {}", total(|a| a.brotli));
}

/// The loader runs on every page of the store, before anything else of ours: it must stay
/// tiny.
pub const LOADER_BUDGET_BROTLI: usize = 2 * 1024;

/// Everything the widget downloads may not grow past this (brotli bytes). The issues'
/// budget is 90 KiB (goal 60), which this design cannot reach (BENCHMARKS.md says why);
/// until that is decided, this holds what was won: a change that makes the widget heavier
/// than this fails CI. Lower it when the widget shrinks. Raised from 144 to 157 KiB by the
/// conversation work of issue 17 (digressions, the calibrated FAQ decision, analytics,
/// Intl dates and money, labels in eight languages: +10.5 KiB of wasm; the demo flow's
/// Spanish: +2.6 KiB), which the issue allowed 3 KiB: BENCHMARKS.md has the figures. Then
/// to 158 KiB by issue 18's one consent gate for every `localStorage` write (+0.5 KiB).
/// Lowered to 156 KiB when issue 19 added binaryen's `wasm-opt -O1` (-2.4 KiB of wasm).
pub const TOTAL_BUDGET_BROTLI: usize = 156 * 1024;

/// The budget the issues set for everything the widget downloads, printed beside the ratchet.
pub const TOTAL_TARGET_BROTLI: usize = 90 * 1024;

pub fn check_budgets(assets: &[Asset]) -> anyhow::Result<()> {
    let loader = assets
        .iter()
        .find(|a| a.name == "bellhop.js")
        .ok_or_else(|| anyhow::anyhow!("no bellhop.js in the build"))?;
    eprintln!(
        "budget: loader {} of {LOADER_BUDGET_BROTLI} bytes brotli",
        loader.brotli
    );
    anyhow::ensure!(
        loader.brotli <= LOADER_BUDGET_BROTLI,
        "the loader is {} bytes brotli, over its budget of {LOADER_BUDGET_BROTLI}",
        loader.brotli
    );
    let total: usize = assets.iter().map(|a| a.brotli).sum();
    eprintln!(
        "budget: everything {total} of {TOTAL_BUDGET_BROTLI} bytes brotli (target {TOTAL_TARGET_BROTLI}, not met)"
    );
    anyhow::ensure!(
        total <= TOTAL_BUDGET_BROTLI,
        "the widget is {total} bytes brotli in all, over its budget of {TOTAL_BUDGET_BROTLI}: \
         find what grew with `BELLHOP_DIST_NAMES=1 cargo xtask dist` and twiggy"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(name: &str, brotli: usize) -> Asset {
        Asset {
            name: name.into(),
            raw: brotli * 4,
            gzip: brotli,
            brotli,
        }
    }

    #[test]
    fn budgets_hold_the_loader_and_the_total() {
        let within = [
            asset("bellhop.js", 1200),
            asset("glue.js", 7000),
            asset("w.wasm", 130_000),
        ];
        assert!(check_budgets(&within).is_ok());
        let heavy = [
            asset("bellhop.js", 1200),
            asset("w.wasm", TOTAL_BUDGET_BROTLI),
        ];
        assert!(
            check_budgets(&heavy).is_err(),
            "the total counts every file"
        );
        let big_loader = [asset("bellhop.js", LOADER_BUDGET_BROTLI + 1)];
        assert!(check_budgets(&big_loader).is_err());
    }
}
