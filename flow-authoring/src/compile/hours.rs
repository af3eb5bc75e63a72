//! Business hours: from the merchant's description to a table the browser can use, for a
//! flow's `business_hours` and for the server's `--business-hours` alike (one rule).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::diagnostic::{Diagnostic, push_pointer};
use super::suggest::closest;
use crate::doc::{DayDoc, HoursDoc};
use flow_runtime::hours::BusinessHours;

/// The years the offset table covers; outside them the nearest offset is used.
const FROM: &str = "2020-01-01T00:00:00Z";
const UNTIL: &str = "2060-01-01T00:00:00Z";

pub(super) fn lower(
    doc: &HoursDoc,
    pointer: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<BusinessHours> {
    let tz = match TimeZone::get(&doc.time_zone) {
        Ok(tz) => tz,
        Err(_) => {
            let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            let mut d = Diagnostic::error(
                "unknown-time-zone",
                push_pointer(pointer, "time_zone"),
                format!("unknown time zone `{}`", doc.time_zone),
            );
            d = match closest(&doc.time_zone, names.iter().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("use an IANA name such as `Europe/Berlin` or `America/New_York`"),
            };
            diags.push(d);
            return None;
        }
    };
    Some(lower_in(doc, &tz, pointer, diags))
}

/// [`lower`] in a time zone already found.
fn lower_in(
    doc: &HoursDoc,
    tz: &TimeZone,
    pointer: &str,
    diags: &mut Vec<Diagnostic>,
) -> BusinessHours {
    let from: Timestamp = FROM.parse().expect("a timestamp");
    let until: Timestamp = UNTIL.parse().expect("a timestamp");
    let mut offsets = vec![(from.as_millisecond(), tz.to_offset(from).seconds() / 60)];
    for t in tz.following(from) {
        if t.timestamp() >= until {
            break;
        }
        offsets.push((t.timestamp().as_millisecond(), t.offset().seconds() / 60));
    }

    let mut weekly: [Vec<(u16, u16)>; 7] = Default::default();
    for (day, intervals) in &doc.weekly {
        let i = match day {
            DayDoc::Mon => 0,
            DayDoc::Tue => 1,
            DayDoc::Wed => 2,
            DayDoc::Thu => 3,
            DayDoc::Fri => 4,
            DayDoc::Sat => 5,
            DayDoc::Sun => 6,
        };
        let day_name = format!("{day:?}").to_lowercase();
        for (k, interval) in intervals.iter().enumerate() {
            let at = format!(
                "{}/{k}",
                push_pointer(&push_pointer(pointer, "weekly"), &day_name)
            );
            match parse_interval(interval) {
                Some(range) => weekly[i].push(range),
                None => diags.push(
                    Diagnostic::error(
                        "bad-hours",
                        at,
                        format!("`{interval}` is not an opening interval"),
                    )
                    .help("write `HH:MM-HH:MM` with the start before the end, e.g. `09:00-17:30`"),
                ),
            }
        }
    }
    let mut closed_days = Vec::new();
    for (k, date) in doc.closed.iter().enumerate() {
        match date.parse::<Date>() {
            Ok(d) => {
                let epoch = Date::constant(1970, 1, 1);
                if let Ok(span) = epoch.until(d) {
                    closed_days.push(span.get_days());
                }
            }
            Err(_) => diags.push(
                Diagnostic::error(
                    "bad-date",
                    format!("{}/{k}", push_pointer(pointer, "closed")),
                    format!("`{date}` is not a date"),
                )
                .help("write dates as `YYYY-MM-DD`"),
            ),
        }
    }
    if doc.weekly.is_empty() {
        diags.push(
            Diagnostic::warning(
                "no-hours",
                push_pointer(pointer, "weekly"),
                "no opening hours: nobody is ever available",
            )
            .help("add e.g. \"weekly\": {\"mon\": [\"09:00-17:00\"]}"),
        );
    }
    BusinessHours {
        time_zone: doc.time_zone.clone(),
        offsets,
        weekly,
        closed_days,
    }
}

/// The server's `--business-hours`, written on one line (`mon-fri 09:00-17:30, sat
/// 10:00-14:00`; `always`; `never`), at a fixed offset from UTC in minutes (the server's
/// `--utc-offset`): lowered as a flow's `business_hours`, by [`lower`]'s rules.
pub fn hours_from_line(text: &str, offset_minutes: i32) -> Result<BusinessHours, String> {
    const DAYS: [(&str, DayDoc); 7] = [
        ("mon", DayDoc::Mon),
        ("tue", DayDoc::Tue),
        ("wed", DayDoc::Wed),
        ("thu", DayDoc::Thu),
        ("fri", DayDoc::Fri),
        ("sat", DayDoc::Sat),
        ("sun", DayDoc::Sun),
    ];
    let explain = |what: String| {
        format!("{what} (write e.g. `mon-fri 09:00-17:30, sat 10:00-14:00`, `always` or `never`)")
    };
    let day = |name: &str| {
        let name = name.trim();
        DAYS.iter()
            .position(|(d, _)| name.starts_with(d))
            .ok_or_else(|| explain(format!("`{name}` is not a day (mon, tue, … sun)")))
    };
    let text = text.trim().to_ascii_lowercase();
    let mut weekly: std::collections::BTreeMap<DayDoc, Vec<String>> = Default::default();
    match text.as_str() {
        "always" => {
            for (_, d) in DAYS {
                weekly.insert(d, vec!["00:00-24:00".into()]);
            }
        }
        "never" => {}
        _ => {
            for part in text
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let (days, times) = part
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| explain(format!("`{part}` needs days and hours")))?;
                let (first, last) = match days.split_once('-') {
                    Some((a, b)) => (day(a)?, day(b)?),
                    None => (day(days)?, day(days)?),
                };
                // Ranges may wrap around the week (`sat-mon`).
                let mut d = first;
                loop {
                    weekly
                        .entry(DAYS[d].1)
                        .or_default()
                        .push(times.trim().to_owned());
                    if d == last {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
        }
    }
    let offset = jiff::tz::Offset::from_seconds(offset_minutes.saturating_mul(60))
        .map_err(|_| explain(format!("{offset_minutes} minutes is no UTC offset")))?;
    let doc = HoursDoc {
        time_zone: format!("UTC{offset}"),
        weekly,
        closed: Vec::new(),
    };
    let mut diags = Vec::new();
    let hours = lower_in(&doc, &TimeZone::fixed(offset), "", &mut diags);
    match diags.iter().find(|d| d.is_error()) {
        Some(d) => Err(match &d.help {
            Some(help) => format!("{}: {help}", d.message),
            None => d.message.clone(),
        }),
        None => Ok(hours),
    }
}

/// `09:00-17:30` → minutes of the day; `24:00` may end a day.
fn parse_interval(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-')?;
    let minute = |t: &str| -> Option<u16> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
    };
    let (start, end) = (minute(a)?, minute(b)?);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::hours_from_line;
    use flow_runtime::Time;

    /// `2026-11-23T07:59:00` (UTC) as the engine's time.
    fn at(text: &str) -> Time {
        let t: jiff::Timestamp = format!("{text}Z").parse().unwrap();
        Time(t.as_millisecond() as u64)
    }

    #[test]
    fn weekday_hours_in_the_stores_time_zone() {
        let hours = hours_from_line("Mon-Fri 09:00-17:30, sat 10:00-14:00", 60).unwrap();
        // Monday 2026-11-23.
        assert!(!hours.is_open(at("2026-11-23T07:59:00")), "08:59 local");
        assert!(hours.is_open(at("2026-11-23T08:00:00")), "09:00 local");
        assert!(hours.is_open(at("2026-11-23T16:29:00")), "17:29 local");
        assert!(!hours.is_open(at("2026-11-23T16:30:00")), "17:30 local");
        assert!(hours.is_open(at("2026-11-28T12:00:00")), "Saturday 13:00");
        assert!(!hours.is_open(at("2026-11-29T12:00:00")), "Sunday");
        assert_eq!(hours.time_zone, "UTC+01");
    }

    #[test]
    fn ranges_wrap_around_the_week_and_keywords_work() {
        let hours = hours_from_line("sat-mon 00:00-24:00", 0).unwrap();
        assert!(hours.is_open(at("2026-11-22T12:00:00")), "Sunday");
        assert!(hours.is_open(at("2026-11-23T23:59:00")), "Monday night");
        assert!(!hours.is_open(at("2026-11-24T12:00:00")), "Tuesday");
        assert!(hours_from_line("always", 0).unwrap().is_open(Time(0)));
        assert!(
            hours_from_line("ALWAYS", -300)
                .unwrap()
                .is_open(at("2026-11-24T12:00:00"))
        );
        assert!(!hours_from_line("never", 0).unwrap().is_open(Time(0)));
        // Negative offsets: 09:00 in New York in winter is 14:00 UTC.
        let ny = hours_from_line("mon-fri 09:00-17:00", -300).unwrap();
        assert!(!ny.is_open(at("2026-11-23T13:59:00")));
        assert!(ny.is_open(at("2026-11-23T14:00:00")));
    }

    #[test]
    fn mistakes_are_explained() {
        let e = hours_from_line("mon-fri 9-17", 0).unwrap_err();
        assert!(e.contains("`9-17` is not an opening interval"), "{e}");
        assert!(e.contains("HH:MM-HH:MM"), "{e}");
        let e = hours_from_line("weekdays 09:00-17:00", 0).unwrap_err();
        assert!(e.contains("is not a day"), "{e}");
        let e = hours_from_line("mon", 0).unwrap_err();
        assert!(e.contains("needs days and hours"), "{e}");
        assert!(hours_from_line("mon 17:00-09:00", 0).is_err());
        assert!(
            hours_from_line("mon 09:00-17:00", 26 * 60).is_err(),
            "no such offset"
        );
    }

    /// A flow's IANA zone follows summer time both ways: 09:00 local is 08:00 UTC in a
    /// Berlin winter and 07:00 UTC in its summer; New York's changes fall on other dates.
    #[test]
    fn an_iana_zone_follows_the_spring_and_autumn_changes() {
        let doc = |zone: &str| crate::doc::HoursDoc {
            time_zone: zone.into(),
            weekly: [crate::doc::DayDoc::Mon, crate::doc::DayDoc::Sun]
                .into_iter()
                .map(|d| (d, vec!["09:00-17:00".to_owned()]))
                .collect(),
            closed: vec![],
        };
        let mut diags = Vec::new();
        let berlin =
            super::lower(&doc("Europe/Berlin"), "/bot/business_hours", &mut diags).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        // Monday 2026-03-23 (CET, +1): opens 08:00 UTC.
        assert!(!berlin.is_open(at("2026-03-23T07:59:00")));
        assert!(berlin.is_open(at("2026-03-23T08:00:00")));
        // Spring: Sunday 2026-03-29 the clocks go forward at 02:00; Monday 2026-03-30 (CEST, +2) opens 07:00 UTC.
        assert!(
            berlin.is_open(at("2026-03-29T07:00:00")),
            "09:00 CEST on the day of the change"
        );
        assert!(!berlin.is_open(at("2026-03-30T06:59:00")));
        assert!(berlin.is_open(at("2026-03-30T07:00:00")));
        // Autumn: Sunday 2026-10-25 back to CET; Monday 2026-10-26 opens 08:00 UTC again.
        assert!(
            !berlin.is_open(at("2026-10-25T07:59:00")),
            "08:59 CET on the day of the change"
        );
        assert!(berlin.is_open(at("2026-10-25T08:00:00")));
        assert!(!berlin.is_open(at("2026-10-26T07:30:00")));
        assert!(berlin.is_open(at("2026-10-26T08:00:00")));
        let ny = super::lower(&doc("America/New_York"), "/bot/business_hours", &mut diags).unwrap();
        // 2026-03-08 New York springs forward (EDT, -4) while Berlin is still on CET.
        assert!(!ny.is_open(at("2026-03-09T12:59:00")));
        assert!(ny.is_open(at("2026-03-09T13:00:00")), "09:00 EDT");
        // 2026-11-01 back to EST (-5).
        assert!(!ny.is_open(at("2026-11-02T13:30:00")));
        assert!(ny.is_open(at("2026-11-02T14:00:00")), "09:00 EST");
        // An unknown zone is a located error with a suggestion.
        let mut diags = Vec::new();
        assert!(super::lower(&doc("Europe/Berlim"), "/bot/business_hours", &mut diags).is_none());
        assert!(
            diags
                .iter()
                .any(|d| d.help.as_deref() == Some("did you mean `Europe/Berlin`?")),
            "{diags:?}"
        );
    }
}
