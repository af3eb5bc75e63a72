//! Lowering conditions (`{"cart.items": {"gte": 1}}`) with located errors.

use serde_json::Value as Json;

use super::diagnostic::push_pointer;
use super::lower::Lower;
use super::suggest::closest;
use flow_runtime::flow::{CONTEXT, Compare, Condition, RESERVED_PREFIXES, Subject};
use flow_runtime::pattern::Pattern;
use flow_runtime::value::Value;

/// Deepest `all` / `any` / `not` nesting accepted.
const MAX_DEPTH: usize = 16;

const OPERATORS: &[&str] = &[
    "eq", "ne", "gt", "gte", "lt", "lte", "in", "glob", "matches", "contains", "set",
];

impl Lower<'_> {
    pub(super) fn condition(
        &mut self,
        json: &Json,
        pointer: &str,
        depth: usize,
    ) -> Option<Condition> {
        if depth > MAX_DEPTH {
            self.error(
                "too-deep",
                pointer,
                "conditions are nested too deeply",
                "simplify the condition",
            );
            return None;
        }
        let Json::Object(map) = json else {
            self.error(
                "wrong-type",
                pointer,
                "a condition is an object",
                "write e.g. {\"cart.items\": {\"gte\": 1}}",
            );
            return None;
        };
        let mut all = Vec::new();
        for (key, value) in map {
            let at = push_pointer(pointer, key);
            let c = match key.as_str() {
                "all" | "any" => {
                    let Json::Array(items) = value else {
                        self.error(
                            "wrong-type",
                            &at,
                            format!("`{key}` takes a list of conditions"),
                            format!("write \"{key}\": [ {{…}}, {{…}} ]"),
                        );
                        continue;
                    };
                    let parts: Vec<Condition> = items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, c)| self.condition(c, &format!("{at}/{i}"), depth + 1))
                        .collect();
                    if key == "all" {
                        Condition::All(parts)
                    } else {
                        Condition::Any(parts)
                    }
                }
                "not" => Condition::Not(Box::new(self.condition(value, &at, depth + 1)?)),
                subject => {
                    let Some(subject) = self.subject(subject, &at) else {
                        continue;
                    };
                    match self.test(value, &at) {
                        Some(compares) => Condition::All(
                            compares
                                .into_iter()
                                .map(|c| Condition::Test(subject.clone(), c))
                                .collect(),
                        ),
                        None => continue,
                    }
                }
            };
            all.push(c);
        }
        Some(if all.len() == 1 {
            all.pop()?
        } else {
            Condition::All(all)
        })
    }

    fn subject(&mut self, name: &str, pointer: &str) -> Option<Subject> {
        Some(match Subject::context(name) {
            Some(context) => context.clone(),
            None => {
                let other = name;
                let reserved = RESERVED_PREFIXES.iter().any(|p| other.starts_with(p));
                if reserved || !super::markdown::is_variable_name(other) {
                    let names: Vec<&str> = CONTEXT.iter().map(|(n, _)| *n).collect();
                    let help = match closest(other, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "conditions look at a variable or one of {}",
                            names.join(", ")
                        ),
                    };
                    self.error(
                        "unknown-subject",
                        pointer,
                        format!("`{other}` is not something a condition can look at"),
                        help,
                    );
                    return None;
                }
                if !self.is_known_variable(other) {
                    self.check_variables(std::iter::once(other), pointer);
                }
                Subject::Var(other.to_owned())
            }
        })
    }

    /// A literal (equality) or an object of operators.
    fn test(&mut self, json: &Json, pointer: &str) -> Option<Vec<Compare>> {
        let Json::Object(ops) = json else {
            return Some(vec![Compare::Eq(self.literal(json, pointer)?)]);
        };
        let mut out = Vec::new();
        for (op, arg) in ops {
            let at = push_pointer(pointer, op);
            let num = |l: &mut Self| match arg.as_f64() {
                Some(n) => l.num(n, &at),
                None => {
                    l.error(
                        "wrong-type",
                        &at,
                        format!("`{op}` compares numbers"),
                        format!("write \"{op}\": 10"),
                    );
                    None
                }
            };
            let string = |l: &mut Self| match arg.as_str() {
                Some(s) => Some(s.to_owned()),
                None => {
                    l.error(
                        "wrong-type",
                        &at,
                        format!("`{op}` takes text"),
                        format!("write \"{op}\": \"…\""),
                    );
                    None
                }
            };
            let c = match op.as_str() {
                "eq" => self.literal(arg, &at).map(Compare::Eq),
                "ne" => self.literal(arg, &at).map(Compare::Ne),
                "gt" => num(self).map(Compare::Gt),
                "gte" => num(self).map(Compare::Gte),
                "lt" => num(self).map(Compare::Lt),
                "lte" => num(self).map(Compare::Lte),
                "in" => match arg {
                    Json::Array(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| self.literal(v, &format!("{at}/{i}")))
                        .collect::<Option<Vec<_>>>()
                        .map(Compare::In),
                    _ => {
                        self.error(
                            "wrong-type",
                            &at,
                            "`in` takes a list",
                            "write \"in\": [\"a\", \"b\"]",
                        );
                        None
                    }
                },
                "glob" => string(self).map(Compare::Glob),
                "contains" => string(self).map(Compare::Contains),
                "matches" => string(self).and_then(|s| match Pattern::parse(&s) {
                    Ok(p) => Some(Compare::Matches(p)),
                    Err(e) => {
                        self.error(
                            "bad-pattern",
                            &at,
                            format!(
                                "invalid pattern `{s}`: {} (at character {})",
                                e.message,
                                e.offset + 1
                            ),
                            "patterns use literals, [classes], \\d, \\w, ( | ), ? * + {n,m}",
                        );
                        None
                    }
                }),
                "set" => match arg.as_bool() {
                    Some(b) => Some(Compare::IsSet(b)),
                    None => {
                        self.error(
                            "wrong-type",
                            &at,
                            "`set` takes true or false",
                            "write \"set\": true",
                        );
                        None
                    }
                },
                other => {
                    let help = match closest(other, OPERATORS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("operators: {}", OPERATORS.join(", ")),
                    };
                    self.error(
                        "unknown-operator",
                        &at,
                        format!("unknown operator `{other}`"),
                        help,
                    );
                    None
                }
            };
            out.extend(c);
        }
        Some(out)
    }

    fn literal(&mut self, json: &Json, pointer: &str) -> Option<Value> {
        match json {
            Json::String(s) => Some(Value::Text(s.clone())),
            Json::Bool(b) => Some(Value::Bool(*b)),
            Json::Number(n) => self.num(n.as_f64()?, pointer).map(Value::Num),
            _ => {
                self.error(
                    "wrong-type",
                    pointer,
                    "expected text, a number or true/false",
                    "compare with a single value",
                );
                None
            }
        }
    }
}
