//! A console form applied to the draft: each field's name is a kind and a JSON pointer
//! into the flow document (`s:/faq/entries/2/answer/text/en`), so one function saves every
//! form, and every compiler diagnostic (which carries a pointer) finds its field again.
//!
//! Kinds: `s` text (kept when empty, so the compiler can say what is missing), `o` optional
//! text (removed when empty), `ot` one language of an optional text (the text goes when
//! every language is empty), `n` number, `pct` a percentage stored as a fraction, `b` a
//! checkbox (a hidden `false` before it), `l` one item per line, `ll` one language's lines
//! of a list written per language (`ll:/steps/3/choices/es`), `lc` a comma-separated
//! list, `syn` synonym groups (a line each, words separated by commas), `j` a JSON value, `c` a number in a condition (removed with empty parents when
//! empty). Choices that reshape an object: `act` a button's action (`goto:ID`, `faq:ID`,
//! `handoff`, `url`, `cart`), `on` a trigger's event with `onv` its number, `fq` a frequency
//! with `fqv` its days, `ty` a step's type (fields the new type has no use for go), `ans` an
//! FAQ answer's kind (`text` or `goto`).

use serde_json::{Map, Value, json};

use super::kinds;

/// The deepest pointer a form of ours names (`/faq/entries/2/answer/text/en` is 6 deep;
/// a card's button in a step's content is 8). Deeper is no field of ours.
pub const MAX_POINTER_DEPTH: usize = 12;

/// The first field name, or pointer in the form's `action`, deeper than
/// [`MAX_POINTER_DEPTH`]: refused before anything is applied (a name with 100,000
/// segments once built a document too deep to drop without overflowing the stack).
pub fn too_deep(fields: &[(String, String)]) -> Option<&str> {
    let depth = |text: &str| text.bytes().filter(|&b| b == b'/').count();
    fields.iter().find_map(|(name, value)| {
        if depth(name) > MAX_POINTER_DEPTH {
            Some(name.as_str())
        } else if name == "action" && depth(value) > MAX_POINTER_DEPTH {
            Some(value.as_str())
        } else {
            None
        }
    })
}

/// A list written per language, lines matched by position: an item the same in every
/// language is a string, one that differs is `{lang: text}` (languages that leave its line
/// empty left out); `None` when every language is empty.
fn localized_list(langs: &[(String, Vec<String>)]) -> Option<Vec<Value>> {
    let n = langs.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    let mut items = Vec::new();
    for i in 0..n {
        let texts: Vec<(&str, &str)> = langs
            .iter()
            .filter_map(|(lang, lines)| {
                let t = lines.get(i).map(String::as_str).unwrap_or_default();
                (!t.is_empty()).then_some((lang.as_str(), t))
            })
            .collect();
        let Some(&(_, first)) = texts.first() else {
            continue;
        };
        if texts.len() == langs.len() && texts.iter().all(|&(_, t)| t == first) {
            items.push(Value::String(first.to_owned()));
        } else {
            let map: Map<String, Value> = texts
                .iter()
                .map(|&(l, t)| (l.to_owned(), Value::String(t.to_owned())))
                .collect();
            items.push(Value::Object(map));
        }
    }
    (!items.is_empty()).then_some(items)
}

