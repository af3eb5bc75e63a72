//! The rules about code: what each crate may name, link or do.

#[cfg(test)]
mod tests {
    use super::super::{code, contains_word, dependencies, rust_files};
    use crate::util::project_root;

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

    /// What the runtime may link: serde for its types. A new dependency is a decision: add it
    /// here, with a reason.
    #[test]
    fn flow_runtime_depends_on_nothing_that_does_io() {
        let allowed = ["serde"];
        let manifest =
            std::fs::read_to_string(project_root().join("flow-runtime/Cargo.toml")).unwrap();
        for (section, name) in dependencies(&manifest) {
            assert!(
                section.contains("dev-") || allowed.contains(&name.as_str()),
                "flow-runtime's [{section}] has `{name}`: the runtime stays sans-IO (see tidy.rs)"
            );
        }
    }

    /// What the browser downloads never links what authors flows: in the dependency graph
    /// cargo resolves for wasm32, neither the widget nor the launcher reaches the compiler,
    /// its JSON and schema libraries or its time-zone database (their tests may).
    #[test]
    fn the_browser_never_links_the_compiler() {
        let out = crate::util::cargo()
            .args(["metadata", "--format-version", "1", "--filter-platform"])
            .arg(crate::install::WASM_TARGET)
            .current_dir(project_root())
            .output()
            .unwrap();
        assert!(out.status.success(), "cargo metadata failed");
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let name_of = |id: &str| -> String {
            meta["packages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == id)
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        // A procedural macro runs in the compiler, not in the wasm: its dependencies are not
        // linked.
        let is_proc_macro = |id: &str| -> bool {
            meta["packages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == id)
                .is_some_and(|p| {
                    p["targets"].as_array().unwrap().iter().any(|t| {
                        t["kind"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|k| k == "proc-macro")
                    })
                })
        };
        let nodes = meta["resolve"]["nodes"].as_array().unwrap();
        // Normal (not dev, not build) dependencies only: what ends up in the wasm.
        let normal_deps = |id: &str| -> Vec<String> {
            let node = nodes.iter().find(|n| n["id"] == id).unwrap();
            node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| d["pkg"].as_str().unwrap().to_owned())
                .collect()
        };
        for krate in ["widget", "launcher"] {
            let root = meta["packages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == krate)
                .map(|p| p["id"].as_str().unwrap().to_owned())
                .unwrap();
            let mut seen = std::collections::BTreeSet::new();
            let mut todo = vec![root];
            while let Some(id) = todo.pop() {
                if !is_proc_macro(&id) && seen.insert(id.clone()) {
                    todo.extend(normal_deps(&id));
                }
            }
            let linked: Vec<String> = seen.iter().map(|id| name_of(id)).collect();
            for authoring in ["flow-authoring", "schemars", "jiff", "serde_path_to_error"] {
                assert!(
                    !linked.iter().any(|n| n == authoring),
                    "{krate} links `{authoring}`: what authors flows stays out of the browser"
                );
            }
            assert!(
                linked.iter().any(|n| n == "flow-runtime"),
                "{krate} runs flow-runtime"
            );
        }
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
            "flow-authoring",
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
        for crate_dir in [
            "widget",
            "launcher",
            "browser",
            "flow-runtime",
            "flow-authoring",
            "flow-cli",
        ] {
            for file in rust_files(&project_root().join(crate_dir).join("src")) {
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(!text.contains("sqlx"), "{} mentions sqlx", file.display());
            }
        }
    }

    /// Staff forms reach handlers only through `staff::form`'s extractors, which check the
    /// CSRF token first: a plain `axum::Form` in a handler is a form whose check could be
    /// forgotten. The login form is the one exception (nobody is logged in yet: it has the
    /// same-origin rule and the throttle instead).
    #[test]
    fn staff_forms_are_checked_on_the_way_in() {
        for file in rust_files(&project_root().join("www/src")) {
            if file.ends_with("staff/form.rs") {
                continue;
            }
            let text = code(&std::fs::read_to_string(&file).unwrap());
            for (i, line) in text.lines().enumerate() {
                let plain_form = line.contains("Form(") && line.contains("Form<")
                    || line.contains("extract::Form")
                    || line.contains("extract::{Form");
                if plain_form && !line.contains("Form<Login>") {
                    panic!(
                        "{}:{}: a plain axum Form; take a staff::StaffForm or staff::OwnerForm",
                        file.display(),
                        i + 1
                    );
                }
            }
        }
    }

    /// In the browser the wall clock is read in one place, `browser::now` (through the
    /// stage's platform: the panel's `widget/src/web.rs`, the eager stage's loader import):
    /// the engine gets its time with every input, and a second clock would be a second time.
    #[test]
    fn the_clock_is_read_in_one_place() {
        for krate in BROWSER_CRATES {
            for file in rust_files(&project_root().join(krate).join("src")) {
                if file.ends_with("widget/src/web.rs") {
                    continue;
                }
                let text = code(&std::fs::read_to_string(&file).unwrap());
                for clock in ["Date::now", "Date::new_0"] {
                    assert!(
                        !text.contains(clock),
                        "{} reads the clock ({clock}): use browser::now",
                        file.display()
                    );
                }
            }
        }
    }

    /// SQL is written by the server's data modules only; handlers call them.
    #[test]
    fn only_the_data_modules_write_sql() {
        let data = [
            "db.rs",
            "agents.rs",
            "api/limits.rs",
            "cluster.rs",
            "conversations.rs",
            "flows/store.rs",
            "inbox/throttle/shared.rs",
            "insights.rs",
            "mail/outbox.rs",
            "orders/mod.rs",
            "orders/import.rs",
            "orders/demo.rs",
            "secrets.rs",
            "webhooks.rs",
        ];
        let src = project_root().join("www/src");
        for file in rust_files(&src) {
            let name = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = code(&std::fs::read_to_string(&file).unwrap());
            if ["sqlx::query", "query_as(", "query_scalar("]
                .iter()
                .any(|q| text.contains(q))
            {
                assert!(data.contains(&name.as_str()), "www/src/{name} writes SQL");
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
