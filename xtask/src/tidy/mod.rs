//! Tidy checks: the architecture's rules, enforced as tests (rust-analyzer's `tidy.rs`),
//! by concern: `rules` (what each crate may name, link or do), `modules` (no cycles, explicit
//! exports) and `architecture` (ARCHITECTURE.md is true).

#![cfg(test)]

mod architecture;
mod modules;
mod rules;

use std::path::{Path, PathBuf};

pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n != "target" && n != "fuzz")
                {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// `word` not preceded by an identifier character (`rand::` but not `Operand::`).
pub(crate) fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Every dependency a manifest declares, by section: `name = "1"`, `name = { … }`,
/// `name.workspace = true`, `[dependencies.name]` and target-specific tables alike.
pub(crate) fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let doc: toml::Table = manifest.parse().expect("a Cargo.toml");
    let mut out = Vec::new();
    let mut collect = |table: &toml::Table, prefix: &str| {
        for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(deps) = table.get(section).and_then(|d| d.as_table()) {
                for name in deps.keys() {
                    out.push((format!("{prefix}{section}"), name.clone()));
                }
            }
        }
    };
    collect(&doc, "");
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table()) {
        for (target, table) in targets {
            if let Some(table) = table.as_table() {
                collect(table, &format!("target.{target}."));
            }
        }
    }
    out
}

/// Code lines of a file: comments are free to talk about anything.
pub(crate) fn code(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}
