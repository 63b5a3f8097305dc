//! `--format json`: FORMAT.md's JSON report, `{"version": 1, "summary": {..}, "claims": [..]}`.

use serde::Serialize;

use crate::result::{ClaimResult, REPORT_VERSION, RunResult, Summary};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: Summary,
    claims: &'a [ClaimResult],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// The JSON report, pretty-printed, with a final newline.
pub fn render(result: &RunResult) -> String {
    let report = Report {
        version: REPORT_VERSION,
        summary: result.summary(),
        claims: &result.claims,
        warnings: &result.warnings,
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; keep the output valid JSON regardless.
        format!("{{\"version\": {REPORT_VERSION}, \"error\": \"{e}\"}}")
    });
    s.push('\n');
    s
}
