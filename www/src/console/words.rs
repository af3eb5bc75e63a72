//! The compiler's problems in a merchant's words.
//!
//! The compiler speaks to people who write flow files (`flow check`): its messages name
//! JSON fields ("use `goto`: a step", `"type": "handoff"`). The console's owners fill in
//! forms, and read each problem under the field it concerns, labelled; here each problem
//! is said in the words of those forms. The common ones have their own sentences; the rest
//! are the compiler's, with the file's notation taken out. A test holds every problem of
//! the compiler's broken examples (`flow-authoring/tests/check/`) to it.

use flow_authoring::compile::Diagnostic;

/// A problem as the console says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub message: String,
    pub fix: Option<String>,
}

/// `d` in the console's words.
pub fn said(d: &Diagnostic) -> Said {
    let message = plain(&d.message);
    let fix = |text: &str| Some(text.to_owned());
    let (message, fix) = match d.code {
        "faq-answer" if d.message.contains("empty") || d.message.contains("no answer") => (
            "This entry has no answer yet.".to_owned(),
            fix(
                "Write what the shopper should read in “Answer”, or choose a step for the entry to go to.",
            ),
        ),
        "faq-answer" => (message, fix("Keep either the answer or the step to go to.")),
        "faq-question" if d.is_error() => (
            "This entry has no question and no other ways of asking.".to_owned(),
            fix("Write the question as shoppers ask it in “Question”."),
        ),
        "faq-question" => (
            message,
            fix("Write the question as shoppers should see it offered, in “Question”."),
        ),
        "empty-label" => (
            "This button has no text.".to_owned(),
            fix("Write what the shopper taps, such as “Track my order”."),
        ),
        "button-action" => (
            message,
            fix(
                "Choose what the button does: go to a step, answer an FAQ entry, open a web page, or hand off to a person.",
            ),
        ),
        "no-handoff-step" => (
            message,
            fix("Add a “Hand off to a person” step on the Steps tab."),
        ),
        "unknown-step" => (message, fix("Choose another step from the list.")),
        "unknown-faq-entry" => (message, fix("Choose another entry from the list.")),
        "missing-name" => (
            "The assistant has no name.".to_owned(),
            fix("Name it on the Bot tab: the name heads the chat panel."),
        ),
        "missing-translation" => (
            message,
            fix("Shoppers reading those languages see the text of the first language meanwhile."),
        ),
        "bad-color" => (message, fix("Pick a colour, or write it as #1f5f4a.")),
        "low-contrast" => (
            message,
            fix("Choose a darker accent colour, or another text colour."),
        ),
        "unsafe-url" => (
            message,
            fix(
                "Use an address that starts with https://, a page of your shop such as /returns, mailto: or tel:.",
            ),
        ),
        "duplicate-id" => (message, fix("Give each a different name.")),
        "missing-choices" => (
            "This question offers no choices.".to_owned(),
            fix("List the choices, one per line."),
        ),
        "unreachable" => (
            message,
            fix("Lead to it from another step or from an FAQ answer, or remove it."),
        ),
        "trigger-step" => (message, fix("Choose the step the message shows.")),
        "loop" => (
            message,
            fix(
                "Make one of them wait for the shopper: a question, or quick replies to choose from.",
            ),
        ),
        "missing-pattern" => (
            "Order numbers need a pattern.".to_owned(),
            fix(
                "Say what your order numbers look like on the “Handoff and orders” tab, such as #?[0-9]{5,6}.",
            ),
        ),
        "too-many-quick-replies" => (
            message,
            fix("Move some into a follow-up step (“More options”)."),
        ),
        _ => (message, d.help.as_deref().map(plain)),
    };
    Said { message, fix }
}

