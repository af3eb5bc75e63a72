//! `flow bench FILE…`: how well the FAQ matcher understands real questions.
//!
//! Input is the FAQ-benchmark format of `../shared/datasets/faq-bench` (plain or gzip JSON):
//! `faq` entries with example phrasings, and `validation` and `test` queries whose
//! `expected` entry id is `null` when no entry fits (out of scope). The protocol keeps the
//! test split honest: the index is built from `faq` only, the "unsure" threshold is chosen
//! on `validation` only, and `test` is only measured.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use flow_runtime::faq::{FaqIndex, Phrase};
use serde::Deserialize;

#[derive(Deserialize)]
struct Bench {
    faq: Vec<Entry>,
    #[serde(default)]
    validation: Vec<Query>,
    test: Vec<Query>,
}

#[derive(Deserialize)]
struct Entry {
    id: String,
    examples: Vec<String>,
}

#[derive(Deserialize)]
struct Query {
    text: String,
    expected: Option<String>,
}

/// The figures for one file; fractions in 0..1.
#[derive(serde::Serialize)]
pub struct Report {
    file: String,
    language: String,
    n_faq: usize,
    top1: f64,
    validation_top1: f64,
    threshold: f64,
    acc_at_threshold: f64,
    oos_recall: Option<f64>,
    oos_precision: Option<f64>,
    p50_us: f64,
    p95_us: f64,
    build_ms: f64,
    index_bytes: usize,
}

pub fn run(files: &[impl AsRef<Path>], json: bool, language: &str) -> anyhow::Result<bool> {
    for file in files {
        let file = file.as_ref();
        let report = bench(file, language).with_context(|| format!("{}", file.display()))?;
        if json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            print_report(&report);
        }
    }
    Ok(true)
}

fn load(file: &Path) -> anyhow::Result<Bench> {
    let bytes = std::fs::read(file)?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut s)?;
        s
    } else {
        String::from_utf8(bytes)?
    };
    let bench: Bench = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(
        &text,
    ))
    .map_err(|e| {
        anyhow::anyhow!(
            "not in the FAQ-benchmark format at `{}`: {}",
            e.path(),
            e.inner()
        )
    })?;
    anyhow::ensure!(!bench.faq.is_empty(), "`faq` has no entries");
    anyhow::ensure!(!bench.test.is_empty(), "`test` has no queries to measure");
    Ok(bench)
}

/// One query's best entry and its confidence (0..1), or `None` when nothing matched.
type Answer = Option<(usize, f64)>;

fn bench(file: &Path, language: &str) -> anyhow::Result<Report> {
    let bench = load(file)?;
    let phrases: Vec<Phrase> = bench
        .faq
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.examples.iter().map(move |t| Phrase {
                entry: i as u32,
                language: language.into(),
                text: t.clone(),
            })
        })
        .collect();
    let started = Instant::now();
    let index = FaqIndex::build(&phrases, &[]);
    // What the browser does too: the model is built from the shipped form.
    index.prepare();
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    let index_bytes = flow_runtime::codec::to_bytes(&index).len();
    let id_of = |q: &Query| -> Option<usize> {
        q.expected
            .as_ref()
            .and_then(|id| bench.faq.iter().position(|e| &e.id == id))
    };
    let ask = |q: &Query| -> Answer {
        index
            .rank(&q.text, language, 1)
            .first()
            .map(|r| (r.entry as usize, f64::from(r.confidence) / 1000.0))
    };

    // Threshold on validation only.
    let validation: Vec<(Option<usize>, Answer)> = bench
        .validation
        .iter()
        .map(|q| (id_of(q), ask(q)))
        .collect();
    let threshold = choose_threshold(&validation);
    let validation_top1 = top1_of(&validation);

    // Test: warm up once, then time every query.
    for q in bench.test.iter().take(50) {
        std::hint::black_box(ask(q));
    }
    let mut micros = Vec::with_capacity(bench.test.len());
    let mut test = Vec::with_capacity(bench.test.len());
    for q in &bench.test {
        let t = Instant::now();
        let answer = std::hint::black_box(ask(q));
        micros.push(t.elapsed().as_secs_f64() * 1e6);
        test.push((id_of(q), answer));
    }
    micros.sort_by(f64::total_cmp);
    let percentile = |p: f64| micros[((micros.len() - 1) as f64 * p).round() as usize];
    let scores = score(&test, threshold);
    let top1 = top1_of(&test);
    Ok(Report {
        file: file.display().to_string(),
        language: language.to_owned(),
        n_faq: bench.faq.len(),
        top1,
        validation_top1,
        threshold,
        acc_at_threshold: scores.accuracy,
        oos_recall: scores.oos_recall,
        oos_precision: scores.oos_precision,
        p50_us: percentile(0.5),
        p95_us: percentile(0.95),
        build_ms,
        index_bytes,
    })
}

