use super::*;

fn faq() -> FaqIndex {
    let entries: &[&[&str]] = &[
        &[
            "Where is my order?",
            "Track my order",
            "When will my package arrive?",
        ],
        &[
            "How do I return an item?",
            "Can I send it back?",
            "What is your return policy?",
        ],
        &[
            "How much is shipping?",
            "Do you ship for free?",
            "What does delivery cost?",
        ],
    ];
    let phrases: Vec<Phrase> = entries
        .iter()
        .enumerate()
        .flat_map(|(e, list)| {
            list.iter().map(move |t| Phrase {
                entry: e as u32,
                language: "en".into(),
                text: (*t).into(),
            })
        })
        .collect();
    FaqIndex::build(&phrases, &[vec!["package".into(), "parcel".into()]])
}

fn best(index: &FaqIndex, q: &str) -> Option<Ranked> {
    index.rank(q, 3).first().copied()
}

#[test]
fn each_phrasing_finds_its_entry() {
    let index = faq();
    for (q, entry) in [
        ("Where is my order?", 0),
        ("Can I send it back?", 1),
        ("What does delivery cost?", 2),
    ] {
        let r = best(&index, q).expect(q);
        assert_eq!(r.entry, entry, "{q}");
        assert!(r.confidence >= 600, "{q}: {}", r.confidence);
    }
}

#[test]
fn typos_and_missing_letters_still_match() {
    let index = faq();
    assert_eq!(best(&index, "were is my ordr").map(|r| r.entry), Some(0));
    assert_eq!(best(&index, "retrun policy pls").map(|r| r.entry), Some(1));
    assert_eq!(best(&index, "shiping cost??").map(|r| r.entry), Some(2));
}

#[test]
fn run_together_words_share_pieces() {
    let index = faq();
    assert_eq!(best(&index, "returnpolicy").map(|r| r.entry), Some(1));
}

#[test]
fn synonyms_count_as_the_first_word_of_their_group() {
    let index = faq();
    let r = best(&index, "when does my parcel arrive").unwrap();
    assert_eq!(r.entry, 0);
    let direct = best(&index, "when does my package arrive").unwrap();
    assert_eq!(r.confidence, direct.confidence);
}

#[test]
fn an_unrelated_question_is_not_confident() {
    let index = faq();
    let r = best(&index, "tell me a joke about penguins");
    assert!(r.is_none_or(|r| r.confidence < 300), "{r:?}");
}

#[test]
fn ranking_is_best_first_and_limited() {
    let index = faq();
    let ranked = index.rank("how much does it cost to ship my order", 2);
    assert_eq!(ranked.len(), 2);
    assert_eq!(ranked[0].entry, 2);
    assert!(ranked[0].confidence >= ranked[1].confidence);
}

#[test]
fn the_shipped_form_ranks_the_same() {
    let index = faq();
    let bytes = crate::codec::to_bytes(&index);
    let decoded: FaqIndex = crate::codec::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, index);
    for q in ["where is my parcel", "return", "free shipping?", "xyz"] {
        assert_eq!(decoded.rank(q, 3), index.rank(q, 3), "{q}");
    }
}

#[test]
fn nothing_in_nothing_out() {
    let empty = FaqIndex::build(&[], &[]);
    assert!(empty.rank("where is my order", 3).is_empty());
    assert!(faq().rank("", 3).is_empty());
    assert!(faq().rank("!!! ???", 3).is_empty());
}
