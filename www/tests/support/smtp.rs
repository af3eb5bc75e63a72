//! A real SMTP server for the email tests: Debian's aiosmtpd on loopback, storing what it
//! receives in a Maildir that the tests read. `cargo xtask test` installs it and sets
//! `BELLHOP_TEST_SMTP` (the Python that has it); without that variable the email tests
//! look for `/usr/bin/python3` with aiosmtpd and are skipped with a note if it is missing.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SMTP_ENV: &str = "BELLHOP_TEST_SMTP";

pub struct Smtp {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

/// One email as it arrived: its headers (lower-case names) and its whole source.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub source: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    /// The body, quoted-printable and base64 parts decoded well enough to search.
    pub fn text(&self) -> String {
        decode_parts(&self.source)
    }
}

impl Smtp {
    /// Starts the server, or `None` (with a note) when this machine has none and the run
    /// is not `cargo xtask test`'s.
    pub fn start() -> Option<Smtp> {
        let python = match std::env::var(SMTP_ENV) {
            Ok(p) if !p.is_empty() => p,
            _ => {
                let p = "/usr/bin/python3".to_owned();
                let ok = Command::new(&p)
                    .args(["-c", "import aiosmtpd"])
                    .output()
                    .is_ok_and(|o| o.status.success());
                if !ok {
                    eprintln!(
                        "note: no aiosmtpd here, so this email test was skipped (cargo xtask test installs it)"
                    );
                    return None;
                }
                p
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("Maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{SMTP_ENV}={python}: {e}"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Smtp { port, dir, child })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("Maildir").join("new")
    }

    /// Everything received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<_> = std::fs::read_dir(self.maildir())
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .map(|source| Received {
                headers: headers(&source),
                source,
            })
            .collect()
    }

    /// Waits until `n` emails have arrived (at most `limit`), then returns them all.
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || started.elapsed() > limit {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The header block, unfolded.
fn headers(source: &str) -> Vec<(String, String)> {
    let head = source
        .split("\n\n")
        .next()
        .unwrap_or("")
        .replace("\r\n", "\n");
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    out
}

/// Quoted-printable soft breaks and `=XX` undone, base64 parts decoded.
fn decode_parts(source: &str) -> String {
    let source = source.replace("\r\n", "\n");
    let mut out = String::new();
    for part in source.split("\n--") {
        let (head, body) = part.split_once("\n\n").unwrap_or(("", part));
        let head = head.to_ascii_lowercase();
        if head.contains("content-transfer-encoding: base64") {
            use base64::Engine;
            let joined: String = body.lines().take_while(|l| !l.starts_with("--")).collect();
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(joined.trim()) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        } else if head.contains("quoted-printable") {
            let soft = body.replace("=\n", "");
            let bytes = soft.as_bytes();
            let mut decoded = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
                if let (b'=', Some(hi), Some(lo)) =
                    (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
                {
                    decoded.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                decoded.push(bytes[i]);
                i += 1;
            }
            out.push_str(&String::from_utf8_lossy(&decoded));
        } else {
            out.push_str(body);
        }
        out.push('\n');
    }
    out
}
