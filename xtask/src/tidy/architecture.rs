//! ARCHITECTURE.md stays true: the paths it names exist, each crate's modules are the ones
//! it lists, and the crates depend on each other as its table says.

use std::collections::BTreeSet;

use crate::modules::{graph, workspace_crates};
use crate::util::project_root;

fn architecture() -> String {
    std::fs::read_to_string(project_root().join("ARCHITECTURE.md")).unwrap()
}

/// `### crate/` sections: the crate and its lines.
fn sections(text: &str) -> Vec<(String, Vec<&str>)> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with("## ") {
            out.push((String::new(), Vec::new()));
        } else if let Some(name) = line
            .strip_prefix("### `")
            .and_then(|r| r.strip_suffix("/`"))
        {
            out.push((name.to_owned(), Vec::new()));
        } else if let Some((_, lines)) = out.last_mut() {
            lines.push(line);
        }
    }
    out
}

/// Every `code` span of the text that names a file or folder: it has a `/` or a file
/// extension, and no spaces, `::` or placeholders.
fn named_paths(line: &str) -> Vec<&str> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.contains(' ') && !s.contains("::") && !s.contains('*') && !s.contains('…'))
        .filter(|s| {
            s.contains('/')
                || [".rs", ".md", ".json", ".js", ".mjs", ".css", ".ts", ".toml"]
                    .iter()
                    .any(|e| s.ends_with(e))
        })
        .filter(|s| !s.starts_with("/") && !s.starts_with("http"))
        .collect()
}

#[test]
fn every_path_named_exists() {
    let root = project_root();
    let text = architecture();
    let mut missing = Vec::new();
    for (krate, lines) in sections(&text) {
        for line in lines {
            for path in named_paths(line) {
                let here = [
                    root.join(path),
                    root.join(&krate).join(path),
                    root.join(&krate).join("src").join(path),
                ];
                if !here.iter().any(|p| p.exists()) {
                    missing.push(if krate.is_empty() {
                        path.to_owned()
                    } else {
                        format!("{path} (under {krate}/)")
                    });
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

/// Each crate section lists its top-level modules (`- \`name\` —` or `- \`name/\` —`), every
/// one and nothing else.
#[test]
fn every_module_is_on_the_map() {
    let text = architecture();
    let documented: Vec<(String, BTreeSet<String>)> = sections(&text)
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(krate, lines)| {
            let names = lines
                .iter()
                .filter_map(|l| l.strip_prefix("- `"))
                .filter_map(|l| l.split_once('`'))
                .filter(|(_, rest)| rest.trim_start().starts_with('—'))
                .map(|(name, _)| name.trim_end_matches('/').to_owned())
                .collect();
            (krate, names)
        })
        .collect();
    for (krate, src) in workspace_crates(&project_root()) {
        let modules: BTreeSet<String> = graph(&src)
            .files
            .keys()
            .filter(|m| m.len() == 1)
            .map(|m| m[0].clone())
            .collect();
        let listed = documented
            .iter()
            .find(|(k, _)| *k == krate)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| panic!("ARCHITECTURE.md has no section for {krate}/"));
        assert_eq!(listed, modules, "ARCHITECTURE.md's map of {krate}/");
    }
}

/// The table under "Crates": each crate and the workspace crates it depends on (normal
/// dependencies), as the manifests say.
#[test]
fn the_crates_depend_as_the_table_says() {
    let text = architecture();
    let table = text
        .split("## Crates")
        .nth(1)
        .and_then(|t| t.split("```").nth(1))
        .expect("a table under ## Crates");
    let crates: BTreeSet<String> = workspace_crates(&project_root())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut seen = BTreeSet::new();
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let (krate, deps) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let listed: BTreeSet<String> = deps
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect();
        let manifest =
            std::fs::read_to_string(project_root().join(krate).join("Cargo.toml")).unwrap();
        let actual: BTreeSet<String> = super::dependencies(&manifest)
            .into_iter()
            .filter(|(section, _)| {
                section.ends_with("dependencies")
                    && !section.contains("dev-")
                    && !section.contains("build-")
            })
            .map(|(_, name)| name)
            .filter(|n| crates.contains(n) || krate == "flow-runtime")
            .collect();
        assert_eq!(actual, listed, "{krate}'s dependencies in ARCHITECTURE.md");
        seen.insert(krate.to_owned());
    }
    let table_misses: Vec<&String> = crates.iter().filter(|c| !seen.contains(*c)).collect();
    assert!(
        table_misses.is_empty(),
        "crates missing from the table: {table_misses:?}"
    );
}

/// Every check ARCHITECTURE.md says an invariant is held by (`*tidy*: name`) is a test here.
#[test]
fn every_named_tidy_check_exists() {
    let text = architecture();
    let mut tests = String::new();
    for file in super::rust_files(&project_root().join("xtask/src/tidy")) {
        tests.push_str(&std::fs::read_to_string(file).unwrap());
    }
    let mut named = 0;
    for part in text.split("*tidy*:").skip(1) {
        let part = part.split("*tests*").next().unwrap_or("");
        let part = part.split("\n- ").next().unwrap_or("");
        for name in part.split('`').skip(1).step_by(2) {
            named += 1;
            assert!(
                tests.contains(&format!("fn {name}()")),
                "ARCHITECTURE.md names a tidy check `{name}` that xtask/src/tidy/ does not have"
            );
        }
    }
    assert!(named >= 10, "the invariants name their checks");
}
