//! Comparing a located figure with a claimed one: implied precision, tolerance, hedges, ranges
//! and negative figures (FORMAT.md, "Figures").

use super::format::{format_bound, format_short};
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

    fn describe(&self, unit: Unit) -> String {
        let b = |x: f64| format_bound(x, unit);
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

/// Whether `located` supports `claimed`.
///
/// Units must agree (a located figure with no unit takes the claimed one), else `not_found`.
/// A located range supports only when all its values are accepted; when none is, it disputes;
/// in between it disputes "partly".
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
    let interval = accepted(claimed, tolerance);
    let means = format!("\"{}\" means {}", claimed.text, interval.describe(unit));
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
