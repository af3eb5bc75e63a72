//! Checking what the shopper typed against what an `ask` step expects.

use crate::faq::{Language, words};
use crate::flow::Expect;
use crate::value::{Num, Value};

/// The value to keep if `text` is an acceptable answer; `language` is the conversation's
/// (for choices picked loosely: stems, ordinals).
pub(super) fn check(expect: &Expect, text: &str, language: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match expect {
        Expect::Text => Some(Value::Text(text.to_owned())),
        Expect::Email => find_email(text).map(Value::Text),
        Expect::Phone => find_phone(text).map(Value::Text),
        Expect::Pattern(p) => {
            if p.matches_whole(text) {
                Some(Value::Text(text.to_owned()))
            } else {
                p.find(text)
                    .map(|(s, e)| Value::Text(text[s..e].to_owned()))
            }
        }
        Expect::Number { min, max } => {
            let n = find_number(text)?;
            let ok = min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
            ok.then_some(Value::Num(n))
        }
        Expect::Choice(choices) => {
            // What the shopper was shown first; the flow's own words too (a shopper on a
            // Spanish page who types "shoes" still picks the shoes).
            let shown: Vec<String> = choices
                .iter()
                .map(|c| c.label(language).to_owned())
                .collect();
            let values: Vec<String> = choices.iter().map(|c| c.value.clone()).collect();
            choice(&shown, text, language)
                .or_else(|| choice(&values, text, language))
                .map(|i| Value::Text(choices[i].value.clone()))
        }
    }
}

/// The option a message picks: the option itself; the option's words inside a short
/// message ("the shoes", "jackets please"), stemmed ("shoe") or with a typo ("jakets");
/// or its position ("the 2nd one", "2", "la segunda"). `None` when it could be several
/// options or none.
pub(super) fn choice(choices: &[String], text: &str, language: &str) -> Option<usize> {
    if let Some(i) = choices.iter().position(|c| crate::text::same(c, text)) {
        return Some(i);
    }
    if let Some(i) = super::intents::ordinal(text, language, choices.len()) {
        return Some(i);
    }
    let lang = Language::from_code(language);
    let said: Vec<String> = words(text).iter().map(|w| lang.stem(w)).collect();
    // A long message is saying something else, not picking an option.
    if said.is_empty() || said.len() > 6 {
        return None;
    }
    let content = |text: &str| -> Vec<String> {
        let all = words(text);
        let content: Vec<String> = all
            .iter()
            .filter(|w| !crate::faq::is_function_word(lang, w))
            .map(|w| lang.stem(w))
            .collect();
        if content.is_empty() {
            all.iter().map(|w| lang.stem(w)).collect()
        } else {
            content
        }
    };
    let close = |a: &String, b: &String| a == b || one_typo_apart(a, b);
    let said_content = content(text);
    let mut picked = None;
    for (i, option) in choices.iter().enumerate() {
        let wanted = content(option);
        // Every word of the option in the message ("the shoes"), or every content word of
        // the message in the option ("a person" for "Talk to a person").
        let found = !wanted.is_empty()
            && (wanted.iter().all(|w| said.iter().any(|s| close(s, w)))
                || said_content
                    .iter()
                    .all(|s| wanted.iter().any(|w| close(s, w))));
        if found {
            if picked.is_some() {
                return None;
            }
            picked = Some(i);
        }
    }
    picked
}

/// Two words of four letters or more, one edit apart (two from eight letters).
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (n, m) = (a.chars().count(), b.chars().count());
    let typos = match n.min(m) {
        0..=3 => return false,
        4..=7 => 1,
        _ => 2,
    };
    n.abs_diff(m) <= typos && crate::text::distance(a, b) <= typos
}

pub use crate::fields::find_email;

/// The first phone number in `text`: 7 to 15 digits with spaces, dots, dashes, brackets
/// and an optional leading `+`. Returned as written, trimmed.
pub fn find_phone(text: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '+' || c == '(' || c.is_ascii_digit() {
            let mut digits = 0;
            let mut end = start;
            let mut j = i;
            while j < chars.len() {
                let (at, c) = chars[j];
                if c.is_ascii_digit() {
                    digits += 1;
                    end = at + 1;
                } else if !(matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && j == i)) {
                    break;
                }
                j += 1;
            }
            if (7..=15).contains(&digits) {
                return Some(text[start..end].trim().to_owned());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// The first number in `text` (`3`, `12.5`, `1,299`).
pub(super) fn find_number(text: &str) -> Option<Num> {
    text.split(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-')))
        .map(|w| w.trim_matches(['.', ',']))
        .find_map(Num::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Pattern;

    #[test]
    fn choices_picked_loosely() {
        let options: Vec<String> = ["Shoes", "Jackets", "Hoodies"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let pick = |t: &str, l: &str| choice(&options, t, l).map(|i| options[i].as_str());
        assert_eq!(pick("the shoes", "en"), Some("Shoes"));
        assert_eq!(pick("shoe", "en"), Some("Shoes"));
        assert_eq!(pick("jakets pls", "en"), Some("Jackets"));
        assert_eq!(pick("2nd one", "en"), Some("Jackets"));
        assert_eq!(pick("the last one", "en"), Some("Hoodies"));
        assert_eq!(pick("HOODIES!", "en"), Some("Hoodies"));
        // Two options, or none, or a sentence about something else: not a pick.
        assert_eq!(pick("shoes and jackets", "en"), None);
        assert_eq!(pick("socks", "en"), None);
        assert_eq!(
            pick("can i pay with paypal for the shoes i want to buy", "en"),
            None
        );
        let talk: Vec<String> = vec!["Talk to a person".into(), "Keep chatting".into()];
        assert_eq!(choice(&talk, "a person please", "en"), Some(0));
        let tallas: Vec<String> = vec!["Zapatillas".into(), "Chaquetas".into()];
        assert_eq!(choice(&tallas, "las chaquetas", "es"), Some(1));
        assert_eq!(choice(&tallas, "la primera", "es"), Some(0));
    }

    #[test]
    fn phones() {
        assert_eq!(
            find_phone("call me at +1 (555) 010-2030 please").as_deref(),
            Some("+1 (555) 010-2030")
        );
        assert_eq!(find_phone("order 12345").as_deref(), None);
        assert_eq!(
            find_phone("06 12 34 56 78").as_deref(),
            Some("06 12 34 56 78")
        );
    }

    #[test]
    fn answers() {
        let range = Expect::Number {
            min: Some(Num::from_int(1)),
            max: Some(Num::from_int(10)),
        };
        assert_eq!(
            check(&range, "about 3 please", "en"),
            Some(Value::Num(Num::from_int(3)))
        );
        assert_eq!(check(&range, "11", "en"), None);
        let choice = Expect::Choice(vec![
            crate::flow::Choice::same("Small"),
            crate::flow::Choice::same("Large"),
        ]);
        assert_eq!(
            check(&choice, " large ", "en"),
            Some(Value::Text("Large".into()))
        );
        assert_eq!(check(&choice, "medium", "en"), None);
        let order = Expect::Pattern(Pattern::parse(r"#?\d{5}").unwrap());
        assert_eq!(
            check(&order, "it's #10493", "en"),
            Some(Value::Text("#10493".into()))
        );
        assert_eq!(check(&Expect::Text, "   ", "en"), None);
    }
}
