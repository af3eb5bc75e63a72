//! The pattern engine against the `regex` crate as an oracle: for random patterns of the
//! subset merchants write, and random texts, `find` gives the same leftmost-first match and
//! `matches_whole` the same answer. Patterns and texts use a small ASCII alphabet, where
//! our ASCII case folding and `regex`'s Unicode folding agree, so that matches are common.

use flow_runtime::pattern::Pattern;
use proptest::prelude::*;

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["a", "b", "A", "1", " ", "-"]).prop_map(str::to_owned),
        1 => Just(".".to_owned()),
        1 => prop::sample::select(vec![r"\d", r"\w", r"\s", r"\D", r"\W", r"\S"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["[ab]", "[^a]", "[a-b1]", "[-a]", r"[\d ]"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["^", "$"]).prop_map(str::to_owned),
    ]
}

fn quantifier() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        1 => Just("?".to_owned()),
        1 => Just("*".to_owned()),
        1 => Just("+".to_owned()),
        1 => (0u32..3, 0u32..3).prop_map(|(a, b)| format!("{{{},{}}}", a.min(b), a.max(b))),
        1 => (0u32..3).prop_map(|a| format!("{{{a}}}")),
        1 => (0u32..3).prop_map(|a| format!("{{{a},}}")),
    ]
}

fn pattern() -> impl Strategy<Value = String> {
    let leaf = (atom(), quantifier()).prop_map(|(a, q)| {
        // Anchors cannot be repeated (ours refuses, as it should).
        if a == "^" || a == "$" {
            a
        } else {
            format!("{a}{q}")
        }
    });
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join("|")),
            (inner, quantifier()).prop_map(|(p, q)| {
                // A group that is only an anchor is an anchor: not repeated either.
                if p == "^" || p == "$" {
                    format!("({p})")
                } else {
                    format!("({p}){q}")
                }
            }),
        ]
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!['a', 'b', 'A', 'B', '1', '2', ' ', '-', 'x']),
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// The pattern, or `None` for the one thing the generator writes that ours refuses on
/// purpose (`((^))*`: an anchor repeated); anything else refused fails the test.
fn parse(source: &str) -> Option<Pattern> {
    match Pattern::parse(source) {
        Ok(p) => Some(p),
        Err(e) if e.message == "anchors cannot be repeated" => None,
        Err(e) => panic!("{source}: {e:?}"),
    }
}

proptest! {
    // 2,000 cases each in CI; `cargo xtask fuzz` asks for many more (PROPTEST_CASES).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000)
    ))]

    #[test]
    fn find_agrees_with_the_regex_crate(source in pattern(), haystack in text()) {
        let ours = parse(&source);
        prop_assume!(ours.is_some(), "a group of anchors alone, repeated: ours refuses it");
        let ours = ours.unwrap();
        let oracle = regex::Regex::new(&format!("(?i){source}")).expect("valid for regex too");
        let theirs = oracle.find(&haystack).map(|m| (m.start(), m.end()));
        prop_assert_eq!(ours.find(&haystack), theirs, "pattern {:?} on {:?}", source, haystack);
    }

    #[test]
    fn whole_matches_agree_with_the_regex_crate(source in pattern(), haystack in text()) {
        let ours = parse(&source);
        prop_assume!(ours.is_some(), "a group of anchors alone, repeated: ours refuses it");
        let ours = ours.unwrap();
        let oracle = regex::Regex::new(&format!("(?i)^(?:{source})$")).expect("valid for regex too");
        prop_assert_eq!(
            ours.matches_whole(&haystack),
            oracle.is_match(haystack.trim()),
            "pattern {:?} on {:?}", source, haystack
        );
    }
}
