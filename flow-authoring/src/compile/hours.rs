//! Business hours: from the merchant's description to a table the browser can use.

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
    let from: Timestamp = FROM.parse().ok()?;
    let until: Timestamp = UNTIL.parse().ok()?;
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
    Some(BusinessHours {
        time_zone: doc.time_zone.clone(),
        offsets,
        weekly,
        closed_days,
    })
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
