//! From JSON values to document types, reporting every broken part instead of the first.
//!
//! serde stops at the first error. To report all of them, the document is taken apart:
//! each top-level field, each step, each FAQ entry and each trigger is read on its own.
//! A part that does not read is reported (with its exact pointer) and left out, and its
//! id is remembered so that references to it do not cause a second, misleading error.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::diagnostic::{Diagnostic, push_pointer};
use super::suggest::closest;
use crate::doc::{
    BotDoc, Document, EscalationDoc, FaqDoc, FaqEntryDoc, StepDoc, TriggerDoc, ValueDoc,
};

/// A document as far as it could be read.
pub(super) struct Parsed {
    pub doc: Document,
    /// Original position of each step in `doc.steps` (failed ones are left out).
    pub step_pos: Vec<usize>,
    pub entry_pos: Vec<usize>,
    pub trigger_pos: Vec<usize>,
    /// Ids of steps / entries that exist but could not be read.
    pub broken_steps: Vec<String>,
    pub broken_entries: Vec<String>,
    /// Whether `bot` could be read (without it, nothing can be compiled).
    pub has_bot: bool,
}

const TOP_LEVEL: &[&str] = &[
    "$schema",
    "version",
    "bot",
    "variables",
    "steps",
    "faq",
    "triggers",
    "escalation",
    "order_number",
    "seed",
    "insights",
];

pub(super) fn parse(value: &Value, diags: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let Value::Object(map) = value else {
        diags.push(
            Diagnostic::error("not-a-flow", "", "a flow is a JSON object")
                .help("start the file with `{\"bot\": {…}, \"steps\": […]}`"),
        );
        return None;
    };
    for key in map.keys() {
        if !TOP_LEVEL.contains(&key.as_str()) {
            let mut d = Diagnostic::error(
                "unknown-field",
                push_pointer("", key),
                format!("unknown field `{key}`"),
            );
            const BOT_FIELDS: &[&str] = &[
                "name",
                "avatar",
                "greeting",
                "menu",
                "languages",
                "theme",
                "business_hours",
            ];
            if key == "start" {
                d = d.help("the first step greets the shopper; to start elsewhere, set `greeting` inside `bot`");
            } else if BOT_FIELDS.contains(&key.as_str()) {
                d = d.help(format!(
                    "`{key}` belongs inside `bot`: \"bot\": {{\"{key}\": …}}"
                ));
            } else if let Some(s) = closest(key, TOP_LEVEL.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help(format!("a flow has the fields {}", list(TOP_LEVEL)));
            }
            diags.push(d);
        }
    }
    let version: u32 = field(map, "version", diags).unwrap_or(1);
    if version != 1 {
        diags.push(
            Diagnostic::error(
                "unsupported-version",
                "/version",
                format!("this Bellhop reads flow format 1, not {version}"),
            )
            .help("set \"version\": 1"),
        );
    }
    let bot: Option<BotDoc> = required(map, "bot", diags);
    let has_bot = bot.is_some();
    let mut doc = Document {
        schema: field(map, "$schema", diags),
        version,
        bot: bot.unwrap_or(BotDoc {
            name: String::new(),
            avatar: None,
            greeting: None,
            menu: None,
            languages: Vec::new(),
            theme: Default::default(),
            business_hours: None,
        }),
        variables: field::<std::collections::BTreeMap<String, ValueDoc>>(map, "variables", diags)
            .unwrap_or_default(),
        steps: Vec::new(),
        faq: FaqDoc::default(),
        triggers: Vec::new(),
        escalation: field::<EscalationDoc>(map, "escalation", diags).unwrap_or_default(),
        order_number: field(map, "order_number", diags),
        seed: field(map, "seed", diags).unwrap_or(0),
        insights: field(map, "insights", diags).unwrap_or(false),
    };

    let mut broken_steps = Vec::new();
    let (steps, step_pos) = match map.get("steps") {
        None => {
            diags.push(
                Diagnostic::error("missing-field", "", "missing field `steps`")
                    .help("add \"steps\": [ … ] with at least the greeting"),
            );
            (Vec::new(), Vec::new())
        }
        Some(v) => items::<StepDoc>(v, "/steps", diags, &mut broken_steps),
    };
    doc.steps = steps;

    let mut broken_entries = Vec::new();
    let mut entry_pos = Vec::new();
    if let Some(faq) = map.get("faq") {
        match faq {
            Value::Object(faq_map) => {
                let mut settings = faq_map.clone();
                let entries = settings.remove("entries");
                if let Some(f) = read::<FaqDoc>(&Value::Object(settings), "/faq", diags) {
                    doc.faq = f;
                }
                if let Some(entries) = entries {
                    let (e, pos) =
                        items::<FaqEntryDoc>(&entries, "/faq/entries", diags, &mut broken_entries);
                    doc.faq.entries = e;
                    entry_pos = pos;
                }
            }
            _ => diags.push(
                Diagnostic::error("wrong-type", "/faq", "`faq` must be an object")
                    .help("write \"faq\": {\"entries\": [ … ]}"),
            ),
        }
    }

    let mut broken_triggers = Vec::new();
    let (triggers, trigger_pos) = match map.get("triggers") {
        Some(v) => items::<TriggerDoc>(v, "/triggers", diags, &mut broken_triggers),
        None => (Vec::new(), Vec::new()),
    };
    doc.triggers = triggers;

    Some(Parsed {
        doc,
        step_pos,
        entry_pos,
        trigger_pos,
        broken_steps,
        broken_entries,
        has_bot,
    })
}

