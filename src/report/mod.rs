//! Reports: one file per output format, each a view of a [`RunResult`].

pub mod human;
pub mod json;

use crate::result::RunResult;

/// The output formats of `factcheck check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// Lines for people, with a summary.
    #[default]
    Human,
    /// FORMAT.md's JSON report.
    Json,
}

/// Renders a run in a format; `color` only affects the human format.
pub fn render(result: &RunResult, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Human => human::render(result, color),
        ReportFormat::Json => json::render(result),
    }
}
