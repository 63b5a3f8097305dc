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
    // A claim that cannot be read says so before anything is located.
    if check.figure.is_none()
        && let Err(e) = parse_claimed(&check.claimed)
    {
        return Finding::bare(Verdict::NotFound, format!("cannot read the claim: {e}"));
    }
    let tolerance = match check.tolerance.as_deref().map(parse_tolerance).transpose() {
        Ok(t) => t,
        Err(e) => return Finding::bare(Verdict::NotFound, e.to_string()),
    };
    let (claimed, located) = match locate_figure(check, within, page) {
        Ok(found) => found,
        Err(reason) => return Finding::bare(Verdict::NotFound, reason),
    };
    let outcome = compare(&claimed, &located.value, tolerance);
    Finding {
        verdict: outcome.verdict,
        reason: format!(
            "located {} {}; {}",
            shown(&located.value, claimed.unit),
            located.place,
            outcome.reason
        ),
        excerpt: Some(located.excerpt),
        value: Some(located.value.display()),
    }
}

/// The claimed figure and the figure its locator finds on the page (units settled as the
/// comparison needs them), or why nothing was found.
pub(super) fn locate_figure(
    check: &FigureCheck,
    within: &Within,
    page: &Page,
) -> Result<(Figure, Located<Figure>), String> {
    // The claimed figure is read when the file is loaded; a check built in code may leave it.
    let claimed = match check
        .figure
        .clone()
        .map_or_else(|| parse_claimed(&check.claimed), Ok)
    {
        Ok(figure) => figure,
        Err(e) => return Err(format!("cannot read the claim: {e}")),
    };
    // In prose, a `near` picks only figures whose unit can be compared with the claim's: the
    // "401" of "401(k)" is no dollar amount.
    let eligible = |f: &Figure| eligible(&claimed, f);
    // A figure in the claim's own unit comes before one that converts: "1,900-mile-wide (3,100
    // kilometers)" against "3,100 km".
    let same_unit = |f: &Figure| f.unit == claimed.unit;
    let located: Result<Located<Figure>, String> = match &check.locator {
        Locator::Change { from, to } => locate::change(from, to, within, page, &eligible),
        near @ Locator::Near { .. } if matches!(claimed.unit, Unit::Measure(_)) => {
            locate::locate(near, within, page, &same_unit)
                .or_else(|_| locate::locate(near, within, page, &eligible))
        }
        other => locate::locate(other, within, page, &eligible),
    };
    let mut located = located?;
    // "29.4 million pounds" against a claim in kilograms is a weight.
    if let Some(other) = located.value.other_unit
        && !located.value.unit.agrees(claimed.unit)
        && other.agrees(claimed.unit)
    {
        located.value.unit = other;
    }
    // A value read from a cell, an element or a regex group with no unit takes the claimed one
    // (a table's header gives it); a number in prose never does.
    let inherited = located.value.unit == Unit::None && claimed.unit != Unit::None;
    if inherited && !matches!(check.locator, Locator::Near { .. }) {
        located.value.unit = claimed.unit;
    }
    Ok((claimed, located))
}

/// Whether a figure in prose can be a `near`'s pick for this claim: its unit (or the other unit
/// its word names) can be compared with the claim's.
pub(super) fn eligible(claimed: &Figure, f: &Figure) -> bool {
    f.unit.agrees(claimed.unit) || f.other_unit.is_some_and(|u| u.agrees(claimed.unit))
}

/// A located figure for reasons: as written, with the value read when the notation or a
/// conversion decided it (`8,690 MW (8.69 GW)`, `25.000 (read as 25K: decimal comma)`).
fn shown(located: &Figure, claim_unit: Unit) -> String {
    if located.text.is_empty() || located.span.is_empty() {
        // Computed (a change) or read from a cell's whole text.
        return if located.range {
            located.display()
        } else {
            format_short(located.value(), located.unit)
        };
    }
    let mut s = located.text.clone();
    if let (Unit::Measure(from), Unit::Measure(to)) = (located.unit, claim_unit)
        && from != to
        && let Some(v) = crate::figure::units::convert(located.value(), from, to)
    {
        s.push_str(&format!(" ({})", format_short(v, claim_unit)));
    } else if located.notation_decided {
        s.push_str(&format!(
            " (read as {}: the page's language writes a decimal comma)",
            format_short(located.value(), located.unit)
        ));
    }
    s
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
    let located: Located<FoundDate> = match locate::locate(&check.locator, within, page, &|_| true)
    {
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
