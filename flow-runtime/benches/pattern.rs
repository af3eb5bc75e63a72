//! The pattern matcher on the worst inputs found so far: `cargo bench -p flow-runtime
//! --bench pattern`. `(.?){990}x` against a 2,000-character message (the composer's limit)
//! froze a shopper's tab for 42 s when every starting position was a run of its own; one
//! pass over the text keeps it in milliseconds. Also the demo's order-number pattern on a
//! chatty message, the common case.

use criterion::{Criterion, criterion_group, criterion_main};
use flow_runtime::pattern::Pattern;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let worst = Pattern::parse("(.?){990}x").unwrap();
    let message = "a".repeat(2_000);
    c.bench_function("(.?){990}x on 2,000 characters, no match", |b| {
        b.iter(|| black_box(worst.find(black_box(&message))))
    });
    let order = Pattern::parse(r"#?\d{5,6}").unwrap();
    let chatty = "Hi! I ordered a jacket for my trip last week and it still has not arrived, the number is #10234, can you check? ".repeat(4);
    c.bench_function("order number in a 440-character message", |b| {
        b.iter(|| black_box(order.find(black_box(&chatty))))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
