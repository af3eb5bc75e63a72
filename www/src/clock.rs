//! Time as the server stores it: Unix milliseconds in UTC, and the few calendar conversions
//! the API and the inbox need (ISO dates). Small enough not to need a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-11-25` for a time.
pub fn iso_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-25 14:03 UTC` for a time.
pub fn iso_minute(ms: i64) -> String {
    let minutes = ms.div_euclid(MINUTE_MS).rem_euclid(24 * 60);
    format!(
        "{} {:02}:{:02} UTC",
        iso_date(ms),
        minutes / 60,
        minutes % 60
    )
}

/// Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS]` and `Z`, as UTC milliseconds.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 || day > 31 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) {
        return None; // 2026-02-30
    }
    let mut ms = days * DAY_MS;
    if let Some(time) = time {
        let mut t = time.split(':');
        let h: i64 = t.next()?.parse().ok()?;
        let m: i64 = t.next()?.parse().ok()?;
        let s: i64 = t.next().map_or(Some(0), |s| s.parse().ok())?;
        if t.next().is_some() || h > 23 || m > 59 || s > 59 {
            return None;
        }
        ms += ((h * 60 + m) * 60 + s) * 1000;
    }
    Some(ms)
}

/// "4 min", "2 h 5 min", "3 days": how long a shopper has been waiting.
pub fn duration_words(ms: i64) -> String {
    let minutes = ms.max(0) / MINUTE_MS;
    match minutes {
        0 => "under a minute".into(),
        1..=59 => format!("{minutes} min"),
        60..=1439 => format!("{} h {} min", minutes / 60, minutes % 60),
        _ => format!("{} days", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for days in [-1000, 0, 59, 60, 365, 11_016, 20_414, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(
            parse_iso("2026-11-22"),
            Some(days_from_civil(2026, 11, 22) * DAY_MS)
        );
        assert_eq!(iso_date(parse_iso("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(parse_iso("2026-02-30"), None);
        assert_eq!(parse_iso("2026-13-01"), None);
        assert_eq!(
            iso_minute(parse_iso("2026-11-22T14:03:09Z").unwrap()),
            "2026-11-22 14:03 UTC"
        );
    }

    #[test]
    fn waiting_times_read_naturally() {
        assert_eq!(duration_words(30_000), "under a minute");
        assert_eq!(duration_words(4 * MINUTE_MS), "4 min");
        assert_eq!(duration_words(125 * MINUTE_MS), "2 h 5 min");
        assert_eq!(duration_words(3 * DAY_MS), "3 days");
    }
}
