//! Business hours: whether a person is available at a given time.
//!
//! The engine has no time-zone database. The compiler (which runs natively) turns the
//! merchant's IANA time zone into a table of UTC offsets and the instants they start at,
//! covering many years; at run time a binary search finds the offset for `now`.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use crate::time::Time;

const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// The IANA name, for messages (`Europe/Berlin`).
    pub time_zone: String,
    /// `(utc_ms, offset_minutes)`: from `utc_ms` on, local time is UTC + offset. Sorted.
    pub offsets: Vec<(i64, i32)>,
    /// Opening intervals per weekday, Monday first: `(start_minute, end_minute)` of the day.
    pub weekly: [Vec<(u16, u16)>; 7],
    /// Local dates (days since 1970-01-01) when the store is closed all day.
    pub closed_days: Vec<i32>,
}

impl BusinessHours {
    /// Local time at `now` in the store's time zone, as Unix milliseconds shifted by the
    /// offset (`local / DAY_MS` is the local date, the rest the time of day).
    pub fn local(&self, now: Time) -> i64 {
        let utc = i64::try_from(now.0).unwrap_or(i64::MAX);
        let offset = match self.offsets.partition_point(|&(at, _)| at <= utc) {
            0 => self.offsets.first().map_or(0, |&(_, o)| o),
            i => self.offsets[i - 1].1,
        };
        utc.saturating_add(i64::from(offset) * 60_000)
    }

    /// The first moment at or after `now` when the store is open, within two weeks (in
    /// steps of a minute where it matters: a quarter hour at a time, then back).
    pub fn next_open(&self, now: Time) -> Option<Time> {
        const STEP: u64 = 15 * 60_000;
        let mut at = now.0;
        for _ in 0..(14 * 96) {
            if self.is_open(Time(at)) {
                // Back to the minute it opened, if that was after `now`.
                let mut first = at;
                while first >= now.0 + 60_000 && self.is_open(Time(first - 60_000)) {
                    first -= 60_000;
                }
                return Some(Time(first));
            }
            at += STEP;
        }
        None
    }

    /// Whether `now` falls inside the opening hours, in the store's time zone.
    pub fn is_open(&self, now: Time) -> bool {
        let local = self.local(now);
        let day = local.div_euclid(DAY_MS);
        if self.closed_days.iter().any(|&d| i64::from(d) == day) {
            return false;
        }
        // 1970-01-01 was a Thursday: index 3 when Monday is 0.
        let weekday = (day + 3).rem_euclid(7) as usize;
        let minute = (local.rem_euclid(DAY_MS) / 60_000) as u16;
        self.weekly[weekday]
            .iter()
            .any(|&(start, end)| start <= minute && minute < end)
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct BusinessHours { time_zone, offsets, weekly, closed_days });

#[cfg(test)]
mod tests {
    use super::*;

    fn nine_to_five_berlin() -> BusinessHours {
        let weekday = vec![(9 * 60, 17 * 60)];
        BusinessHours {
            time_zone: "Europe/Berlin".into(),
            // 2026-03-29 01:00 UTC: CET (+60) → CEST (+120).
            offsets: vec![(0, 60), (1_774_746_000_000, 120)],
            weekly: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                vec![],
                vec![],
            ],
            closed_days: vec![20_447], // 2025-12-25
        }
    }

    #[test]
    fn opening_hours_follow_the_local_clock_and_daylight_saving() {
        let hours = nine_to_five_berlin();
        // Friday 2026-03-27 08:30 UTC = 09:30 CET: open.
        assert!(hours.is_open(Time(1_774_600_200_000)));
        // Friday 2026-03-27 07:30 UTC = 08:30 CET: closed.
        assert!(!hours.is_open(Time(1_774_596_600_000)));
        // Monday 2026-03-30 07:30 UTC = 09:30 CEST: open (after the change).
        assert!(hours.is_open(Time(1_774_855_800_000)));
        // Saturday 2026-03-28 10:00 UTC: closed on weekends.
        assert!(!hours.is_open(Time(1_774_692_000_000)));
        // Thursday 2025-12-25 10:00 UTC: a closed day.
        assert!(!hours.is_open(Time(1_766_656_800_000)));
    }

    #[test]
    fn the_next_opening_is_found_to_the_minute() {
        let hours = nine_to_five_berlin();
        // Saturday 2026-03-28 10:00 UTC → Monday 2026-03-30 09:00 CEST = 07:00 UTC.
        assert_eq!(
            hours.next_open(Time(1_774_692_000_000)),
            Some(Time(1_774_854_000_000))
        );
        // Open now: now.
        assert_eq!(
            hours.next_open(Time(1_774_600_200_000)),
            Some(Time(1_774_600_200_000))
        );
        let never = BusinessHours {
            weekly: Default::default(),
            ..nine_to_five_berlin()
        };
        assert_eq!(never.next_open(Time(1_774_692_000_000)), None);
    }
}
