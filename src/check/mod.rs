//! Checks: one file per kind; each reads a [`Page`] and returns a [`Finding`].

mod absent;
mod contains;
mod figure;
mod locate;
mod matches;

use serde::Serialize;

use crate::page::{Page, Region};
use crate::spec::{Check, CheckKind, Format, Verdict, Within};
use crate::text::{self, DEFAULT_EXCERPT_CHARS};

/// What one check found in one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The verdict for this source alone.
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
    /// The evidence: about 200 characters of readable text around what was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The located value, for figure and date checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Finding {
    /// A finding with no evidence.
    pub fn bare(verdict: Verdict, reason: impl Into<String>) -> Finding {
        Finding {
            verdict,
            reason: reason.into(),
            excerpt: None,
            value: None,
        }
    }
}

/// Runs `check` on the part of `page` that `within` names.
pub fn run(check: &Check, within: &Within, page: &Page) -> Finding {
    let text = match &check.kind {
        CheckKind::Figure(f) => return figure::figure(f, within, page),
        CheckKind::Date(d) => return figure::date(d, within, page),
        CheckKind::Contains(needle) => TextCheck::Contains(needle),
        CheckKind::Absent(needle) => TextCheck::Absent(needle),
        CheckKind::Matches(regex) => TextCheck::Matches(regex),
    };
    // `matches` is never case-folded: write `(?i)` for that.
    let case_sensitive = check.case_sensitive || matches!(text, TextCheck::Matches(_));
    let region = match page.region(within, case_sensitive) {
        Ok(Some(region)) => region,
        Ok(None) => {
            let selector = match within {
                Within::Selector(s) => s.as_str(),
                _ => "",
            };
            return Finding::bare(
                Verdict::NotFound,
                format!("no element matches the selector `{selector}`"),
            );
        }
        Err(e) => return Finding::bare(Verdict::NotFound, e.to_string()),
    };
    let mut finding = match text {
        TextCheck::Contains(needle) => contains::run(needle, case_sensitive, &region),
        TextCheck::Absent(needle) => absent::run(needle, case_sensitive, &region),
        TextCheck::Matches(regex) => matches::run(regex, &region),
    };
    // Say where an HTML page was looked at when nothing was found there.
    if page.format == Format::Html && finding.excerpt.is_none() {
        finding.reason = format!("{} in {}", finding.reason, describe(within));
    }
    finding
}

/// The text checks, which share normalisation and regions.
enum TextCheck<'a> {
    Contains(&'a str),
    Absent(&'a str),
    Matches(&'a regex::Regex),
}

/// The excerpt around a range of the region's normalised text.
fn excerpt_at(region: &Region<'_>, normalized: std::ops::Range<usize>) -> String {
    let original = region.norm().original_range(normalized);
    text::excerpt(region.text(), original, DEFAULT_EXCERPT_CHARS)
}

/// Where a region is, for reasons: "the main content" or "the page".
fn describe(within: &Within) -> String {
    match within {
        Within::Main => "the main content".into(),
        Within::Page => "the page".into(),
        Within::Selector(s) => format!("the elements matching `{s}`"),
    }
}

#[cfg(test)]
mod date_tests;
#[cfg(test)]
mod tests;
