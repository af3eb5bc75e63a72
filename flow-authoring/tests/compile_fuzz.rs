//! The compiler against damaged real flows: the demo's flow and the broken examples of
//! `tests/check/`, each mutated a few times at random (a string replaced by text with
//! characters of several bytes, pattern syntax, colours, huge or negative numbers; a value
//! replaced by another type; a key dropped; an array element duplicated; a value nested
//! deep), then compiled. Nothing may panic, and what compiles must survive its own binary
//! form. Structure-aware, so that mutations reach the checks behind the parser (the
//! colour `#aé€` that sliced a string mid-character was one).
//!
//! CI runs the default number of cases; `cargo xtask fuzz` runs many more
//! (`PROPTEST_CASES`).

use flow_authoring::compile::compile_value;
use proptest::prelude::*;
use serde_json::{Value, json};

fn seeds() -> Vec<Value> {
    let mut out = vec![serde_json::from_str(include_str!("../../www/flows/demo.json")).unwrap()];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        if path.extension().is_some_and(|e| e == "json")
            && let Ok(v) = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        {
            out.push(v);
        }
    }
    out
}

/// Text that has broken parsers before: several-byte characters where ASCII is expected,
/// pattern and template syntax, colours, numbers, control and bidi characters.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#aé€".to_owned()),
        Just("#€€€".to_owned()),
        Just("#12345g".to_owned()),
        Just("((((){1000}){1000}){1000}){1000}".to_owned()),
        Just("(.?){990}x".to_owned()),
        Just("{{".to_owned()),
        Just("{{order.status|".to_owned()),
        Just("[x](javascript:alert(1))".to_owned()),
        Just("25:99-26:00".to_owned()),
        Just("Europe/Nowhere".to_owned()),
        Just("\u{202e}\u{0}\u{7}".to_owned()),
        Just("-1".to_owned()),
        Just("1e309".to_owned()),
        "\\PC{0,12}",
        "[#0-9a-fé€{}()|*+?\\[\\]\\\\:/. -]{0,16}",
    ]
}

fn nasty_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        nasty_text().prop_map(Value::String),
        Just(json!(null)),
        Just(json!(true)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e300)),
        Just(json!(u64::MAX)),
        Just(json!([])),
        Just(json!({})),
        // Nested deeper than any flow: 100 arrays.
        Just((0..100).fold(json!("deep"), |v, _| json!([v]))),
    ]
}

/// One change at the `pick`-th node (in document order) of `doc`.
#[derive(Clone, Debug)]
enum Mutation {
    ReplaceString(usize, String),
    ReplaceValue(usize, Value),
    DropKey(usize),
    Duplicate(usize),
    /// A field the compiler parses itself (colours, patterns, hours, addresses), set.
    SetField(usize, String),
}

/// Fields whose text the compiler reads character by character: where slicing bugs live.
const PARSED: [&str; 10] = [
    "/bot/theme/accent",
    "/bot/theme/on_accent",
    "/bot/avatar",
    "/order_number",
    "/bot/business_hours/time_zone",
    "/bot/business_hours/weekly/mon/0",
    "/bot/business_hours/holidays/0",
    "/bot/languages/0",
    "/steps/0/text",
    "/faq/entries/0/answer",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), nasty_text()).prop_map(|(i, t)| Mutation::ReplaceString(i, t)),
        2 => (any::<usize>(), nasty_value()).prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
        1 => any::<usize>().prop_map(Mutation::DropKey),
        1 => any::<usize>().prop_map(Mutation::Duplicate),
        4 => (any::<usize>(), nasty_text()).prop_map(|(i, t)| Mutation::SetField(i, t)),
    ]
}

/// Every node of `v`, depth first, as pointers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let pick = |i: usize, filter: &dyn Fn(&Value) -> bool| -> Option<String> {
        let fitting: Vec<&String> = all
            .iter()
            .filter(|p| doc.pointer(p).is_some_and(filter))
            .collect();
        (!fitting.is_empty()).then(|| fitting[i % fitting.len()].clone())
    };
    match m {
        Mutation::ReplaceString(i, text) => {
            if let Some(p) = pick(*i, &|v| v.is_string()) {
                *doc.pointer_mut(&p).unwrap() = Value::String(text.clone());
            }
        }
        Mutation::ReplaceValue(i, value) => {
            if let Some(p) = pick(*i, &|_| true).filter(|p| !p.is_empty()) {
                *doc.pointer_mut(&p).unwrap() = value.clone();
            }
        }
        Mutation::DropKey(i) => {
            if let Some(p) = pick(*i, &|v| v.as_object().is_some_and(|o| !o.is_empty())) {
                let obj = doc.pointer_mut(&p).unwrap().as_object_mut().unwrap();
                let key = obj.keys().nth(i % obj.len()).unwrap().clone();
                obj.shift_remove(&key);
            }
        }
        Mutation::SetField(i, text) => {
            let path = PARSED[i % PARSED.len()];
            let (parent, key) = path.rsplit_once('/').unwrap();
            // Make the parents that are missing, so that the field is read at all.
            let mut at = String::new();
            for part in parent.split('/').skip(1) {
                let next = format!("{at}/{part}");
                if doc.pointer(&next).is_none() {
                    match doc.pointer_mut(&at) {
                        Some(Value::Object(map)) => {
                            map.insert(part.to_owned(), json!({}));
                        }
                        _ => return,
                    }
                }
                at = next;
            }
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.insert(key.to_owned(), Value::String(text.clone()));
                }
                Some(Value::Array(items)) => {
                    match key.parse::<usize>().ok().and_then(|k| items.get_mut(k)) {
                        Some(slot) => *slot = Value::String(text.clone()),
                        None => items.push(Value::String(text.clone())),
                    }
                }
                _ => {}
            }
        }
        Mutation::Duplicate(i) => {
            if let Some(p) = pick(*i, &|v| v.as_array().is_some_and(|a| !a.is_empty())) {
                let arr = doc.pointer_mut(&p).unwrap().as_array_mut().unwrap();
                let copy = arr[i % arr.len()].clone();
                arr.push(copy);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(150)
    ))]

    #[test]
    fn damaged_flows_never_panic_the_compiler(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut doc = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let compiled = compile_value(&doc);
        if let Some(flow) = compiled.flow {
            let bytes = flow.to_bytes();
            let decoded = flow_runtime::Flow::from_bytes(&bytes);
            prop_assert_eq!(decoded.as_ref(), Ok(&flow));
        }
    }
}

/// The inputs that broke the compiler before, kept as they were found.
#[test]
fn known_crashers_compile_to_diagnostics() {
    let mut doc: Value = serde_json::from_str(include_str!("../../www/flows/demo.json")).unwrap();
    doc["bot"]["theme"] = json!({ "accent": "#aé€", "on_accent": "#€€€" });
    doc["order_number"] = json!("((((){1000}){1000}){1000}){1000}");
    // Found by this fuzzer: a language code sliced as a string.
    doc["bot"]["languages"] = json!(["#€€€", "en"]);
    let compiled = compile_value(&doc);
    assert!(compiled.flow.is_none());
    assert!(compiled.diagnostics.iter().any(|d| d.code == "bad-color"));
    assert!(compiled.diagnostics.iter().any(|d| d.code == "bad-pattern"));
    assert!(
        compiled
            .diagnostics
            .iter()
            .any(|d| d.code == "bad-language"),
        "{:?}",
        compiled.diagnostics
    );
}
