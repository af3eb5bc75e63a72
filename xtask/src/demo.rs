//! `cargo xtask demo`: the whole thing on one machine, for a person to click through.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::dist;
use crate::util::{cargo, exec, project_root};

pub const ADDR: &str = "127.0.0.1:8080";

pub fn run() -> anyhow::Result<()> {
    dist::run()?;
    exec(cargo().args(["build", "--package", "www"]))?;
    let root = project_root();
    let mut server = cargo()
        .args(["run", "--quiet", "--package", "www", "--"])
        .arg("--addr")
        .arg(ADDR)
        .arg("--widget-dir")
        .arg(dist::out_dir())
        .arg("--flows-dir")
        .arg(root.join("www/flows"))
        .arg("--data-dir")
        .arg(root.join("data"))
        // Demo orders in every status and the demo agent, on first start.
        .arg("--demo")
        .spawn()?;
    let started = Instant::now();
    while http_status(ADDR, "/healthz") != Some(204) {
        if let Some(status) = server.try_wait()? {
            bail!("the server stopped ({status}); is {ADDR} already in use?");
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not answer on {ADDR} within a minute");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "\nBellhop's demo store is open:\n  home      http://{ADDR}/\n  product   http://{ADDR}/products/trail-runner\n  checkout  http://{ADDR}/checkout\n\nThe merchant console (edit, try and publish the assistant):\n  http://{ADDR}/console log in as owner@fernhill.example, password fernhill-owner\n\nThe agent inbox:\n  http://{ADDR}/inbox   log in as agent@fernhill.example, password fernhill-demo\n\nOrders to look up in the chat (\"Track my order\"):\n  10234 ana@example.com (shipped)    10231 ana@example.com (delivered)\n  10240 sam@example.com (processing) 10228 lee@example.com (cancelled)\n  10219 kim@example.com (refunded)\n\nPress Ctrl-C to stop.\n"
    );
    let status = server.wait()?;
    if !status.success() && status.code().is_some() {
        bail!("the server stopped ({status})");
    }
    Ok(())
}

/// The status code of `GET path` on `addr`, or `None` if nothing answers.
pub fn http_status(addr: &str, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}
