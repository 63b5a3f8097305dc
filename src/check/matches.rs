//! `matches = "regex"`: the regex matches the normalised (but not case-folded) text.

use regex::Regex;

use super::{Finding, excerpt_at};
use crate::page::Region;
use crate::spec::{Pattern, Verdict};

/// Runs a `matches` check: `regex` is `pattern` compiled for the region's normalised text.
pub(super) fn run(pattern: &Pattern, regex: &Regex, region: &Region<'_>) -> Finding {
    match regex.find(&region.norm().text) {
        Some(m) => Finding {
            verdict: Verdict::Supported,
            reason: format!("/{}/ matches \"{}\"", pattern.as_str(), m.as_str()),
            excerpt: Some(excerpt_at(region, m.range())),
            value: None,
        },
        None => Finding::bare(
            Verdict::NotFound,
            format!("/{}/ matches nothing", pattern.as_str()),
        ),
    }
}
