//! The insights page: what shoppers asked, what the FAQ missed, what the proactive messages
//! earned, over a period and a version, from the counts `crate::insights` keeps. Every
//! table also downloads as CSV.

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::clock::iso_date;
use crate::conversations::HandoffQuestion;
use crate::insights::{Count, Question};

/// The figures of a period, summed from the daily counts.
#[derive(Default)]
pub struct Figures {
    pub days: Vec<String>,
    /// Per day: page views with the chat used, conversations, handoffs.
    pub per_day: BTreeMap<String, (i64, i64, i64)>,
    pub page_views: i64,
    pub conversations: i64,
    pub visitors: i64,
    pub answered: i64,
    pub unsure: i64,
    pub missed: i64,
    /// Answers shoppers said did not help.
    pub unhelpful: i64,
    pub handoffs: i64,
    pub by_reason: BTreeMap<String, i64>,
    pub ratings: Vec<(i64, i64, i64)>,
    pub added_to_cart: i64,
    pub order_lookups: i64,
    /// Trigger, variant → shown, dismissed, converted, held out, held out but engaged.
    pub triggers: BTreeMap<(String, String), [i64; 5]>,
}

impl Figures {
    pub fn from_counts(counts: &[Count], visitors: i64, from: &str, to: &str) -> Figures {
        let mut f = Figures {
            visitors,
            ..Figures::default()
        };
        // Every day of the period, also the quiet ones.
        let (Some(a), Some(b)) = (
            crate::clock::parse_iso(&format!("{from}T00:00:00Z")),
            crate::clock::parse_iso(&format!("{to}T00:00:00Z")),
        ) else {
            return f;
        };
        let mut t = a;
        while t <= b && f.days.len() < 400 {
            f.days.push(iso_date(t));
            t += crate::clock::DAY_MS;
        }
        for d in &f.days {
            f.per_day.insert(d.clone(), (0, 0, 0));
        }
        for c in counts {
            let day = f.per_day.entry(c.day.clone()).or_default();
            match c.metric.as_str() {
                "page_views" => {
                    day.0 += c.count;
                    f.page_views += c.count;
                }
                "conversations" => {
                    day.1 += c.count;
                    f.conversations += c.count;
                }
                "handoffs" => {
                    day.2 += c.count;
                    f.handoffs += c.count;
                    *f.by_reason.entry(c.k1.clone()).or_default() += c.count;
                }
                "faq_answered" => f.answered += c.count,
                "faq_unsure" => f.unsure += c.count,
                "faq_missed" => f.missed += c.count,
                "faq_unhelpful" => f.unhelpful += c.count,
                "added_to_cart" => f.added_to_cart += c.count,
                "order_lookups" => f.order_lookups += c.count,
                "ratings" => {
                    let scale = c.k1.parse().unwrap_or(0);
                    let score = c.k2.parse().unwrap_or(0);
                    f.ratings.push((scale, score, c.count));
                }
                metric if metric.starts_with("trigger_") => {
                    let slot = match metric {
                        "trigger_shown" => 0,
                        "trigger_dismissed" => 1,
                        "trigger_converted" => 2,
                        "trigger_held_out" => 3,
                        _ => 4,
                    };
                    f.triggers.entry((c.k1.clone(), c.k2.clone())).or_default()[slot] += c.count;
                }
                _ => {}
            }
        }
        f
    }

    /// Questions the FAQ took on, and the share answered outright.
    pub fn answer_rate(&self) -> Option<f64> {
        let asked = self.answered + self.unsure + self.missed;
        (asked > 0).then(|| self.answered as f64 / asked as f64)
    }

    /// Conversations that ended without a person.
    pub fn deflection(&self) -> Option<f64> {
        (self.conversations > 0)
            .then(|| (self.conversations - self.handoffs).max(0) as f64 / self.conversations as f64)
    }

    pub fn handoff_rate(&self) -> Option<f64> {
        (self.conversations > 0).then(|| self.handoffs as f64 / self.conversations as f64)
    }

