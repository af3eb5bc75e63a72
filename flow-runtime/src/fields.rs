//! What a shopper types into a field, checked the same way in the browser (the engine) and
//! on the server (`www`): one rule each, here.

/// The longest message a shopper may send, in characters: the composer stops there, the
/// engine cuts there, and the server refuses longer (the wire's limit).
pub const MAX_MESSAGE_CHARS: usize = crate::wire::limits::MESSAGE_CHARS;

/// Whether `s` is a plain email address, `local@domain.tld`: no markup, quotes, spaces or
/// brackets (the server sends it on in webhooks, an agent may write to it).
///
/// - the local part is 1 to 64 characters: dot-separated runs of letters, digits (any
///   script) and `!#$%&'*+/=?^_`{|}~-`;
/// - the domain has at least two labels of letters, digits and inner hyphens, at most 253
///   characters, and ends in a top-level domain of two or more characters that is not all
///   digits (`xn--p1ai` is fine, `10.0.0.1` is not).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    // `text::is_word` rather than `char::is_alphanumeric`: the same letters and digits of
    // every script, from tables the wasm has anyway (core's would add kilobytes).
    let word = crate::text::is_word;
    let atext = |c: char| word(c) || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| word(c) || c == '-')
        })
        && labels.last().is_some_and(|tld| {
            tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
        });
    local_ok && domain_ok
}

/// The first email address in `text`, lower-cased: "it's Ana@Example.com, thanks" →
/// `ana@example.com`.
pub fn find_email(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')' | '"'))
        .map(|w| w.trim_end_matches(['.', '!', '?', ':']))
        .find(|w| is_email(w))
        .map(|e| e.to_ascii_lowercase())
}

/// An order number as stores write it and as it is stored: `#10234 ` → `10234`,
/// `fh-1001` → `FH-1001`. Only ASCII letters change case (order numbers are ASCII; full
/// Unicode case tables would cost the widget kilobytes for nothing).
pub fn order_number(typed: &str) -> String {
    typed
        .trim()
        .trim_start_matches('#')
        .trim()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in [
            "ana@example.com",
            "Ana.Lopez+shop@Example.co.uk",
            "o'brien@example.ie",
            "josé@correo.es",
            "x@xn--p1ai.xn--p1ai",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "ana",
            "@example.com",
            "ana@",
            "ana@example",
            "ana@.com",
            "ana@example.c",
            "ana@10.0.0.1",
            "a..b@example.com",
            "ana@-example.com",
            "<svg/onload=alert(1)>@evil.example",
            "\"ana\"@example.com",
            "ana lopez@example.com",
            "ana@exa mple.com",
            "ana@[127.0.0.1]",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(!is_email(&format!("{}@example.com", "a".repeat(65))));
    }

    #[test]
    fn emails_in_text() {
        assert_eq!(
            find_email("it's Ana.Lopez+shop@Example.co.uk, thanks!").as_deref(),
            Some("ana.lopez+shop@example.co.uk")
        );
        assert_eq!(
            find_email("write to <ana@example.com>.").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(find_email("no address here @ all"), None);
    }

    #[test]
    fn order_numbers() {
        assert_eq!(order_number(" #10234 "), "10234");
        assert_eq!(order_number("# fh-1001"), "FH-1001");
        assert_eq!(order_number("10234"), order_number("#10234"));
    }
}
