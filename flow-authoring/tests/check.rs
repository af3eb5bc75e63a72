//! `flow check` on broken flows: each `tests/check/NAME.json` has the diagnostics it must
//! produce in `NAME.expected` (refresh them with `UPDATE_EXPECT=1 cargo test -p flow-runtime`).

use std::path::Path;

use flow_authoring::compile::compile_json;

#[test]
fn broken_flows_give_located_messages_with_fixes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut checked = 0;
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let compiled = compile_json(&source);
        let mut actual: String = compiled
            .diagnostics
            .iter()
            .map(|d| d.render(&name) + "\n")
            .collect();
        actual.push_str(&format!(
            "{} error(s), {} warning(s)\n",
            compiled.errors(),
            compiled.warnings()
        ));
        assert!(
            compiled.errors() > 0,
            "{name}: a broken flow must have errors:\n{actual}"
        );
        assert!(
            compiled.flow.is_none(),
            "{name}: a flow with errors must not compile"
        );
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != actual {
                failures.push(format!(
                    "--- {}\n+++ actual\n{actual}",
                    expected_path.display()
                ));
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "the broken-flow examples are missing");
    assert!(
        failures.is_empty(),
        "diagnostics changed (UPDATE_EXPECT=1 to accept):\n{}",
        failures.join("\n")
    );
}
