//! `contains = "text"`: the text appears in the looked-at text.

use super::{Finding, excerpt_at};
use crate::page::Region;
use crate::spec::Verdict;
use crate::text::normalize_needle;

/// Runs a `contains` check.
pub(super) fn run(needle: &str, case_sensitive: bool, region: &Region<'_>) -> Finding {
    let wanted = normalize_needle(needle, case_sensitive);
    match region.norm().find(&wanted) {
        Some(range) => Finding {
            verdict: Verdict::Supported,
            reason: format!("found \"{needle}\""),
            excerpt: Some(excerpt_at(region, range)),
            value: None,
        },
        None => Finding::bare(Verdict::NotFound, format!("\"{needle}\" does not appear")),
    }
}
