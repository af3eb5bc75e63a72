//! The FAQ matcher on a real flow's phrasings, read by the compiler.

use flow_runtime::faq::{FaqIndex, Phrasing};

/// Leaving one phrasing out without rebuilding (what FAQ health does for every phrasing)
/// ranks as an index built without it would, but for the IDF, which keeps the phrasing's
/// words: on the demo flow's FAQ the top entry agrees for nearly every phrasing, and a
/// phrasing never finds itself word for word. Both without the learned weights, which
/// were trained on every phrasing (FAQ health ranks that way too).
#[test]
fn leaving_a_phrasing_out_ranks_like_a_rebuilt_index() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../www/flows/demo.json")).unwrap();
    let doc: flow_authoring::doc::Document = serde_json::from_value(doc).unwrap();
    let all: Vec<Phrasing> = doc
        .faq
        .entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| flow_authoring::compile::entry_phrasings(i as u32, e, "en"))
        .filter(|p| !p.text.trim().is_empty())
        .collect();
    let index = FaqIndex::build(&all, &doc.faq.synonyms).untrained();
    let (mut same, mut asked) = (0, 0);
    for (k, p) in all.iter().enumerate() {
        let rest: Vec<Phrasing> = all
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, p)| p.clone())
            .collect();
        let rebuilt =
            FaqIndex::build(&rest, &doc.faq.synonyms)
                .untrained()
                .rank(&p.text, &p.language, 3);
        let left_out = index.rank_without(k, &p.text, &p.language, 3);
        // Its own words no longer make it certain (unless another phrasing says the same,
        // synonyms included: then the rebuilt index is certain too).
        let twin = rebuilt
            .first()
            .is_some_and(|r| r.entry == p.entry && r.confidence >= 1000);
        if !twin {
            assert!(
                left_out
                    .first()
                    .is_none_or(|r| r.entry != p.entry || r.confidence < 1000),
                "{}: {left_out:?}",
                p.text
            );
        }
        asked += 1;
        if rebuilt.first().map(|r| r.entry) == left_out.first().map(|r| r.entry) {
            same += 1;
        }
    }
    assert!(asked > 100, "the demo FAQ has its phrasings");
    assert!(same * 100 >= asked * 90, "{same} of {asked} agree");
}