fn field<T: DeserializeOwned>(
    map: &Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    map.get(key)
        .and_then(|v| read(v, &push_pointer("", key), diags))
}

fn required<T: DeserializeOwned>(
    map: &Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    if !map.contains_key(key) {
        diags.push(Diagnostic::error(
            "missing-field",
            "",
            format!("missing field `{key}`"),
        ));
        return None;
    }
    field(map, key, diags)
}

/// Reads each element of an array on its own.
fn items<T: DeserializeOwned + 'static>(
    value: &Value,
    pointer: &str,
    diags: &mut Vec<Diagnostic>,
    broken: &mut Vec<String>,
) -> (Vec<T>, Vec<usize>) {
    let Value::Array(array) = value else {
        diags.push(Diagnostic::error(
            "wrong-type",
            pointer,
            format!("`{}` must be a list", pointer.trim_start_matches('/')),
        ));
        return (Vec::new(), Vec::new());
    };
    let mut out = Vec::new();
    let mut positions = Vec::new();
    for (i, item) in array.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        let before = diags.len();
        let result = read::<T>(item, &at, diags);
        if result.is_none() && std::any::TypeId::of::<T>() == std::any::TypeId::of::<StepDoc>() {
            // serde reads tagged enums through a buffer that loses the path inside the
            // step: read the step's own kind again to point at the exact field.
            let mut precise = Vec::new();
            if step_detail(item, &at, &mut precise) {
                diags.truncate(before);
                diags.extend(precise);
            }
        }
        match result {
            Some(t) => {
                out.push(t);
                positions.push(i);
            }
            None => {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    broken.push(id.to_owned());
                }
            }
        }
    }
    (out, positions)
}

/// Deserialises `value`, turning serde's error into a located diagnostic.
pub(super) fn read<T: DeserializeOwned>(
    value: &Value,
    pointer: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            let mut at = pointer.to_owned();
            for segment in e.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => at = format!("{at}/{index}"),
                    serde_path_to_error::Segment::Map { key } => at = push_pointer(&at, key),
                    serde_path_to_error::Segment::Enum { .. }
                    | serde_path_to_error::Segment::Unknown => {}
                }
            }
            diags.push(explain(e.inner().to_string(), at));
            None
        }
    }
}

