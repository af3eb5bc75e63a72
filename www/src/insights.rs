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
}

/// Days `from..=to` (`YYYY-MM-DD`) of one flow, all its versions or one.
#[derive(Clone, Debug)]
pub struct Period {
    pub from: String,
    pub to: String,
    pub version: Option<i64>,
}

/// How a question is compared with others: lower case, accents and punctuation gone.
pub fn normalize(text: &str) -> String {
    flow_runtime::faq::words(text).join(" ")
}

/// The published version of `flow` whose compiled form has this fingerprint (0: none does,
/// e.g. a browser still holding an old copy). Versions published before fingerprints were
/// kept get theirs now.
pub async fn version_for(db: &Db, flow: &str, fingerprint: &str) -> sqlx::Result<i64> {
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
        return Ok(n);
    }
    let missing = sqlx::query(
        "SELECT number, source FROM flow_versions WHERE flow = $1 AND fingerprint IS NULL",
    )
    .bind(flow)
    .fetch_all(db.pool())
    .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    for row in missing {
        let number: i64 = row.try_get("number")?;
        let source: String = row.try_get("source")?;
        let print = flow_runtime::compile::compile_json(&source)
            .flow
            .map(|f| format!("{:016x}", f.fingerprint))
            .unwrap_or_default();
        sqlx::query("UPDATE flow_versions SET fingerprint = $1 WHERE flow = $2 AND number = $3")
            .bind(print)
            .bind(flow)
            .bind(number)
            .execute(db.pool())
            .await?;
    }
    Ok(find().await?.unwrap_or(0))
}

/// Stores a report of flow `flow` (its name without `.json`), received at `now`; `false`
/// when a report with this id was stored before (a replay: nothing is counted twice).
pub async fn record(
    db: &Db,
    flow: &str,
    version: i64,
    batch: &InsightsBatch,
    now: i64,
) -> sqlx::Result<bool> {
    let day = iso_date(now);
    let mut tx = db.begin_write().await?;
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
        return Ok(false);
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
        add("handoffs", &h.name, "", h.count);
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
    for q in &batch.questions {
        let normalized = normalize(&q.text);
        if normalized.is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO insight_questions (flow, version, day, kind, normalized, text, entries, count) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
             ON CONFLICT (flow, version, day, kind, normalized) DO UPDATE SET count = insight_questions.count + 1",
        )
        .bind(flow)
        .bind(version)
        .bind(&day)
        .bind(&q.kind)
        .bind(&normalized)
        .bind(&q.text)
        .bind(q.entries.join(","))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Forgets what is older than `days` days (and report ids with it).
pub async fn prune(db: &Db, days: u32, now: i64) -> sqlx::Result<()> {
    let cutoff = now - i64::from(days) * DAY_MS;
    let day = iso_date(cutoff);
    for table in ["insight_counts", "insight_visitors", "insight_questions"] {
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

/// The missed and unsure questions over the period, most frequent first.
pub async fn questions(db: &Db, flow: &str, p: &Period, limit: i64) -> sqlx::Result<Vec<Question>> {
    sqlx::query(
        "SELECT kind, normalized, MIN(text) AS text, MIN(entries) AS entries, CAST(SUM(count) AS BIGINT) AS count FROM insight_questions
         WHERE flow = $1 AND day >= $2 AND day <= $3 AND ($4 = 0 OR version = $4)
         GROUP BY kind, normalized ORDER BY SUM(count) DESC, normalized LIMIT $5",
    )
    .bind(flow)
    .bind(&p.from)
    .bind(&p.to)
    .bind(p.version.unwrap_or(0))
    .bind(limit)
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
        })
    })
    .collect()
}
