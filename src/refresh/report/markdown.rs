//! `--format markdown`: the drift report as a pull request body: a summary, a table of the
//! flipped claims, the moved evidence as diffs, and the sources that are not unchanged.

use std::fmt::Write as _;

use super::{claim_summary, source_summary};
use crate::refresh::drift::{DriftReport, SourceStatus};

/// The Markdown drift report.
pub fn render(report: &DriftReport) -> String {
    let mut out = String::from("## factcheck refresh\n\n");
    let _ = writeln!(out, "- **Claims:** {}", claim_summary(report));
    let _ = writeln!(out, "- **Sources:** {}\n", source_summary(report));

    let flipped: Vec<_> = report.claims.iter().filter(|c| c.flipped).collect();
    if !flipped.is_empty() {
        out.push_str(
            "### Flipped verdicts\n\n| Claim | Before | After | Why |\n|---|---|---|---|\n",
        );
        for c in &flipped {
            let _ = writeln!(
                out,
                "| `{}` | {} | **{}** | {} |",
                c.name(),
                c.before,
                c.after,
                cell(&c.reason_after)
            );
        }
        out.push('\n');
    }
    let moved: Vec<_> = report
        .claims
        .iter()
        .filter(|c| c.excerpt_changed())
        .collect();
    if !moved.is_empty() {
        out.push_str("### Evidence that changed\n\n");
        for c in moved {
            let _ = writeln!(out, "`{}`: {}\n", c.name(), inline(&c.statement));
            out.push_str("```diff\n");
            for line in c.excerpt_before.as_deref().unwrap_or("(none)").lines() {
                let _ = writeln!(out, "- {line}");
            }
            for line in c.excerpt_after.as_deref().unwrap_or("(none)").lines() {
                let _ = writeln!(out, "+ {line}");
            }
            out.push_str("```\n\n");
        }
    }
    let sources: Vec<_> = report
        .sources
        .iter()
        .filter(|s| s.status != SourceStatus::Unchanged)
        .collect();
    if !sources.is_empty() {
        out.push_str("### Sources\n\n| Status | URL | HTTP | Note |\n|---|---|---|---|\n");
        for s in sources {
            let mut note = s.reason.clone().unwrap_or_default();
            if let Some(archived) = &s.archived_from {
                if !note.is_empty() {
                    note.push_str("; ");
                }
                note.push_str(&format!("evidence from <{archived}>"));
            }
            let _ = writeln!(
                out,
                "| {} | <{}> | {} | {} |",
                s.status.as_str(),
                s.url,
                s.http_status.map(|h| h.to_string()).unwrap_or_default(),
                cell(&note)
            );
        }
        out.push('\n');
    }
    out
}

/// Text safe inside a table cell: no pipes or line breaks.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

fn inline(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
