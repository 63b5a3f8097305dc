//! `figure = "about $5.6 million"` and `date = "2025-01-15"`: locate the source's value and
//! compare it with the claimed one.

use super::Finding;
use super::locate::{self, Located};
use crate::figure::date::{FoundDate, compare_dates, parse_date, parse_days};
use crate::figure::{Figure, Unit, compare, format_short, parse_claimed, parse_tolerance};
use crate::page::Page;
use crate::spec::{FigureCheck, Locator, Verdict, Within};

/// Runs a `figure` check.
pub(super) fn figure(check: &FigureCheck, within: &Within, page: &Page) -> Finding {
    let claimed = match parse_claimed(&check.claimed) {
        Ok(figure) => figure,
        Err(e) => return Finding::bare(Verdict::NotFound, format!("cannot read the claim: {e}")),
    };
    let tolerance = match check.tolerance.as_deref().map(parse_tolerance).transpose() {
        Ok(t) => t,
        Err(e) => return Finding::bare(Verdict::NotFound, e.to_string()),
    };
    let located: Result<Located<Figure>, String> = match &check.locator {
        Locator::Change { from, to } => locate::change(from, to, within, page),
        other => locate::locate(other, within, page),
    };
    let mut located = match located {
        Ok(located) => located,
        Err(reason) => return Finding::bare(Verdict::NotFound, reason),
    };
    // A located figure with no unit (a table cell, a CSV field) takes the claimed one.
    if located.value.unit == Unit::None {
        located.value.unit = claimed.unit;
    }
    let outcome = compare(&claimed, &located.value, tolerance);
    let shown = if located.value.range {
        located.value.display()
    } else {
        format_short(located.value.value(), located.value.unit)
    };
    Finding {
        verdict: outcome.verdict,
        reason: format!("located {shown} {}; {}", located.place, outcome.reason),
        excerpt: Some(located.excerpt),
        value: Some(located.value.display()),
    }
}

/// Runs a `date` check.
pub(super) fn date(check: &FigureCheck, within: &Within, page: &Page) -> Finding {
    let Some(claimed) = parse_date(&check.claimed) else {
        return Finding::bare(
            Verdict::NotFound,
            format!("cannot read the claimed date \"{}\"", check.claimed),
        );
    };
    let days = match check.tolerance.as_deref().map(parse_days) {
        None => 0,
        Some(Some(days)) => days,
        Some(None) => {
            return Finding::bare(
                Verdict::NotFound,
                format!(
                    "invalid date tolerance \"{}\": write days, like \"3d\"",
                    check.tolerance.as_deref().unwrap_or_default()
                ),
            );
        }
    };
    let located: Located<FoundDate> = match locate::locate(&check.locator, within, page) {
        Ok(located) => located,
        Err(reason) => return Finding::bare(Verdict::NotFound, reason),
    };
    let outcome = compare_dates(&claimed, located.value.date, days);
    Finding {
        verdict: outcome.verdict,
        reason: format!(
            "located {} {}; {}",
            located.value.date, located.place, outcome.reason
        ),
        excerpt: Some(located.excerpt),
        value: Some(located.value.date.to_string()),
    }
}
