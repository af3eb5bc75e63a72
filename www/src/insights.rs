//! Insights in the database: the widget's reports ([`InsightsBatch`]) as daily counts per
//! flow version, unique visitors per day, and the questions the FAQ missed or was unsure
//! about; kept for `--insights-days`. The console's insights page reads them back.

use flow_runtime::wire::InsightsBatch;
use sqlx::Row;

use crate::clock::{DAY_MS, iso_date};
use crate::db::Db;

/// One daily count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub day: String,
    pub metric: String,
    pub k1: String,
    pub k2: String,
    pub count: i64,
}

/// A question shoppers asked that the FAQ missed or was unsure about, over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub kind: String,
    pub normalized: String,
    pub text: String,
    pub entries: Vec<String>,
    pub count: i64,
    /// The language it was (first) asked in; empty when not reported.
    pub language: String,
}

/// Days `from..=to` (`YYYY-MM-DD`) of one flow, all its versions or one.
#[derive(Clone, Debug)]
pub struct Period {
    pub from: String,
    pub to: String,
    pub version: Option<i64>,
}

/// How a question is compared with others: lower case, accents and punctuation gone
/// ([`flow_runtime::insights::question_key`]).
pub fn normalize(text: &str) -> String {
    flow_runtime::insights::question_key(text)
}

/// Most reports stored per flow and day, and most distinct questions: storage has a
/// ceiling whatever is sent (a busy shop has a few thousand page views with the chat used
/// a day).
pub const REPORTS_PER_DAY: i64 = 50_000;
pub const QUESTIONS_PER_DAY: i64 = 1_000;
/// A missed or unsure question is listed once this many different visitors, from as many
/// different addresses, asked it: one stranger cannot put words on the owner's page.
pub const QUESTION_VISITORS: i64 = 2;

/// The published version of `flow` whose compiled form has this fingerprint (`None`: no
/// published version has it, and the report is refused). Versions published before
/// fingerprints were kept get theirs now.
pub async fn version_for(db: &Db, flow: &str, fingerprint: &str) -> sqlx::Result<Option<i64>> {
    let find = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT number FROM flow_versions WHERE flow = $1 AND fingerprint = $2 ORDER BY number DESC LIMIT 1",
        )
        .bind(flow)
        .bind(fingerprint)
        .fetch_optional(db.pool())
        .await
    };
    if let Some(n) = find().await? {
        return Ok(Some(n));
    }
    let missing = sqlx::query(
        "SELECT number, source FROM flow_versions WHERE flow = $1 AND fingerprint IS NULL",
    )
    .bind(flow)
    .fetch_all(db.pool())
    .await?;
    if missing.is_empty() {
        return Ok(None);
    }
    for row in missing {
        let number: i64 = row.try_get("number")?;
        let source: String = row.try_get("source")?;
        let print = crate::flows::compile_off_thread(source)
            .await
            .and_then(|c| c.flow)
            .map(|f| format!("{:016x}", f.fingerprint))
            .unwrap_or_default();
        sqlx::query("UPDATE flow_versions SET fingerprint = $1 WHERE flow = $2 AND number = $3")
            .bind(print)
            .bind(flow)
            .bind(number)
            .execute(db.pool())
            .await?;
    }
    find().await
}