/// Applies the form's fields to `doc`. Unknown kinds and bad pointers are ignored: the
/// fields come from our own forms, and a forged one can only write into the merchant's
/// own draft, which the compiler checks like any other.
pub fn apply(doc: &mut Value, fields: &[(String, String)]) {
    let get = |kind: &str, ptr: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k.split_once(':') == Some((kind, ptr)))
            .map(|(_, v)| v.trim().to_owned())
    };
    let mut reshape = Vec::new();
    let mut optional_texts: Vec<String> = Vec::new();
    // Per-language lists (`ll`): the list's pointer → each language's lines.
    let mut by_language: Vec<(String, Vec<(String, Vec<String>)>)> = Vec::new();
    for (name, raw) in fields {
        let Some((kind, ptr)) = name.split_once(':') else {
            continue;
        };
        if !ptr.starts_with('/') {
            continue;
        }
        let text = raw.replace("\r\n", "\n");
        let trimmed = text.trim();
        match kind {
            "s" => set(doc, ptr, Value::String(trimmed.to_owned())),
            "ot" => {
                set(doc, ptr, Value::String(trimmed.to_owned()));
                if let Some((parent, _)) = ptr.rsplit_once('/') {
                    if !optional_texts.iter().any(|p| p == parent) {
                        optional_texts.push(parent.to_owned());
                    }
                }
            }
            "o" if trimmed.is_empty() => {
                remove(doc, ptr);
                prune_empty_objects(doc, ptr);
            }
            "o" => set(doc, ptr, Value::String(trimmed.to_owned())),
            "n" | "pct" | "c" if trimmed.is_empty() => {
                remove(doc, ptr);
                if kind == "c" {
                    prune_empty(doc, ptr);
                }
            }
            "n" | "pct" | "c" => {
                let value = match trimmed.replace(',', ".").parse::<f64>() {
                    Ok(n) if kind == "pct" => json!(n / 100.0),
                    Ok(n) => number(n),
                    // Kept as written: the compiler names the field and what it expects.
                    Err(_) => Value::String(trimmed.to_owned()),
                };
                set(doc, ptr, value);
            }
            "b" => {
                let on = trimmed == "true";
                // A checkbox left at its default does not write the default out.
                let default = get("bdef", ptr).map(|d| d == "true");
                let last = fields
                    .iter()
                    .rev()
                    .find(|(k, _)| k.split_once(':') == Some(("b", ptr)));
                let is_last = last.is_some_and(|(_, v)| v == raw);
                if is_last && !(doc.pointer(ptr).is_none() && default == Some(on)) {
                    set(doc, ptr, Value::Bool(on));
                }
            }
            "l" | "lc" => {
                let sep = if kind == "l" { '\n' } else { ',' };
                let items: Vec<Value> = text
                    .split(sep)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_owned()))
                    .collect();
                if items.is_empty() && (kind == "l" || doc.pointer(ptr).is_none()) {
                    remove(doc, ptr);
                } else {
                    set(doc, ptr, Value::Array(items));
                }
            }
            "ll" => {
                let Some((list, lang)) = ptr.rsplit_once('/') else {
                    continue;
                };
                let lines: Vec<String> = text.lines().map(|l| l.trim().to_owned()).collect();
                match by_language.iter_mut().find(|(p, _)| p == list) {
                    Some((_, langs)) => langs.push((lang.to_owned(), lines)),
                    None => by_language.push((list.to_owned(), vec![(lang.to_owned(), lines)])),
                }
            }
            "syn" => {
                let groups: Vec<Value> = text
                    .lines()
                    .map(|line| {
                        line.split(',')
                            .map(str::trim)
                            .filter(|w| !w.is_empty())
                            .map(|w| Value::String(w.to_owned()))
                            .collect::<Vec<_>>()
                    })
                    .filter(|g| !g.is_empty())
                    .map(Value::Array)
                    .collect();
                set(doc, ptr, Value::Array(groups));
            }
            "j" if trimmed.is_empty() => remove(doc, ptr),
            "j" => set(
                doc,
                ptr,
                serde_json::from_str(trimmed).unwrap_or_else(|_| Value::String(trimmed.to_owned())),
            ),
            "act" | "on" | "fq" | "ty" | "ans" => {
                reshape.push((kind.to_owned(), ptr.to_owned(), trimmed.to_owned()))
            }
            _ => {}
        }
    }
    for (ptr, langs) in &by_language {
        match localized_list(langs) {
            Some(items) => set(doc, ptr, Value::Array(items)),
            None => remove(doc, ptr),
        }
    }
    // An optional text left empty in every language is no text at all.
    for parent in optional_texts.iter().rev() {
        let empty = match doc.pointer(parent) {
            Some(Value::Object(m)) => m
                .values()
                .all(|v| v.as_str().is_some_and(|s| s.trim().is_empty())),
            Some(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        };
        if empty {
            remove(doc, parent);
            prune_empty_objects(doc, parent);
        }
    }
    // A text written once for every language stays so while its languages agree.
    for (name, _) in fields {
        let Some(ptr) = name.strip_prefix("same:") else {
            continue;
        };
        let one = match doc.pointer(ptr) {
            Some(Value::Object(m)) if !m.is_empty() => {
                let mut texts = m.values().map(|v| v.as_str());
                let first = texts.next().flatten();
                first
                    .filter(|f| texts.all(|t| t == Some(*f)))
                    .map(str::to_owned)
            }
            _ => None,
        };
        if let Some(text) = one {
            set(doc, ptr, Value::String(text));
        }
    }
    for (kind, ptr, value) in reshape {
        match kind.as_str() {
            "act" => {
                let url = get("au", &ptr).unwrap_or_default();
                let sku = get("asku", &ptr).unwrap_or_default();
                set_action(doc, &ptr, &value, &url, &sku);
            }
            "on" => {
                let n = get("onv", &ptr).and_then(|v| v.parse::<f64>().ok());
                let event = match (value.as_str(), n) {
                    ("time_on_page" | "idle" | "scroll_depth", Some(n)) => {
                        let mut m = Map::new();
                        m.insert(value.clone(), number(n));
                        Value::Object(m)
                    }
                    ("time_on_page" | "idle" | "scroll_depth", None) => {
                        json!({ value.clone(): null })
                    }
                    ("custom", _) => json!({ "custom": get("onname", &ptr).unwrap_or_default() }),
                    _ => Value::String(value.clone()),
                };
                set(doc, &ptr, event);
            }
            "fq" => {
                let frequency = match value.as_str() {
                    "once_per_days" => {
                        let days = get("fqv", &ptr)
                            .and_then(|v| v.parse::<f64>().ok())
                            .unwrap_or(1.0);
                        json!({ "once_per_days": number(days) })
                    }
                    other => Value::String(other.to_owned()),
                };
                set(doc, &ptr, frequency);
            }
            "ty" => change_step_type(doc, &ptr, &value),
            "ans" => {
                let parent = ptr.as_str();
                if value == "goto" {
                    remove(doc, &format!("{parent}/answer"));
                } else {
                    remove(doc, &format!("{parent}/goto"));
                }
            }
            _ => {}
        }
    }
}

