//! `--format human`: what a reviewer reads in a terminal: the sources that are not unchanged,
//! the claims that flipped or whose evidence moved, and a summary.

use std::fmt::Write as _;

use super::{claim_summary, source_summary};
use crate::refresh::drift::{ClaimDrift, DriftReport, SourceDrift, SourceStatus};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The human drift report; ANSI colours when `color`.
pub fn render(report: &DriftReport, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for source in report
        .sources
        .iter()
        .filter(|s| s.status != SourceStatus::Unchanged)
    {
        let code = match source.status {
            SourceStatus::Dead => RED,
            SourceStatus::Failing | SourceStatus::Changed => YELLOW,
            _ => GREEN,
        };
        let _ = writeln!(
            out,
            "{:<9} {}{}",
            paint(code, source.status.as_str()),
            source.url,
            source_detail(source)
        );
    }
    if !out.is_empty() {
        out.push('\n');
    }
    for claim in report
        .claims
        .iter()
        .filter(|c| c.flipped || c.excerpt_changed())
    {
        claim_lines(&mut out, claim, &paint);
    }
    let _ = writeln!(out, "sources: {}", source_summary(report));
    let summary = claim_summary(report);
    let _ = writeln!(
        out,
        "claims: {}",
        if report.flipped() {
            paint(BOLD, &summary)
        } else {
            summary
        }
    );
    out
}

fn source_detail(source: &SourceDrift) -> String {
    let mut parts = Vec::new();
    if let Some(change) = source.change {
        parts.push(format!("{change:?}").to_lowercase());
    }
    if let Some(reason) = &source.reason {
        parts.push(reason.clone());
    }
    if let Some(archived) = &source.archived_from {
        parts.push(format!("evidence from {archived}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn claim_lines(out: &mut String, claim: &ClaimDrift, paint: &dyn Fn(&str, &str) -> String) {
    let mark = if claim.flipped {
        paint(RED, "FLIPPED")
    } else {
        paint(YELLOW, "moved")
    };
    let _ = writeln!(
        out,
        "{mark} {}: {} -> {}",
        claim.name(),
        claim.before,
        claim.after
    );
    let _ = writeln!(out, "  {}", claim.statement);
    if claim.flipped {
        let _ = writeln!(out, "  why: {}", claim.reason_after);
    }
    if claim.excerpt_changed() {
        let show = |e: &Option<String>| e.as_deref().unwrap_or("(none)").replace('\n', " | ");
        let _ = writeln!(out, "  - before: {}", show(&claim.excerpt_before));
        let _ = writeln!(out, "  + after:  {}", show(&claim.excerpt_after));
    }
    out.push('\n');
}
