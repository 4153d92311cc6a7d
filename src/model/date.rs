//! Dates of posts: parsed from front matter or a file name, in the site's time zone, and the
//! forms templates show.

use jiff::ZonedDateTime;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde::Serialize;

/// The formats `date:` and `updated:` accept, for error messages.
pub(crate) const ACCEPTED_FORMATS: &str = "accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00+08:00, 2024-12-15 09:30:00 +0800, Sun, 15 Dec 2024 09:30:00 +0800, 15 Dec 2024";

/// The other shapes Jekyll, Hugo and Zola accept, with an offset from UTC: Jekyll's
/// `YYYY-MM-DD HH:MM:SS +/-TTTT` (seconds optional) and the offsets Hugo lists.
const WITH_OFFSET: [&str; 6] = [
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f %:z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M %:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
];

/// Shapes without an offset (in the site's time zone): Hugo's "January 2, 2006",
/// "Jan 2, 2006", "2 January 2006" and "02 Jan 2006".
const WITHOUT_OFFSET: [&str; 4] = ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"];

/// The years a date may have: every time zone can show all of them.
pub(crate) const YEARS: std::ops::RangeInclusive<i16> = 1..=9998;

/// Parses `text` as a date or a date-time. A value without an offset is in `tz`.
pub(crate) fn parse(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        check_offset(text)?;
        let zoned = ts.to_zoned_datetime(tz.clone());
        check_year(text, zoned.year())?;
        return Ok(zoned);
    }
    if let Some(datetime) = local(text) {
        check_year(text, datetime.year())?;
        return datetime
            .to_zoned_datetime(tz.clone())
            .map_err(|e| format!("`{text}` does not exist in the site's time zone: {e}"));
    }
    if let Some(ts) = with_offset(text) {
        let zoned = ts.to_zoned_datetime(tz.clone());
        check_year(text, zoned.year())?;
        return Ok(zoned);
    }
    Err(explain(text))
}

/// A date and time without an offset, in one of the shapes [`parse`] accepts.
fn local(text: &str) -> Option<DateTime> {
    if let Ok(datetime) = text.parse::<DateTime>() {
        return Some(datetime);
    }
    WITHOUT_OFFSET.iter().find_map(|format| {
        let parsed = jiff::fmt::strtime::parse(format, text).ok()?;
        parsed
            .to_date()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })
}

/// An instant written with an offset (or a zone RFC 2822 names) in another generator's shape.
/// A zone abbreviation after the offset (Go's `-0700 MST`) adds nothing and is dropped.
fn with_offset(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp());
    }
    let trimmed = match text.rsplit_once(' ') {
        Some((head, zone))
            if zone.len() <= 5
                && !zone.is_empty()
                && zone.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            head
        }
        _ => text,
    };
    WITH_OFFSET.iter().find_map(|format| {
        let parsed = jiff::fmt::strtime::parse(format, trimmed).ok()?;
        let offset = parsed.offset()?;
        if offset.seconds().abs() >= 24 * 60 * 60 {
            return None;
        }
        parsed.to_timestamp().ok()
    })
}

/// A civil date (from a file name) at midnight in `tz`, when its year is in [`YEARS`].
pub(crate) fn in_zone(date: Date, tz: &TimeZone) -> Option<ZonedDateTime> {
    if !YEARS.contains(&date.year()) {
        return None;
    }
    date.to_zoned_datetime(tz.clone()).ok()
}

fn check_year(text: &str, year: i16) -> Result<(), String> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is out of range: dates from {:04}-01-01 to {:04}-12-31 are accepted",
            YEARS.start(),
            YEARS.end()
        ))
    }
}

/// An offset from UTC must be less than a day (RFC 3339 allows -23:59 to +23:59).
fn check_offset(text: &str) -> Result<(), String> {
    let offset = jiff::fmt::temporal::Pieces::parse(text)
        .ok()
        .and_then(|pieces| pieces.to_numeric_offset());
    match offset {
        Some(offset) if offset.seconds().abs() >= 24 * 60 * 60 => Err(format!(
            "`{text}` has the offset {offset}, which is not a time zone offset: offsets go from -23:59 to +23:59"
        )),
        _ => Ok(()),
    }
}