/// Integers stay integers (`30`, not `30.0`).
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

const ACTIONS: [&str; 5] = ["goto", "faq", "url", "handoff", "add_to_cart"];

fn set_action(doc: &mut Value, ptr: &str, action: &str, url: &str, sku: &str) {
    let Some(Value::Object(button)) = doc.pointer_mut(ptr) else {
        return;
    };
    for key in ACTIONS {
        button.remove(key);
    }
    match action.split_once(':') {
        Some(("goto", id)) => {
            button.insert("goto".into(), json!(id));
        }
        Some(("faq", id)) => {
            button.insert("faq".into(), json!(id));
        }
        _ => match action {
            "handoff" => {
                button.insert("handoff".into(), json!(true));
            }
            "url" => {
                button.insert("url".into(), json!(url));
            }
            "cart" => {
                button.insert("add_to_cart".into(), json!({ "sku": sku }));
            }
            _ => {}
        },
    }
}

/// A step made another kind (the kind's own form's select): see [`kinds::StepKind::convert`].
fn change_step_type(doc: &mut Value, ptr: &str, kind: &str) {
    let Some(kind) = kinds::named(kind) else {
        return;
    };
    let blank = blank_text(doc);
    let Some(Value::Object(step)) = doc.pointer_mut(ptr) else {
        return;
    };
    if step.get("type").and_then(Value::as_str) == Some(kind.name.as_str()) {
        return;
    }
    kind.convert(step, &blank);
}

/// An empty text in each of the flow's languages.
pub fn blank_text(doc: &Value) -> Value {
    let languages = super::fields::Form::new(doc, &[]).languages;
    Value::Object(languages.into_iter().map(|l| (l, json!(""))).collect())
}

fn segments(ptr: &str) -> Vec<String> {
    ptr.split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Sets the value at `ptr`, making the objects (or array slots) on the way.
pub fn set(doc: &mut Value, ptr: &str, value: Value) {
    let segs = segments(ptr);
    let mut node = doc;
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let Value::Array(items) = node {
            let Ok(index) = seg.parse::<usize>() else {
                return;
            };
            if index > items.len() {
                return;
            }
            if index == items.len() {
                items.push(Value::Null);
            }
            if last {
                items[index] = value;
                return;
            }
            node = &mut items[index];
            continue;
        }
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else {
            unreachable!()
        };
        if last {
            map.insert(seg.clone(), value);
            return;
        }
        node = map.entry(seg.clone()).or_insert(Value::Null);
    }
}

