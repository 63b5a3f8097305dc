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

// Hidden from the API docs (see the crate root), so links to its items resolve nowhere there.
#![allow(rustdoc::broken_intra_doc_links)]

mod compare;
pub mod date;
mod format;
mod ident;
mod index;
mod number;
mod scan;
pub mod units;
mod words;

use std::fmt;
use std::ops::Range;

pub use compare::{Outcome, Tolerance, compare, parse_tolerance, stated};
pub use format::{format_bound, format_number, format_short, format_value};
pub use scan::{parse_claimed, parse_located, parse_located_in, scan, scan_in};
pub use units::parse_unit;

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
    /// A unit of measure, by its symbol in [`units::MEASURES`] (`GW`, `km/h`, `°C`).
    Measure(&'static str),
}

impl Unit {
    /// Whether two units can be compared: the same currency (`JPY/CNY`, written `¥`, agrees
    /// with either), or units of measure of one dimension (`MW` and `GW`).
    pub fn agrees(self, other: Unit) -> bool {
        match (self, other) {
            (Unit::Currency(a), Unit::Currency(b)) => {
                a == b || a.split('/').any(|x| b.split('/').any(|y| x == y))
            }
            (Unit::Measure(a), Unit::Measure(b)) => {
                units::measure(a).map(|m| m.dimension) == units::measure(b).map(|m| m.dimension)
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
            Unit::Measure(symbol) => f.write_str(symbol),
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
    pub const WORDS: [(&'static str, Hedge); 78] = [
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
        // The same hedges in the languages of news pages beside English.
        ("aproximadamente", Hedge::About),
        ("alrededor de", Hedge::About),
        ("cerca de", Hedge::About),
        ("unos", Hedge::About),
        ("unas", Hedge::About),
        ("casi", Hedge::Nearly),
        ("más de", Hedge::MoreThan),
        ("menos de", Hedge::LessThan),
        ("al menos", Hedge::AtLeast),
        ("hasta", Hedge::AtMost),
        ("environ", Hedge::About),
        ("près de", Hedge::About),
        ("quelque", Hedge::About),
        ("presque", Hedge::Nearly),
        ("plus de", Hedge::MoreThan),
        ("moins de", Hedge::LessThan),
        ("au moins", Hedge::AtLeast),
        ("jusqu'à", Hedge::AtMost),
        ("ungefähr", Hedge::About),
        ("etwa", Hedge::About),
        ("rund", Hedge::About),
        ("circa", Hedge::About),
        ("ca.", Hedge::About),
        ("knapp", Hedge::Nearly),
        ("mehr als", Hedge::MoreThan),
        ("über", Hedge::MoreThan),
        ("weniger als", Hedge::LessThan),
        ("mindestens", Hedge::AtLeast),
        ("bis zu", Hedge::AtMost),
        ("quasi", Hedge::Nearly),
        ("più di", Hedge::MoreThan),
        ("meno di", Hedge::LessThan),
        ("almeno", Hedge::AtLeast),
        ("quase", Hedge::Nearly),
        ("mais de", Hedge::MoreThan),
        ("přibližně", Hedge::About),
        ("zhruba", Hedge::About),
        ("kolem", Hedge::About),
        ("téměř", Hedge::Nearly),
        ("více než", Hedge::MoreThan),
        ("méně než", Hedge::LessThan),
        ("nejméně", Hedge::AtLeast),
        ("около", Hedge::About),
        ("примерно", Hedge::About),
        ("почти", Hedge::Nearly),
        ("более", Hedge::MoreThan),
        ("свыше", Hedge::MoreThan),
        ("менее", Hedge::LessThan),
        ("大约", Hedge::About),
        ("约", Hedge::About),
        ("約", Hedge::About),
        ("近", Hedge::Nearly),
        ("超过", Hedge::MoreThan),
        ("逾", Hedge::MoreThan),
        ("至少", Hedge::AtLeast),
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
    /// Where the number itself starts (its sign or currency), after any hedge words: a `near`
    /// phrase may end with the hedge ("flooded around" before "around 120 homes").
    pub core_start: usize,
    /// The text as written.
    pub text: String,
    /// Whether the number notation decided the value: `25.000` read with a decimal comma
    /// (twenty-five thousand), `2,5` read as two and a half.
    pub notation_decided: bool,
    /// The factor to the value of the other reading, when the notation leaves one open: `1.000`
    /// on a page written with a decimal point is 1, or 1,000 if the writer used a decimal comma
    /// (`Some(1000.0)`).
    pub other_reading: Option<f64>,
    /// The unit the written word also names, when it names two: "29.4 million pounds" is money
    /// or a weight (`Some(Measure("lb"))`), and the claim's unit decides.
    pub other_unit: Option<Unit>,
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
            core_start: 0,
            text: format_value(value, unit),
            notation_decided: false,
            other_reading: None,
            other_unit: None,
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

/// How a page writes numbers, from its language: `1,234.5` or `1.234,5`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Notation {
    /// A decimal point, with commas (or spaces) between thousands: English, Chinese, Japanese.
    #[default]
    Point,
    /// A decimal comma, with dots (or spaces) between thousands: German, French, Spanish...
    Comma,
}

/// Languages (ISO 639-1) whose numbers use a decimal comma.
const DECIMAL_COMMA_LANGS: [&str; 36] = [
    "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fo", "fr",
    "gl", "hr", "hu", "id", "is", "it", "ka", "kk", "lt", "lv", "mk", "nb", "nl", "nn", "no", "pl",
    "pt", "ro", "ru", "sk",
];
/// More decimal-comma languages (kept as two lists so each stays short).
const DECIMAL_COMMA_LANGS_MORE: [&str; 6] = ["sl", "sq", "sr", "sv", "tr", "uk"];

impl Notation {
    /// The notation of a language tag (`de`, `de-AT`, `pt_BR`); `Point` when unknown.
    /// Swiss German and Liechtenstein write a decimal point.
    pub fn for_lang(tag: &str) -> Notation {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = tag.split('-').next().unwrap_or("");
        if matches!(tag.as_str(), "de-ch" | "de-li" | "it-ch") {
            return Notation::Point;
        }
        if DECIMAL_COMMA_LANGS.contains(&primary) || DECIMAL_COMMA_LANGS_MORE.contains(&primary) {
            Notation::Comma
        } else {
            Notation::Point
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
