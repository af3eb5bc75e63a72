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
    FaqIndex::build(
        &phrases("en", entries),
        &[vec!["package".into(), "parcel".into()]],
    )
}

/// Each entry's phrasings, in one language.
fn phrases(language: &str, entries: &[&[&str]]) -> Vec<Phrasing> {
    entries
        .iter()
        .enumerate()
        .flat_map(|(e, list)| {
            list.iter().map(move |t| Phrasing {
                entry: e as u32,
                language: language.into(),
                text: (*t).into(),
            })
        })
        .collect()
}

fn best(index: &FaqIndex, q: &str) -> Option<Ranked> {
    index.rank(q, "en", 3).first().copied()
}

#[test]
fn a_phrasing_word_for_word_is_certain() {
    // The exact-match rule: what the merchant wrote, asked as written, is 1000.
    let index = faq();
    for (q, entry) in [
        ("Where is my order?", 0),
        ("can i send it BACK", 1),
        ("What does delivery cost?", 2),
    ] {
        let r = best(&index, q).expect(q);
        assert_eq!((r.entry, r.confidence), (entry, 1000), "{q}");
    }
}

#[test]
fn a_question_in_other_words_is_scored_by_the_model() {
    // None of these is a phrasing: the score comes from the model (centroid and closest
    // phrasing), clearly ahead of the other entries but short of certainty.
    let index = faq();
    for (q, entry) in [
        ("where is the order I placed", 0),
        ("how can I return this item", 1),
        ("what does shipping cost", 2),
    ] {
        let ranked = index.rank(q, "en", 3);
        let (top, second) = (ranked[0], ranked.get(1).map_or(0, |r| r.confidence));
        assert_eq!(top.entry, entry, "{q}: {ranked:?}");
        assert!(
            (400..1000).contains(&top.confidence),
            "{q}: {} should come from the model",
            top.confidence
        );
        assert!(top.confidence >= second + 100, "{q}: {ranked:?}");
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
    let ranked = index.rank("how much does it cost to ship my order", "en", 2);
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
        assert_eq!(decoded.rank(q, "en", 3), index.rank(q, "en", 3), "{q}");
    }
}

#[test]
fn nothing_in_nothing_out() {
    let empty = FaqIndex::build(&[], &[]);
    assert!(empty.rank("where is my order", "en", 3).is_empty());
    assert!(faq().rank("", "en", 3).is_empty());
    assert!(faq().rank("!!! ???", "en", 3).is_empty());
}

fn faq_in(language: &str, entries: &[&[&str]]) -> FaqIndex {
    FaqIndex::build(&phrases(language, entries), &[])
}

fn spanish() -> FaqIndex {
    faq_in(
        "es",
        &[
            &["¿Dónde está mi pedido?", "Quiero rastrear mi pedido"],
            &["¿Cómo devuelvo un producto?", "Política de devolución"],
            &["¿Cuánto cuesta el envío?", "Precio del envío"],
        ],
    )
}

#[test]
fn questions_are_stemmed_in_their_language() {
    let index = spanish();
    let es = best_in(&index, "¿dónde están mis pedidos?", "es-MX").unwrap();
    assert_eq!(es.entry, 0);
    // Without Spanish stems "pedidos" is only its pieces, and the match is weaker.
    let unstemmed = best_in(&index, "¿dónde están mis pedidos?", "nl").unwrap();
    assert!(
        es.confidence > unstemmed.confidence,
        "{es:?} vs {unstemmed:?}"
    );
    assert_eq!(
        best_in(&index, "devoluciones", "es").map(|r| r.entry),
        Some(1)
    );
}