    /// The average rating out of 5 (thumbs: up 5, down 1), and how many.
    pub fn csat(&self) -> (Option<f64>, i64) {
        let mut sum = 0.0;
        let mut n = 0;
        for &(scale, score, count) in &self.ratings {
            let out_of_five = if scale == 2 {
                if score == 2 { 5.0 } else { 1.0 }
            } else {
                score as f64
            };
            sum += out_of_five * count as f64;
            n += count;
        }
        ((n > 0).then(|| sum / n as f64), n)
    }
}

/// The 95 % Wilson interval of `k` successes in `n` tries.
pub fn wilson(k: i64, n: i64) -> Option<(f64, f64)> {
    if n <= 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let z = 1.96_f64;
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The fewest shoppers each variant must have been shown to before a winner is named.
pub const MIN_WINNER_SAMPLE: i64 = 100;

/// The variant of `trigger` the figures show to be better than every other (of `variants`,
/// the draft's): each shown at least [`MIN_WINNER_SAMPLE`] times, and its conversion's 95 %
/// interval wholly above every other variant's. `None` while the evidence is not there:
/// "make the winner" is not offered on a coin toss, nor on a handful of forged reports.
pub fn winner(f: &Figures, trigger: &str, variants: &[String]) -> Option<String> {
    if variants.len() < 2 {
        return None;
    }
    let interval = |v: &str| {
        let c = f.triggers.get(&(trigger.to_owned(), v.to_owned()))?;
        (c[0] >= MIN_WINNER_SAMPLE)
            .then(|| wilson(c[2], c[0]))
            .flatten()
    };
    let intervals: Vec<(&String, (f64, f64))> = variants
        .iter()
        .map(|v| Some((v, interval(v)?)))
        .collect::<Option<_>>()?;
    intervals
        .iter()
        .find(|(v, (low, _))| {
            intervals
                .iter()
                .filter(|(w, _)| w != v)
                .all(|(_, (_, high))| low > high)
        })
        .map(|(v, _)| (*v).clone())
}

pub fn percent(x: Option<f64>) -> String {
    x.map_or("—".to_owned(), |x| format!("{:.0} %", x * 100.0))
}

/// Conversations (bars) and handoffs (a line with square markers) per day, as SVG with
/// its own text: readable without colour, and the numbers are in a table below it.
pub fn chart(f: &Figures) -> Markup {
    let days: Vec<(&String, &(i64, i64, i64))> = f.per_day.iter().collect();
    let n = days.len().max(1) as f64;
    let max = days
        .iter()
        .map(|(_, v)| v.1.max(v.2))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (w, h, left, bottom) = (640.0, 220.0, 40.0, 30.0);
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - 10.0;
    let step = plot_w / n;
    let x = |i: usize| left + step * i as f64 + step / 2.0;
    let y = |v: i64| 10.0 + plot_h - plot_h * v as f64 / max;
    let line: String = days
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(v.2)))
        .collect::<Vec<_>>()
        .join(" ");
    let label = format!(
        "Conversations and handoffs per day, {} to {}: {} conversations, {} handoffs in all.",
        days.first().map_or("", |d| d.0.as_str()),
        days.last().map_or("", |d| d.0.as_str()),
        f.conversations,
        f.handoffs
    );
    let every = (days.len() / 7).max(1);
    html! {
        figure.chart {
            svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(label) {
                line x1=(left) y1=(10.0 + plot_h) x2=(w - 10.0) y2=(10.0 + plot_h) stroke="#1d2430" {}
                line x1=(left) y1="10" x2=(left) y2=(10.0 + plot_h) stroke="#1d2430" {}
                text x=(left - 6.0) y=(14.0) text-anchor="end" font-size="11" { (max as i64) }
                text x=(left - 6.0) y=(10.0 + plot_h) text-anchor="end" font-size="11" { "0" }
                @for (i, (day, v)) in days.iter().enumerate() {
                    rect x=(x(i) - step * 0.35) y=(y(v.1)) width=(step * 0.7) height=(10.0 + plot_h - y(v.1)) fill="#9bb8d3" stroke="#0b57d0" {}
                    @if i % every == 0 {
                        text x=(x(i)) y=(h - 10.0) text-anchor="middle" font-size="11" { (&day[5..]) }
                    }
                }
                polyline points=(line) fill="none" stroke="#a3261b" stroke-width="2" stroke-dasharray="6 3" {}
                @for (i, (_, v)) in days.iter().enumerate() {
                    rect x=(x(i) - 3.0) y=(y(v.2) - 3.0) width="6" height="6" fill="#a3261b" {}
                }
            }
            figcaption {
                "Bars: conversations. Dashed line with squares: handoffs to a person."
            }
        }
    }
}

