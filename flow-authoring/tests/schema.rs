//! The JSON Schema of flow documents is generated from the Rust types. This test keeps the
//! checked-in `flow.schema.json` current: if it is stale it rewrites it and fails, so the
//! change shows up in review (rust-analyzer's `ensure_file_contents`).

use std::path::Path;

#[test]
fn flow_schema_is_current() {
    let schema = flow_authoring::doc::schema();
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("flow.schema.json");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old != text {
        std::fs::write(&path, &text).unwrap();
        panic!(
            "flow.schema.json was stale and has been regenerated: commit it and run the tests again"
        );
    }
}

#[test]
fn the_schema_describes_every_step_kind_and_rejects_unknown_fields() {
    let schema = flow_authoring::doc::schema();
    let text = schema.to_string();
    for kind in [
        "message",
        "carousel",
        "ask",
        "condition",
        "set",
        "goto",
        "end",
        "order_lookup",
        "handoff",
        "handoff_email",
        "csat",
    ] {
        assert!(
            text.contains(&format!("\"const\":\"{kind}\"")),
            "step kind {kind} missing from the schema"
        );
    }
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "steps")
    );
}