#[test]
fn each_language_has_a_stemmer() {
    for (language, faq, question) in [
        (
            "fr",
            &["Où est ma commande ?", "Suivre ma commande"],
            "mes commandes sont où",
        ),
        (
            "de",
            &["Wo ist meine Bestellung?", "Bestellung verfolgen"],
            "wo sind meine bestellungen",
        ),
        (
            "pt",
            &["Onde está o meu pedido?", "Rastrear pedido"],
            "onde estão os meus pedidos",
        ),
        (
            "it",
            &["Dov'è il mio ordine?", "Tracciare l'ordine"],
            "dove sono i miei ordini",
        ),
    ] {
        let index = faq_in(
            language,
            &[faq, &["Wie viel kostet der Versand? Quanto costa?"]],
        );
        let stemmed = best_in(&index, question, language).unwrap();
        let unstemmed = best_in(&index, question, "nl").unwrap();
        assert_eq!(stemmed.entry, 0, "{language}");
        assert!(stemmed.confidence > unstemmed.confidence, "{language}");
    }
}

#[test]
fn a_faq_in_two_languages_answers_each_in_its_own() {
    let mut both = phrases(
        "en",
        &[&["Where is my order?"], &["How do I return an item?"]],
    );
    both.extend(phrases(
        "es",
        &[
            &["¿Dónde está mi pedido?"],
            &["¿Cómo devuelvo un artículo?"],
        ],
    ));
    let index = FaqIndex::build(&both, &[]);
    assert_eq!(
        best_in(&index, "donde estan mis pedidos", "es").map(|r| r.entry),
        Some(0)
    );
    assert_eq!(
        best_in(&index, "returning items", "en").map(|r| r.entry),
        Some(1)
    );
}

#[test]
fn built_in_synonyms_need_no_merchant_words() {
    let index = faq_in(
        "en",
        &[&["Where is my parcel?"], &["Do you sell gift cards?"]],
    );
    let synonym = best(&index, "where is my package").unwrap();
    let direct = best(&index, "where is my parcel").unwrap();
    assert_eq!(synonym.entry, 0);
    assert_eq!(synonym.confidence, direct.confidence);
}

#[test]
fn a_merchant_group_extends_the_built_in_one() {
    // "parcel" is built in with "package"; the merchant adds "box" to the same meaning.
    let index = FaqIndex::build(
        &phrases("en", &[&["Where is my parcel?"]]),
        &[vec!["package".into(), "box".into()]],
    );
    let a = best(&index, "where is my box").unwrap();
    let b = best(&index, "where is my parcel").unwrap();
    assert_eq!(a.confidence, b.confidence);
}

#[test]
fn chat_abbreviations_mean_their_words() {
    let index = faq();
    let short = best(&index, "can u tell me where my order is asap").unwrap();
    let long = best(
        &index,
        "can you tell me where my order is as soon as possible",
    )
    .unwrap();
    assert_eq!(short, long);
    assert_eq!(short.entry, 0);
}

fn best_in(index: &FaqIndex, q: &str, language: &str) -> Option<Ranked> {
    index.rank(q, language, 3).first().copied()
}

#[test]
fn the_model_is_built_once_on_first_use_or_when_asked() {
    let index = faq();
    assert!(!index.is_prepared(), "loading a flow builds nothing");
    best(&index, "where is my order");
    assert!(index.is_prepared());
    let fresh = faq();
    fresh.prepare();
    assert!(fresh.is_prepared());
}

/// A shop's FAQ with entries for many of the words a chatty message carries.
fn shop() -> FaqIndex {
    faq_in(
        "en",
        &[
            &[
                "Where is my order?",
                "Track my order",
                "My order has not arrived",
            ],
            &[
                "How do I return an item?",
                "Return policy",
                "Send something back",
            ],
            &[
                "Which colours does the jacket come in?",
                "Jacket colours",
                "Other colours",
            ],
            &[
                "Do you sell gift cards?",
                "Gift card for my sister",
                "Buy a present",
            ],
            &[
                "Is the jacket good for hiking?",
                "Hiking jacket",
                "Jacket for a trip",
            ],
            &[
                "How long does shipping take?",
                "Delivery time",
                "When will it arrive",
            ],
            &[
                "Do you have a store I can visit?",
                "Shop address",
                "Opening hours",
            ],
        ],
    )
}

