//! Evaluating conditions, and reading the context they test.

use crate::flow::{Compare, Condition, Subject};
use crate::hours::BusinessHours;
use crate::time::Time;
use crate::value::{Num, Value};

use super::state::{Session, Visitor};

/// The context a flow reads (`page.path`, `cart.items`, …; [`crate::flow::CONTEXT`]), wherever
/// the engine runs: the panel's conversation and the eager stage's watcher both read it
/// here, so a condition means the same in both.
pub(super) struct Context<'a> {
    pub(super) session: &'a Session,
    pub(super) visitor: &'a Visitor,
    pub(super) language: &'a str,
    pub(super) bot_name: &'a str,
    /// The A/B variant of the trigger that started the conversation (none before one fired).
    pub(super) variant: &'a str,
    pub(super) hours: Option<&'a BusinessHours>,
    pub(super) now: Time,
}

impl Context<'_> {
    /// The value of a context subject; `None` for a flow variable, which the caller keeps.
    pub(super) fn value(&self, subject: &Subject) -> Option<Value> {
        let s = self.session;
        let text = |t: &str| Some(Value::Text(t.to_owned()));
        let count = |n: u32| Some(Value::Num(Num::from_int(i64::from(n))));
        match subject {
            Subject::Var(_) => None,
            Subject::PageUrl => text(&s.page.url),
            Subject::PagePath => text(&s.page.path),
            Subject::CartItems => count(s.cart.items),
            Subject::CartValue => Some(Value::Num(s.cart.value)),
            Subject::CartCurrency => text(&s.cart.currency),
            Subject::Visits => count(self.visitor.visits),
            Subject::Returning => Some(Value::Bool(self.visitor.visits > 1)),
            Subject::Language => text(self.language),
            Subject::Device => text(s.page.device.as_str()),
            Subject::Variant => text(self.variant),
            Subject::BotName => text(self.bot_name),
            // A flow without hours always has someone.
            Subject::BusinessHours => {
                Some(Value::Bool(self.hours.is_none_or(|h| h.is_open(self.now))))
            }
        }
    }
}

/// Answers "what is the value of this subject now?".
pub(super) trait Facts {
    fn subject(&self, subject: &Subject) -> Option<Value>;
}

/// Deepest condition nesting evaluated; deeper (hostile) conditions count as false.
const MAX_DEPTH: u32 = 32;

pub(super) fn holds(condition: &Condition, facts: &dyn Facts) -> bool {
    eval(condition, facts, 0)
}

fn eval(condition: &Condition, facts: &dyn Facts, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match condition {
        Condition::Always => true,
        Condition::All(cs) => cs.iter().all(|c| eval(c, facts, depth + 1)),
        Condition::Any(cs) => cs.iter().any(|c| eval(c, facts, depth + 1)),
        Condition::Not(c) => !eval(c, facts, depth + 1),
        Condition::Test(subject, compare) => test(facts.subject(subject), compare),
    }
}

fn test(value: Option<Value>, compare: &Compare) -> bool {
    let num = || value.as_ref().and_then(Value::as_num);
    match compare {
        Compare::IsSet(want) => value.as_ref().is_some_and(Value::is_set) == *want,
        Compare::Eq(v) => value.as_ref().is_some_and(|x| x.loosely_equals(v)),
        Compare::Ne(v) => !value.as_ref().is_some_and(|x| x.loosely_equals(v)),
        Compare::Gt(n) => num().is_some_and(|x| x > *n),
        Compare::Gte(n) => num().is_some_and(|x| x >= *n),
        Compare::Lt(n) => num().is_some_and(|x| x < *n),
        Compare::Lte(n) => num().is_some_and(|x| x <= *n),
        Compare::In(vs) => value
            .as_ref()
            .is_some_and(|x| vs.iter().any(|v| x.loosely_equals(v))),
        Compare::Glob(g) => value.as_ref().is_some_and(|x| glob(g, &x.to_text())),
        Compare::Matches(p) => value
            .as_ref()
            .is_some_and(|x| p.matches_whole(&x.to_text())),
        Compare::Contains(s) => value.as_ref().is_some_and(|x| {
            crate::text::contains(&crate::text::fold(&x.to_text()), &crate::text::fold(s))
        }),
    }
}

/// `*` matches any run of characters (including `/`); everything else literally, ignoring
/// ASCII case. Linear time (the classic two-pointer algorithm with one backtrack point).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("/products/*", "/products/trail-runner"));
        assert!(glob("/products/*", "/products/"));
        assert!(!glob("/products/*", "/product"));
        assert!(glob("*checkout*", "https://shop.example/checkout?step=2"));
        assert!(glob("/", "/"));
        assert!(!glob("/", "/x"));
        assert!(glob("*", ""));
        assert!(glob("/CHECKOUT", "/checkout"));
    }
}
