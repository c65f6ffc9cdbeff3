//! Export periods and Oslo local time. A period is a whole year, quarter,
//! month, year to date (January to the end of a month: the cumulative
//! periods Finland's PAR system collects, January–April, January–August,
//! the whole year) or inclusive date range in Oslo local time
//! (Europe/Oslo, with summer time), turned into a half-open range of Unix
//! milliseconds.
//! The time zone database is compiled in (jiff's bundled tzdb), so no
//! system tz files are needed.

use crate::Error;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The time zone every period, weekday and time band is read in.
pub const TIME_ZONE: &str = "Europe/Oslo";

use feltlogg_core::time::{DAY_MS, HOUR_MS};

/// A period to export: `[start_ms, end_ms)` in Unix milliseconds, from
/// local midnight of `first_day` to local midnight after `last_day`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// The period as written, normalised: `2026`, `2026-Q3`, `2026-07`,
    /// `2026-YTD-08` or `2026-07-01..2026-09-30`.
    pub label: String,
    /// First day (Oslo local), inclusive.
    pub first_day: Date,
    /// Last day (Oslo local), inclusive.
    pub last_day: Date,
    /// Start, Unix ms, inclusive.
    pub start_ms: i64,
    /// End, Unix ms, exclusive.
    pub end_ms: i64,
}

impl Period {
    /// Parses `2026` (year), `2026-Q3` (quarter), `2026-07` (month),
    /// `2026-YTD-08` (year to date: 1 January to the end of August) or
    /// `2026-07-01..2026-09-30` (inclusive date range).
    ///
    /// # Errors
    /// [`Error::Period`] naming the text and the accepted forms.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let t = text.trim();
        let bad = || {
            Error::Period(format!(
                "{t:?} is not a period; write a year (2026), a quarter (2026-Q3), a month (2026-07), a year to date (2026-YTD-08: January to August) or a date range (2026-07-01..2026-09-30)"
            ))
        };
        let (first, last, label) = if let Some((a, b)) = t.split_once("..") {
            let first: Date = a.trim().parse().map_err(|_| bad())?;
            let last: Date = b.trim().parse().map_err(|_| bad())?;
            if last < first {
                return Err(Error::Period(format!(
                    "the range {t:?} ends before it starts; put the earlier date first"
                )));
            }
            (first, last, format!("{first}..{last}"))
        } else if let Some((y, m)) = t.split_once("-YTD-").or_else(|| t.split_once("-ytd-")) {
            let year = parse_year(y).ok_or_else(bad)?;
            let month: i8 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad)?;
            let first = date(year, 1, 1).ok_or_else(bad)?;
            let last = date(year, month, 1).ok_or_else(bad)?.last_of_month();
            (first, last, format!("{year}-YTD-{month:02}"))
        } else if let Some((y, q)) = t
            .split_once(['-'])
            .filter(|(_, q)| q.starts_with(['Q', 'q']))
        {
            let year = parse_year(y).ok_or_else(bad)?;
            let q: i8 = q[1..]
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad)?;
            let first = date(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
            let last = date(year, q * 3, 1).ok_or_else(bad)?.last_of_month();
            (first, last, format!("{year}-Q{q}"))
        } else if let Some((y, m)) = t.split_once('-') {
            let year = parse_year(y).ok_or_else(bad)?;
            let month: i8 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad)?;
            let first = date(year, month, 1).ok_or_else(bad)?;
            (first, first.last_of_month(), format!("{year}-{month:02}"))
        } else {
            let year = parse_year(t).ok_or_else(bad)?;
            let first = date(year, 1, 1).ok_or_else(bad)?;
            let last = date(year, 12, 31).ok_or_else(bad)?;
            (first, last, format!("{year}"))
        };
        Self::from_days(label, first, last)
    }

    /// The period from `first` to `last` (inclusive, Oslo local days).
    ///
    /// # Errors
    /// [`Error::Period`] when a day has no Oslo midnight in range.
    pub fn from_days(label: String, first: Date, last: Date) -> Result<Self, Error> {
        let tz = oslo()?;
        let next = last
            .tomorrow()
            .map_err(|e| Error::Period(format!("{last} has no next day: {e}")))?;
        let ms = |d: Date| {
            d.to_zoned(tz.clone())
                .map(|z| z.timestamp().as_millisecond())
                .map_err(|e| Error::Period(format!("{d} is out of range: {e}")))
        };
        Ok(Self {
            label,
            first_day: first,
            last_day: last,
            start_ms: ms(first)?,
            end_ms: ms(next)?,
        })
    }

    /// Whether `ms` lies in the period.
    pub fn contains(&self, ms: i64) -> bool {
        self.start_ms <= ms && ms < self.end_ms
    }

    /// Length in weeks (days / 7), for "shifts per week".
    pub fn weeks(&self) -> f64 {
        let days = ((self.end_ms - self.start_ms) as f64 / DAY_MS as f64).round();
        days / 7.0
    }

    /// The period in Norwegian words, e.g. `3. kvartal 2026`, `juli 2026`,
    /// `januar–august 2026`.
    pub fn label_nb(&self) -> String {
        const MONTHS: [&str; 12] = [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ];
        let l = &self.label;
        let month = |d: Date| MONTHS[(usize::try_from(d.month()).unwrap_or(1).max(1) - 1) % 12];
        if l.contains("-YTD-") {
            format!(
                "{}–{} {}",
                month(self.first_day),
                month(self.last_day),
                self.first_day.year()
            )
        } else if let Some((y, q)) = l.split_once("-Q") {
            format!("{q}. kvartal {y}")
        } else if l.len() == 7 {
            format!("{} {}", month(self.first_day), self.first_day.year())
        } else if l.len() == 4 {
            format!("året {l}")
        } else {
            format!("{} til {}", self.first_day, self.last_day)
        }
    }
}

