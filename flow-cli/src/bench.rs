//! `flow bench FILE…`: how well the FAQ matcher understands real questions.
//!
//! Input is the FAQ-benchmark format (plain or gzip JSON; `flow bench --help` and the README say where the public sets come from):
//! `faq` entries with example phrasings, and `validation` and `test` queries whose
//! `expected` entry id is `null` when no entry fits (out of scope). The protocol keeps the
//! test split honest: the index is built from `faq` only, the "unsure" threshold is chosen
//! on `validation` only, and `test` is only measured.
//!
//! With `--flow FLOW`, the FAQ is the flow's own (its entries, phrasings in every
//! language, synonyms and thresholds) and the file needs no `faq`: that is how a merchant
//! measures their assistant on their shoppers' questions.
//!
//! Besides ranking figures, it reports what shoppers would get, decided exactly as the
//! engine decides ([`flow_runtime::faq::decide`]): answered directly and right, answered
//! wrong, "did you mean …?", missed, and off-topic questions answered.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use flow_runtime::faq::{Decision, FaqIndex, Phrasing, Ranked, Thresholds};
use serde::Deserialize;

#[derive(Deserialize)]
struct Bench {
    #[serde(default)]
    faq: Vec<Entry>,
    /// The questions' language, when the file says (`--language` otherwise).
    #[serde(default)]
    language: Option<String>,
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
    /// Of `index_bytes`, the weights the compiler learned.
    learned_bytes: usize,
    /// The whole compiled flow, with `--flow`.
    flow_bytes: Option<usize>,
    /// Whether the learned weights were left out (`--untrained`).
    untrained: bool,
    /// What shoppers get on `test`, decided as the engine decides.
    decisions: Outcomes,
    /// The same on `validation`.
    validation_decisions: Outcomes,
}

/// What shoppers get, as fractions: of the in-scope questions (`right`, `wrong`,
/// `unsure`, `unsure_right`, `missed`) and of the out-of-scope ones (`oos_*`).
#[derive(serde::Serialize, Default)]
pub struct Outcomes {
    in_scope: usize,
    out_of_scope: usize,
    /// Answered directly with the right entry.
    right: f64,
    /// Answered directly with another entry.
    wrong: f64,
    /// "Did you mean …?".
    unsure: f64,
    /// "Did you mean …?" with the right entry among the choices.
    unsure_right: f64,
    missed: f64,
    /// Off-topic questions answered directly (each a wrong answer).
    oos_answered: f64,
    oos_unsure: f64,
    /// Wrong answers of every kind (in scope or not) over all questions.
    wrong_overall: f64,
}

/// The file's questions and what the FAQ made of each, for `--details`.
#[derive(serde::Serialize)]
struct Detail<'a> {
    split: &'a str,
    text: &'a str,
    expected: Option<&'a str>,
    decision: &'a str,
    /// Whether that was what the shopper needed (the right answer, or nothing for an
    /// off-topic question).
    right: bool,
    /// Entry ids, confidences (0–1) and content words shared, best first.
    ranked: Vec<(String, f64, u8)>,
    /// The question's content words.
    content: u8,
}

/// What `flow bench` was asked for.
pub struct Options<'a> {
    pub json: bool,
    pub language: &'a str,
    /// The flow whose FAQ is measured, instead of the file's `faq`.
    pub flow: Option<&'a Path>,
    /// Print every question that was not answered right.
    pub details: bool,
    /// Measure without the weights the compiler learned.
    pub untrained: bool,
}

