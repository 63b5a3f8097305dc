//! Reports: one file per output format, each a view of a [`RunResult`].

pub mod claimreview;
pub mod figures;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod stream;

use crate::result::RunResult;
use crate::spec::Verdict;

/// How much a verdict needs an editor's eye; every report (and the language server) maps
/// verdicts through this one table, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Level {
    /// Disputed: the draft says something its source contradicts.
    Error,
    /// Not found or unavailable: the claim could not be confirmed.
    Warning,
    /// Unsourced (or an uncovered figure): worth a look.
    Note,
    /// Supported: nothing to flag.
    None,
}

impl Level {
    /// The level of a verdict.
    pub fn of(verdict: Verdict) -> Level {
        match verdict {
            Verdict::Disputed => Level::Error,
            Verdict::NotFound | Verdict::Unavailable => Level::Warning,
            Verdict::Unsourced => Level::Note,
            Verdict::Supported => Level::None,
        }
    }

    /// The word compilers and SARIF use: `error`, `warning`, `note`, `none`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::None => "none",
        }
    }
}

/// The output formats of `factcheck check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReportFormat {
    /// Lines for people, with a summary.
    #[default]
    Human,
    /// FORMAT.md's JSON report.
    Json,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// schema.org `ClaimReview` (JSON-LD), one review per sourced claim; needs a
    /// [`claimreview::Publisher`] ([`stream::Stream::with_publisher`]).
    ClaimReview,
}

/// Renders a run in a format; `color` only affects the human format.
pub fn render(result: &RunResult, format: ReportFormat, color: bool) -> String {
    stream::render(result, format, color)
}
