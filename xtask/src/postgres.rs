//! A throwaway PostgreSQL for the server's tests: Debian's `postgresql` package (installed
//! when missing), a fresh cluster under a temporary folder, on loopback only, with trust
//! authentication, stopped and deleted when [`Postgres`] is dropped.
//!
//! PostgreSQL refuses to run as root, so as root the cluster is owned by and run as the
//! package's `postgres` user (through `runuser`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::util::{exec, is_root, on_path};

pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    pub url: String,
}

/// The newest installed PostgreSQL's programs folder.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop()
}

pub fn install() -> anyhow::Result<PathBuf> {
    if let Some(bin) = bin_dir() {
        return Ok(bin);
    }
    if !is_root() || !on_path("apt-get") {
        bail!("the server's tests need PostgreSQL: run `apt-get install -y postgresql` as root");
    }
    exec(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-q",
                "--no-install-recommends",
                "postgresql",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    bin_dir().context("PostgreSQL was installed but its programs are not under /usr/lib/postgresql")
}

/// `program args…`, as the `postgres` user when we are root.
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Postgres {
    pub fn start() -> anyhow::Result<Postgres> {
        let bin = install()?;
        let dir = std::env::temp_dir().join(format!("bellhop-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        if is_root() {
            exec(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let data = dir.join("data");
        exec(
            as_owner(&bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ])
                .stdout(std::process::Stdio::null()),
        )?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -F -c max_connections=200",
            dir.display()
        );
        exec(
            as_owner(&bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("log"))
                .args(["-o", &options, "-w", "start"])
                .stdout(std::process::Stdio::null()),
        )?;
        Ok(Postgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            bin,
            dir,
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `cargo xtask postgres`: one for a developer's own test runs, until Enter.
pub fn serve() -> anyhow::Result<()> {
    let postgres = Postgres::start()?;
    println!(
        "PostgreSQL is up. In another terminal:\n  BELLHOP_TEST_POSTGRES={} cargo test -p www\nPress Enter to stop it.",
        postgres.url
    );
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(())
}
