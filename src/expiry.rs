//! Expectations that expire (FORMAT.md v1.2): a claim's `until = 2026-06-30` and `why = "…"`.
//! Through its end date the expectation stands; after it the claim fails with "expectation
//! expired on …" until someone looks again. Dates are compared in UTC, and [`TODAY_ENV`] fixes
//! today for reproducible runs and tests.

use jiff::civil::Date;
use serde::Serialize;

use crate::spec::{Claim, Verdict};

/// The environment variable that fixes today's date (`2026-06-30`), as `--today` does.
pub const TODAY_ENV: &str = "FACTCHECK_TODAY";
/// An expectation ending within this many days is "expiring" (`factcheck check --expired`
/// lists it, and `check` warns about it).
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

/// A date that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{what} is `{value}`, not a date: write it as YYYY-MM-DD, e.g. 2026-06-30")]
pub struct DateError {
    /// Where the date came from (`FACTCHECK_TODAY`, `--today`).
    pub what: String,
    /// The text given.
    pub value: String,
}

/// Reads a calendar date written `YYYY-MM-DD` (nothing else: no time, no zone).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    s.parse::<Date>().ok()
}

/// Today's date in UTC, by the system clock.
pub fn clock_today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Today: `FACTCHECK_TODAY` when set (and not empty), else the UTC date of the system clock.
pub fn today() -> Result<Date, DateError> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.trim().is_empty() => parse_date(&v).ok_or(DateError {
            what: TODAY_ENV.to_owned(),
            value: v,
        }),
        _ => Ok(clock_today()),
    }
}

/// Where an expectation with an end date stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// It ends more than [`EXPIRING_WITHIN_DAYS`] days from today.
    Open,
    /// It ends within [`EXPIRING_WITHIN_DAYS`] days (0: it ends today, and still holds).
    Expiring {
        /// Days left, today excluded.
        days_left: i64,
    },
    /// Its end date has passed.
    Expired {
        /// Days since the end date.
        days_ago: i64,
    },
}

/// Where an expectation ending on `until` stands on `today`: it holds through `until`.
pub fn standing(until: Date, today: Date) -> Standing {
    // Days from today to `until` (the span of two dates is in days, and never fails for dates
    // jiff can hold).
    let days = today.until(until).map_or(0, |s| i64::from(s.get_days()));
    if days < 0 {
        Standing::Expired { days_ago: -days }
    } else if days <= EXPIRING_WITHIN_DAYS {
        Standing::Expiring { days_left: days }
    } else {
        Standing::Open
    }
}

/// A claim's expectation as a report shows it (the JSON report's `expectation`, v1.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// The last day the expectation holds, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Why the claim is expected to have its verdict (until then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Whether `until` has passed on the run's day.
    pub expired: bool,
}

/// Whether a claim with `verdict` passes on `today`, and its expectation for reports (`None`
/// without `until` or `why`). An expired expectation fails the claim whatever its verdict.
pub fn judge(claim: &Claim, verdict: Verdict, today: Date) -> (bool, Option<Expectation>) {
    let until = claim.until.as_ref().map(|u| u.date);
    let expired = until.is_some_and(|u| matches!(standing(u, today), Standing::Expired { .. }));
    let expectation = (until.is_some() || claim.why.is_some()).then(|| Expectation {
        until: until.map(|u| u.to_string()),
        why: claim.why.clone(),
        expired,
    });
    (verdict == claim.expect && !expired, expectation)
}

/// What a failing claim says first when its expectation has expired: "expectation expired on
/// 2026-06-30 (expected disputed until then: why); look again and move `until` or change
/// `expect`".
pub fn expired_note(expected: Verdict, expectation: &Expectation) -> Option<String> {
    if !expectation.expired {
        return None;
    }
    let until = expectation.until.as_deref()?;
    let why = expectation
        .why
        .as_deref()
        .map_or(String::new(), |w| format!(": {w}"));
    Some(format!(
        "expectation expired on {until} (expected {expected} until then{why}); look again and move `until` or change `expect`"
    ))
}

/// How an expectation's standing reads: "expectation expired on 2026-06-30 (12 days ago)",
/// "expectation expires on 2026-07-10 (in 5 days)".
pub fn describe(until: Date, standing: Standing) -> String {
    match standing {
        Standing::Expired { days_ago } => {
            format!("expectation expired on {until} ({} ago)", days(days_ago))
        }
        Standing::Expiring { days_left: 0 } => {
            format!("expectation expires on {until} (today is its last day)")
        }
        Standing::Expiring { days_left } => {
            format!("expectation expires on {until} (in {})", days(days_left))
        }
        Standing::Open => format!("expectation holds until {until}"),
    }
}

/// "1 day", "3 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).expect("a date")
    }

    #[test]
    fn reads_only_plain_dates() {
        assert_eq!(
            parse_date("2026-06-30"),
            Some(jiff::civil::date(2026, 6, 30))
        );
        assert_eq!(
            parse_date(" 2026-06-30 "),
            Some(jiff::civil::date(2026, 6, 30))
        );
        for bad in [
            "2026-6-30",
            "2026-06-31",
            "2026-06-30T00:00",
            "30.06.2026",
            "",
            "x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn holds_through_its_last_day() {
        let until = d("2026-06-30");
        assert_eq!(standing(until, d("2026-05-30")), Standing::Open);
        assert_eq!(
            standing(until, d("2026-05-31")),
            Standing::Expiring { days_left: 30 }
        );
        assert_eq!(
            standing(until, d("2026-06-30")),
            Standing::Expiring { days_left: 0 }
        );
        assert_eq!(
            standing(until, d("2026-07-01")),
            Standing::Expired { days_ago: 1 }
        );
        assert_eq!(
            standing(until, d("2027-06-30")),
            Standing::Expired { days_ago: 365 }
        );
        assert_eq!(
            describe(until, standing(until, d("2026-07-03"))),
            "expectation expired on 2026-06-30 (3 days ago)"
        );
        assert_eq!(
            describe(until, standing(until, d("2026-06-29"))),
            "expectation expires on 2026-06-30 (in 1 day)"
        );
    }
}