fn parse_year(s: &str) -> Option<i16> {
    let s = s.trim();
    if s.len() != 4 {
        return None;
    }
    s.parse().ok().filter(|y| (1970..=9998).contains(y))
}

fn date(year: i16, month: i8, day: i8) -> Option<Date> {
    Date::new(year, month, day).ok()
}

/// Europe/Oslo from the bundled database.
///
/// # Errors
/// [`Error::Period`] if the zone is missing (a build without the
/// bundled database).
pub fn oslo() -> Result<TimeZone, Error> {
    TimeZone::get(TIME_ZONE)
        .map_err(|e| Error::Period(format!("time zone {TIME_ZONE} is not available: {e}")))
}

/// Reads Unix ms as Oslo local weekday and hour. Caches the UTC offset of
/// the last instant looked up for a day either side, because offsets change
/// twice a year and an export converts a million instants.
#[derive(Debug)]
pub struct LocalClock {
    tz: TimeZone,
    cached: Option<(i64, i64, i64)>,
}

impl LocalClock {
    /// A clock for Oslo.
    ///
    /// # Errors
    /// As [`oslo`].
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            tz: oslo()?,
            cached: None,
        })
    }

    fn offset_ms(&mut self, ms: i64) -> i64 {
        if let Some((from, to, off)) = self.cached
            && from <= ms
            && ms < to
        {
            return off;
        }
        let off = Timestamp::from_millisecond(ms)
            .map(|t| i64::from(self.tz.to_offset(t).seconds()) * 1000)
            .unwrap_or(0);
        // Offsets change at most twice a year, at night; trust this one for
        // the rest of the hour only when the next hour has the same offset.
        let next = Timestamp::from_millisecond(ms + HOUR_MS)
            .map(|t| i64::from(self.tz.to_offset(t).seconds()) * 1000)
            .unwrap_or(off + 1);
        if next == off {
            let from = ms - ms.rem_euclid(HOUR_MS);
            self.cached = Some((from, from + HOUR_MS, off));
        }
        off
    }

    /// Weekday (0 = Monday … 6 = Sunday) and hour (0–23) in Oslo.
    pub fn weekday_hour(&mut self, ms: i64) -> (usize, usize) {
        let local = ms + self.offset_ms(ms);
        let days = local.div_euclid(DAY_MS);
        // 1970-01-01 was a Thursday: day 0 is weekday 3.
        let weekday = usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0);
        let hour = usize::try_from(local.rem_euclid(DAY_MS) / HOUR_MS).unwrap_or(0);
        (weekday, hour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_is_oslo_local_midnights() {
        let p = Period::parse("2026-Q3").expect("parse");
        // 2026-07-01 00:00 CEST = 2026-06-30T22:00Z; 2026-10-01 00:00 CEST = 2026-09-30T22:00Z.
        assert_eq!(p.start_ms, 1_782_856_800_000);
        assert_eq!(p.end_ms, 1_790_805_600_000);
        assert_eq!(p.label, "2026-Q3");
        assert_eq!(p.label_nb(), "3. kvartal 2026");
    }

    #[test]
    fn month_year_and_range() {
        let m = Period::parse("2026-02").expect("month");
        assert_eq!(m.last_day.to_string(), "2026-02-28");
        assert_eq!(m.label_nb(), "februar 2026");
        let y = Period::parse("2026").expect("year");
        assert_eq!((y.weeks() * 7.0).round(), 365.0);
        // Winter: 2026-01-01 00:00 CET = 2025-12-31T23:00Z.
        assert_eq!(y.start_ms, 1_767_222_000_000);
        let r = Period::parse("2026-07-01..2026-09-30").expect("range");
        assert_eq!(r.start_ms, Period::parse("2026-q3").expect("q").start_ms);
        assert_eq!(r.end_ms, Period::parse("2026-Q3").expect("q").end_ms);
    }

    #[test]
    fn year_to_date_runs_from_january_to_the_end_of_a_month() {
        let p = Period::parse("2026-ytd-8").expect("ytd");
        assert_eq!(p.label, "2026-YTD-08");
        assert_eq!(p.first_day.to_string(), "2026-01-01");
        assert_eq!(p.last_day.to_string(), "2026-08-31");
        assert_eq!(p.start_ms, Period::parse("2026").expect("y").start_ms);
        assert_eq!(p.end_ms, Period::parse("2026-08").expect("m").end_ms);
        assert_eq!(p.label_nb(), "januar–august 2026");
        let whole = Period::parse("2026-YTD-12").expect("whole year");
        assert_eq!(whole.end_ms, Period::parse("2026").expect("y").end_ms);
    }

    #[test]
    fn bad_periods_are_named() {
        for bad in [
            "2026-YTD-13",
            "2026-YTD-",
            "2026-Q5",
            "2026-13",
            "26",
            "2026-09-30..2026-07-01",
            "summer",
        ] {
            let e = Period::parse(bad).expect_err(bad).to_string();
            assert!(e.contains(bad.split("..").next().unwrap_or(bad)), "{e}");
        }
    }

    #[test]
    fn weekday_and_hour_follow_summer_time() {
        let mut c = LocalClock::new().expect("clock");
        // 2026-07-03T21:30Z is Friday 23:30 in Oslo (CEST, +2).
        assert_eq!(c.weekday_hour(1_783_114_200_000), (4, 23));
        // 2026-01-02T21:30Z is Friday 22:30 in Oslo (CET, +1).
        assert_eq!(c.weekday_hour(1_767_389_400_000), (4, 22));
    }
}
