//! `--format json`: FORMAT.md's JSON report, `{"version": 1, "summary": {..}, "claims": [..]}`.

use serde::Serialize;

use crate::result::{REPORT_VERSION, Summary};

#[derive(Serialize)]
struct Report<'a, C: Serialize> {
    version: u32,
    summary: Summary,
    claims: C,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// The report around its claims: `claims` stands for the array of claims (the claims, none,
/// or a marker where they go).
pub fn frame<'a, C: Serialize + 'a>(
    summary: Summary,
    claims: C,
    warnings: &'a [String],
) -> impl Serialize + 'a {
    Report {
        version: REPORT_VERSION,
        summary,
        claims,
        warnings,
    }
}