/// Says why `text` is not a date: an impossible day or month, or an unknown shape.
fn explain(text: &str) -> String {
    let digits: Vec<&str> = text.get(..10).unwrap_or(text).split('-').collect();
    if let [y, m, d] = digits.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    {
        if !(1..=12).contains(&m) {
            return format!("`{text}` is not a valid date: there is no month {m}");
        }
        if Date::new(y, m, d).is_err() {
            return format!("`{text}` is not a valid date: month {m} of {y} has no day {d}");
        }
    }
    format!("`{text}` is not a date")
}

/// A `YYYY-MM-DD-` prefix of a file name: the date and the rest of the name.
pub(crate) fn from_file_name(stem: &str) -> Option<(Date, &str)> {
    let prefix = stem.get(..10)?;
    let date = prefix.parse::<Date>().ok()?;
    let rest = stem.get(10..)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    Some((date, rest))
}

/// A date in the forms templates use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// RFC 3339, for `<time datetime>` and feeds: `2024-12-15T00:00:00+08:00`.
    pub iso: String,
    /// As the blog shows it: `2024-12-15`.
    pub short: String,
    /// `15 December 2024`.
    pub long: String,
    pub year: i16,
}

/// The RFC 3339 form of a date and time, as `strftime` writes it.
pub(crate) const RFC_3339: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// How a language writes a date: short, long, and the name of a month alone.
struct Style {
    short: &'static str,
    long: &'static str,
    month: &'static str,
}

/// The style of `language` (a BCP 47 tag): Chinese and Japanese `2024年12月15日`, Korean
/// `2024년 12월 15일`, every other language as English (`2024-12-15`, `15 December 2024`).
fn style(language: &str) -> Style {
    let primary = language
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "zh" | "ja" | "yue" => Style {
            short: "%Y年%-m月%-d日",
            long: "%Y年%-m月%-d日",
            month: "%-m月",
        },
        "ko" => Style {
            short: "%Y년 %-m월 %-d일",
            long: "%Y년 %-m월 %-d일",
            month: "%-m월",
        },
        _ => Style {
            short: "%Y-%m-%d",
            long: "%-d %B %Y",
            month: "%B",
        },
    }
}

impl DateView {
    /// `date` as pages in `language` show it.
    pub fn new(date: &ZonedDateTime, language: &str) -> Self {
        let style = style(language);
        Self {
            iso: date.strftime(RFC_3339).to_string(),
            short: date.strftime(style.short).to_string(),
            long: date.strftime(style.long).to_string(),
            year: date.year(),
        }
    }
}

