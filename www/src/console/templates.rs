//! What a new element of each of the editor's lists looks like ("Add a step", "Add a
//! quick reply", …): the smallest thing that has what the format requires, in every one
//! of the flow's languages, with an id no sibling has.

use serde_json::{Value, json};

use super::apply;
use super::kinds;
use super::{field, slug, unique_id};

/// The new element `template` names, for the list at `ptr` of `doc`; `None` for a template
/// the console does not have. Making a trigger's first variant also moves the trigger's
/// single step into it (and so changes `doc`).
pub(super) fn new_element(
    doc: &mut Value,
    ptr: &str,
    template: &str,
    form: &[(String, String)],
) -> Option<Value> {
    let blank = apply::blank_text(doc);
    let languages: Vec<String> = blank.as_object()?.keys().cloned().collect();
    Some(match template {
        "button" => json!({ "label": blank }),
        "faq" => json!({
            "id": unique_id(doc, "/faq/entries", "new-question"),
            "question": blank,
            "phrasings": Value::Object(languages.iter().map(|l| (l.clone(), json!([]))).collect()),
            "answer": { "text": blank },
        }),
        "step" => {
            let kind = kinds::named(field(form, "new_kind")).or_else(|| kinds::named("message"))?;
            let wanted = slug(field(form, "new_id"));
            let base = if wanted.is_empty() {
                &kind.name
            } else {
                &wanted
            };
            kind.new_step(&unique_id(doc, "/steps", base), &blank)
        }
        "trigger" => {
            json!({ "id": unique_id(doc, "/triggers", "new-trigger"), "on": "exit_intent" })
        }
        "variant" => variant(doc, ptr),
        "card" => json!({ "title": blank, "buttons": [] }),
        "branch" => json!({ "when": {}, "goto": "" }),
        _ => return None,
    })
}

/// A new A/B variant of the trigger whose `variants` are at `ptr`: the trigger's single
/// step becomes the first variant, and the new one starts with the same step.
fn variant(doc: &mut Value, ptr: &str) -> Value {
    let trigger = ptr.trim_end_matches("/variants");
    let count = |doc: &Value| {
        doc.pointer(ptr)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let step = doc.pointer(&format!("{trigger}/step")).cloned();
    if count(doc) == 0 {
        if let Some(step) = step.clone() {
            apply::push(doc, ptr, json!({ "id": "a", "weight": 1, "step": step }));
            apply::remove(doc, &format!("{trigger}/step"));
        }
    }
    let id = ((b'a' + (count(doc) as u8 % 26)) as char).to_string();
    json!({ "id": id, "weight": 1, "step": step.unwrap_or(json!("")) })
}

/// Business hours as the "Add business hours" button sets them: weekdays 9 to 5, UTC.
pub(super) fn business_hours() -> Value {
    let day = || json!(["09:00-17:00"]);
    json!({
        "time_zone": "UTC",
        "weekly": { "mon": day(), "tue": day(), "wed": day(), "thu": day(), "fri": day() },
        "closed": [],
    })
}