#[test]
fn a_question_inside_a_long_message_is_found() {
    let index = shop();
    let long = "Hello! I bought a jacket from you three weeks ago for a hiking trip next month, \
                and my sister loves the colour. Anyway, where is my order?";
    let r = best(&index, long).unwrap();
    assert_eq!(r.entry, 0, "{:?}", index.rank(long, "en", 3));
    assert!(r.confidence >= 350, "{r:?}");
}

#[test]
fn words_the_faq_does_not_know_make_a_match_less_sure() {
    // An out-of-scope question that shares one word with an entry: its other content
    // words count in its length, so it is far less sure than that word alone.
    let index = faq();
    let alone = best(&index, "shipping").expect("shipping");
    let off_topic = best(
        &index,
        "shipping container rental prices for farm equipment",
    );
    let off_topic = off_topic.map_or(0, |r| r.confidence);
    assert!(
        off_topic * 2 < alone.confidence,
        "{off_topic} against {}",
        alone.confidence
    );
    let ranked = index.rank(
        "shipping container rental prices for farm equipment",
        "en",
        3,
    );
    assert!(
        !matches!(
            crate::faq::decide(&ranked, crate::faq::Thresholds::calibrated(3)),
            crate::faq::Decision::Answer(_)
        ),
        "{ranked:?}"
    );
}

#[test]
fn function_words_the_faq_lacks_cost_nothing() {
    // This FAQ has none of "what", "are", "your": asking with them is as sure as without.
    let index = FaqIndex::build(
        &phrases("en", &[&["shipping cost"], &["return policy"]]),
        &[],
    );
    let bare = best(&index, "shipping cost").expect("bare");
    let asked = best(&index, "what is your shipping cost").expect("asked");
    assert_eq!(asked.entry, 0);
    assert!(
        asked.confidence + 150 > bare.confidence,
        "{} against {}",
        asked.confidence,
        bare.confidence
    );
    // A content word it lacks does cost.
    let other = best(&index, "shipping cost of a piano").map_or(0, |r| r.confidence);
    assert!(
        other + 150 < asked.confidence,
        "{other} against {}",
        asked.confidence
    );
}

#[test]
fn the_best_entries_come_best_first_and_without_the_unscored() {
    let scores = [0.1, 0.0, 0.7, 0.3, 0.7, 0.05];
    assert_eq!(super::best_entries(&scores, 3), vec![2, 4, 3]);
    assert_eq!(super::best_entries(&scores, 10), vec![2, 4, 3, 0, 5]);
    assert_eq!(super::best_entries(&[0.0, 0.0], 3), Vec::<u32>::new());
}

/// The words a match shares are the matcher's own: synonyms, stems and typos count, function
/// words do not, and they are written as the shopper wrote them.
#[test]
fn the_words_shared_are_the_ones_the_matcher_counted() {
    let index = faq();
    let q = "where's my parcel, is it arriving? pls trak it";
    let shared = index.words_shared(0, q, "en");
    assert_eq!(shared, ["parcel", "arriving"], "synonym and stem");
    let ranked = index.rank(q, "en", 1);
    assert_eq!(
        usize::from(ranked[0].shared),
        shared.len(),
        "the count agrees"
    );
    assert_eq!(
        index.words_shared(0, "track my order", "en"),
        ["track", "order"]
    );
    assert_eq!(
        index.words_shared(2, "track my order", "en"),
        Vec::<String>::new()
    );
}

/// A concept counts once per text: an entry written with four delivery words does not beat
/// one written with one for a question that names only the concept.
#[test]
fn no_entry_wins_a_concept_by_having_more_of_its_words() {
    let faq = FaqIndex::build(
        &phrases(
            "en",
            &[
                &["shipping delivery postage courier"],
                &["shipping"],
                &["return policy"],
            ],
        ),
        &[],
    );
    let r = faq.rank("when will it arrive", "en", 3);
    let of = |e: u32| r.iter().find(|x| x.entry == e).map_or(0, |x| x.confidence);
    assert!(of(1) >= of(0), "{r:?}");
}
