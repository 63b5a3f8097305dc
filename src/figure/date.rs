//! Dates in text, compared by day with an optional tolerance (`"3d"`).
//!
//! The forms read:
//! - ISO dates and datetimes: `2025-01-15`, `2025-01-15 00:00 UTC`, `2021-03-14T09:15:00Z`,
//!   `2021-03-14T09:15+01:00`. A datetime gives the calendar date as written, never converted
//!   to another time zone.
//! - Year first with dots or slashes: `2020.06.01`, `2020/06/01`.
//! - Chinese and Japanese dates: `2016年10月14日`.
//! - Numbers with dots or slashes: `14.03.2021`, `03.14.2021`, `03/14/2021`, and with a
//!   two-digit year when a day over 12 shows it is a date, `10.15.15` (2015; 70 to 99 are the
//!   1900s). When one part is
//!   over 12 it is the day. When both could be the month, the page's language decides (see
//!   [`scan_dates_in`]): dots are read day first (`03.04.2021` is 3 April) unless the page is in
//!   US English, and slashes month first (`03/04/2021` is March 4), as US pages write them,
//!   unless the page is in another language or another English (`en-GB`).
//! - Written months, month first or day first, with an optional time of day and zone:
//!   `January 27, 2025`, `Mar. 4, 2021 9:15 AM`, `March 4, 2021, 9:15 a.m. ET`, `4 March 2021`,
//!   `27th January, 2025`, in English, German (`14. März 2021`), French (`1er mars 2021`),
//!   Spanish (`14 de marzo de 2021`), Italian, Portuguese and Dutch.

use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::Outcome;
use crate::spec::Verdict;

/// Month names and their abbreviations, in the languages read, with the month they name.
///
/// A name is matched whole, case-insensitively, with an optional `.` after it.
const MONTH_NAMES: &[(&str, u8)] = &[
    // English.
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // German.
    ("januar", 1),
    ("jänner", 1),
    ("jän", 1),
    ("februar", 2),
    ("feber", 2),
    ("märz", 3),
    ("mär", 3),
    ("mrz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // French.
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // Spanish.
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    // Italian.
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese.
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch.
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// A time of day after a written date: `, 9:15 a.m. ET`, ` at 21:49:39 UTC`, ` 9:15+01:00`.
const TIME: &str = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?(?:\s*(?:utc|gmt|z|[ecmp][sd]?t|bst|cest|cet|ist|[+-]\d{2}:?\d{2})\b)?)?";

static DATES: LazyLock<Regex> = LazyLock::new(|| {
    // Longest first, so that `sept` is not read as `sep` and `t`.
    let mut names: Vec<&str> = MONTH_NAMES.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let month = format!(r"(?:{})\.?", names.join("|"));
    let iso = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:z|utc|[+-]\d{2}:?\d{2}))?)?";
    let ymd = r"(?P<yy>\d{4})[./](?P<ym>\d{1,2})[./](?P<yd>\d{1,2})";
    let numeric = r"(?P<na>\d{1,2})(?P<ns>[./])(?P<nb>\d{1,2})[./](?P<ny>\d{4}|\d{2})";
    let mdy =
        format!(r"(?P<mm>{month})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}){TIME}");
    let dmy = format!(
        r"(?P<dd>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?P<dm>{month}),?\s+(?:de\s+)?(?P<dy>\d{{4}}){TIME}"
    );
    // Chinese and Japanese dates sit between characters with no word boundary: 2016年10月14日.
    let cjk = r"(?P<cy>\d{4})年(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日";
    Regex::new(&format!(
        r"(?i)\b(?:{iso}|{ymd}|{numeric}|{mdy}|{dmy})\b|{cjk}"
    ))
    .expect("the date pattern compiles")
});

/// The order to read a numeric date in when both its first parts could be the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    DayFirst,
    MonthFirst,
}

/// What a page's language says about ambiguous numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    /// No language, or English with no region (`en`): the defaults.
    Unknown,
    /// US English (`en-US`): month first, with dots as with slashes.
    UsEnglish,
    /// Any other language or English (`de`, `en-GB`): day first, with slashes as with dots.
    Other,
}

impl Lang {
    fn from_hint(hint: Option<&str>) -> Lang {
        let Some(tag) = hint.map(str::trim).filter(|t| !t.is_empty()) else {
            return Lang::Unknown;
        };
        let tag = tag.to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let language = parts.next().unwrap_or_default();
        // The region is the first two-letter subtag (`en-Latn-US` has a script first).
        let region = parts.find(|p| p.len() == 2);
        match (language, region) {
            ("en", None) => Lang::Unknown,
            ("en", Some("us")) => Lang::UsEnglish,
            _ => Lang::Other,
        }
    }