/// Question text as stored: control characters and the invisible characters that reorder
/// text (bidi overrides, isolates and marks) removed, spaces collapsed.
pub fn clean_question(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| {
            !matches!(c,
                '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{200b}'..='\u{200d}' | '\u{feff}')
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a report was not stored.
#[derive(Debug)]
pub enum NotStored {
    /// A report with this id was stored before.
    Replay,
    /// The flow's ceiling for the day is reached.
    Full,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for NotStored {
    fn from(e: sqlx::Error) -> NotStored {
        NotStored::Db(e)
    }
}

/// Stores a report of flow `flow` (its name without `.json`), received at `now` from
/// `client` (a keyed digest of the address, kept only beside the questions' visitors).
/// Nothing is counted twice (a replay), and nothing past the day's ceiling.
pub async fn record(
    db: &Db,
    flow: &str,
    version: i64,
    batch: &InsightsBatch,
    client: &str,
    now: i64,
) -> Result<(), NotStored> {
    let day = iso_date(now);
    let mut tx = db.begin_write().await?;
    let (reports, questions): (i64, i64) =
        sqlx::query("SELECT reports, questions FROM insight_days WHERE flow = $1 AND day = $2")
            .bind(flow)
            .bind(&day)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("reports")?, r.try_get("questions")?)))
            .transpose()?
            .unwrap_or((0, 0));
    if reports >= REPORTS_PER_DAY {
        tx.rollback().await?;
        return Err(NotStored::Full);
    }
    let fresh = sqlx::query(
        "INSERT INTO insight_batches (id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&batch.id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        tx.rollback().await?;
        return Err(NotStored::Replay);
    }
    let mut counts: Vec<(&str, String, String, i64)> =
        vec![("page_views", String::new(), String::new(), 1)];
    let mut add = |metric: &'static str, k1: &str, k2: &str, n: u32| {
        if n > 0 {
            counts.push((metric, k1.to_owned(), k2.to_owned(), i64::from(n)));
        }
    };
    add("conversations", "", "", batch.conversations);
    for f in &batch.faq {
        add("faq_answered", &f.entry, "", f.answered);
        add("faq_unsure", &f.entry, "", f.unsure);
        add("faq_missed", &f.entry, "", f.missed);
        add("faq_unhelpful", &f.entry, "", f.unhelpful);
    }
    for t in &batch.triggers {
        add("trigger_shown", &t.trigger, &t.variant, t.shown);
        add("trigger_dismissed", &t.trigger, &t.variant, t.dismissed);
        add("trigger_converted", &t.trigger, &t.variant, t.converted);
        add("trigger_held_out", &t.trigger, &t.variant, t.held_out);
        // Did the holdout use the chat anyway? Their rate beside the variant's conversions
        // is the lift the message brought.
        if t.held_out > 0 && batch.conversations > 0 {
            add("trigger_held_out_engaged", &t.trigger, &t.variant, 1);
        }
    }
    add("added_to_cart", "", "", batch.added_to_cart);
    add("order_lookups", "", "", batch.order_lookups);
    for h in &batch.handoffs {
        add("handoffs", h.name.as_str(), "", h.count);
    }
    for r in &batch.ratings {
        add("ratings", &r.scale.to_string(), &r.score.to_string(), 1);
    }
    for (metric, k1, k2, n) in counts {
        sqlx::query(
            "INSERT INTO insight_counts (flow, version, day, metric, k1, k2, count) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (flow, version, day, metric, k1, k2) DO UPDATE SET count = insight_counts.count + excluded.count",
        )
        .bind(flow)
        .bind(version)
        .bind(&day)
        .bind(metric)
        .bind(k1)
        .bind(k2)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(visitor) = &batch.visitor_day {
        sqlx::query("INSERT INTO insight_visitors (flow, day, visitor) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(flow)
            .bind(&day)
            .bind(visitor)
            .execute(&mut *tx)
            .await?;
    }
    let mut new_questions = 0;
    for q in &batch.questions {
        let text = clean_question(&q.text);
        let normalized = normalize(&text);
        if normalized.is_empty() {
            continue;
        }
        let known: bool = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM insight_questions WHERE flow = $1 AND version = $2 AND day = $3 AND kind = $4 AND normalized = $5",
        )
        .bind(flow)
        .bind(version)
        .bind(&day)
        .bind(q.kind.as_str())
        .bind(&normalized)
        .fetch_one(&mut *tx)
        .await?
            > 0;
        if !known {
            // Past the day's ceiling a new question is counted (in the FAQ's figures) but
            // its words are not kept.
            if questions + new_questions >= QUESTIONS_PER_DAY {
                continue;
            }
            new_questions += 1;
        }
        sqlx::query(
            "INSERT INTO insight_questions (flow, version, day, kind, normalized, text, entries, count, language) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)
             ON CONFLICT (flow, version, day, kind, normalized) DO UPDATE SET count = insight_questions.count + 1",
        )
        .bind(flow)
        .bind(version)
        .bind(&day)
        .bind(q.kind.as_str())
        .bind(&normalized)
        .bind(&text)
        .bind(q.entries.join(","))
        .bind(&q.language)
        .execute(&mut *tx)
        .await?;
        if let Some(visitor) = &batch.visitor_day {
            sqlx::query(
                "INSERT INTO insight_question_visitors (flow, day, normalized, visitor, client) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(flow)
            .bind(&day)
            .bind(&normalized)
            .bind(visitor)
            .bind(client)
            .execute(&mut *tx)
            .await?;
        }
    }
    sqlx::query(
        "INSERT INTO insight_days (flow, day, reports, questions) VALUES ($1, $2, 1, $3)
         ON CONFLICT (flow, day) DO UPDATE SET reports = insight_days.reports + 1, questions = insight_days.questions + excluded.questions",
    )
    .bind(flow)
    .bind(&day)
    .bind(new_questions)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets what is older than `days` days (and report ids with it).
pub async fn prune(db: &Db, days: u32, now: i64) -> sqlx::Result<()> {
    let cutoff = now - i64::from(days) * DAY_MS;
    let day = iso_date(cutoff);
    for table in [
        "insight_counts",
        "insight_visitors",
        "insight_questions",
        "insight_question_visitors",
        "insight_days",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE day < $1"
        )))
        .bind(&day)
        .execute(db.pool())
        .await?;
    }
    sqlx::query("DELETE FROM insight_batches WHERE received_at < $1")
        .bind(cutoff)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn counts(db: &Db, flow: &str, p: &Period) -> sqlx::Result<Vec<Count>> {
    sqlx::query(
        "SELECT day, metric, k1, k2, CAST(SUM(count) AS BIGINT) AS count FROM insight_counts
         WHERE flow = $1 AND day >= $2 AND day <= $3 AND ($4 = 0 OR version = $4)
         GROUP BY day, metric, k1, k2 ORDER BY day, metric, k1, k2",
    )
    .bind(flow)
    .bind(&p.from)
    .bind(&p.to)
    .bind(p.version.unwrap_or(0))
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Count {
            day: r.try_get("day")?,
            metric: r.try_get("metric")?,
            k1: r.try_get("k1")?,
            k2: r.try_get("k2")?,
            count: r.try_get("count")?,
        })
    })
    .collect()
}

