//! `cargo xtask release`: one binary to deploy. Builds the widget (`dist`), then `www` in
//! release mode with the widget inside it (`www/build.rs` embeds the folder named by
//! `BELLHOP_EMBED_WIDGET`), and checks that the binary, alone in an empty folder, serves the
//! store's script tag and every file it names.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::dist;
use crate::util::{cargo, exec, target_dir};

pub fn run() -> anyhow::Result<()> {
    dist::run()?;
    let bin = build("release")?;
    let size = std::fs::metadata(&bin)?.len();
    check(&bin)?;
    eprintln!(
        "xtask release: {} ({:.1} MiB), the widget inside; copy it to the server and run it (README, \"Deploying\")",
        bin.display(),
        size as f64 / (1 << 20) as f64
    );
    Ok(())
}

/// Builds `www` with the widget of `dist` inside, in `profile` (`release`, or `dev` for the
/// test run's check); returns the binary.
pub fn build(profile: &str) -> anyhow::Result<PathBuf> {
    let mut command = cargo();
    command
        .args(["build", "--package", "www", "--bin", "www"])
        .env("BELLHOP_EMBED_WIDGET", dist::out_dir());
    if profile == "release" {
        command.arg("--release");
    }
    exec(&mut command)?;
    let folder = if profile == "release" {
        "release"
    } else {
        "debug"
    };
    Ok(target_dir().join(folder).join("www"))
}

/// Copies `bin` into an empty folder, starts it there without `--widget-dir`, and fetches
/// `/bellhop/bellhop.js` and every built file, brotli and plain, comparing the bytes with
/// `dist`'s.
pub fn check(bin: &Path) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let alone = dir.join("www");
    std::fs::copy(bin, &alone).context("copying the binary")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = Command::new(&alone)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(&dir)
        .env_remove("BELLHOP_WIDGET_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the binary")?;
    let result = (|| -> anyhow::Result<usize> {
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                bail!("the binary did not start");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut checked = 0;
        for entry in std::fs::read_dir(dist::out_dir())? {
            let path = entry?.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let want = std::fs::read(&path)?;
            let got = curl(port, &name, None)?;
            if got != want {
                bail!("/bellhop/{name}: the binary serves other bytes than dist built");
            }
            if dist::out_dir().join(format!("{name}.br")).exists() {
                let want = std::fs::read(dist::out_dir().join(format!("{name}.br")))?;
                if curl(port, &name, Some("br"))? != want {
                    bail!("/bellhop/{name} (br): not the precompressed file");
                }
            }
            checked += 1;
        }
        Ok(checked)
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let checked = result?;
    eprintln!(
        "the binary alone serves the widget: {checked} files, brotli and plain, as dist built them"
    );
    Ok(())
}

/// The raw body of `GET /bellhop/{name}` (no decoding), with `Accept-Encoding: coding`.
fn curl(port: u16, name: &str, coding: Option<&str>) -> anyhow::Result<Vec<u8>> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    let accept = coding.map_or_else(String::new, |c| format!("Accept-Encoding: {c}\r\n"));
    write!(
        stream,
        "GET /bellhop/{name} HTTP/1.1\r\nHost: 127.0.0.1\r\n{accept}Connection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no HTTP header")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    if !head.starts_with("http/1.1 200") {
        bail!("/bellhop/{name}: {}", head.lines().next().unwrap_or(""));
    }
    let body = &raw[split + 4..];
    if head.contains("transfer-encoding: chunked") {
        return Ok(dechunk(body));
    }
    Ok(body.to_vec())
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&body[start..(start + size).min(body.len())]);
        body = &body[(start + size + 2).min(body.len())..];
    }
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("bellhop-release-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
