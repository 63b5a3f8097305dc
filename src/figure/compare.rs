//! Comparing a located figure with a claimed one: implied precision, tolerance, hedges, ranges
//! and negative figures (FORMAT.md, "Figures").

use std::borrow::Cow;

use super::format::{format_bound, format_short};
use super::units::convert;
use super::{Figure, FigureError, Hedge, Unit};
use crate::spec::Verdict;

/// The share of N that `about` and `nearly` allow.
pub const HEDGE_SLACK: f64 = 0.05;
/// Rounding slack in comparisons, relative to the numbers compared.
const EPSILON: f64 = 1e-9;

/// `tolerance = "2%" | "0.1" | "0.5pp"`: how far from the claimed figure still agrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// A share of the claimed value (`"2%"` is 0.02).
    Relative(f64),
    /// An amount in the claimed figure's unit and scale (`"0.1"` with `$5.6 million` is $0.1M).
    Absolute(f64),
    /// Percentage points, for percentages.
    Points(f64),
}

/// Parses a tolerance.
pub fn parse_tolerance(s: &str) -> Result<Tolerance, FigureError> {
    let t = s.trim();
    let number = |n: &str| {
        n.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| FigureError::Tolerance(s.to_string()))
    };
    if let Some(n) = t.strip_suffix("pp") {
        Ok(Tolerance::Points(number(n)?))
    } else if let Some(n) = t.strip_suffix('%') {
        Ok(Tolerance::Relative(number(n)? / 100.0))
    } else {
        Ok(Tolerance::Absolute(number(t)?))
    }
}

/// The verdict of one comparison and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Supported, disputed, or not_found (units that disagree).
    pub verdict: Verdict,
    /// What the claimed figure means and, when not simply in or out, how the located one fits:
    /// `"$5.6 million" means 5.55M ≤ x < 5.65M`.
    pub reason: String,
}

/// An interval of accepted values.
#[derive(Debug, Clone, Copy)]
struct Interval {
    lo: f64,
    lo_closed: bool,
    hi: f64,
    hi_closed: bool,
}

impl Interval {
    fn contains(&self, x: f64) -> bool {
        let eps = EPSILON * x.abs().max(1.0);
        let above = if self.lo_closed {
            x >= self.lo - eps
        } else {
            x > self.lo + eps
        };
        let below = if self.hi_closed {
            x <= self.hi + eps
        } else {
            x < self.hi - eps
        };
        above && below
    }

    /// Whether some value of `[low, high]` is in the interval.
    fn overlaps(&self, low: f64, high: f64) -> bool {
        let below = high < self.lo || (high == self.lo && !self.lo_closed);
        let above = low > self.hi || (low == self.hi && !self.hi_closed);
        !below && !above
    }

    /// Whether every value of `self` is in `other`.
    fn within(&self, other: &Interval) -> bool {
        // Compares one end: `a` of self against `b` of other; `outward` is how self would
        // stick out (-1 below, +1 above).
        let end_ok = |a: f64, a_closed: bool, b: f64, b_closed: bool, outward: f64| {
            if a.is_infinite() || b.is_infinite() {
                return a == b || b * outward > 0.0 && b.is_infinite() || a * outward < 0.0;
            }
            if (a - b).abs() <= EPSILON * a.abs().max(1.0) {
                b_closed || !a_closed
            } else {
                (a - b) * outward < 0.0
            }
        };
        end_ok(self.lo, self.lo_closed, other.lo, other.lo_closed, -1.0)
            && end_ok(self.hi, self.hi_closed, other.hi, other.hi_closed, 1.0)
    }

    /// Whether `self` and `other` share some value.
    fn meets(&self, other: &Interval) -> bool {
        let apart = |a: &Interval, b: &Interval| {
            a.hi < b.lo || (a.hi == b.lo && !(a.hi_closed && b.lo_closed))
        };
        !apart(self, other) && !apart(other, self)
    }

    fn describe(&self, unit: Unit, scale: f64, step: f64) -> String {
        let b = |x: f64| format_bound(x, unit, scale, step);
        let lt = |closed: bool| if closed { "≤" } else { "<" };
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (true, true) => format!(
                "{} {} x {} {}",
                b(self.lo),
                lt(self.lo_closed),
                lt(self.hi_closed),
                b(self.hi)
            ),
            (true, false) => format!(
                "x {} {}",
                if self.lo_closed { "≥" } else { ">" },
                b(self.lo)
            ),
            (false, true) => format!("x {} {}", lt(self.hi_closed), b(self.hi)),
            (false, false) => "any x".to_string(),
        }
    }
}