/// Unique visitors over the period (a browser counts once a day).
pub async fn visitors(db: &Db, flow: &str, p: &Period) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM insight_visitors WHERE flow = $1 AND day >= $2 AND day <= $3",
    )
    .bind(flow)
    .bind(&p.from)
    .bind(&p.to)
    .fetch_one(db.pool())
    .await
}

/// The missed and unsure questions over the period, most frequent first: those that at
/// least [`QUESTION_VISITORS`] different visitors from as many addresses asked.
pub async fn questions(db: &Db, flow: &str, p: &Period, limit: i64) -> sqlx::Result<Vec<Question>> {
    sqlx::query(
        "SELECT q.kind, q.normalized, MIN(q.text) AS text, MIN(q.entries) AS entries, CAST(SUM(q.count) AS BIGINT) AS count,
                MAX(q.language) AS language
         FROM insight_questions q
         WHERE q.flow = $1 AND q.day >= $2 AND q.day <= $3 AND ($4 = 0 OR q.version = $4)
           AND (SELECT COUNT(DISTINCT v.visitor) FROM insight_question_visitors v
                WHERE v.flow = q.flow AND v.normalized = q.normalized AND v.day >= $2 AND v.day <= $3) >= $6
           AND (SELECT COUNT(DISTINCT v.client) FROM insight_question_visitors v
                WHERE v.flow = q.flow AND v.normalized = q.normalized AND v.day >= $2 AND v.day <= $3) >= $6
         GROUP BY q.kind, q.normalized ORDER BY SUM(q.count) DESC, q.normalized LIMIT $5",
    )
    .bind(flow)
    .bind(&p.from)
    .bind(&p.to)
    .bind(p.version.unwrap_or(0))
    .bind(limit)
    .bind(QUESTION_VISITORS)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        let entries: String = r.try_get("entries")?;
        Ok(Question {
            kind: r.try_get("kind")?,
            normalized: r.try_get("normalized")?,
            text: r.try_get("text")?,
            entries: entries.split(',').filter(|e| !e.is_empty()).map(str::to_owned).collect(),
            count: r.try_get("count")?,
            language: r.try_get("language")?,
        })
    })
    .collect()
}
