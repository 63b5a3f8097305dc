//! `matches = "regex"`: the regex matches the normalised (but not case-folded) text.

use regex::Regex;

use super::{Finding, excerpt_at};
use crate::page::Region;
use crate::spec::Verdict;

/// Runs a `matches` check.
pub(super) fn run(regex: &Regex, region: &Region<'_>) -> Finding {
    match regex.find(&region.norm().text) {
        Some(m) => Finding {
            verdict: Verdict::Supported,
            reason: format!("/{}/ matches \"{}\"", regex.as_str(), m.as_str()),
            excerpt: Some(excerpt_at(region, m.range())),
            value: None,
        },
        None => Finding::bare(
            Verdict::NotFound,
            format!("/{}/ matches nothing", regex.as_str()),
        ),
    }
}
