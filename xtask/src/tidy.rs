//! Tidy checks: the architecture's rules, enforced as tests (rust-analyzer's `tidy.rs`).

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::util::project_root;

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
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
    fn contains_word(text: &str, word: &str) -> bool {
        text.match_indices(word).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    }

    /// `flow-runtime` is sans-IO: no clock, no randomness, no browser, no network.
    #[test]
    fn flow_runtime_does_no_io_and_reads_no_clock() {
        let forbidden = [
            "Instant::now",
            "SystemTime",
            "std::time::Instant",
            "web_sys",
            "js_sys",
            "wasm_bindgen",
            "tokio",
            "sqlx",
            "std::net",
            "std::fs",
            "std::thread",
            "rand::",
            "getrandom",
        ];
        let src = project_root().join("flow-runtime/src");
        for file in rust_files(&src) {
            let text = std::fs::read_to_string(&file).unwrap();
            for word in forbidden {
                assert!(
                    !contains_word(&text, word),
                    "{} uses `{word}`: flow-runtime must stay sans-IO",
                    file.display()
                );
            }
        }
        let manifest =
            std::fs::read_to_string(project_root().join("flow-runtime/Cargo.toml")).unwrap();
        for dep in [
            "web-sys",
            "js-sys",
            "wasm-bindgen",
            "tokio",
            "sqlx",
            "reqwest",
            "rand",
        ] {
            assert!(
                !manifest.contains(&format!("\n{dep} ")),
                "flow-runtime must not depend on {dep}"
            );
        }
    }

    /// The widget makes no conversation decisions and talks SQL to nobody; only `www` knows SQL.
    #[test]
    fn only_www_knows_sql() {
        for crate_dir in ["widget", "flow-runtime", "flow-cli"] {
            for file in rust_files(&project_root().join(crate_dir).join("src")) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(!text.contains("sqlx"), "{} mentions sqlx", file.display());
            }
        }
    }

    /// Leptos' `delegation` feature breaks events inside a shadow root.
    #[test]
    fn leptos_event_delegation_stays_off() {
        let lock = std::fs::read_to_string(project_root().join("widget/Cargo.toml")).unwrap();
        assert!(
            !lock.contains("delegation\""),
            "widget/Cargo.toml turns on leptos' delegation feature"
        );
    }
}
