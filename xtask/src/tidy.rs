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
    }

    /// Every dependency a manifest declares, by section: `name = "1"`, `name = { … }`,
    /// `name.workspace = true`, `[dependencies.name]` and target-specific tables alike.
    fn dependencies(manifest: &str) -> Vec<(String, String)> {
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

    #[test]
    fn every_form_of_dependency_is_seen() {
        let manifest = r#"
[dependencies]
serde = "1"
tokio.workspace = true
sqlx = { workspace = true }

[dependencies.reqwest]
version = "0.12"

[target.'cfg(unix)'.dependencies]
rand = "0.9"
"#;
        let names: Vec<String> = dependencies(manifest).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["reqwest", "serde", "sqlx", "tokio", "rand"]);
    }

    /// What the runtime may link: serde for its types, and the compiler's helpers (feature
    /// `authoring`, native only). A new dependency is a decision: add it here, with a reason.
    #[test]
    fn flow_runtime_depends_on_nothing_that_does_io() {
        let allowed = [
            "serde",
            // authoring: time zones, bundled into the compiler (no system files at run time)
            "jiff",
            "schemars",
            "serde_json",
            "serde_path_to_error",
        ];
        let manifest =
            std::fs::read_to_string(project_root().join("flow-runtime/Cargo.toml")).unwrap();
        for (section, name) in dependencies(&manifest) {
            assert!(
                section.contains("dev-") || allowed.contains(&name.as_str()),
                "flow-runtime's [{section}] has `{name}`: the runtime stays sans-IO (see tidy.rs)"
            );
        }
    }

    /// Code lines of a file: comments are free to talk about anything.
    fn code(text: &str) -> String {
        text.lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The browser crates (the panel `widget`, the eager `launcher` and the `browser` code
    /// they share) have no conversation rules: they report what the browser saw and show
    /// what the engine says. FAQ matching, triggers, business hours, exit intent, field
    /// checks and rating scores live in `flow-runtime`; naming any of them there is the smell.
    #[test]
    fn the_widget_has_no_conversation_rules() {
        let rules = [
            "faq::",
            "FaqIndex",
            "Decision",
            "Thresholds",
            "Trigger",
            "Frequency",
            "MobileExit",
            "BusinessHours",
            "hours::",
            "is_open",
            "pattern::",
            "logic::",
            "Subject",
            "is_email",
            "find_email",
            "order_number",
            "TAB_RETURN",
            "EXIT_GRACE",
            "fast_up",
            "is_exit",
            "CsatScale",
        ];
        for krate in BROWSER_CRATES {
            for file in rust_files(&project_root().join(krate).join("src")) {
                let text = code(&std::fs::read_to_string(&file).unwrap());
                for rule in rules {
                    assert!(
                        !contains_word(&text, rule),
                        "{} names `{rule}`: that decision belongs to flow-runtime",
                        file.display()
                    );
                }
            }
            // Their tests may compile flows; the wasm must not link the compiler.
            let manifest: toml::Table =
                std::fs::read_to_string(project_root().join(krate).join("Cargo.toml"))
                    .unwrap()
                    .parse()
                    .unwrap();
            let runtime = &manifest["dependencies"]["flow-runtime"];
            assert!(
                !runtime.to_string().contains("authoring"),
                "{krate} must not link the flow compiler (flow-runtime's `authoring` feature)"
            );
        }
    }

    /// The crates that run in the browser.
    const BROWSER_CRATES: [&str; 3] = ["widget", "launcher", "browser"];

    /// The eager stage runs on every page view: no Leptos in it, nor in what it shares
    /// with the panel.
    #[test]
    fn the_eager_stage_has_no_leptos() {
        for krate in ["launcher", "browser"] {
            let manifest =
                std::fs::read_to_string(project_root().join(krate).join("Cargo.toml")).unwrap();
            let deps: Vec<String> = dependencies(&manifest)
                .into_iter()
                .map(|(_, n)| n)
                .collect();
            assert!(
                !deps
                    .iter()
                    .any(|d| d.starts_with("leptos") || d == "widget"),
                "{krate} depends on {deps:?}: the eager stage must stay free of Leptos"
            );
        }
    }

    /// Notes outside the repository are not there on a fresh clone: what a comment or a
    /// document relies on must be in the repository.
    #[test]
    fn nothing_points_outside_the_repository() {
        let mut files = Vec::new();
        for dir in [
            "flow-runtime",
            "flow-cli",
            "widget",
            "launcher",
            "browser",
            "www",
            "xtask",
            "tests/e2e",
        ] {
            let mut stack = vec![project_root().join(dir)];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).unwrap().flatten() {
                    let path = entry.path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    if path.is_dir() {
                        if !["target", "node_modules", "test-results"].contains(&name.as_str()) {
                            stack.push(path);
                        }
                    } else if [".rs", ".toml", ".md", ".ts", ".js", ".mjs", ".css", ".html"]
                        .iter()
                        .any(|e| name.ends_with(e))
                    {
                        files.push(path);
                    }
                }
            }
        }
        for top in [
            "ARCHITECTURE.md",
            "README.md",
            "BENCHMARKS.md",
            "Cargo.toml",
        ] {
            files.push(project_root().join(top));
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(
                !text.contains(concat!("shared", "/notes")),
                "{} points at notes outside the repository",
                file.display()
            );
        }
        let architecture = std::fs::read_to_string(project_root().join("ARCHITECTURE.md")).unwrap();
        assert!(
            !architecture.contains("../"),
            "ARCHITECTURE.md points outside the repository"
        );
    }

    /// Only `www` knows SQL.
    #[test]
    fn only_www_knows_sql() {
        for crate_dir in ["widget", "launcher", "browser", "flow-runtime", "flow-cli"] {
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