    /// How to read `a.b.yyyy` (dots) or `a/b/yyyy` (slashes) when `a` and `b` are both ≤ 12.
    fn order(self, separator: char) -> Order {
        match (self, separator) {
            (Lang::UsEnglish, _) => Order::MonthFirst,
            (Lang::Other, _) => Order::DayFirst,
            (Lang::Unknown, '/') => Order::MonthFirst,
            (Lang::Unknown, _) => Order::DayFirst,
        }
    }
}

/// The month a name or abbreviation names (`März`, `janv.`, `Sept`), in the languages read.
pub(super) fn month_of(name: &str) -> Option<u8> {
    let name = name.trim_end_matches('.');
    if name.is_empty() || name.len() > MAX_MONTH_NAME_BYTES {
        return None;
    }
    // The figure scanner asks this of the words around every small number: an ASCII word is
    // lower-cased on the stack and looked up, with no allocation.
    if name.is_ascii() {
        let mut buf = [0u8; MAX_MONTH_NAME_BYTES];
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        let lower = std::str::from_utf8(lower).ok()?;
        return MONTHS_BY_NAME.get(lower).copied();
    }
    MONTHS_BY_NAME.get(name.to_lowercase().as_str()).copied()
}

/// The longest month name, in bytes.
const MAX_MONTH_NAME_BYTES: usize = 16;

static MONTHS_BY_NAME: LazyLock<std::collections::HashMap<&'static str, u8>> =
    LazyLock::new(|| MONTH_NAMES.iter().copied().collect());

/// Whether a numeric date at `range` stands alone: not part of a version (`1.2.03.2021`), a
/// path or a longer number.
fn stands_alone(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let mut after = text[range.end..].chars();
    let (next, then) = (after.next(), after.next());
    let joined_before = before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '-'));
    let joined_after =
        matches!(next, Some('.' | '/' | '-')) && then.is_some_and(|c| c.is_ascii_digit());
    !joined_before && !joined_after
}
/// A date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// The day.
    pub date: Date,
    /// Where it is (bytes), time of day included.
    pub span: Range<usize>,
    /// The text as written.
    pub text: String,
}

/// Every date in `text`, in order, read with no language hint (see [`scan_dates_in`]).
pub fn scan_dates(text: &str) -> Vec<FoundDate> {
    scan_dates_in(text, None)
}

/// Every date in `text`, in order; `lang` is the page's language (a BCP 47 tag such as `en-US`,
/// `en-GB` or `de`, from `<html lang>`), which decides numeric dates whose day and month are
/// both 12 or less.
///
/// Default (no language, or `en`): `03.04.2021` is 3 April (day first, as dotted dates are
/// written in Europe) and `03/04/2021` is March 4 (month first, as US pages write them). US
/// English (`en-US`) reads both month first; any other language or English reads both day
/// first.
///
/// ```
/// use factcheck::figure::date::scan_dates_in;
/// let day = |text, lang| scan_dates_in(text, lang)[0].date.to_string();
/// assert_eq!(day("03.04.2021", None), "2021-04-03");
/// assert_eq!(day("03.04.2021", Some("en-US")), "2021-03-04");
/// assert_eq!(day("03/04/2021", None), "2021-03-04");
/// assert_eq!(day("03/04/2021", Some("en-GB")), "2021-04-03");
/// assert_eq!(day("14. März 2021", Some("de")), "2021-03-14");
/// ```
pub fn scan_dates_in(text: &str, lang: Option<&str>) -> Vec<FoundDate> {
    let lang = Lang::from_hint(lang);
    DATES
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
            let (y, m, d) = if let Some(y) = num("iy") {
                (y, num("im")?, num("id")?)
            } else if let Some(y) = num("cy") {
                (y, num("cm")?, num("cd")?)
            } else if let Some(y) = num("yy") {
                if !stands_alone(text, &whole.range()) || !one_separator(whole.as_str()) {
                    return None;
                }
                (y, num("ym")?, num("yd")?)
            } else if let Some(y) = num("ny") {
                if !stands_alone(text, &whole.range()) || !one_separator(whole.as_str()) {
                    return None;
                }
                let (a, b) = (num("na")?, num("nb")?);
                // Two-digit years: `10.15.15` is 2015; 70 to 99 are the 1900s. Only when a day
                // over 12 shows it is a date: `3.10.12` is a version.
                let y = match c.name("ny")?.as_str().len() {
                    2 if a <= 12 && b <= 12 => return None,
                    2 if y < 70 => 2000 + y,
                    2 => 1900 + y,
                    _ => y,
                };
                let separator = c.name("ns")?.as_str().chars().next()?;
                let (m, d) = match (a > 12, b > 12) {
                    (true, true) => return None,
                    (true, false) => (b, a),
                    (false, true) => (a, b),
                    (false, false) => match lang.order(separator) {
                        Order::DayFirst => (b, a),
                        Order::MonthFirst => (a, b),
                    },
                };
                (y, m, d)
            } else if let Some(y) = num("my") {
                (y, i16::from(month_of(c.name("mm")?.as_str())?), num("md")?)
            } else {
                (
                    num("dy")?,
                    i16::from(month_of(c.name("dm")?.as_str())?),
                    num("dd")?,
                )
            };
            let date = Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
            Some(FoundDate {
                date,
                span: whole.range(),
                text: whole.as_str().trim().to_string(),
            })
        })
        .collect()
}

