//! `absent = "text"`: the text does not appear; when it does, it is the evidence.

use super::{Finding, excerpt_at};
use crate::page::Region;
use crate::spec::Verdict;
use crate::text::normalize_needle;

/// Runs an `absent` check.
pub(super) fn run(needle: &str, case_sensitive: bool, region: &Region<'_>) -> Finding {
    let unwanted = normalize_needle(needle, case_sensitive);
    match region.norm().find(&unwanted) {
        Some(range) => Finding {
            verdict: Verdict::Disputed,
            reason: format!("\"{needle}\" appears, and the claim says it should not"),
            excerpt: Some(excerpt_at(region, range)),
            value: None,
        },
        None => Finding::bare(Verdict::Supported, format!("\"{needle}\" does not appear")),
    }
}