/// Top-1 accuracy on the in-scope queries.
fn top1_of(results: &[(Option<usize>, Answer)]) -> f64 {
    let in_scope = results.iter().filter(|(e, _)| e.is_some()).count().max(1) as f64;
    results
        .iter()
        .filter(|(e, a)| e.is_some() && a.map(|(i, _)| i) == *e)
        .count() as f64
        / in_scope
}

struct Scores {
    accuracy: f64,
    oos_recall: Option<f64>,
    oos_precision: Option<f64>,
}

/// At `threshold`, an answer below it is "not sure".
fn score(results: &[(Option<usize>, Answer)], threshold: f64) -> Scores {
    let accepted = |a: &Answer| a.filter(|(_, c)| *c >= threshold).map(|(i, _)| i);
    let in_scope: Vec<_> = results.iter().filter(|(e, _)| e.is_some()).collect();
    let oos: Vec<_> = results.iter().filter(|(e, _)| e.is_none()).collect();
    let right = in_scope.iter().filter(|(e, a)| accepted(a) == *e).count();
    let oos_rejected = oos.iter().filter(|(_, a)| accepted(a).is_none()).count();
    let rejected = results
        .iter()
        .filter(|(_, a)| accepted(a).is_none())
        .count();
    Scores {
        accuracy: right as f64 / in_scope.len().max(1) as f64,
        oos_recall: (!oos.is_empty()).then(|| oos_rejected as f64 / oos.len() as f64),
        oos_precision: (!oos.is_empty()).then(|| {
            if rejected == 0 {
                0.0
            } else {
                oos_rejected as f64 / rejected as f64
            }
        }),
    }
}

/// The threshold that does best on validation: the mean of in-scope accuracy and
/// out-of-scope recall when there are out-of-scope queries, in-scope accuracy otherwise.
fn choose_threshold(validation: &[(Option<usize>, Answer)]) -> f64 {
    let has_oos = validation.iter().any(|(e, _)| e.is_none());
    let mut best = (f64::MIN, 0.0);
    for step in 0..=100 {
        let t = f64::from(step) / 100.0;
        let s = score(validation, t);
        let value = match s.oos_recall {
            Some(r) if has_oos => (s.accuracy + r) / 2.0,
            _ => s.accuracy,
        };
        if value > best.0 {
            best = (value, t);
        }
    }
    best.1
}

fn print_report(r: &Report) {
    let pct = |f: f64| format!("{:.1} %", f * 100.0);
    let opt = |f: Option<f64>| f.map_or_else(|| "n/a (no out-of-scope queries)".to_owned(), pct);
    println!("{} ({})", r.file, r.language);
    println!("  FAQ entries                        {}", r.n_faq);
    println!("  top-1 accuracy (in-scope test)     {}", pct(r.top1));
    println!(
        "  top-1 accuracy (validation)        {}",
        pct(r.validation_top1)
    );
    println!("  threshold (chosen on validation)   {:.2}", r.threshold);
    println!(
        "  in-scope accuracy at threshold     {}",
        pct(r.acc_at_threshold)
    );
    println!("  out-of-scope recall                {}", opt(r.oos_recall));
    println!(
        "  out-of-scope precision             {}",
        opt(r.oos_precision)
    );
    println!(
        "  latency per query                  p50 {:.1} µs, p95 {:.1} µs",
        r.p50_us, r.p95_us
    );
    println!(
        "  index build                        {:.1} ms, {} bytes",
        r.build_ms, r.index_bytes
    );
    println!(
        "summary: {} top1={:.3} acc@t={:.3} oos_recall={} p95={:.0}us",
        Path::new(&r.file)
            .file_name()
            .map_or(r.file.clone(), |n| n.to_string_lossy().into_owned()),
        r.top1,
        r.acc_at_threshold,
        r.oos_recall.map_or("n/a".into(), |v| format!("{v:.3}")),
        r.p95_us
    );
}