/// The name of the month of `date` in `language` (`December`, `12月`).
pub(crate) fn month_name(date: &ZonedDateTime, language: &str) -> String {
    date.strftime(style(language).month).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hk() -> TimeZone {
        TimeZone::get("Asia/Hong_Kong").unwrap()
    }

    #[test]
    fn plain_date_is_midnight_in_site_zone() {
        let z = parse("2024-12-15", &hk()).unwrap();
        assert_eq!(DateView::new(&z, "en").iso, "2024-12-15T00:00:00+08:00");
        assert_eq!(DateView::new(&z, "en").short, "2024-12-15");
        assert_eq!(DateView::new(&z, "en").long, "15 December 2024");
        assert_eq!(DateView::new(&z, "zh-Hant").short, "2024年12月15日");
        assert_eq!(DateView::new(&z, "ko").long, "2024년 12월 15일");
        assert_eq!(month_name(&z, "zh-Hant"), "12月");
        assert_eq!(month_name(&z, "en-GB"), "December");
    }

    #[test]
    fn offsets_are_respected() {
        let z = parse("2024-12-15T01:00:00Z", &hk()).unwrap();
        assert_eq!(DateView::new(&z, "en").iso, "2024-12-15T09:00:00+08:00");
        let z = parse("2024-12-15 09:30", &hk()).unwrap();
        assert_eq!(DateView::new(&z, "en").iso, "2024-12-15T09:30:00+08:00");
    }

    #[test]
    fn other_generators_dates() {
        let iso = |text: &str| DateView::new(&parse(text, &hk()).unwrap(), "en").iso;
        // Jekyll's own shape, seconds and offset optional.
        assert_eq!(
            iso("2013-05-06 02:12:52 +0200"),
            "2013-05-06T08:12:52+08:00"
        );
        assert_eq!(iso("2013-05-06 02:12 -0130"), "2013-05-06T11:42:00+08:00");
        assert_eq!(iso("2013-05-06 02:12:52"), "2013-05-06T02:12:52+08:00");
        // Hugo's and Zola's.
        assert_eq!(iso("2013-05-06T02:12:52.407Z"), "2013-05-06T10:12:52+08:00");
        assert_eq!(iso("2013-05-06T02:12:52-0700"), "2013-05-06T17:12:52+08:00");
        assert_eq!(
            iso("2013-05-06 02:12:52 -07:00"),
            "2013-05-06T17:12:52+08:00"
        );
        assert_eq!(
            iso("2013-05-06 02:12:52.5 +0000 UTC"),
            "2013-05-06T10:12:52+08:00"
        );
        assert_eq!(
            iso("Mon, 06 May 2013 02:12:52 +0200"),
            "2013-05-06T08:12:52+08:00"
        );
        assert_eq!(
            iso("Mon, 06 May 2013 02:12:52 GMT"),
            "2013-05-06T10:12:52+08:00"
        );
        assert_eq!(iso("May 6, 2013"), "2013-05-06T00:00:00+08:00");
        assert_eq!(iso("6 May 2013"), "2013-05-06T00:00:00+08:00");
        assert_eq!(iso("06 May 2013"), "2013-05-06T00:00:00+08:00");
        assert_eq!(iso("1989-12-27T07:32:00"), "1989-12-27T07:32:00+08:00");
        assert!(parse("2013-05-06 02:12:52 +2500", &hk()).is_err());
        assert!(parse("May 32, 2013", &hk()).is_err());
    }

    #[test]
    fn impossible_dates_are_explained() {
        assert_eq!(
            parse("2026-02-30", &hk()).unwrap_err(),
            "`2026-02-30` is not a valid date: month 2 of 2026 has no day 30"
        );
        assert_eq!(
            parse("2026-13-01", &hk()).unwrap_err(),
            "`2026-13-01` is not a valid date: there is no month 13"
        );
        assert_eq!(parse("12", &hk()).unwrap_err(), "`12` is not a date");
    }

    #[test]
    fn offsets_of_a_day_or_more_are_refused() {
        assert_eq!(
            parse("2024-12-15T09:00:00+24:00", &hk()).unwrap_err(),
            "`2024-12-15T09:00:00+24:00` has the offset +24, which is not a time zone offset: offsets go from -23:59 to +23:59"
        );
        assert!(parse("2024-12-15T09:00:00-25:00", &hk()).is_err());
        assert!(parse("2024-12-15T09:00:00+23:59", &hk()).is_ok());
    }

    #[test]
    fn years_outside_the_range_are_explained() {
        assert_eq!(
            parse("9999-12-31", &hk()).unwrap_err(),
            "`9999-12-31` is out of range: dates from 0001-01-01 to 9998-12-31 are accepted"
        );
        assert!(parse("9998-12-31T10:00:00Z", &hk()).is_ok());
        assert!(in_zone(Date::new(9999, 1, 1).unwrap(), &hk()).is_none());
    }

    #[test]
    fn file_name_dates() {
        let (d, rest) = from_file_name("2024-12-15-hello-world").unwrap();
        assert_eq!(d.to_string(), "2024-12-15");
        assert_eq!(rest, "hello-world");
        assert!(from_file_name("hello").is_none());
        assert!(from_file_name("2024-13-15-x").is_none());
    }
}