/// A CSV file of `rows` under `header`. Shoppers' words that a spreadsheet would take for
/// a formula (`=`, `+`, `-`, `@` first) get a leading `'`, so opening the file runs nothing.
pub fn csv(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let safe: Vec<String> = r
            .into_iter()
            .map(|cell| match cell.chars().next() {
                Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
                _ => cell,
            })
            .collect();
        let _ = w.write_record(&safe);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn summary_rows(f: &Figures) -> Vec<Vec<String>> {
    let (csat, rated) = f.csat();
    vec![
        vec![
            "page views with the chat used".into(),
            f.page_views.to_string(),
        ],
        vec!["conversations".into(), f.conversations.to_string()],
        vec!["unique visitors (per day)".into(), f.visitors.to_string()],
        vec!["resolved without a person".into(), percent(f.deflection())],
        vec!["FAQ answered outright".into(), percent(f.answer_rate())],
        vec!["FAQ unsure (did you mean)".into(), f.unsure.to_string()],
        vec!["FAQ missed".into(), f.missed.to_string()],
        vec![
            "FAQ answers said not to help".into(),
            f.unhelpful.to_string(),
        ],
        vec!["handoff rate".into(), percent(f.handoff_rate())],
        vec!["handoffs".into(), f.handoffs.to_string()],
        vec![
            "CSAT (out of 5)".into(),
            csat.map_or("—".into(), |c| format!("{c:.1}")),
        ],
        vec!["ratings".into(), rated.to_string()],
        vec![
            "added to cart from the chat".into(),
            f.added_to_cart.to_string(),
        ],
        vec!["order lookups".into(), f.order_lookups.to_string()],
    ]
}

pub fn day_rows(f: &Figures) -> Vec<Vec<String>> {
    f.per_day
        .iter()
        .map(|(d, v)| vec![d.clone(), v.0.to_string(), v.1.to_string(), v.2.to_string()])
        .collect()
}

pub fn trigger_rows(f: &Figures) -> Vec<Vec<String>> {
    f.triggers
        .iter()
        .map(|((t, v), c)| {
            let ci = wilson(c[2], c[0]).map_or(String::new(), |(a, b)| {
                format!("{:.0}–{:.0} %", a * 100.0, b * 100.0)
            });
            let held = wilson(c[4], c[3]).map_or(String::new(), |(a, b)| {
                format!("{:.0}–{:.0} %", a * 100.0, b * 100.0)
            });
            vec![
                t.clone(),
                v.clone(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
                percent((c[0] > 0).then(|| c[2] as f64 / c[0] as f64)),
                ci,
                c[3].to_string(),
                percent((c[3] > 0).then(|| c[4] as f64 / c[3] as f64)),
                held,
            ]
        })
        .collect()
}

pub fn question_rows(q: &[Question], answers: &[Option<String>]) -> Vec<Vec<String>> {
    q.iter()
        .zip(answers)
        .map(|(q, a)| {
            vec![
                q.text.clone(),
                q.kind.clone(),
                q.count.to_string(),
                q.entries.join(" "),
                a.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

pub fn handoff_rows(h: &[HandoffQuestion]) -> Vec<Vec<String>> {
    h.iter()
        .map(|h| {
            vec![
                crate::clock::iso_minute(h.at),
                h.reason.as_str().to_owned(),
                h.question.clone(),
                h.id.to_string(),
            ]
        })
        .collect()
}

pub const SUMMARY: [&str; 2] = ["figure", "value"];
pub const DAYS: [&str; 4] = [
    "day",
    "page views with the chat used",
    "conversations",
    "handoffs",
];
pub const TRIGGERS: [&str; 10] = [
    "trigger",
    "variant",
    "shown",
    "dismissed",
    "converted",
    "conversion",
    "95 % interval",
    "held out",
    "holdout engaged anyway",
    "holdout 95 % interval",
];
pub const QUESTIONS: [&str; 5] = [
    "question",
    "kind",
    "times",
    "entries considered",
    "the draft answers",
];
pub const HANDOFFS: [&str; 4] = ["when", "reason", "the shopper's last words", "conversation"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shoppers_formula_does_not_run_in_a_spreadsheet() {
        let text = csv(
            &["question"],
            vec![
                vec!["=HYPERLINK(\"http://x\")".into()],
                vec!["-1+2".into()],
                vec!["fine".into()],
            ],
        );
        assert_eq!(
            text,
            "question\n\"'=HYPERLINK(\"\"http://x\"\")\"\n'-1+2\nfine\n"
        );
    }

    #[test]
    fn a_winner_needs_a_sample_and_an_interval_clear_of_the_others() {
        let mut f = Figures::default();
        let variants = vec!["a".to_owned(), "b".to_owned()];
        let mut set = |v: &str, shown: i64, converted: i64| {
            f.triggers
                .insert(("t".into(), v.into()), [shown, 0, converted, 0, 0]);
        };
        // 100 % against 0 %, but from three shoppers each: no winner.
        set("a", 3, 3);
        set("b", 3, 0);
        assert_eq!(winner(&f, "t", &variants), None);
        // Enough shoppers, but the intervals overlap: no winner.
        let mut f2 = Figures::default();
        f2.triggers
            .insert(("t".into(), "a".into()), [200, 0, 30, 0, 0]);
        f2.triggers
            .insert(("t".into(), "b".into()), [200, 0, 24, 0, 0]);
        assert_eq!(winner(&f2, "t", &variants), None);
        // A clear difference on enough shoppers: a winner.
        f2.triggers
            .insert(("t".into(), "a".into()), [400, 0, 120, 0, 0]);
        f2.triggers
            .insert(("t".into(), "b".into()), [400, 0, 40, 0, 0]);
        assert_eq!(winner(&f2, "t", &variants), Some("a".into()));
        // A variant never shown means no verdict.
        let three = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(winner(&f2, "t", &three), None);
    }

    #[test]
    fn wilson_intervals_are_the_textbook_ones() {
        let (a, b) = wilson(5, 10).unwrap();
        assert!(
            (a - 0.2366).abs() < 1e-3 && (b - 0.7634).abs() < 1e-3,
            "{a} {b}"
        );
        let (a, b) = wilson(0, 20).unwrap();
        assert!(a == 0.0 && (b - 0.1611).abs() < 1e-3, "{a} {b}");
        assert!(wilson(0, 0).is_none());
    }

    #[test]
    fn figures_sum_the_days_and_rates_follow() {
        let c = |day: &str, metric: &str, k1: &str, k2: &str, count: i64| Count {
            day: day.into(),
            metric: metric.into(),
            k1: k1.into(),
            k2: k2.into(),
            count,
        };
        let f = Figures::from_counts(
            &[
                c("2026-12-01", "conversations", "", "", 4),
                c("2026-12-02", "conversations", "", "", 6),
                c("2026-12-02", "handoffs", "asked", "", 2),
                c("2026-12-02", "faq_answered", "returns", "", 6),
                c("2026-12-02", "faq_missed", "returns", "", 2),
                c("2026-12-02", "ratings", "2", "2", 1),
                c("2026-12-02", "ratings", "5", "3", 1),
            ],
            3,
            "2026-11-30",
            "2026-12-02",
        );
        assert_eq!(f.days, ["2026-11-30", "2026-12-01", "2026-12-02"]);
        assert_eq!(f.conversations, 10);
        assert_eq!(f.deflection(), Some(0.8));
        assert_eq!(f.answer_rate(), Some(0.75));
        assert_eq!(f.csat(), (Some(4.0), 2));
        assert_eq!(f.per_day["2026-11-30"], (0, 0, 0));
    }
}
