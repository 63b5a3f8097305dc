//! `--format json`: `{"version": 1, "sources": [{url, status, http_status, conditional,
//! archived_from, ...}], "claims": [{file, id, before, after, flipped, excerpt_before,
//! excerpt_after}]}`, plus `skipped` (sources left alone by `--older-than`).

use serde::Serialize;

use crate::refresh::drift::{ClaimDrift, DRIFT_REPORT_VERSION, DriftReport, SourceDrift};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    sources: &'a [SourceDrift],
    skipped: usize,
    claims: &'a [ClaimDrift],
}

/// The JSON drift report, pretty-printed, with a final newline.
pub fn render(report: &DriftReport) -> String {
    let json = Report {
        version: DRIFT_REPORT_VERSION,
        sources: &report.sources,
        skipped: report.skipped,
        claims: &report.claims,
    };
    let mut s = serde_json::to_string_pretty(&json).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; keep the output valid JSON regardless.
        format!("{{\"version\": {DRIFT_REPORT_VERSION}, \"error\": \"{e}\"}}")
    });
    s.push('\n');
    s
}