/// Turns serde's message into a diagnostic with a code and, where possible, a fix.
fn explain(message: String, pointer: String) -> Diagnostic {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_owned);
    let expected: Vec<String> = message
        .split_once("expected one of ")
        .map(|(_, list)| {
            list.split(", ")
                .filter_map(|w| {
                    w.trim()
                        .strip_prefix('`')?
                        .strip_suffix('`')
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    if message.starts_with("unknown field") {
        let name = quoted(&message).unwrap_or_default();
        let pointer = if pointer.ends_with(&format!("/{name}")) {
            pointer
        } else {
            push_pointer(&pointer, &name)
        };
        let mut d = Diagnostic::error("unknown-field", pointer, format!("unknown field `{name}`"));
        // `"answer": { "en": …, "es": … }`: texts per language go inside `text`.
        let language = name.len() == 2 && name.bytes().all(|b| b.is_ascii_lowercase());
        d = match closest(&name, expected.iter().map(String::as_str)) {
            _ if language && expected.iter().any(|e| e == "text") => d.help(format!(
                "a text per language goes inside `text`: \"text\": {{ \"{name}\": \"…\" }}"
            )),
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !expected.is_empty() => {
                d.help(format!("allowed here: {}", list_owned(&expected)))
            }
            None => d,
        };
        return d;
    }
    if message.starts_with("unknown variant") {
        let name = quoted(&message).unwrap_or_default();
        let mut d = Diagnostic::error("unknown-kind", pointer, format!("unknown kind `{name}`"));
        d = match closest(&name, expected.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("one of {}", list_owned(&expected))),
        };
        return d;
    }
    if message.starts_with("missing field") {
        let name = quoted(&message).unwrap_or_default();
        let help = if name == "type" {
            "add \"type\": one of message, carousel, ask, condition, set, goto, end, order_lookup, handoff, handoff_email, csat".to_owned()
        } else {
            format!("add \"{name}\"")
        };
        return Diagnostic::error("missing-field", pointer, format!("missing field `{name}`"))
            .help(help);
    }
    if message.starts_with("invalid type") {
        return Diagnostic::error(
            "wrong-type",
            pointer,
            message.replace("invalid type: ", "wrong type: "),
        );
    }
    Diagnostic::error("invalid", pointer, message)
}

fn list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_owned(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a step as its declared kind, for an error message that points inside it.
/// Returns whether it produced a diagnostic.
fn step_detail(item: &Value, pointer: &str, diags: &mut Vec<Diagnostic>) -> bool {
    use crate::doc::{
        AskStep, ConditionStep, CsatStep, EndStep, GotoStep, HandoffEmailStep, HandoffStep,
        MessageStep, OrderLookupStep, SetStep,
    };
    let Value::Object(map) = item else {
        return false;
    };
    let Some(kind) = map.get("type").and_then(Value::as_str) else {
        return false;
    };
    let mut rest = map.clone();
    rest.remove("type");
    let rest = Value::Object(rest);
    let before = diags.len();
    match kind {
        "message" | "carousel" => drop(read::<MessageStep>(&rest, pointer, diags)),
        "ask" => drop(read::<AskStep>(&rest, pointer, diags)),
        "condition" => drop(read::<ConditionStep>(&rest, pointer, diags)),
        "set" => drop(read::<SetStep>(&rest, pointer, diags)),
        "goto" => drop(read::<GotoStep>(&rest, pointer, diags)),
        "end" => drop(read::<EndStep>(&rest, pointer, diags)),
        "order_lookup" => drop(read::<OrderLookupStep>(&rest, pointer, diags)),
        "handoff" => drop(read::<HandoffStep>(&rest, pointer, diags)),
        "handoff_email" => drop(read::<HandoffEmailStep>(&rest, pointer, diags)),
        "csat" => drop(read::<CsatStep>(&rest, pointer, diags)),
        _ => return false,
    }
    diags.len() > before
}