pub fn run(files: &[impl AsRef<Path>], options: &Options) -> anyhow::Result<bool> {
    let flow = match options.flow {
        Some(path) => {
            let compiled = crate::load::compile(path)?;
            let Some(flow) = compiled.flow else {
                anyhow::bail!(
                    "{} has {} error(s): `flow check` it first",
                    path.display(),
                    compiled.errors()
                );
            };
            Some(flow)
        }
        None => None,
    };
    for file in files {
        let file = file.as_ref();
        let report =
            bench(file, options, flow.as_ref()).with_context(|| format!("{}", file.display()))?;
        let json = options.json;
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

    anyhow::ensure!(!bench.test.is_empty(), "`test` has no queries to measure");
    Ok(bench)
}

/// One query's best entry and its confidence (0..1), or `None` when nothing matched.
type Answer = Option<(usize, f64)>;

/// The FAQ being measured: its entries' ids, its index and its thresholds.
struct Measured {
    ids: Vec<String>,
    index: FaqIndex,
    thresholds: Thresholds,
}

impl Measured {
    fn from_file(bench: &Bench, language: &str) -> anyhow::Result<Measured> {
        anyhow::ensure!(
            !bench.faq.is_empty(),
            "`faq` has no entries (or measure a flow's FAQ with --flow)"
        );
        let phrases: Vec<Phrasing> = bench
            .faq
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.examples.iter().map(move |t| Phrasing {
                    entry: i as u32,
                    language: language.into(),
                    text: t.clone(),
                })
            })
            .collect();
        Ok(Measured {
            ids: bench.faq.iter().map(|e| e.id.clone()).collect(),
            index: FaqIndex::build(&phrases, &[]),
            // What a flow with these entries and no thresholds of its own gets.
            thresholds: Thresholds::calibrated(bench.faq.len()),
        })
    }

    fn from_flow(flow: &flow_runtime::Flow) -> Measured {
        // A fresh copy of the shipped index, so that its model is built (and timed) here.
        let bytes = flow_runtime::codec::to_bytes(&flow.faq.index);
        let index = flow_runtime::codec::from_bytes(&bytes).unwrap_or_default();
        Measured {
            ids: flow.faq.entries.iter().map(|e| e.id.clone()).collect(),
            index,
            thresholds: flow.faq.thresholds(),
        }
    }

    fn decide(&self, ranked: &[Ranked]) -> Decision {
        flow_runtime::faq::decide(ranked, self.thresholds)
    }
}

fn bench(
    file: &Path,
    options: &Options,
    flow: Option<&flow_runtime::Flow>,
) -> anyhow::Result<Report> {
    let bench = load(file)?;
    let language = bench.language.as_deref().unwrap_or(options.language);
    let mut measured = match flow {
        Some(flow) => Measured::from_flow(flow),
        None => Measured::from_file(&bench, language)?,
    };
    let trained_bytes = flow_runtime::codec::to_bytes(&measured.index).len();
    let untrained = measured.index.untrained();
    let learned_bytes = trained_bytes - flow_runtime::codec::to_bytes(&untrained).len();
    if options.untrained {
        measured.index = untrained;
    }
    let flow_bytes = flow.map(|f| flow_runtime::codec::to_bytes(f).len());
    for q in bench.validation.iter().chain(&bench.test) {
        if let Some(id) = &q.expected {
            anyhow::ensure!(
                measured.ids.contains(id),
                "the question {:?} expects `{id}`, which is not an FAQ entry here",
                q.text
            );
        }
    }
    let index = &measured.index;
    let started = Instant::now();
    // What the browser does too: the model is built from the shipped form.
    index.prepare();
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    let index_bytes = flow_runtime::codec::to_bytes(index).len();
    let id_of = |q: &Query| -> Option<usize> {
        q.expected
            .as_ref()
            .and_then(|id| measured.ids.iter().position(|e| e == id))
    };
    let rank = |q: &Query| index.rank(&q.text, language, flow_runtime::faq::SUGGESTIONS.max(2));
    let ask = |q: &Query| -> Answer {
        rank(q)
            .first()
            .map(|r| (r.entry as usize, f64::from(r.confidence) / 1000.0))
    };
    let outcomes = |queries: &[Query], split: &str| -> Outcomes {
        let decided: Vec<(Option<usize>, Vec<Ranked>, Decision)> = queries
            .iter()
            .map(|q| {
                let ranked = rank(q);
                let decision = measured.decide(&ranked);
                (id_of(q), ranked, decision)
            })
            .collect();
        if options.details {
            for (q, (expected, ranked, decision)) in queries.iter().zip(&decided) {
                let right = matches!(decision, Decision::Answer(r) if Some(r.entry as usize) == *expected)
                    || (expected.is_none() && matches!(decision, Decision::Missed(_)));
                let detail = Detail {
                    split,
                    text: &q.text,
                    expected: q.expected.as_deref(),
                    decision: match decision {
                        Decision::Answer(_) => "answer",
                        Decision::Unsure(_) => "unsure",
                        Decision::Missed(_) => "missed",
                    },
                    right,
                    ranked: ranked
                        .iter()
                        .map(|r| {
                            (
                                measured.ids[r.entry as usize].clone(),
                                f64::from(r.confidence) / 1000.0,
                                r.shared,
                            )
                        })
                        .collect(),
                    content: ranked.first().map_or(0, |r| r.content),
                };
                println!("{}", serde_json::to_string(&detail).unwrap_or_default());
            }
        }
        tally(&decided)
    };
    let validation_decisions = outcomes(&bench.validation, "validation");
    let decisions = outcomes(&bench.test, "test");

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
        n_faq: measured.ids.len(),
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
        learned_bytes,
        flow_bytes,
        untrained: options.untrained,
        decisions,
        validation_decisions,
    })
}