/// The compiler's text without the file's notation: `quoted` words in typographic
/// quotes, JSON field names as the forms name them.
fn plain(text: &str) -> String {
    const WORDS: [(&str, &str); 14] = [
        ("\"type\": \"handoff\"", "a handoff step"),
        ("\"answer\": \"…\"", "an answer"),
        ("\"goto\": a step", "a step to go to"),
        ("\"goto\"", "the step to go to"),
        ("\"choices\": [\"S\", \"M\", \"L\"]", "the choices"),
        ("bot.languages", "the Bot tab's languages"),
        ("quick_replies", "quick replies"),
        ("add_to_cart", "“Add to cart”"),
        ("exit_intent", "leaving the page"),
        ("expect: choice", "one of these choices"),
        ("goto", "go to"),
        ("handoff: true", "hand off to a person"),
        ("handoff: false", "no handoff"),
        ("\"", ""),
    ];
    let mut out = String::with_capacity(text.len());
    let mut open = true;
    for c in text.chars() {
        if c == '`' {
            out.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    for (from, to) in WORDS {
        out = out.replace(from, to);
    }
    out
}

/// A language as a merchant reads it (`es` is "Spanish"); the code itself for others.
pub fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "pt" => "Portuguese",
        "nl" => "Dutch",
        "ar" => "Arabic",
        "he" => "Hebrew",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem of the compiler's broken examples reads without the file's notation.
    #[test]
    fn problems_are_said_without_json() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../flow-authoring/tests/check");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let compiled =
                flow_authoring::compile::compile_json(&std::fs::read_to_string(&path).unwrap());
            for d in &compiled.diagnostics {
                if d.code == "syntax" {
                    continue; // a file, not a form
                }
                let s = said(d);
                let text = format!("{} {}", s.message, s.fix.unwrap_or_default());
                for notation in ["`", "\"goto\"", "goto", "\"type\"", "\": "] {
                    assert!(
                        !text.contains(notation),
                        "{} ({}): {text}",
                        path.display(),
                        d.code
                    );
                }
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen}");
    }

    #[test]
    fn a_new_entrys_problem_is_in_the_forms_words() {
        let d = Diagnostic::error(
            "faq-answer",
            "/faq/entries/3/answer",
            "this FAQ entry's answer is empty",
        )
        .help("write what the shopper should read, or use \"goto\": a step");
        let s = said(&d);
        assert_eq!(s.message, "This entry has no answer yet.");
        assert!(s.fix.unwrap().contains("“Answer”"));
    }
}

/// Where a problem is, for lists away from its field: "FAQ entry 3 › Answer".
pub fn place(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        i += 1;
        // "entries" after "faq" is no place of its own: FAQ entry 3.
        let part = if part == "faq" && parts.get(i) == Some(&"entries") {
            i += 1;
            "entries"
        } else {
            part
        };
        let index = parts.get(i).and_then(|n| n.parse::<usize>().ok());
        let mut numbered = |name: &str| match index {
            Some(n) => {
                i += 1;
                format!("{name} {}", n + 1)
            }
            None => name.to_owned(),
        };
        let said = match part {
            "bot" => "Bot".to_owned(),
            "entries" => numbered("FAQ entry"),
            "faq" => "FAQ".to_owned(),
            "steps" => numbered("Step"),
            "triggers" => numbered("Proactive message"),
            "quick_replies" => numbered("Quick reply"),
            "buttons" => numbered("Button"),
            "cards" => numbered("Card"),
            "variants" => numbered("Variant"),
            "escalation" => "Handoff and orders".to_owned(),
            "business_hours" => "Business hours".to_owned(),
            "phrasings" => "Other ways of asking".to_owned(),
            "goto" => "Goes to".to_owned(),
            "label" => "Button text".to_owned(),
            "on_accent" => "Text on the accent colour".to_owned(),
            other if other.len() == 2 => language_name(other).to_owned(),
            other => {
                let words = other.replace('_', " ");
                let mut c = words.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        };
        out.push(said);
    }
    if out.is_empty() {
        "The flow".to_owned()
    } else {
        out.join(" › ")
    }
}

#[cfg(test)]
mod place_tests {
    #[test]
    fn places_are_named_as_the_console_names_them() {
        assert_eq!(
            super::place("/faq/entries/2/answer"),
            "FAQ entry 3 › Answer"
        );
        assert_eq!(
            super::place("/steps/0/quick_replies/1/label"),
            "Step 1 › Quick reply 2 › Button text"
        );
        assert_eq!(
            super::place("/bot/theme/on_accent"),
            "Bot › Theme › Text on the accent colour"
        );
        assert_eq!(
            super::place("/faq/entries/0/question/es"),
            "FAQ entry 1 › Question › Spanish"
        );
        assert_eq!(super::place(""), "The flow");
    }
}
