//! Business hours: when a person can answer a handoff now, rather than by email.
//!
//! Written the way a merchant says them, in the store's own time zone given as a fixed
//! offset from UTC: `mon-fri 09:00-17:30, sat 10:00-14:00` with `--utc-offset +01:00`.
//! `always` (the default, right for a demo) and `never` (email only) are also accepted.
//! A fixed offset means the merchant moves it by hand when summer time starts; that is the
//! price of not shipping a time-zone database.

use std::fmt;
use std::str::FromStr;

use crate::clock::{DAY_MS, MINUTE_MS, weekday};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Opening hours per weekday (Monday first), as minute ranges `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessHours {
    week: [Vec<(u32, u32)>; 7],
    /// Minutes east of UTC.
    offset_minutes: i32,
}

impl BusinessHours {
    pub fn always() -> BusinessHours {
        BusinessHours {
            week: std::array::from_fn(|_| vec![(0, 24 * 60)]),
            offset_minutes: 0,
        }
    }

    pub fn with_offset(mut self, offset_minutes: i32) -> BusinessHours {
        self.offset_minutes = offset_minutes;
        self
    }

    /// Whether the store is open at `now` (Unix milliseconds).
    pub fn is_open(&self, now_ms: i64) -> bool {
        let local = now_ms + i64::from(self.offset_minutes) * MINUTE_MS;
        let day = local.div_euclid(DAY_MS);
        let minute = (local.rem_euclid(DAY_MS) / MINUTE_MS) as u32;
        self.week[weekday(day) as usize]
            .iter()
            .any(|&(start, end)| (start..end).contains(&minute))
    }
}

/// A problem in a business-hours text, for the command line.
#[derive(Debug, PartialEq, Eq)]
pub struct HoursError(String);

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (write e.g. `mon-fri 09:00-17:30, sat 10:00-14:00`, `always` or `never`)",
            self.0
        )
    }
}

impl std::error::Error for HoursError {}

impl FromStr for BusinessHours {
    type Err = HoursError;

    fn from_str(text: &str) -> Result<BusinessHours, HoursError> {
        let text = text.trim().to_ascii_lowercase();
        if text == "always" {
            return Ok(BusinessHours::always());
        }
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        if text == "never" {
            return Ok(BusinessHours {
                week,
                offset_minutes: 0,
            });
        }
        for part in text
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (days, times) = part
                .split_once(char::is_whitespace)
                .ok_or_else(|| HoursError(format!("`{part}` needs days and hours")))?;
            let (first, last) = match days.split_once('-') {
                Some((a, b)) => (day(a)?, day(b)?),
                None => (day(days)?, day(days)?),
            };
            let (start, end) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| HoursError(format!("`{times}` should be like 09:00-17:30")))?;
            let (start, end) = (minute(start)?, minute(end)?);
            if start >= end {
                return Err(HoursError(format!("`{times}` ends before it starts")));
            }
            let mut d = first;
            loop {
                week[d].push((start, end));
                if d == last {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        Ok(BusinessHours {
            week,
            offset_minutes: 0,
        })
    }
}

fn day(name: &str) -> Result<usize, HoursError> {
    let name = name.trim();
    DAYS.iter()
        .position(|d| name.starts_with(d))
        .ok_or_else(|| HoursError(format!("`{name}` is not a day (mon, tue, … sun)")))
}

fn minute(text: &str) -> Result<u32, HoursError> {
    let text = text.trim();
    let bad = || HoursError(format!("`{text}` is not a time like 09:00"));
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Parses `+01:00`, `-05:30` or `0` as minutes east of UTC.
pub fn parse_offset(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if text == "0" || text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    let bad = || format!("`{text}` is not a UTC offset like +01:00 or -05:30");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::parse_iso;

    fn at(text: &str) -> i64 {
        parse_iso(text).unwrap()
    }

    #[test]
    fn weekday_hours_in_the_stores_time_zone() {
        let hours: BusinessHours = "Mon-Fri 09:00-17:30, sat 10:00-14:00".parse().unwrap();
        let hours = hours.with_offset(parse_offset("+01:00").unwrap());
        // Monday 2026-11-23.
        assert!(!hours.is_open(at("2026-11-23T07:59:00")), "08:59 local");
        assert!(hours.is_open(at("2026-11-23T08:00:00")), "09:00 local");
        assert!(hours.is_open(at("2026-11-23T16:29:00")), "17:29 local");
        assert!(!hours.is_open(at("2026-11-23T16:30:00")), "17:30 local");
        assert!(hours.is_open(at("2026-11-28T12:00:00")), "Saturday 13:00");
        assert!(!hours.is_open(at("2026-11-29T12:00:00")), "Sunday");
    }

    #[test]
    fn ranges_wrap_around_the_week_and_keywords_work() {
        let hours: BusinessHours = "sat-mon 00:00-24:00".parse().unwrap();
        assert!(hours.is_open(at("2026-11-22T12:00:00")), "Sunday");
        assert!(hours.is_open(at("2026-11-23T23:59:00")), "Monday night");
        assert!(!hours.is_open(at("2026-11-24T12:00:00")), "Tuesday");
        assert!(BusinessHours::always().is_open(0));
        assert!(!"never".parse::<BusinessHours>().unwrap().is_open(0));
    }

    #[test]
    fn mistakes_are_explained() {
        let e = "mon-fri 9-17"
            .parse::<BusinessHours>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("`9` is not a time like 09:00"), "{e}");
        let e = "weekdays 09:00-17:00"
            .parse::<BusinessHours>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("needs days") || e.contains("is not a day"),
            "{e}"
        );
        assert!("mon 17:00-09:00".parse::<BusinessHours>().is_err());
        assert_eq!(parse_offset("-05:30"), Ok(-330));
        assert!(parse_offset("CET").is_err());
    }
}
