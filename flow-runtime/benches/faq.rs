//! Per-query latency of the FAQ matcher on a 500-entry FAQ (five phrasings each, a shop's
//! vocabulary), and the time to build its index: `cargo bench -p flow-runtime --bench faq`.
//! The browser figures (answer in the DOM) are in BENCHMARKS.md (`cargo xtask bench`).

use criterion::{Criterion, criterion_group, criterion_main};
use flow_runtime::faq::{FaqIndex, Phrasing};
use std::hint::black_box;

const ASKS: [&str; 10] = [
    "how do i",
    "can i",
    "when can i",
    "where do i",
    "is it possible to",
    "why can't i",
    "do you let me",
    "what does it cost to",
    "how long does it take to",
    "who can help me",
];
const VERBS: [&str; 10] = [
    "return",
    "exchange",
    "track",
    "repair",
    "resize",
    "gift wrap",
    "insure",
    "cancel",
    "reorder",
    "engrave",
];
const THINGS: [&str; 5] = ["boots", "jacket", "tent", "backpack", "gloves"];

fn phrases(n: usize) -> Vec<Phrasing> {
    let mut all = Vec::new();
    for i in 0..n {
        let (ask, verb, thing) = (ASKS[i % 10], VERBS[(i / 10) % 10], THINGS[(i / 100) % 5]);
        for text in [
            format!("{ask} {verb} my {thing}?"),
            format!("{verb} the {thing}"),
            format!("I want to {verb} a {thing} I bought"),
            format!("{thing} {verb} help"),
            format!("question about {verb}ing {thing} number {i}"),
        ] {
            all.push(Phrasing {
                entry: i as u32,
                language: "en".into(),
                text,
            });
        }
    }
    all
}

fn queries() -> Vec<String> {
    (0..100)
        .map(|i| {
            let (ask, verb, thing) = (ASKS[(i * 7) % 10], VERBS[(i * 3) % 10], THINGS[i % 5]);
            format!("hi, {ask} please {verb} the {thing} I ordered last week?")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let phrases = phrases(500);
    c.bench_function("build index, 500 entries x 5 phrasings", |b| {
        b.iter(|| FaqIndex::build(black_box(&phrases), &[]))
    });
    // What the browser does on the first question: the model from the shipped form.
    let shipped = flow_runtime::codec::to_bytes(&FaqIndex::build(&phrases, &[]));
    c.bench_function("build model from the shipped index, 500 entries", |b| {
        b.iter(|| {
            let index: FaqIndex = flow_runtime::codec::from_bytes(black_box(&shipped)).unwrap();
            index.prepare();
            index
        })
    });
    let index = FaqIndex::build(&phrases, &[]);
    let queries = queries();
    let mut i = 0;
    c.bench_function("answer one question, 500-entry FAQ", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            index.rank(black_box(&queries[i]), "en", 3)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
