//! Figures: numbers with sign, scale, unit, range and hedge, found in prose and tables, and
//! compared with the precision they are written with (FORMAT.md, "Figures").
//!
//! [`parse_claimed`] reads the figure a claim states (`"about $5.6 million"`); [`scan`] finds
//! every figure in a text, with its span (the checks, the drafts scanner and the language server
//! share it); [`compare`] decides whether a located figure supports a claimed one. Dates live in
//! [`date`].
//!
//! ```
//! use factcheck::figure::{compare, parse_claimed, scan};
//! use factcheck::spec::Verdict;
//!
//! let claimed = parse_claimed("$5.6 million").unwrap();
//! let located = &scan("our total training costs amount to only $5.576M.")[0];
//! let outcome = compare(&claimed, located, None);
//! assert_eq!(outcome.verdict, Verdict::Supported);
//! assert_eq!(outcome.reason, "\"$5.6 million\" means 5.55M ≤ x < 5.65M");
//! ```

mod compare;
pub mod date;
mod format;
mod scan;

use std::fmt;
use std::ops::Range;

pub use compare::{Outcome, Tolerance, compare, parse_tolerance};
pub use format::{format_bound, format_number, format_short, format_value};
pub use scan::{parse_claimed, parse_located, scan};

/// The unit of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A plain number.
    None,
    /// An amount of money, by ISO 4217 code (`¥` is read as `JPY/CNY`, which matches either).
    Currency(&'static str),
    /// A percentage.
    Percent,
    /// Percentage points.
    Points,
}

impl Unit {
    /// Whether two units are the same (`JPY/CNY`, written `¥`, agrees with either).
    pub fn agrees(self, other: Unit) -> bool {
        match (self, other) {
            (Unit::Currency(a), Unit::Currency(b)) => {
                a == b || a.split('/').any(|x| b.split('/').any(|y| x == y))
            }
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::None => f.write_str("no unit"),
            Unit::Currency(code) => f.write_str(code),
            Unit::Percent => f.write_str("%"),
            Unit::Points => f.write_str("percentage points"),
        }
    }
}

/// How a claimed figure is meant to compare (FORMAT.md's hedge table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hedge {
    /// As precise as written.
    Exact,
    /// about / around / roughly / approximately: within 5%.
    About,
    /// nearly / almost: below, and within 5%.
    Nearly,
    /// more than / over / above: strictly greater.
    MoreThan,
    /// at least: greater or equal.
    AtLeast,
    /// less than / under / below: strictly smaller.
    LessThan,
    /// up to / at most: smaller or equal.
    AtMost,
    /// as much as: the extreme reached is N, within precision.
    AsMuchAs,
}

impl Hedge {
    /// The words that introduce each hedge, longest first so "more than" wins over "more".
    pub const WORDS: [(&'static str, Hedge); 23] = [
        ("approximately", Hedge::About),
        ("as much as", Hedge::AsMuchAs),
        ("as many as", Hedge::AsMuchAs),
        ("as high as", Hedge::AsMuchAs),
        ("more than", Hedge::MoreThan),
        ("less than", Hedge::LessThan),
        ("fewer than", Hedge::LessThan),
        ("at least", Hedge::AtLeast),
        ("at most", Hedge::AtMost),
        ("roughly", Hedge::About),
        ("around", Hedge::About),
        ("approx.", Hedge::About),
        ("nearly", Hedge::Nearly),
        ("almost", Hedge::Nearly),
        ("about", Hedge::About),
        ("above", Hedge::MoreThan),
        ("below", Hedge::LessThan),
        ("under", Hedge::LessThan),
        ("up to", Hedge::AtMost),
        ("over", Hedge::MoreThan),
        ("some", Hedge::About),
        ("~", Hedge::About),
        ("≈", Hedge::About),
    ];

    /// The canonical words, for reasons.
    pub fn words(self) -> &'static str {
        match self {
            Hedge::Exact => "",
            Hedge::About => "about",
            Hedge::Nearly => "nearly",
            Hedge::MoreThan => "more than",
            Hedge::AtLeast => "at least",
            Hedge::LessThan => "less than",
            Hedge::AtMost => "at most",
            Hedge::AsMuchAs => "as much as",
        }
    }
}

/// A number with its sign, scale, unit, precision and hedge; a range when `low != high`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The value, or the low end of a range, scale applied (`$5.6 million` → 5 600 000).
    pub low: f64,
    /// The high end of a range; equal to `low` for a single value.
    pub high: f64,
    /// Half a unit of the last digit written, scale applied (`5.6 million` → 50 000).
    pub precision: f64,
    /// The unit.
    pub unit: Unit,
    /// The hedge in front of it.
    pub hedge: Hedge,
    /// Whether it was written as a range.
    pub range: bool,
    /// The scale word or suffix written, for display (`1e6` for "million").
    pub scale: f64,
    /// Where it is in the scanned text (bytes), hedge included.
    pub span: Range<usize>,
    /// The text as written.
    pub text: String,
}

impl Figure {
    /// A single value with no unit, hedge or precision: a computed figure.
    pub fn computed(value: f64, unit: Unit) -> Figure {
        Figure {
            low: value,
            high: value,
            precision: 0.0,
            unit,
            hedge: Hedge::Exact,
            range: false,
            scale: 1.0,
            span: 0..0,
            text: format_value(value, unit),
        }
    }

    /// The value of a single figure (the middle of a range).
    pub fn value(&self) -> f64 {
        (self.low + self.high) / 2.0
    }

    /// The figure in words for reports: `5.576 million USD`, `-12.5%`, `60–65 billion`.
    pub fn display(&self) -> String {
        if self.range {
            format!(
                "{}–{}",
                format_value(self.low, Unit::None),
                format_value(self.high, self.unit)
            )
        } else {
            format_value(self.low, self.unit)
        }
    }
}

/// Errors reading a claimed figure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    /// No number in the text.
    #[error("no figure in \"{0}\"")]
    NoFigure(String),
    /// More than the figure in the text.
    #[error("\"{text}\" has more than one figure; write one, such as \"{first}\"")]
    Several {
        /// The whole text.
        text: String,
        /// The first figure found.
        first: String,
    },
    /// A tolerance that does not parse.
    #[error(
        "invalid tolerance \"{0}\": write a percentage (\"2%\"), an amount (\"0.1\") or percentage points (\"0.5pp\")"
    )]
    Tolerance(String),
}

#[cfg(test)]
mod tests;
