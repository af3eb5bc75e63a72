//! The step kinds of the flow format as the console offers them, read from the compiler's
//! JSON Schema (`flow_authoring::doc::schema`) rather than listed again by hand: a kind or a
//! field the format gains reaches the console's lists and templates at once, and the
//! editor's test fails until the step form shows it.

use std::sync::LazyLock;

use serde_json::{Map, Value, json};

/// One kind of step (`message`, `ask`, …).
pub struct StepKind {
    pub name: String,
    /// Its fields besides `id` and `type`, in the format's order.
    pub fields: Vec<String>,
    /// The fields a step of this kind cannot do without, each with its schema.
    required: Vec<(String, Value)>,
}

static KINDS: LazyLock<Vec<StepKind>> = LazyLock::new(|| {
    let schema = flow_authoring::doc::schema();
    let variants = schema
        .pointer("/$defs/Step/oneOf")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    variants
        .iter()
        .filter_map(|v| {
            let props = v.get("properties")?.as_object()?;
            let name = props.get("type")?.get("const")?.as_str()?.to_owned();
            let own = |k: &String| k != "type" && k != "id";
            let fields = props.keys().filter(|k| own(k)).cloned().collect();
            let required = v
                .get("required")?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .filter(own)
                .map(|k| {
                    let schema = props.get(&k).cloned().unwrap_or(Value::Null);
                    (k, schema)
                })
                .collect();
            Some(StepKind {
                name,
                fields,
                required,
            })
        })
        .collect()
});

/// Every kind, in the format's order.
pub fn all() -> &'static [StepKind] {
    &KINDS
}

pub fn named(name: &str) -> Option<&'static StepKind> {
    KINDS.iter().find(|k| k.name == name)
}

impl StepKind {
    /// What a merchant reads for the kind.
    pub fn label(&self) -> &str {
        label(&self.name)
    }

    /// A new step of this kind: its id and kind, every field it requires (empty, of its
    /// type), and `blank` (an empty text in each of the flow's languages) as its text when
    /// it can say something.
    pub fn new_step(&self, id: &str, blank: &Value) -> Value {
        let mut step = Map::new();
        step.insert("id".into(), json!(id));
        self.convert(&mut step, blank);
        if self.fields.iter().any(|f| f == "text") && !step.contains_key("text") {
            step.insert("text".into(), blank.clone());
        }
        Value::Object(step)
    }

    /// `step` made a step of this kind: the fields the kind has are kept, the others go, and
    /// the ones it requires are added, empty.
    pub fn convert(&self, step: &mut Map<String, Value>, blank: &Value) {
        step.retain(|k, _| k == "id" || self.fields.contains(k));
        step.insert("type".into(), json!(self.name));
        for (field, schema) in &self.required {
            if !step.contains_key(field) {
                step.insert(field.clone(), empty(field, schema, blank));
            }
        }
    }
}

/// An empty value of the type `schema` describes: `blank` for a text, `[]`, `{}`, `""`; an
/// `ask`'s variable gets a name the merchant may keep.
fn empty(field: &str, schema: &Value, blank: &Value) -> Value {
    if schema.get("$ref").and_then(Value::as_str) == Some("#/$defs/Text") {
        return blank.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => json!([]),
        Some("object") => json!({}),
        Some("string") if field == "var" => json!("answer"),
        Some("string") => json!(""),
        Some("number" | "integer") => json!(0),
        Some("boolean") => json!(false),
        _ => Value::Null,
    }
}

/// A kind's name as a merchant reads it (the name itself for a kind not named here yet).
pub fn label(kind: &str) -> &str {
    match kind {
        "message" => "Message",
        "carousel" => "Product carousel",
        "ask" => "Question to the shopper",
        "condition" => "Branch on a condition",
        "set" => "Set variables",
        "goto" => "Go to another step",
        "end" => "End",
        "order_lookup" => "Order lookup",
        "handoff" => "Handoff to a person",
        "handoff_email" => "Send the handoff by email",
        "csat" => "Rating",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_the_formats() {
        let names: Vec<&str> = all().iter().map(|k| k.name.as_str()).collect();
        assert_eq!(
            names,
            [
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
                "csat"
            ]
        );
        for kind in all() {
            assert_ne!(
                kind.label(),
                kind.name,
                "{} has a name for merchants",
                kind.name
            );
        }
    }

    /// Every new step compiles as far as its own fields go: nothing it requires is missing.
    #[test]
    fn new_steps_have_what_their_kind_requires() {
        let blank = json!({ "en": "" });
        for kind in all() {
            let step = kind.new_step("s", &blank);
            let doc = json!({
                "bot": { "name": "A", "greeting": "s" },
                "steps": [step],
            });
            let compiled = flow_authoring::compile::compile_value(&doc);
            let missing: Vec<_> = compiled
                .diagnostics
                .iter()
                .filter(|d| d.code == "syntax" || d.code == "missing-field")
                .collect();
            assert!(missing.is_empty(), "{}: {missing:?}", kind.name);
        }
        let ask = named("ask").unwrap().new_step("s", &blank);
        assert_eq!(ask["var"], "answer");
        assert_eq!(ask["text"], blank);
        let mut step = named("ask")
            .unwrap()
            .new_step("s", &blank)
            .as_object()
            .unwrap()
            .clone();
        named("goto").unwrap().convert(&mut step, &blank);
        assert_eq!(
            Value::Object(step),
            json!({ "id": "s", "type": "goto", "goto": "" })
        );
    }
}
