//! Reports: one file per output format, each a view of a [`RunResult`].

pub mod figures;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::result::RunResult;

/// The output formats of `factcheck check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

/// Renders a run in a format; `color` only affects the human format.
pub fn render(result: &RunResult, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Human => human::render(result, color),
        ReportFormat::Json => json::render(result),
        ReportFormat::Junit => junit::render(result),
        ReportFormat::Sarif => sarif::render(result),
        ReportFormat::Github => github::render(result),
    }
}