/// Counts what shoppers got: `(expected entry, ranking, decision)` per question.
fn tally(decided: &[(Option<usize>, Vec<Ranked>, Decision)]) -> Outcomes {
    let in_scope = decided.iter().filter(|(e, _, _)| e.is_some()).count();
    let out_of_scope = decided.len() - in_scope;
    let count = |f: &dyn Fn(&Option<usize>, &Decision) -> bool| {
        decided.iter().filter(|(e, _, d)| f(e, d)).count()
    };
    let of = |n: usize, total: usize| n as f64 / total.max(1) as f64;
    let answered = |d: &Decision| match d {
        Decision::Answer(r) => Some(r.entry as usize),
        _ => None,
    };
    let right = count(&|e, d| e.is_some() && answered(d) == *e);
    let wrong = count(&|e, d| e.is_some() && answered(d).is_some_and(|a| Some(a) != *e));
    let unsure = count(&|e, d| e.is_some() && matches!(d, Decision::Unsure(_)));
    let unsure_right = count(&|e, d| match (e, d) {
        (Some(e), Decision::Unsure(rs)) => rs.iter().any(|r| r.entry as usize == *e),
        _ => false,
    });
    let missed = count(&|e, d| e.is_some() && matches!(d, Decision::Missed(_)));
    let oos_answered = count(&|e, d| e.is_none() && answered(d).is_some());
    let oos_unsure = count(&|e, d| e.is_none() && matches!(d, Decision::Unsure(_)));
    Outcomes {
        in_scope,
        out_of_scope,
        right: of(right, in_scope),
        wrong: of(wrong, in_scope),
        unsure: of(unsure, in_scope),
        unsure_right: of(unsure_right, in_scope),
        missed: of(missed, in_scope),
        oos_answered: of(oos_answered, out_of_scope),
        oos_unsure: of(oos_unsure, out_of_scope),
        wrong_overall: of(wrong + oos_answered, decided.len()),
    }
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
        "  index build                        {:.1} ms, {} bytes ({} of learned weights{})",
        r.build_ms,
        r.index_bytes,
        r.learned_bytes,
        if r.untrained { ", left out" } else { "" }
    );
    if let Some(bytes) = r.flow_bytes {
        println!("  compiled flow                      {bytes} bytes");
    }
    for (split, o) in [
        ("test", &r.decisions),
        ("validation", &r.validation_decisions),
    ] {
        if o.in_scope + o.out_of_scope == 0 {
            continue;
        }
        println!(
            "  what shoppers get ({split}: {} in scope, {} off-topic)",
            o.in_scope, o.out_of_scope
        );
        println!("    answered directly and right      {}", pct(o.right));
        println!("    answered wrong                   {}", pct(o.wrong));
        println!(
            "    \"did you mean\" (right among it) {} ({})",
            pct(o.unsure),
            pct(o.unsure_right)
        );
        println!("    missed                           {}", pct(o.missed));
        if o.out_of_scope > 0 {
            println!(
                "    off-topic answered / asked back  {} / {}",
                pct(o.oos_answered),
                pct(o.oos_unsure)
            );
        }
        println!(
            "    wrong answers, all questions     {}",
            pct(o.wrong_overall)
        );
    }
    println!(
        "summary: {} top1={:.3} acc@t={:.3} oos_recall={} p95={:.0}us right={:.3} wrong_in_scope={:.3} wrong={:.3} oos_answered={:.3}",
        Path::new(&r.file)
            .file_name()
            .map_or(r.file.clone(), |n| n.to_string_lossy().into_owned()),
        r.top1,
        r.acc_at_threshold,
        r.oos_recall.map_or("n/a".into(), |v| format!("{v:.3}")),
        r.p95_us,
        r.decisions.right,
        r.decisions.wrong,
        r.decisions.wrong_overall,
        r.decisions.oos_answered,
    );
}
