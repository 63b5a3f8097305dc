//! The drift report's formats, one file each: `human` (the terminal), `json` (machines) and
//! `markdown` (a pull request's body).

pub mod human;
pub mod json;
pub mod markdown;

use super::DriftReport;

/// The formats of `factcheck refresh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DriftFormat {
    /// Lines for people.
    #[default]
    Human,
    /// `{"version": 1, "sources": [...], "claims": [...]}`.
    Json,
    /// Markdown, for a pull request body.
    Markdown,
}

/// Renders a drift report; `color` only affects the human format.
pub fn render(report: &DriftReport, format: DriftFormat, color: bool) -> String {
    match format {
        DriftFormat::Human => human::render(report, color),
        DriftFormat::Json => json::render(report),
        DriftFormat::Markdown => markdown::render(report),
    }
}

/// "3 unchanged, 1 changed, 1 failing" (statuses with no source left out).
fn source_summary(report: &DriftReport) -> String {
    let parts: Vec<String> = report
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| format!("{n} {}", status.as_str()))
        .collect();
    let mut text = if parts.is_empty() {
        "no source fetched".to_string()
    } else {
        parts.join(", ")
    };
    if report.skipped > 0 {
        text.push_str(&format!(
            ", {} skipped (refreshed recently)",
            report.skipped
        ));
    }
    text
}

/// "2 of 14 claims flipped" or "no verdict flipped (14 claims)".
fn claim_summary(report: &DriftReport) -> String {
    let flipped = report.claims.iter().filter(|c| c.flipped).count();
    let moved = report
        .claims
        .iter()
        .filter(|c| !c.flipped && c.excerpt_changed())
        .count();
    let total = report.claims.len();
    let mut text = if flipped == 0 {
        format!("no verdict flipped ({total} claims)")
    } else {
        format!("{flipped} of {total} claims flipped")
    };
    if moved > 0 {
        text.push_str(&format!(", {moved} with moved evidence"));
    }
    text
}