/// The accepted values of a claimed figure, with its hedge, precision and tolerance applied.
fn accepted(claimed: &Figure, tolerance: Option<Tolerance>) -> Interval {
    let n = claimed.value();
    let slack = match tolerance {
        Some(Tolerance::Relative(r)) => r * n.abs(),
        Some(Tolerance::Absolute(a)) => a * claimed.scale,
        Some(Tolerance::Points(p)) => p,
        None => 0.0,
    };
    let widened = tolerance.is_some() && slack > claimed.precision;
    let w = claimed.precision.max(slack);
    let about = (HEDGE_SLACK * n.abs()).max(slack);
    let inf = f64::INFINITY;
    let iv = |lo, lo_closed, hi, hi_closed| Interval {
        lo,
        lo_closed,
        hi,
        hi_closed,
    };
    // A negative figure with a hedge compares magnitudes, with the same sign: "fell more than
    // 4%" (`more than -4%`) holds for x < -4.
    let negative = n < 0.0 && claimed.hedge != Hedge::Exact;
    let m = n.abs();
    match (claimed.hedge, negative) {
        (Hedge::Exact, _) => iv(claimed.low - w, true, claimed.high + w, widened),
        (Hedge::About, _) => iv(n - about, true, n + about, true),
        (Hedge::Nearly, false) => iv(n - about, true, n, false),
        (Hedge::Nearly, true) => iv(-m, false, -m + about, true),
        (Hedge::MoreThan, false) => iv(n, false, inf, true),
        (Hedge::MoreThan, true) => iv(-inf, true, -m, false),
        (Hedge::AtLeast, false) => iv(n, true, inf, true),
        (Hedge::AtLeast, true) => iv(-inf, true, -m, true),
        (Hedge::LessThan, false) => iv(-inf, true, n, false),
        (Hedge::LessThan, true) => iv(-m, false, 0.0, false),
        (Hedge::AtMost, false) => iv(-inf, true, n, true),
        (Hedge::AtMost, true) => iv(-m, true, 0.0, false),
        (Hedge::AsMuchAs, false) => iv(m - w, true, m + w, widened),
        (Hedge::AsMuchAs, true) => iv(-m - w, widened, -m + w, true),
    }
}

/// `figure` in the claim's unit of measure (`8,690 MW` as `8.69 GW`); as it is otherwise.
fn in_unit(figure: &Figure, unit: Unit) -> Cow<'_, Figure> {
    let (Unit::Measure(from), Unit::Measure(to)) = (figure.unit, unit) else {
        return Cow::Borrowed(figure);
    };
    if from == to {
        return Cow::Borrowed(figure);
    }
    let c = |x: f64| convert(x, from, to).unwrap_or(x);
    let (low, high) = (c(figure.low), c(figure.high));
    let ratio = (c(1.0) - c(0.0)).abs();
    Cow::Owned(Figure {
        low: low.min(high),
        high: low.max(high),
        precision: figure.precision * ratio,
        scale: 1.0,
        unit,
        ..figure.clone()
    })
}

/// What a located figure states, as the interval its writing allows (`"$5.576M" means
/// 5.5755M ≤ x < 5.5765M`): what `factcheck explain` sets beside the claim's.
pub fn stated(located: &Figure) -> String {
    let text = if located.text.is_empty() {
        located.display()
    } else {
        located.text.clone()
    };
    format!(
        "\"{text}\" means {}",
        accepted(located, None).describe(located.unit, located.scale, located.precision)
    )
}

/// Whether `located` supports `claimed`.
///
/// Units must agree (a located figure with no unit takes the claimed one), else `not_found`.
/// Units of measure of one dimension are converted (`8,690 MW` supports `8.69 GW`).
/// A located range supports only when all its values are accepted; when none is, it disputes;
/// in between it disputes "partly". A hedged located figure ("more than 2,500") states an
/// interval: it supports when that interval lies within the accepted one, disputes when they do
/// not meet, and is `not_found` when they overlap only in part.
pub fn compare(claimed: &Figure, located: &Figure, tolerance: Option<Tolerance>) -> Outcome {
    let unit = claimed.unit;
    if located.unit != Unit::None && !located.unit.agrees(unit) {
        return Outcome {
            verdict: Verdict::NotFound,
            reason: format!(
                "the located figure is in {}, the claim in {}",
                located.unit, claimed.unit
            ),
        };
    }
    let located = in_unit(located, unit);
    let interval = accepted(claimed, tolerance);
    let means = format!(
        "\"{}\" means {}",
        claimed.text,
        interval.describe(unit, claimed.scale, claimed.precision)
    );
    // A hedged source states an interval too: "more than 2,500" is x > 2,500.
    if located.hedge != Hedge::Exact && !located.range {
        let stated = accepted(&located, None);
        let says = format!(
            "the source's \"{}\" means {}",
            located.text,
            stated.describe(unit, located.scale, located.precision)
        );
        let (verdict, reason) = if stated.within(&interval) {
            (Verdict::Supported, format!("{means}; {says}, within it"))
        } else if stated.meets(&interval) {
            (
                Verdict::NotFound,
                format!(
                    "{means}; {says}, which only partly meets it: the source neither confirms nor contradicts the claim"
                ),
            )
        } else {
            (Verdict::Disputed, format!("{means}; {says}, outside it"))
        };
        return Outcome { verdict, reason };
    }
    let (lo_in, hi_in) = (
        interval.contains(located.low),
        interval.contains(located.high),
    );
    if lo_in && hi_in {
        return Outcome {
            verdict: Verdict::Supported,
            reason: means,
        };
    }
    // "1.000" on a page written with a decimal point: if the thousands reading supports the
    // claim, the page's notation alone disputes it, and that is not settled.
    if let Some(factor) = located.other_reading
        && interval.contains(located.low * factor)
        && interval.contains(located.high * factor)
    {
        return Outcome {
            verdict: Verdict::NotFound,
            reason: format!(
                "{means}; \"{}\" is {} with a decimal point, as the page's language writes, but {} if its \".\" separates thousands: the notation does not settle it",
                located.text,
                format_short(located.low, unit),
                format_short(located.low * factor, unit)
            ),
        };
    }
    let overlaps = located.range && interval.overlaps(located.low, located.high);
    let reason = if overlaps || lo_in || hi_in {
        format!(
            "{means}, and the range {}–{} is only partly in it",
            format_short(located.low, unit),
            format_short(located.high, unit)
        )
    } else {
        means
    };
    Outcome {
        verdict: Verdict::Disputed,
        reason,
    }
}
