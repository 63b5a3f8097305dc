//! Dates in text: ISO (`2025-01-15`, `2025-01-15 00:00 UTC`), and written (`January 27, 2025`,
//! `Jan. 27, 2025`, `27 Jan 2025`), compared by day with an optional tolerance (`"3d"`).

use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::Outcome;
use super::scan::month_number;
use crate::spec::Verdict;

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const TIME: &str = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[ap]\.?m\.?|utc|gmt|z|[+-]\d{2}:?\d{2}))?)?";

static DATES: LazyLock<Regex> = LazyLock::new(|| {
    let iso = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:z|utc|[+-]\d{2}:?\d{2}))?)?";
    let mdy =
        format!(r"(?P<mm>{MONTH})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}){TIME}");
    let dmy =
        format!(r"(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm>{MONTH}),?\s+(?P<dy>\d{{4}}){TIME}");
    Regex::new(&format!(r"(?i)\b(?:{iso}|{mdy}|{dmy})\b")).expect("the date pattern compiles")
});

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

/// Every date in `text`, in order.
pub fn scan_dates(text: &str) -> Vec<FoundDate> {
    DATES
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
            let (y, m, d) = if let Some(y) = num("iy") {
                (y, num("im")?, num("id")?)
            } else if let Some(y) = num("my") {
                (
                    y,
                    i16::from(month_number(c.name("mm")?.as_str())?),
                    num("md")?,
                )
            } else {
                (
                    num("dy")?,
                    i16::from(month_number(c.name("dm")?.as_str())?),
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

/// The first date in a text.
pub fn parse_date(text: &str) -> Option<FoundDate> {
    scan_dates(text).into_iter().next()
}

/// Parses `tolerance = "3d"` into days.
pub fn parse_days(s: &str) -> Option<i64> {
    let t = s.trim();
    let n = t.strip_suffix('d').or_else(|| t.strip_suffix(" days"))?;
    n.trim().parse::<i64>().ok().filter(|d| *d >= 0)
}

/// Whether a located date supports a claimed one: the same day, or within `days`.
pub fn compare_dates(claimed: &FoundDate, located: Date, days: i64) -> Outcome {
    let apart = (located - claimed.date).get_days();
    let means = if days == 0 {
        format!("\"{}\" means {}", claimed.text, claimed.date)
    } else {
        let span = jiff::Span::new().days(days);
        let (from, to) = (
            claimed.date.checked_sub(span).unwrap_or(claimed.date),
            claimed.date.checked_add(span).unwrap_or(claimed.date),
        );
        format!(
            "\"{}\" with a tolerance of {days} day{} means {from} to {to}",
            claimed.text,
            if days == 1 { "" } else { "s" }
        )
    };
    let verdict = if i64::from(apart).abs() <= days {
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

    #[test]
    fn invalid_or_partial_dates_are_not_dates() {
        for text in [
            "2025-02-30",
            "January 2025",
            "27 Jan",
            "version 2025-1-5",
            "H800",
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
}
