//! Checks: one file per kind; each reads a [`Page`] and returns a [`Finding`].

mod absent;
mod contains;
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
    let case_sensitive = match &check.kind {
        // `matches` is never case-folded: write `(?i)` for that.
        CheckKind::Matches(_) => true,
        _ => check.case_sensitive,
    };
    let region = match page.region(within, case_sensitive) {
        Ok(Some(region)) => region,
        Ok(None) => {
            let Within::Selector(selector) = within else {
                unreachable!("only a selector can match nothing")
            };
            return Finding::bare(
                Verdict::NotFound,
                format!("no element matches the selector `{selector}`"),
            );
        }
        Err(e) => return Finding::bare(Verdict::NotFound, e.to_string()),
    };
    let mut finding = match &check.kind {
        CheckKind::Contains(needle) => contains::run(needle, case_sensitive, &region),
        CheckKind::Absent(needle) => absent::run(needle, case_sensitive, &region),
        CheckKind::Matches(regex) => matches::run(regex, &region),
        CheckKind::Figure(_) | CheckKind::Date(_) => Finding::bare(
            Verdict::NotFound,
            format!(
                "`{}` checks are not supported yet by this version of factcheck",
                check.kind.key()
            ),
        ),
    };
    // Say where an HTML page was looked at when nothing was found there.
    if page.format == Format::Html && finding.excerpt.is_none() && finding.value.is_none() {
        finding.reason = format!("{} in {}", finding.reason, describe(within));
    }
    finding
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
mod tests;