/// Whether a numeric date uses one separator throughout (`14.03.2021`, not `14.03/2021`).
fn one_separator(s: &str) -> bool {
    let mut separators = s.chars().filter(|c| matches!(c, '.' | '/'));
    let first = separators.next();
    separators.all(|c| Some(c) == first)
}

/// The first date in a text, read with no language hint.
pub fn parse_date(text: &str) -> Option<FoundDate> {
    parse_date_in(text, None)
}

/// The first date in a text, read in the page's language `lang` (see [`scan_dates_in`]).
pub fn parse_date_in(text: &str, lang: Option<&str>) -> Option<FoundDate> {
    scan_dates_in(text, lang).into_iter().next()
}

/// The largest date tolerance, in days: the whole range of the calendar read (the years -9999
/// to 9999), and the most days a span of the date library holds. A tolerance over it could
/// never be applied, so the loader rejects it.
pub const MAX_TOLERANCE_DAYS: i64 = 7_304_484;

/// Parses `tolerance = "3d"` into days; `None` when it is not a whole number of days from 0 to
/// [`MAX_TOLERANCE_DAYS`].
pub fn parse_days(s: &str) -> Option<i64> {
    let t = s.trim();
    let n = t.strip_suffix('d').or_else(|| t.strip_suffix(" days"))?;
    n.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=MAX_TOLERANCE_DAYS).contains(d))
}

