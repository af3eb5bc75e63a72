//! The `flow` binary as a merchant runs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn flow(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flow"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_demo_flow_is_clean() {
    let (code, out) = flow(&["check", "--deny-warnings", "www/flows/demo.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("www/flows/demo.json: ok"), "{out}");
}

#[test]
fn the_demo_flow_passes_its_conversation_tests() {
    let (code, out) = flow(&["test", "www/flows/demo.json", "www/flows/demo.tests.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" 0 failed"), "{out}");
}

#[test]
fn a_broken_flow_fails_with_located_messages() {
    let (code, out) = flow(&[
        "check",
        "flow-authoring/tests/check/unknown-references.json",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("unknown-references.json:6:40 (/steps/0/quick_replies/0/goto)"),
        "{out}"
    );
    assert!(out.contains("did you mean `shipping`?"), "{out}");
}

#[test]
fn a_failing_conversation_test_shows_the_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let tests = dir.path().join("t.yaml");
    std::fs::write(&tests, "tests:\n  - name: wrong greeting\n    steps:\n      - open\n      - expect: { says: \"Bonjour\" }\n").unwrap();
    let (code, out) = flow(&["test", "www/flows/demo.json", tests.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED") && out.contains("wrong greeting"),
        "{out}"
    );
    assert!(
        out.contains("Fern from Fernhill: Hi, I'm Fern!"),
        "the transcript is shown:\n{out}"
    );
    assert!(
        out.contains("expected the bot to say something containing \"Bonjour\""),
        "{out}"
    );
}

#[test]
fn yaml_and_toml_flows_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("f.yaml");
    std::fs::write(
        &yaml,
        "bot: { name: Fern }\nsteps:\n  - { id: hi, type: message, text: Hello }\n",
    )
    .unwrap();
    let toml = dir.path().join("f.toml");
    std::fs::write(&toml, "[bot]\nname = \"Fern\"\n\n[[steps]]\nid = \"hi\"\ntype = \"message\"\ntext = \"Hello\"\nnext = \"nowhere\"\n").unwrap();
    let (code, out) = flow(&["check", yaml.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = flow(&["check", toml.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("(/steps/0/next)") && out.contains("there is no step `nowhere`"),
        "{out}"
    );
    std::fs::write(&yaml, "bot: { name: Fern\nsteps: [\n").unwrap();
    let (code, out) = flow(&["check", yaml.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not valid YAML"), "{out}");
}

#[test]
fn build_writes_what_the_widget_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("demo.bhf");
    let (code, out) = flow(&[
        "build",
        "www/flows/demo.json",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let bytes = std::fs::read(&out_path).unwrap();
    let flow = flow_runtime::Flow::from_bytes(&bytes).unwrap();
    assert_eq!(flow.bot.name, "Fern from Fernhill");
}

#[test]
fn chat_talks_in_the_terminal_and_answers_lookups_from_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let orders = dir.path().join("orders.yaml");
    std::fs::write(
        &orders,
        "- { number: \"10234\", email: ana@example.com, status: shipped, carrier: UPS }\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_flow"))
        .args([
            "chat",
            "www/flows/demo.json",
            "--orders",
            orders.to_str().unwrap(),
        ])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/pick Track my order\n10234\nana@example.com\n/trigger exit_intent\n/quit\n")
        .unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(out.contains("What's your order number?"), "{out}");
    assert!(
        out.contains("→ look up order 10234 for ana@example.com"),
        "{out}"
    );
    assert!(out.contains("on its way with UPS"), "{out}");
}

#[test]
fn bench_prints_one_json_line_per_file_with_the_documented_keys() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tiny-bench.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flow"))
        .args(["bench", "--json", file, file])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let r = &lines[0];
    for key in [
        "file",
        "n_faq",
        "top1",
        "threshold",
        "acc_at_threshold",
        "oos_recall",
        "oos_precision",
        "p50_us",
        "p95_us",
        "build_ms",
        "index_bytes",
    ] {
        assert!(r.get(key).is_some(), "missing {key}: {r}");
    }
    assert_eq!(r["n_faq"], 3);
    // Every in-scope test question shares words with its entry: all four are right.
    assert_eq!(r["top1"], 1.0);
    // One out-of-scope question on each side: a fraction, not null.
    assert!(
        (0.0..=1.0).contains(&r["oos_recall"].as_f64().unwrap()),
        "{r}"
    );
    assert!(r["index_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn bench_says_where_a_file_is_not_in_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"faq": [{"id": "x", "examples": "not a list"}], "test": []}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flow"))
        .args(["bench", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("faq[0].examples"), "{err}");
}

/// `--language` reaches the matcher: Spanish brings its built-in synonyms ("orden" is a
/// "pedido"), which English does not, so the shipped index is larger; and the Spanish
/// questions, plurals included, find their entries.
#[test]
fn bench_language_picks_the_stemmer_and_synonyms() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tiny-bench-es.json");
    let run = |language: &str| -> serde_json::Value {
        let (code, out) = flow(&["bench", "--json", "--language", language, file]);
        assert_eq!(code, 0, "{out}");
        serde_json::from_str(&out).unwrap()
    };
    let (es, en) = (run("es"), run("en"));
    assert_eq!(es["language"], "es");
    assert!(
        es["index_bytes"].as_u64() > en["index_bytes"].as_u64(),
        "es {es}\nen {en}"
    );
    assert_eq!(es["top1"], 1.0, "{es}");
}