/// Removes the value at `ptr` (an array element is taken out; those after it move up).
pub fn remove(doc: &mut Value, ptr: &str) {
    let Some((parent, last)) = ptr.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Removes the objects on `ptr`'s path that were left empty, up to the condition itself.
fn prune_empty(doc: &mut Value, ptr: &str) {
    let mut at = ptr.to_owned();
    while let Some((parent, _)) = at.rsplit_once('/') {
        let empty = matches!(doc.pointer(parent), Some(Value::Object(m)) if m.is_empty());
        if !empty || parent.is_empty() {
            return;
        }
        remove(doc, parent);
        if parent.ends_with("/when") {
            return;
        }
        at = parent.to_owned();
    }
}

/// Removes objects left empty on `ptr`'s path (`/faq/fallback` once its text is gone),
/// never a top-level part of the document nor an array element.
fn prune_empty_objects(doc: &mut Value, ptr: &str) {
    let mut at = ptr.to_owned();
    while let Some((parent, last)) = at.rsplit_once('/') {
        if parent.matches('/').count() < 2 || last.parse::<usize>().is_ok() {
            return;
        }
        let empty = matches!(doc.pointer(parent), Some(Value::Object(m)) if m.is_empty());
        let element = parent
            .rsplit_once('/')
            .is_some_and(|(_, l)| l.parse::<usize>().is_ok());
        // An FAQ answer emptied stays, so that the compiler says the answer is empty; an
        // array's element (a step, a card) is removed only by its own button.
        if !empty || element || parent.ends_with("/answer") {
            return;
        }
        remove(doc, parent);
        at = parent.to_owned();
    }
}

/// Moves array element `ptr` one place up (`-1`) or down (`+1`).
pub fn shift(doc: &mut Value, ptr: &str, by: i64) {
    let Some((parent, last)) = ptr.rsplit_once('/') else {
        return;
    };
    let (Some(Value::Array(items)), Ok(i)) = (doc.pointer_mut(parent), last.parse::<usize>())
    else {
        return;
    };
    let j = i as i64 + by;
    if j >= 0 && (j as usize) < items.len() && i < items.len() {
        items.swap(i, j as usize);
    }
}

/// Appends `value` to the array at `ptr` (made when missing); returns the new element's
/// pointer.
pub fn push(doc: &mut Value, ptr: &str, value: Value) -> Option<String> {
    if doc.pointer(ptr).is_none() {
        set(doc, ptr, Value::Array(Vec::new()));
    }
    let Some(Value::Array(items)) = doc.pointer_mut(ptr) else {
        return None;
    };
    items.push(value);
    Some(format!("{ptr}/{}", items.len() - 1))
}

#[cfg(test)]
mod depth_tests {
    #[test]
    fn pointers_deeper_than_our_forms_are_refused() {
        let deep = format!("s:{}", "/a".repeat(100_000));
        let form = vec![("csrf".to_owned(), "x".to_owned()), (deep, "v".to_owned())];
        assert!(super::too_deep(&form).is_some());
        let action = vec![("action".to_owned(), format!("remove:{}", "/0".repeat(50)))];
        assert!(super::too_deep(&action).is_some());
        let fine = vec![
            (
                "s:/faq/entries/2/answer/text/en".to_owned(),
                "See https://a.example/b/c/d/e/f/g/h/i/j/k/l/m/n".to_owned(),
            ),
            (
                "action".to_owned(),
                "add:/steps/0/cards/1/buttons:button".to_owned(),
            ),
        ];
        assert_eq!(super::too_deep(&fine), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_list_written_per_language_keeps_what_is_the_same_as_strings() {
        let mut doc = json!({ "steps": [ { "id": "size", "choices": ["Shoes", "Jackets"] } ] });
        apply(
            &mut doc,
            &form(&[
                ("ll:/steps/0/choices/en", "Shoes\nJackets\nHoodies\n"),
                ("ll:/steps/0/choices/es", "Shoes\r\nChaquetas\n\n"),
            ]),
        );
        assert_eq!(
            doc.pointer("/steps/0/choices").unwrap(),
            &json!(["Shoes", { "en": "Jackets", "es": "Chaquetas" }, { "en": "Hoodies" }])
        );
        // The same in every language: plain strings again; nothing in any: no list.
        apply(
            &mut doc,
            &form(&[
                ("ll:/steps/0/choices/en", "S\nM"),
                ("ll:/steps/0/choices/es", "S\nM"),
            ]),
        );
        assert_eq!(doc.pointer("/steps/0/choices").unwrap(), &json!(["S", "M"]));
        apply(
            &mut doc,
            &form(&[
                ("ll:/steps/0/choices/en", " \n"),
                ("ll:/steps/0/choices/es", ""),
            ]),
        );
        assert_eq!(doc.pointer("/steps/0/choices"), None);
    }

    #[test]
    fn fields_write_where_their_pointers_say() {
        let mut doc = json!({ "bot": { "name": "Old" }, "faq": { "entries": [ { "id": "a", "question": "Q?" } ] } });
        apply(
            &mut doc,
            &form(&[
                ("s:/bot/name", " Fern "),
                ("s:/faq/entries/0/question/en", "How much?"),
                ("l:/faq/entries/0/phrasings/en", "price\r\n\r\n  cost  \n"),
                ("o:/bot/avatar", ""),
                ("b:/bot/flag", "false"),
                ("b:/bot/flag", "true"),
                ("n:/seed", "2026"),
                ("n:/faq/answer_threshold", "0,3"),
                ("csrf", "ignored"),
            ]),
        );
        assert_eq!(doc["bot"]["name"], "Fern");
        assert_eq!(
            doc["faq"]["entries"][0]["question"],
            json!({ "en": "How much?" })
        );
        assert_eq!(
            doc["faq"]["entries"][0]["phrasings"]["en"],
            json!(["price", "cost"])
        );
        assert!(doc["bot"].get("avatar").is_none());
        assert_eq!(doc["bot"]["flag"], true);
        assert_eq!(doc["seed"], json!(2026));
        assert_eq!(doc["faq"]["answer_threshold"], json!(0.3));
    }

    #[test]
    fn an_optional_text_empty_in_every_language_goes_with_its_empty_parent() {
        let mut doc = json!({ "faq": { "entries": [], "fallback": { "text": { "en": "Sorry", "es": "Perdón" } } } });
        apply(
            &mut doc,
            &form(&[
                ("ot:/faq/fallback/text/en", " "),
                ("ot:/faq/fallback/text/es", ""),
            ]),
        );
        assert_eq!(doc, json!({ "faq": { "entries": [] } }));
        apply(
            &mut doc,
            &form(&[
                ("ot:/faq/fallback/text/en", "Sorry"),
                ("ot:/faq/fallback/text/es", ""),
            ]),
        );
        assert_eq!(
            doc["faq"]["fallback"],
            json!({ "text": { "en": "Sorry", "es": "" } })
        );
        // An answer keeps its quick replies; only the text goes.
        let mut doc = json!({ "a": { "answer": { "text": { "en": "x" }, "quick_replies": [] } } });
        apply(&mut doc, &form(&[("ot:/a/answer/text/en", "")]));
        assert_eq!(doc, json!({ "a": { "answer": { "quick_replies": [] } } }));
        let mut doc = json!({ "e": [ { "answer": { "text": { "en": "x" } } } ], "s": [ { "image": { "src": "/a.png" } } ] });
        apply(
            &mut doc,
            &form(&[("ot:/e/0/answer/text/en", ""), ("o:/s/0/image/src", "")]),
        );
        assert_eq!(doc, json!({ "e": [ { "answer": {} } ], "s": [ {} ] }));
    }

    #[test]
    fn a_text_written_once_for_every_language_stays_one_until_they_differ() {
        let mut doc = json!({ "t": "$89.00" });
        apply(
            &mut doc,
            &form(&[
                ("same:/t", "1"),
                ("ot:/t/en", "$89.00"),
                ("ot:/t/es", "$89.00"),
            ]),
        );
        assert_eq!(doc["t"], "$89.00");
        apply(
            &mut doc,
            &form(&[
                ("same:/t", "1"),
                ("ot:/t/en", "$89.00"),
                ("ot:/t/es", "89,00 $"),
            ]),
        );
        assert_eq!(doc["t"], json!({ "en": "$89.00", "es": "89,00 $" }));
    }

    #[test]
    fn a_checkbox_at_its_default_writes_nothing_new() {
        let mut doc = json!({ "s": {} });
        let unticked = [("bdef:/s/show", "false"), ("b:/s/show", "false")];
        apply(&mut doc, &form(&unticked));
        assert_eq!(doc, json!({ "s": {} }));
        apply(
            &mut doc,
            &form(&[
                ("bdef:/s/show", "false"),
                ("b:/s/show", "false"),
                ("b:/s/show", "true"),
            ]),
        );
        assert_eq!(doc["s"]["show"], true);
        apply(&mut doc, &form(&unticked));
        assert_eq!(doc["s"]["show"], false);
    }

    #[test]
    fn a_number_that_is_not_one_stays_for_the_compiler_to_name() {
        let mut doc = json!({});
        apply(&mut doc, &form(&[("n:/seed", "twelve")]));
        assert_eq!(doc["seed"], "twelve");
    }

    #[test]
    fn a_buttons_action_is_exactly_the_one_chosen() {
        let mut doc = json!({ "q": [ { "label": "Go", "goto": "a", "url": "https://x" } ] });
        apply(
            &mut doc,
            &form(&[("act:/q/0", "faq:returns"), ("au:/q/0", "https://ignored")]),
        );
        assert_eq!(doc["q"][0], json!({ "label": "Go", "faq": "returns" }));
        apply(
            &mut doc,
            &form(&[("act:/q/0", "url"), ("au:/q/0", "/checkout")]),
        );
        assert_eq!(doc["q"][0], json!({ "label": "Go", "url": "/checkout" }));
        apply(&mut doc, &form(&[("act:/q/0", "handoff")]));
        assert_eq!(doc["q"][0], json!({ "label": "Go", "handoff": true }));
    }

    #[test]
    fn trigger_events_conditions_and_caps_are_shaped_as_the_document_wants() {
        let mut doc = json!({ "triggers": [ { "id": "t", "on": "exit_intent", "when": { "cart.items": { "gte": 1 } } } ] });
        apply(
            &mut doc,
            &form(&[
                ("on:/triggers/0/on", "time_on_page"),
                ("onv:/triggers/0/on", "20"),
                ("fq:/triggers/0/frequency", "once_per_days"),
                ("fqv:/triggers/0/frequency", "3"),
                ("c:/triggers/0/when/cart.items/gte", ""),
                ("c:/triggers/0/when/cart.value/gte", "50"),
                ("pct:/triggers/0/holdout", "10"),
            ]),
        );
        let t = &doc["triggers"][0];
        assert_eq!(t["on"], json!({ "time_on_page": 20 }));
        assert_eq!(t["frequency"], json!({ "once_per_days": 3 }));
        assert_eq!(t["when"], json!({ "cart.value": { "gte": 50 } }));
        assert_eq!(t["holdout"], json!(0.1));
        apply(
            &mut doc,
            &form(&[("c:/triggers/0/when/cart.value/gte", "")]),
        );
        assert!(doc["triggers"][0].get("when").is_none(), "{doc}");
    }

    #[test]
    fn a_step_that_changes_kind_keeps_only_what_the_new_kind_uses() {
        let mut doc = json!({ "steps": [ { "id": "s", "type": "message", "text": "Hi", "quick_replies": [], "next": "x" } ] });
        apply(&mut doc, &form(&[("ty:/steps/0", "ask")]));
        assert_eq!(
            doc["steps"][0],
            json!({ "id": "s", "type": "ask", "text": "Hi", "quick_replies": [], "next": "x", "var": "answer" })
        );
        apply(&mut doc, &form(&[("ty:/steps/0", "goto")]));
        assert_eq!(
            doc["steps"][0],
            json!({ "id": "s", "type": "goto", "goto": "" })
        );
    }

    #[test]
    fn elements_are_added_moved_and_removed() {
        let mut doc = json!({ "a": [1, 2, 3] });
        assert_eq!(push(&mut doc, "/a", json!(4)).as_deref(), Some("/a/3"));
        shift(&mut doc, "/a/0", 1);
        assert_eq!(doc["a"], json!([2, 1, 3, 4]));
        remove(&mut doc, "/a/1");
        assert_eq!(doc["a"], json!([2, 3, 4]));
        assert_eq!(
            push(&mut doc, "/b/c", json!("x")).as_deref(),
            Some("/b/c/0")
        );
        assert_eq!(doc["b"], json!({ "c": ["x"] }));
    }
}