/// Whether a located date supports a claimed one: the same day, or within `days`.
///
/// Every step is checked: a tolerance past the calendar's range is read as reaching its ends,
/// never a panic.
pub fn compare_dates(claimed: &FoundDate, located: Date, days: i64) -> Outcome {
    let days = days.clamp(0, MAX_TOLERANCE_DAYS);
    // Two dates of the calendar are at most MAX_TOLERANCE_DAYS apart: `since` cannot fail.
    let apart = i64::from(
        located
            .since(claimed.date)
            .map_or(i32::MAX, |s| s.get_days()),
    );
    let means = if days == 0 {
        format!("\"{}\" means {}", claimed.text, claimed.date)
    } else {
        let (from, to) = match jiff::Span::new().try_days(days) {
            Ok(span) => (
                claimed.date.checked_sub(span).unwrap_or(Date::MIN),
                claimed.date.checked_add(span).unwrap_or(Date::MAX),
            ),
            Err(_) => (Date::MIN, Date::MAX),
        };
        format!(
            "\"{}\" with a tolerance of {days} day{} means {from} to {to}",
            claimed.text,
            if days == 1 { "" } else { "s" }
        )
    };
    let verdict = if apart.abs() <= days {
        Verdict::Supported
    } else {
        Verdict::Disputed
    };
    let reason = if apart == 0 {
        means
    } else {
        format!(
            "{means} ({} day{} {})",
            apart.abs(),
            if apart.abs() == 1 { "" } else { "s" },
            if apart > 0 { "later" } else { "earlier" }
        )
    };
    Outcome { verdict, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        parse_date(text).map(|d| d.date.to_string())
    }

    #[test]
    fn reads_the_forms_newsrooms_write() {
        let cases = [
            ("2025-01-15", "2025-01-15"),
            ("published 2025-01-15 00:00 UTC.", "2025-01-15"),
            ("2025-01-15T21:49:39Z", "2025-01-15"),
            ("January 27, 2025", "2025-01-27"),
            ("on Jan. 27, 2025 at 9:30 am", "2025-01-27"),
            ("Jan 27 2025", "2025-01-27"),
            ("27 Jan 2025", "2025-01-27"),
            ("27th January, 2025", "2025-01-27"),
            ("Sept 3, 2024", "2024-09-03"),
            (
                "**Original Published:** January 15, 2025 00:00 UTC",
                "2025-01-15",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(day(text).as_deref(), Some(want), "{text}");
        }
    }

    /// Forms found in the wild (the issue "Evidence in the wild"), read with no language hint.
    #[test]
    fn reads_dates_in_the_wild() {
        let cases = [
            // Dots: a part over 12 is the day; else day first.
            ("03.14.2021", "2021-03-14"),
            ("14.03.2021", "2021-03-14"),
            ("4.3.2021", "2021-03-04"),
            ("Stand: 01.02.2021.", "2021-02-01"),
            // Slashes: a part over 12 is the day; else month first.
            ("03/14/2021", "2021-03-14"),
            ("14/03/2021", "2021-03-14"),
            ("updated 3/4/2021", "2021-03-04"),
            // Year first.
            ("2020.06.01", "2020-06-01"),
            ("2020/6/1", "2020-06-01"),
            // Written months with a time of day and zone.
            ("Mar. 4, 2021 9:15 AM", "2021-03-04"),
            ("March 4, 2021, 9:15 a.m. ET", "2021-03-04"),
            ("Updated March 4, 2021 at 21:15 EST", "2021-03-04"),
            ("4 March 2021", "2021-03-04"),
            ("Thu, 04 Mar 2021 09:15:00 GMT", "2021-03-04"),
            // German, French, Spanish, Italian, Portuguese, Dutch.
            ("14. März 2021", "2021-03-14"),
            ("14. MÄRZ 2021", "2021-03-14"),
            ("3. Okt. 2020", "2020-10-03"),
            ("14 mars 2021", "2021-03-14"),
            ("1er août 2021", "2021-08-01"),
            ("12 déc. 2019", "2019-12-12"),
            ("14 de marzo de 2021", "2021-03-14"),
            ("5 de diciembre, 2020", "2020-12-05"),
            ("14 marzo 2021", "2021-03-14"),
            ("7 de setembro de 2022", "2022-09-07"),
            ("14 maart 2021", "2021-03-14"),
            // ISO datetimes: the calendar date as written, whatever the zone.
            ("2021-03-14T09:15:00Z", "2021-03-14"),
            ("2021-03-14T09:15+01:00", "2021-03-14"),
            ("2021-03-14T23:30:00-05:00", "2021-03-14"),
            ("2021-03-14T00:30:00.000+09:00", "2021-03-14"),
        ];
        for (text, want) in cases {
            assert_eq!(day(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn the_page_language_decides_ambiguous_numeric_dates() {
        let in_lang =
            |text: &str, lang: Option<&str>| parse_date_in(text, lang).map(|d| d.date.to_string());
        let cases = [
            ("03.04.2021", None, "2021-04-03"),
            ("03.04.2021", Some("en"), "2021-04-03"),
            ("03.04.2021", Some("de-DE"), "2021-04-03"),
            ("03.04.2021", Some("en-US"), "2021-03-04"),
            ("03.04.2021", Some("en_us"), "2021-03-04"),
            ("03/04/2021", None, "2021-03-04"),
            ("03/04/2021", Some("en"), "2021-03-04"),
            ("03/04/2021", Some("en-US"), "2021-03-04"),
            ("03/04/2021", Some("en-GB"), "2021-04-03"),
            ("03/04/2021", Some("fr"), "2021-04-03"),
            // Unambiguous dates ignore the language.
            ("14.03.2021", Some("en-US"), "2021-03-14"),
            ("03/14/2021", Some("en-GB"), "2021-03-14"),
        ];
        for (text, lang, want) in cases {
            assert_eq!(
                in_lang(text, lang).as_deref(),
                Some(want),
                "{text} {lang:?}"
            );
        }
    }

    #[test]
    fn times_and_zones_are_part_of_the_date_text() {
        let found = parse_date("on March 4, 2021, 9:15 a.m. ET, the board").expect("a date");
        assert_eq!(found.text, "March 4, 2021, 9:15 a.m. ET");
        let found = parse_date("Mar. 4, 2021 9:15 AM: the board").expect("a date");
        assert_eq!(found.text, "Mar. 4, 2021 9:15 AM");
        let found = parse_date("see 14.03.2021, then").expect("a date");
        assert_eq!(found.text, "14.03.2021");
        assert_eq!(found.span, 4..14);
    }

    #[test]
    fn month_names_name_one_month_each() {
        for (name, month) in MONTH_NAMES {
            let others: Vec<u8> = MONTH_NAMES
                .iter()
                .filter(|(n, m)| n == name && m != month)
                .map(|(_, m)| *m)
                .collect();
            assert!(others.is_empty(), "{name} names {month} and {others:?}");
            assert_eq!(month_of(&name.to_uppercase()), Some(*month), "{name}");
        }
    }

    #[test]
    fn invalid_or_partial_dates_are_not_dates() {
        for text in [
            "2025-02-30",
            "January 2025",
            "27 Jan",
            "version 2025-1-5",
            "H800",
            // Numbers that only look like dates.
            "13.13.2021",
            "31/31/2021",
            "version 1.2.03.2021",
            "v2.14.2021",
            "10.03.2021.4",
            "14.03/2021",
            "2021.13.01",
            "14 Marchesi 2021",
            "12 mayor 2021",
        ] {
            assert_eq!(day(text), None, "{text}");
        }
    }

    #[test]
    fn compares_by_day_with_tolerance() {
        let claimed = parse_date("2025-01-13").expect("date");
        let located = Date::new(2025, 1, 15).expect("valid");
        let o = compare_dates(&claimed, located, 3);
        assert_eq!(o.verdict, Verdict::Supported);
        assert_eq!(
            o.reason,
            "\"2025-01-13\" with a tolerance of 3 days means 2025-01-10 to 2025-01-16 (2 days later)"
        );
        assert_eq!(
            compare_dates(&claimed, located, 1).verdict,
            Verdict::Disputed
        );
        assert_eq!(
            compare_dates(&claimed, claimed.date, 0).verdict,
            Verdict::Supported
        );
        assert_eq!(parse_days("3d"), Some(3));
        assert_eq!(parse_days("3 days"), Some(3));
        assert_eq!(parse_days("3"), None);
    }

    /// A tolerance past the date library's range used to panic (`"7304485d"`).
    #[test]
    fn tolerances_at_and_past_the_calendars_range_never_panic() {
        assert!(jiff::Span::new().try_days(MAX_TOLERANCE_DAYS).is_ok());
        assert!(jiff::Span::new().try_days(MAX_TOLERANCE_DAYS + 1).is_err());
        assert_eq!(parse_days("7304484d"), Some(MAX_TOLERANCE_DAYS));
        assert_eq!(parse_days("7304485d"), None);
        assert_eq!(parse_days("99999999999999999999d"), None);
        let claimed = parse_date("2025-01-13").expect("date");
        for days in [
            MAX_TOLERANCE_DAYS,
            MAX_TOLERANCE_DAYS + 1,
            i64::MAX,
            -1,
            i64::MIN,
        ] {
            for located in [Date::MIN, Date::MAX, claimed.date] {
                let o = compare_dates(&claimed, located, days);
                assert!(!o.reason.is_empty());
            }
        }
        let o = compare_dates(&claimed, Date::MAX, i64::MAX);
        assert_eq!(o.verdict, Verdict::Supported, "{}", o.reason);
        let edge = FoundDate {
            date: Date::MIN,
            span: 0..0,
            text: "-009999-01-01".into(),
        };
        assert_eq!(
            compare_dates(&edge, Date::MAX, 0).verdict,
            Verdict::Disputed
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// The date reader on arbitrary text: no panic, and every date found is within the
        /// text, on character boundaries, and reads back as itself.
        #[test]
        fn dates_in_arbitrary_text_never_panic(text in "\\PC{0,200}", lang in proptest::option::of("[a-zA-Z_-]{0,12}")) {
            for found in scan_dates_in(&text, lang.as_deref()) {
                proptest::prop_assert!(found.span.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(found.span.start));
                proptest::prop_assert!(text.is_char_boundary(found.span.end));
            }
        }

        /// Date-shaped text with any numbers: no panic.
        #[test]
        fn date_shaped_text_never_panics(
            a in 0u32..100_000, b in 0u32..100_000, c in 0u32..100_000,
            sep in proptest::sample::select(vec!["-", ".", "/", " ", "年"]),
            month in proptest::sample::select(vec!["January", "Sept.", "März", "de marzo de", "mai"]),
            days in proptest::num::i64::ANY,
        ) {
            let texts = [
                format!("{a}{sep}{b}{sep}{c}"),
                format!("{month} {a}, {b}"),
                format!("{a} {month} {b}"),
                format!("{a}年{b}月{c}日"),
            ];
            for text in &texts {
                for found in scan_dates(text) {
                    let o = compare_dates(&found, Date::MAX, days);
                    proptest::prop_assert!(!o.reason.is_empty());
                }
            }
            let _ = parse_days(&format!("{days}d"));
        }
    }
}
