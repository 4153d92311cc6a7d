//! Dates of posts: parsed from front matter or a file name, in the site's time zone, and the
//! forms templates show.

use jiff::ZonedDateTime;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde::Serialize;

/// The formats `date:` and `updated:` accept, for error messages.
pub(crate) const ACCEPTED_FORMATS: &str = "accepted formats: 2024-12-15, 2024-12-15 09:30, 2024-12-15T09:30:00, 2024-12-15T09:30:00+08:00";

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
    if let Ok(datetime) = text.parse::<DateTime>() {
        check_year(text, datetime.year())?;
        return datetime
            .to_zoned_datetime(tz.clone())
            .map_err(|e| format!("`{text}` does not exist in the site's time zone: {e}"));
    }
    Err(explain(text))
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

impl DateView {
    pub fn new(date: &ZonedDateTime) -> Self {
        Self {
            iso: date.strftime(RFC_3339).to_string(),
            short: date.strftime("%Y-%m-%d").to_string(),
            long: date.strftime("%-d %B %Y").to_string(),
            year: date.year(),
        }
    }
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
        assert_eq!(DateView::new(&z).iso, "2024-12-15T00:00:00+08:00");
        assert_eq!(DateView::new(&z).short, "2024-12-15");
        assert_eq!(DateView::new(&z).long, "15 December 2024");
    }

    #[test]
    fn offsets_are_respected() {
        let z = parse("2024-12-15T01:00:00Z", &hk()).unwrap();
        assert_eq!(DateView::new(&z).iso, "2024-12-15T09:00:00+08:00");
        let z = parse("2024-12-15 09:30", &hk()).unwrap();
        assert_eq!(DateView::new(&z).iso, "2024-12-15T09:30:00+08:00");
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
